"""The audit log is a hash chain: tampering with a row in SQL is found and named."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from tests.conftest import World
from vigil.core import audit
from vigil.core.models import AuditChainHead, AuditEvent
from vigil.core.models.audit import AuditAction, AuditLogIsAppendOnly

TABLE = AuditEvent._meta.db_table


def _events(count: int) -> list[AuditEvent]:
    return [
        audit.record(AuditAction.UPDATE, object_type="test.thing", object_id=str(i))
        for i in range(count)
    ]


def _raw(sql: str, params: list[Any]) -> None:
    """Change the table behind Vigil's back, as someone with database access could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER vigil_audit_event_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER vigil_audit_event_append_only")


def _verify_fails() -> str:
    with pytest.raises(CommandError) as failure:
        call_command("audit_verify", "--no-record")
    assert failure.value.returncode == 1
    return str(failure.value)


def test_each_event_links_to_the_one_before(world: World) -> None:
    first, second = _events(2)[-2:]
    assert second.prev_hash == first.hash
    assert second.seq == first.seq + 1
    assert AuditChainHead.objects.get().hash == second.hash


def test_verify_passes_on_an_untouched_log(world: World, capsys: Any) -> None:
    _events(3)
    call_command("audit_verify")
    assert audit.verify_chain().ok


def test_altered_row_is_named(world: World) -> None:
    target = _events(5)[2]
    _raw(f"UPDATE {TABLE} SET object_repr = %s WHERE seq = %s", ["forged", target.seq])
    message = _verify_fails()
    assert f"row {target.seq} was altered" in message


def test_deleted_row_is_named(world: World) -> None:
    target = _events(5)[2]
    _raw(f"DELETE FROM {TABLE} WHERE seq = %s", [target.seq])
    message = _verify_fails()
    assert f"row {target.seq} deleted" in message


def test_row_deleted_from_the_end_is_named(world: World) -> None:
    last = _events(4)[-1]
    _raw(f"DELETE FROM {TABLE} WHERE seq = %s", [last.seq])
    assert f"row {last.seq} deleted from the end" in _verify_fails()


def test_inserted_row_is_named(world: World) -> None:
    last = _events(3)[-1]
    forged = AuditEvent(
        seq=last.seq + 1,
        occurred_at=last.occurred_at,
        action=AuditAction.LOGIN,
        actor_username="intruder",
        prev_hash=last.hash,
    )
    forged.hash = forged.compute_hash()
    forged.save()  # a perfect forgery, but the chain head never moved
    assert f"row {forged.seq} lies past the chain head" in _verify_fails()


def test_replaced_row_in_the_middle_is_named(world: World) -> None:
    events = _events(4)
    victim = events[1]
    _raw(
        f"UPDATE {TABLE} SET prev_hash = %s WHERE seq = %s",
        ["f" * 64, victim.seq],
    )
    assert f"row {victim.seq} does not link" in _verify_fails()


def test_model_refuses_update_and_delete(world: World) -> None:
    event = _events(1)[0]
    event.object_repr = "changed"
    with pytest.raises(AuditLogIsAppendOnly):
        event.save()
    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(seq=event.seq).update(object_repr="x")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.all().delete()


@pytest.mark.postgres
@pytest.mark.parametrize(
    "statement",
    [f"UPDATE {TABLE} SET object_repr = 'x' WHERE seq = %s", f"DELETE FROM {TABLE} WHERE seq = %s"],
)
def test_postgres_trigger_rejects_update_and_delete(world: World, statement: str) -> None:
    event = _events(1)[0]
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [event.seq])
    stored = AuditEvent.objects.get(seq=event.seq)
    assert stored.object_repr == event.object_repr
