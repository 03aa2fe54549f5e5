"""Every create, update and delete of a domain object is in the audit log, with its changes."""

from __future__ import annotations

from tests.conftest import World, make_person, make_user
from vigil.core.context import Actor, acting_as
from vigil.core.models import AuditEvent, Role
from vigil.core.models.audit import AuditAction


def _last(**filters: object) -> AuditEvent:
    event = AuditEvent.objects.filter(**filters).order_by("-seq").first()
    assert event is not None, f"no audit event with {filters}"
    return event


def test_it_logs_a_create_with_the_actor(world: World) -> None:
    with acting_as(
        Actor(user_id=None, username="alice", via="web", request_id="r1", ip="10.0.0.5")
    ):
        person = make_person(world.store_a, name="New Hire")
    event = _last(object_type="core.person", object_id=str(person.pk))
    assert event.action == AuditAction.CREATE
    assert event.actor_username == "alice"
    assert event.ip == "10.0.0.5" and event.request_id == "r1"
    assert event.store_id == world.store_a.pk
    assert event.changes["name"] == [None, "New Hire"]


def test_it_logs_only_the_fields_that_changed(world: World) -> None:
    person = make_person(world.store_a, name="Before")
    person.name = "After"
    person.save()
    event = _last(object_type="core.person", action=AuditAction.UPDATE)
    assert event.changes == {"name": ["Before", "After"]}


def test_a_save_without_changes_writes_nothing(world: World) -> None:
    person = make_person(world.store_a)
    fresh = type(person).objects.get(pk=person.pk)
    before = AuditEvent.objects.count()
    fresh.save()
    assert AuditEvent.objects.count() == before


def test_it_logs_deletes_including_queryset_deletes(world: World) -> None:
    person = make_person(world.store_a, name="Leaver")
    type(person).objects.filter(pk=person.pk).delete()
    event = _last(object_type="core.person", action=AuditAction.DELETE)
    assert event.changes["name"] == ["Leaver", None]


def test_role_and_scope_changes_are_permission_events(world: World) -> None:
    user = make_user(Role.LP_OFFICER, stores=(world.store_a,))
    user.role = Role.LP_MANAGER
    user.save()
    assert _last(object_type="core.user", object_id=str(user.pk)).action == AuditAction.ROLE_CHANGE
    user.stores.add(world.store_b)
    event = _last(object_type="core.user", object_id=str(user.pk))
    assert event.action == AuditAction.PERMISSION_CHANGE
    assert event.changes["stores"]["now"] == sorted([world.store_a.code, world.store_b.code])


def test_passwords_never_reach_the_log(world: World) -> None:
    user = make_user(Role.LP_OFFICER)
    user.set_password("another long password 42")
    user.save()
    event = _last(object_type="core.user", object_id=str(user.pk))
    assert event.action == AuditAction.PASSWORD_CHANGE
    assert event.changes["password"] == ["***", "***"]
    assert all(
        "pbkdf2" not in str(e.changes) and "md5" not in str(e.changes)
        for e in AuditEvent.objects.all()
    )
