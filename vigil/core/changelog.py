"""The one mechanism that writes every create, update and delete of a domain object to the
audit log. Models opt in by inheriting :class:`AuditedModel`; later apps do the same.

A save writes its event in the same transaction as the change, with the changed fields as
``{field: [old, new]}``. Deletes are caught by the ``post_delete`` signal, so queryset
deletes are logged too; changes to a user's stores or regions by ``m2m_changed``.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ClassVar

from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete
from django.dispatch import receiver

MASK = "***"
# Set by the retention purge, which logs what it purged itself: one event per kind with ids,
# where a per-row delete event would copy each subject's name and plate into the log.
_deletes_unlogged: ContextVar[bool] = ContextVar("deletes_unlogged", default=False)


@contextmanager
def deletes_unlogged() -> Iterator[None]:
    """Within this block (this thread only), deletes write no per-row audit event."""
    token = _deletes_unlogged.set(True)
    try:
        yield
    finally:
        _deletes_unlogged.reset(token)


def json_value(value: Any) -> Any:
    """A value as the audit log stores it: JSON-native, and the same after a round trip."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float | decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [json_value(item) for item in value]
    if isinstance(value, dict):
        return {str(key): json_value(item) for key, item in value.items()}
    return str(value)


class AuditedModel(models.Model):
    """Abstract base: saving or deleting an instance writes an ``AuditEvent``."""

    audit_exclude: ClassVar[frozenset[str]] = frozenset()
    audit_masked: ClassVar[frozenset[str]] = frozenset()

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any) -> Any:
        instance = super().from_db(db, field_names, values)
        instance._audit_snapshot = instance.audit_snapshot()
        return instance

    def audit_snapshot(self) -> dict[str, Any]:
        """The audited fields' current values, keyed by field name."""
        return {
            field.name: json_value(getattr(self, field.attname))
            for field in self._meta.concrete_fields
            if field.name not in self.audit_exclude and field.attname in self.__dict__
        }

    def audit_changes(self, created: bool) -> dict[str, list[Any]]:
        before: dict[str, Any] = {} if created else getattr(self, "_audit_snapshot", {})
        after = self.audit_snapshot()
        changed = {
            name: [before.get(name), value]
            for name, value in after.items()
            if (created and value not in (None, "")) or (not created and before.get(name) != value)
        }
        for name in self.audit_masked & changed.keys():
            changed[name] = [None if created else MASK, MASK]
        return changed

    def audit_action_for(self, created: bool, changes: dict[str, Any]) -> str:
        """The audit action for a save; models refine it (a role change, a revoked token)."""
        from vigil.core.models.audit import AuditAction

        return AuditAction.CREATE if created else AuditAction.UPDATE

    def save(self, *args: Any, **kwargs: Any) -> None:
        created = self._state.adding
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            changes = self.audit_changes(created)
            if created or changes:
                _record_for(self, self.audit_action_for(created, changes), changes)
        self._audit_snapshot = self.audit_snapshot()


def _record_for(obj: models.Model, action: str, changes: dict[str, Any]) -> None:
    from vigil.core.audit import record
    from vigil.core.scoping import store_id_of

    event = record(action, obj=obj, store_id=store_id_of(obj), changes=changes)
    # A model that keeps its own history (a case's timeline) hears of each event it caused,
    # inside the same transaction, so that history can never miss a change.
    after_audit = getattr(obj, "after_audit", None)
    if after_audit is not None:
        after_audit(event)


@receiver(post_delete)
def _log_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if not isinstance(instance, AuditedModel) or _deletes_unlogged.get():
        return
    from vigil.core.models.audit import AuditAction

    before = getattr(instance, "_audit_snapshot", None) or instance.audit_snapshot()
    changes = {name: [value, None] for name, value in before.items()}
    for name in instance.audit_masked & changes.keys():
        changes[name] = [MASK, None]
    _record_for(instance, AuditAction.DELETE, changes)


@receiver(m2m_changed)
def _log_scope_change(sender: Any, instance: models.Model, action: str, **kwargs: Any) -> None:
    """A user's stores or regions changed: a permission change."""
    from vigil.core.models import User
    from vigil.core.models.audit import AuditAction
    from vigil.core.scoping import forget_scope

    if not isinstance(instance, User) or action not in {"post_add", "post_remove", "post_clear"}:
        return
    if sender not in {User.stores.through, User.regions.through}:
        return
    field = "stores" if sender is User.stores.through else "regions"
    forget_scope(instance)
    codes = sorted(getattr(instance, field).values_list("code", flat=True))
    verb = action.removeprefix("post_")
    pks = sorted(kwargs.get("pk_set") or [])
    _record_for(instance, AuditAction.PERMISSION_CHANGE, {field: {verb: pks, "now": codes}})
