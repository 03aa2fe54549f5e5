"""Users: people who sign in to Vigil, with one role and a store scope."""

from __future__ import annotations

from typing import Any, ClassVar, Self

from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models import Q

from vigil.core.changelog import AuditedModel
from vigil.core.models.organisation import Region, Store
from vigil.core.models.people import Person
from vigil.core.scoping import ScopedQuerySet, scope_of


class Role(models.TextChoices):
    """What a user does in loss prevention; decides what they may do (``vigil.core.roles``)."""

    LP_OFFICER = "lp_officer", "LP officer"
    LP_MANAGER = "lp_manager", "LP investigator / manager"
    STORE_MANAGER = "store_manager", "Store manager"
    REGIONAL_DIRECTOR = "regional_director", "Regional director"
    EXECUTIVE = "executive", "Executive"
    AUDITOR = "auditor", "Auditor"
    ADMIN = "admin", "Administrator"
    EXTERNAL = "external", "External (police, legal, insurer)"


class ScopeKind(models.TextChoices):
    """Which stores a user may see: all, those of some regions, or some stores."""

    EVERYTHING = "everything", "Every store"
    REGIONS = "regions", "Stores of selected regions"
    STORES = "stores", "Selected stores"


class UserQuerySet(ScopedQuerySet["User"]):
    def visible_to(self, user: User | AnonymousUser | None) -> Self:
        """Users whose home store the viewer may see, plus the viewer themself."""
        scope = scope_of(user)
        if scope.everything:
            return self.all()
        own = Q(pk=user.pk) if user is not None and user.is_authenticated else Q(pk__in=[])
        return self.filter(Q(person__home_store_id__in=scope.store_ids) | own)


class UserManager(DjangoUserManager["User"]):
    def get_queryset(self) -> UserQuerySet:
        return UserQuerySet(self.model, using=self._db)

    def visible_to(self, user: User | AnonymousUser | None) -> UserQuerySet:
        return self.get_queryset().visible_to(user)


class User(AuditedModel, AbstractUser):
    """A login. Scope and role are audited: every change writes a permission/role event."""

    scope_path: ClassVar[str] = "person__home_store"
    audit_exclude: ClassVar[frozenset[str]] = frozenset({"last_login"})
    audit_masked: ClassVar[frozenset[str]] = frozenset({"password"})

    role = models.CharField(max_length=32, choices=Role.choices, default=Role.LP_OFFICER)
    scope_kind = models.CharField(
        max_length=16, choices=ScopeKind.choices, default=ScopeKind.STORES
    )
    stores = models.ManyToManyField(Store, blank=True, related_name="+")
    regions = models.ManyToManyField(Region, blank=True, related_name="+")
    person = models.OneToOneField(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="user"
    )
    organisation_name = models.CharField(
        max_length=200, blank=True, help_text="Agency or firm, for external users"
    )
    agency = models.ForeignKey(
        "core.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        help_text="External users only: what is shared with the agency reaches them too",
    )

    objects: ClassVar[UserManager] = UserManager()

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def audit_action_for(self, created: bool, changes: dict[str, Any]) -> str:
        from vigil.core.models.audit import AuditAction

        if created:
            return AuditAction.USER_CREATE
        if "role" in changes:
            return AuditAction.ROLE_CHANGE
        if changes.keys() & {"scope_kind", "is_active", "is_superuser", "is_staff"}:
            return AuditAction.PERMISSION_CHANGE
        if "password" in changes:
            return AuditAction.PASSWORD_CHANGE
        return AuditAction.UPDATE
