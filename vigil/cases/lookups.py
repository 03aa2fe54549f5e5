"""Turning the references people type (store codes, numbers, usernames) into objects they
may see. Everything goes through ``get_visible_or_404``, so a reference to another store's
object is "not found", exactly as if it did not exist.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from vigil.cases.models import Case, Incident, Subject, Vehicle
from vigil.core.models import Person, Store, User
from vigil.core.scoping import get_visible_or_404, scope_of


def store(user: User, code: str) -> Store:
    return get_visible_or_404(Store.objects.all(), user, code=code)


def incident(user: User, number: str) -> Incident:
    return get_visible_or_404(Incident.objects.select_related("store"), user, number=number)


def case(user: User, number: str) -> Case:
    found = Case.objects.select_related("store", "assignee", "template")
    return get_visible_or_404(found, user, number=number)


def subject(user: User, subject_id: int) -> Subject:
    return get_visible_or_404(Subject.objects.select_related("store"), user, pk=subject_id)


def vehicle(user: User, vehicle_id: int) -> Vehicle:
    return get_visible_or_404(Vehicle.objects.select_related("store"), user, pk=vehicle_id)


def person(user: User, employee_id: str) -> Person:
    return get_visible_or_404(Person.objects.all(), user, employee_id=employee_id)


def colleague(username: str, store: Store, field: str = "assignee") -> User:
    """An active user who can see ``store`` (so can work its case), by username.

    Unknown users and users who could not see the store get the same answer.
    """
    found = User.objects.filter(username=username, is_active=True).first()
    if found is None or not scope_of(found).allows(store.pk):
        raise ValidationError({field: f"No active user {username!r} works store {store.code}."})
    return found
