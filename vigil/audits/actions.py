"""Corrective actions: the owner fixes and shows the fix (a photo), someone else verifies.

A fix is verified by a different person than the one who marked it fixed, so "done" always
means two people saw it. Overdue is an open action past its due date.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from vigil.audits.models import ActionStatus, CorrectiveAction
from vigil.core.models import User
from vigil.core.roles import Capability, require


def mark_fixed(user: User, action: CorrectiveAction, note: str) -> CorrectiveAction:
    require(user, Capability.RECORD)
    if action.status != ActionStatus.OPEN:
        raise ValidationError("Only an open action can be marked fixed.")
    if not note.strip():
        raise ValidationError({"note": "Say what was done to fix it."})
    if action.critical and not action.fix_photo_sha256:
        raise ValidationError({"photo": "A critical finding needs a photo of the fix."})
    action.status = ActionStatus.FIXED
    action.fix_note = note.strip()
    action.fixed_by = user
    action.fixed_at = timezone.now()
    action.save()
    return action


def verify(user: User, action: CorrectiveAction) -> CorrectiveAction:
    require(user, Capability.RECORD)
    if action.status != ActionStatus.FIXED:
        raise ValidationError("Only a fixed action can be verified.")
    if action.fixed_by_id == user.pk:
        raise ValidationError("Someone other than the person who fixed it verifies it.")
    action.status = ActionStatus.VERIFIED
    action.verified_by = user
    action.verified_at = timezone.now()
    action.save()
    return action


def attach_fix_photo(user: User, action: CorrectiveAction, sha256: str) -> CorrectiveAction:
    require(user, Capability.RECORD)
    if action.status == ActionStatus.VERIFIED:
        raise ValidationError("This action is verified; its photos no longer change.")
    action.fix_photo_sha256 = sha256
    action.save()
    return action


def overdue(actions: QuerySet[CorrectiveAction]) -> QuerySet[CorrectiveAction]:
    return actions.filter(status=ActionStatus.OPEN, due_on__lt=timezone.localdate())
