"""Telling people about work: a case or task assigned to them, a task coming due.

Notices are recorded as ``Delivery`` rows and sent by a background task, so a slow mail
server or webhook never holds up the page that caused them. Webhooks carry an HMAC-SHA256
signature of the exact body (``X-Vigil-Signature: sha256=<hex>``) and a timestamp, so the
receiver can check the sender and refuse replays.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import logging
import time
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone

from vigil.cases.models import (
    Case,
    CaseTask,
    ChannelKind,
    Delivery,
    NotificationChannel,
    TaskStatus,
)
from vigil.core import outbound
from vigil.core.models import User

logger = logging.getLogger(__name__)
WEBHOOK_TIMEOUT_S = 10


def case_assigned(case: Case) -> None:
    if case.assignee is not None:
        notify(
            case.assignee,
            "case.assigned",
            f"Case {case.number} assigned to you",
            {"case": case.number, "title": case.title, "store": case.store.code},
        )


def task_assigned(task: CaseTask) -> None:
    if task.assignee is not None:
        notify(
            task.assignee,
            "task.assigned",
            f"Task on {task.case.number}: {task.title}",
            _task_payload(task),
        )


def remind_due_tasks(today: datetime.date | None = None) -> int:
    """Notify assignees of open tasks due today or overdue, once per day; the count sent."""
    today = today or timezone.localdate()
    due = CaseTask.objects.filter(
        status=TaskStatus.OPEN, due_on__lte=today, assignee__isnull=False
    ).filter(Q(reminded_on__isnull=True) | Q(reminded_on__lt=today))
    sent = 0
    for task in due.select_related("case", "assignee"):
        overdue = "overdue" if task.due_on and task.due_on < today else "due today"
        assert task.assignee is not None
        notify(
            task.assignee,
            "task.due",
            f"Task {overdue} on {task.case.number}: {task.title}",
            _task_payload(task),
        )
        CaseTask.objects.filter(pk=task.pk).update(reminded_on=today)
        sent += 1
    return sent


def _task_payload(task: CaseTask) -> dict[str, Any]:
    return {
        "case": task.case.number,
        "task": task.title,
        "due_on": task.due_on.isoformat() if task.due_on else None,
    }


def channels_for(user: User) -> list[NotificationChannel]:
    """The user's own active channels, and the organisation's."""
    return list(
        NotificationChannel.objects.filter(is_active=True).filter(
            Q(user=user) | Q(organisation__isnull=False)
        )
    )


def notify(user: User, event: str, subject: str, payload: dict[str, Any]) -> None:
    """Send ``subject`` and ``payload`` to the user's channels (e-mail by default), queued."""
    from vigil.cases.tasks import deliver

    body = {"event": event, "subject": subject, "user": user.get_username(), **payload}
    channels = channels_for(user)
    own = [channel for channel in channels if channel.user_id == user.pk]
    deliveries = [
        Delivery.objects.create(
            channel=channel, recipient=_recipient(channel, user), event=event, payload=body
        )
        for channel in channels
        if channel.kind == ChannelKind.WEBHOOK or user.email
    ]
    if not own and user.email:  # e-mail by default
        deliveries.append(Delivery.objects.create(recipient=user.email, event=event, payload=body))
    for delivery in deliveries:
        deliver.enqueue(delivery.pk)


def _recipient(channel: NotificationChannel, user: User) -> str:
    return channel.url if channel.kind == ChannelKind.WEBHOOK else user.email


def send(delivery: Delivery) -> None:
    """Send one delivery now; raise on failure so the task can record it."""
    channel = delivery.channel
    if channel is not None and channel.kind == ChannelKind.WEBHOOK:
        post_webhook(channel.url, channel.secret, delivery.event, delivery.payload, delivery.pk)
    else:
        send_mail(
            subject=str(delivery.payload.get("subject", delivery.event)),
            message=_mail_text(delivery.payload),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[delivery.recipient],
        )


def _mail_text(payload: dict[str, Any]) -> str:
    lines = [str(payload.get("subject", ""))]
    lines += [f"{key}: {value}" for key, value in payload.items() if key not in {"subject"}]
    return "\n".join(lines) + "\n"


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>`` over ``<timestamp>.<body>``, keyed by the channel's secret."""
    message = timestamp.encode("ascii") + b"." + body
    return "sha256=" + hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def post_webhook(
    url: str, secret: str, event: str, payload: dict[str, Any], delivery_id: int
) -> int:
    """POST the signed notice; the address is checked again as it connects (never inward)."""
    body = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode("utf-8")
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Vigil-Webhook/1",
        "X-Vigil-Event": event,
        "X-Vigil-Delivery": str(delivery_id),
        "X-Vigil-Timestamp": timestamp,
        "X-Vigil-Signature": signature(secret, timestamp, body),
    }
    return outbound.post(url, body, headers, timeout=WEBHOOK_TIMEOUT_S)
