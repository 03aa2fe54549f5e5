"""Information requests: recorded when they arrive, answered by sharing, or declined.

A request names the store whose records are sought and a due date. Answering it shares the
records (each an access grant to the requester) and says so; the requester reads both in the
portal. Declining needs a reason the requester can read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from vigil.core.models import AccessGrant, Agency, Role, Store, User
from vigil.core.numbering import next_number
from vigil.core.roles import Capability, require
from vigil.sharing import grants
from vigil.sharing.models import InformationRequest, RequestKind, RequestStatus

NUMBER_PREFIX = "REQ"


@dataclass(frozen=True)
class RequestDetails:
    """What a request asks for, as sent or as entered from a letter."""

    store: Store
    kind: str
    their_reference: str
    sought: str
    due_on: date
    period_start: datetime | None = None
    period_end: datetime | None = None


def submit(requester: User, details: RequestDetails) -> InformationRequest:
    """An external user sends a request through the portal, for their agency if they have one."""
    if requester.role != Role.EXTERNAL:
        raise ValidationError("Requests through the portal come from external users.")
    return _create(details, requested_by=requester, agency=requester.agency)


def record_received(by: User, details: RequestDetails, agency: Agency | None) -> InformationRequest:
    """A request that came by letter or e-mail, entered by an investigator."""
    require(by, Capability.INVESTIGATE)
    if not Store.objects.visible_to(by).filter(pk=details.store.pk).exists():
        raise ValidationError({"store": "Choose one of your stores."})
    return _create(details, recorded_by=by, agency=agency)


def _create(details: RequestDetails, **who: object) -> InformationRequest:
    _check(details)
    with transaction.atomic():
        request = InformationRequest(
            number=next_number(NUMBER_PREFIX),
            store=details.store,
            kind=details.kind,
            their_reference=details.their_reference.strip(),
            sought=details.sought.strip(),
            due_on=details.due_on,
            period_start=details.period_start,
            period_end=details.period_end,
            **who,
        )
        request.save()
    return request


def _check(details: RequestDetails) -> None:
    errors: dict[str, str] = {}
    if details.kind not in RequestKind.values:
        errors["kind"] = f"One of: {', '.join(RequestKind.labels)}."
    if not details.their_reference.strip():
        errors["their_reference"] = "Give your report, subpoena or claim number."
    if not details.sought.strip():
        errors["sought"] = "Say what you need: which footage, receipts or reports."
    if details.due_on < timezone.localdate():
        errors["due_on"] = "The due date cannot be in the past."
    if details.period_start and details.period_end and details.period_end < details.period_start:
        errors["period_end"] = "The period ends before it starts."
    if errors:
        raise ValidationError(errors)


def share_in_answer(
    by: User, request: InformationRequest, record: models.Model, until: datetime
) -> AccessGrant:
    """Share one record with whoever asked, as part of the answer to ``request``."""
    if request.status != RequestStatus.OPEN:
        raise ValidationError("This request is closed; open a new share from the record.")
    with transaction.atomic():
        grant = grants.share(
            by,
            record,
            until=until,
            reason=f"{request.number}: {request.get_kind_display()} {request.their_reference}",
            grantee=None if request.agency_id else request.requested_by,
            agency=request.agency,
        )
        request.grants.add(grant)
    return grant


def close(by: User, request: InformationRequest, *, response: str, declined: bool) -> None:
    """Answer (or decline) the request, with words the requester reads in the portal."""
    require(by, Capability.INVESTIGATE)
    response = response.strip()
    if not response:
        raise ValidationError({"response": "Write the answer the requester will read."})
    if request.status != RequestStatus.OPEN:
        raise ValidationError("This request is already closed.")
    if not declined and not request.grants.exists():
        raise ValidationError(
            {"response": "Share at least one record before answering, or decline the request."}
        )
    request.status = RequestStatus.DECLINED if declined else RequestStatus.ANSWERED
    request.response = response
    request.answered_at = timezone.now()
    request.answered_by = by
    request.save()
