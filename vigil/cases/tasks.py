"""Background work of the cases app: sending notices."""

from __future__ import annotations

import logging
import urllib.error

from django.db.models import F
from django.utils import timezone
from django_tasks import task

from vigil.cases.models import Delivery
from vigil.core.outbound import DestinationRefused

logger = logging.getLogger(__name__)


@task()
def deliver(delivery_id: int) -> bool:
    """Send one notice; a failure is kept on the delivery row (and in the log) for a retry."""
    from vigil.cases.notifications import send

    delivery = Delivery.objects.select_related("channel").get(pk=delivery_id)
    Delivery.objects.filter(pk=delivery_id).update(attempts=F("attempts") + 1)
    try:
        send(delivery)
    except (OSError, urllib.error.URLError, DestinationRefused) as exc:
        logger.warning("notice %s to %s failed: %s", delivery.event, delivery.recipient, exc)
        Delivery.objects.filter(pk=delivery_id).update(last_error=str(exc)[:2000])
        return False
    Delivery.objects.filter(pk=delivery_id).update(delivered_at=timezone.now(), last_error="")
    return True
