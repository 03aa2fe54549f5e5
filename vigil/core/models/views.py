"""Saved views: a user's named filters and sort of one list, found again in one click."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Self

from django.conf import settings
from django.db import models

from vigil.core.scoping import ScopedQuerySet

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from vigil.core.models.users import User


class SavedViewQuerySet(ScopedQuerySet["SavedView"]):
    def visible_to(self, user: User | AnonymousUser | None) -> Self:
        """One's own views only: a view is a preference, not a record of the stores."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(user_id=user.pk)


class SavedView(models.Model):
    """The query string of one list (its filters and sort) under a name its user chose.

    Only the query is kept, never the rows: opening a view runs the list again with the
    user's scope of today, so a view shared by no one can leak nothing.
    """

    scope_path: ClassVar[str] = "user__person__home_store"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views"
    )
    list_key = models.CharField(max_length=40, help_text="The list the view belongs to.")
    name = models.CharField(max_length=80)
    query = models.CharField(max_length=2000, blank=True, help_text="Filters and sort.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SavedViewQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "list_key", "name"], name="saved_view_name_unique_per_list"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.list_key})"
