"""What the audits app puts in a person's My work: corrective actions to fix and to verify.

An action's owner fixes it and shows the fix; someone other than the fixer verifies it
(:mod:`vigil.audits.actions`). So an owner sees their open actions, due date first, and a
fix waits for verification with its owner, or with any investigator of the store, unless
they fixed it themselves.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse

from vigil.audits.models import ActionStatus, CorrectiveAction
from vigil.core.models import Store, User
from vigil.core.roles import Capability, can
from vigil.core.work import WorkItem, WorkSource, bounded_count, in_store, register


def actions_to_fix(user: User, store: Store | None) -> QuerySet[CorrectiveAction]:
    """Open actions the user owns, in their stores."""
    found = CorrectiveAction.objects.visible_to(user).filter(owner=user, status=ActionStatus.OPEN)
    return in_store(found, store)


def fixes_to_verify(user: User, store: Store | None) -> QuerySet[CorrectiveAction]:
    """Fixed actions waiting for a second person: the owner's, or any investigator's."""
    found = CorrectiveAction.objects.visible_to(user).filter(status=ActionStatus.FIXED)
    if not can(user, Capability.INVESTIGATE):
        found = found.filter(owner=user)
    return in_store(found.exclude(fixed_by=user), store)


def _items(found: QuerySet[CorrectiveAction], limit: int, verb: str) -> list[WorkItem]:
    rows = found.select_related("store", "fixed_by").order_by("due_on", "pk")[:limit]
    return [
        WorkItem(
            title=f"{action.number} {action.title}",
            url=reverse("audits:action-detail", args=[action.number]),
            store=action.store,
            detail=_detail(action, verb),
            due_on=action.due_on if verb == "fix" else None,
            at=action.fixed_at if verb == "verify" else None,
            at_label="fixed",
            urgent="Critical" if action.critical else "",
        )
        for action in rows
    ]


def _detail(action: CorrectiveAction, verb: str) -> str:
    if verb == "verify":
        return f"Fixed by {action.fixed_by or 'someone'}: {action.fix_note}"[:200]
    return action.detail[:200]


register(
    WorkSource(
        key="actions-to-fix",
        label="Corrective actions due",
        order=40,
        applies=lambda user: can(user, Capability.RECORD),
        count=lambda user, store: bounded_count(actions_to_fix(user, store)),
        items=lambda user, store, limit: _items(actions_to_fix(user, store), limit, "fix"),
        see_all=lambda: reverse("audits:action-list") + f"?status={ActionStatus.OPEN}",
        next_step=("See the floor walks due", "audits:audit-list"),
    ),
    WorkSource(
        key="fixes-to-verify",
        label="Fixes to verify",
        order=41,
        applies=lambda user: can(user, Capability.RECORD),
        count=lambda user, store: bounded_count(fixes_to_verify(user, store)),
        items=lambda user, store, limit: _items(fixes_to_verify(user, store), limit, "verify"),
        see_all=lambda: reverse("audits:action-list") + f"?status={ActionStatus.FIXED}",
    ),
)
