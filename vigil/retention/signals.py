"""The model-level guard: evidence under a legal hold cannot be withdrawn or deleted.

``vigil.evidence.custody`` checks first and says so politely; this catches every other path
(a script, a shell, a future view) that saves a held item as deleted. Deleting an item's row
is refused by the database already: its custody events protect it.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import pre_save
from django.dispatch import receiver

from vigil.evidence.models import EvidenceItem
from vigil.retention.holds import refuse_if_held


@receiver(pre_save, sender=EvidenceItem)
def _no_withdrawal_under_hold(sender: type[EvidenceItem], instance: EvidenceItem, **_: Any) -> None:
    if instance._state.adding or instance.deleted_at is None:
        return
    before = getattr(instance, "_audit_snapshot", {})
    if before.get("deleted_at") is None:
        refuse_if_held(instance)
