"""The organisation's lists as :mod:`vigil.core.lists` declares them: people, users and the
audit log."""

from __future__ import annotations

import functools

from django.apps import apps
from django.utils.html import format_html
from django_tables2 import A

from vigil.core.lists import (
    ChoiceColumn,
    Column,
    DateColumn,
    LinkColumn,
    ListTable,
    StoreColumn,
    TimeColumn,
)
from vigil.core.models import AuditEvent, Person, User


class PersonTable(ListTable):
    list_key = "people"
    list_url = "core:person-list"
    export_name = "people"
    object_type = "core.person"

    employee_id = LinkColumn(
        verbose_name="Employee id",
        linkify=("core:person-detail", [A("employee_id")]),
        order_by="employee_id",
    )
    name = Column(order_by="name")
    home_store = StoreColumn(verbose_name="Store", order_by="home_store__code")
    role = ChoiceColumn(order_by="role")
    hired_on = DateColumn(verbose_name="Hired", order_by="hired_on")
    left_on = Column(verbose_name="Status", order_by="left_on", default="Current")

    class Meta(ListTable.Meta):
        model = Person
        fields = ()

    def render_left_on(self, value: object) -> str:
        return f"Left {value}"

    value_left_on = render_left_on


class UserTable(ListTable):
    list_key = "users"
    list_url = "core:user-list"
    export_name = "users"
    object_type = "core.user"

    username = LinkColumn(linkify=("core:user-detail", [A("pk")]), order_by="username")
    name = Column(accessor="pk", verbose_name="Name", order_by=("last_name", "first_name"))
    role = ChoiceColumn(order_by="role")
    scope_kind = ChoiceColumn(verbose_name="Sees", order_by="scope_kind")
    home_store = StoreColumn(
        accessor="person__home_store", verbose_name="Home store", order_by="person__home_store"
    )
    last_login = TimeColumn(
        verbose_name="Last sign-in", store=None, order_by="last_login", default="Never"
    )
    is_active = Column(verbose_name="Active", order_by="is_active")

    class Meta(ListTable.Meta):
        model = User
        fields = ()

    def render_name(self, record: User) -> str:
        return record.get_full_name() or "—"

    value_name = render_name

    def render_is_active(self, value: bool) -> str:
        if value:
            return format_html('<span class="badge status-active">{}</span>', "Active")
        return format_html('<span class="badge status-inactive">{}</span>', "Suspended")

    def value_is_active(self, value: bool) -> str:
        return "Active" if value else "Suspended"


@functools.cache
def kind_of(object_type: str) -> str:
    """``cases.incident`` as a reader says it (``Incident``); an unknown label as it is."""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    return str(model._meta.verbose_name).capitalize()


class AuditEventTable(ListTable):
    """The audit log: one chain across every store, so its clock is UTC, labelled."""

    list_key = "audit-log"
    list_url = "core:audit-log"
    export_name = "audit-log"
    object_type = "core.auditevent"

    seq = LinkColumn(
        verbose_name="#", linkify=("core:audit-event-detail", [A("seq")]), order_by="seq"
    )
    occurred_at = TimeColumn(verbose_name="When", store=None, order_by="occurred_at")
    actor_username = Column(verbose_name="Who", order_by="actor_username", default="—")
    action = ChoiceColumn(order_by="action")
    object_repr = Column(accessor="pk", verbose_name="Object", order_by=("object_type",))
    store = StoreColumn(order_by="store__code", default="—")
    via = Column(accessor="pk", verbose_name="From", orderable=False)

    class Meta(ListTable.Meta):
        model = AuditEvent
        fields = ()

    def render_object_repr(self, record: AuditEvent) -> str:
        kind = kind_of(record.object_type)
        return " ".join(part for part in (kind, record.object_repr) if part) or "—"

    value_object_repr = render_object_repr

    def render_via(self, record: AuditEvent) -> str:
        return " ".join(part for part in (record.via, record.ip or "") if part) or "—"

    value_via = render_via
