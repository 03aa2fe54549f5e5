"""What the training app puts in a person's My work: their own modules, and the ones they
assigned that are overdue.

An associate with a login takes their own quiz; for one without, the reminders go to whoever
assigned the module (:func:`vigil.training.courses.remind_overdue`), so chasing it is that
person's work too.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse

from vigil.core.models import Store, User
from vigil.core.roles import Capability, can
from vigil.core.work import WorkItem, WorkSource, bounded_count, in_store, register
from vigil.training import courses
from vigil.training.models import Assignment


def own_training(user: User, store: Store | None) -> QuerySet[Assignment]:
    """Modules assigned to the user's own employee record, not yet passed."""
    if user.person_id is None:
        return Assignment.objects.none()
    found = Assignment.objects.visible_to(user).filter(
        person_id=user.person_id, completed_at__isnull=True
    )
    return in_store(found, store)


def overdue_assigned(user: User, store: Store | None) -> QuerySet[Assignment]:
    """Modules the user assigned to others, past their due date and not passed."""
    found = courses.overdue(Assignment.objects.visible_to(user).filter(assigned_by=user))
    if user.person_id is not None:  # one's own overdue module is under "Your training"
        found = found.exclude(person_id=user.person_id)
    return in_store(found, store)


def own_items(user: User, store: Store | None, limit: int) -> list[WorkItem]:
    found = own_training(user, store).select_related("store", "module").order_by("due_on")
    return [
        WorkItem(
            title=assignment.module.title,
            url=reverse("training:assignment-detail", args=[assignment.pk]),
            store=assignment.store,
            detail=f"About {assignment.module.minutes} minutes and a quiz",
            due_on=assignment.due_on,
        )
        for assignment in found[:limit]
    ]


def overdue_items(user: User, store: Store | None, limit: int) -> list[WorkItem]:
    found = (
        overdue_assigned(user, store)
        .select_related("store", "module", "person")
        .order_by("due_on", "pk")
    )
    return [
        WorkItem(
            title=f"{assignment.module.title}: {assignment.person.name}",
            url=reverse("training:assignment-detail", args=[assignment.pk]),
            store=assignment.store,
            detail=assignment.person.get_role_display(),
            due_on=assignment.due_on,
        )
        for assignment in found[:limit]
    ]


register(
    WorkSource(
        key="own-training",
        label="Your training",
        order=80,
        applies=lambda user: user.person_id is not None,
        count=lambda user, store: bounded_count(own_training(user, store)),
        items=own_items,
        see_all=lambda: reverse("training:overview"),
    ),
    WorkSource(
        key="overdue-training",
        label="Overdue training you assigned",
        order=81,
        applies=lambda user: can(user, Capability.RECORD),
        count=lambda user, store: bounded_count(overdue_assigned(user, store)),
        items=overdue_items,
        see_all=lambda: reverse("training:overview"),
        next_step=("Assign training", "training:overview"),
    ),
)
