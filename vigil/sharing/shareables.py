"""What can be shared, and how each kind is found, named and linked to the others.

Sharing is by kind and reference number (a case number, an evidence number) for the records
people quote, and by id for subjects and vehicles, which have none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import Http404
from django.urls import reverse

from vigil.core.models import Store
from vigil.core.scoping import ScopedQuerySet

if TYPE_CHECKING:
    from vigil.core.models import User


@dataclass(frozen=True)
class Kind:
    """One kind of record that may be shared."""

    key: str
    label: str
    model_label: str
    reference_field: str
    detail_url: str

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.model_label)

    def reference(self, obj: models.Model) -> str:
        return str(getattr(obj, self.reference_field))

    def internal_url(self, obj: models.Model) -> str:
        return reverse(self.detail_url, args=[getattr(obj, self.reference_field)])

    def queryset(self) -> ScopedQuerySet[Any]:
        manager: Any = self.model._default_manager
        queryset = manager.all()
        if self.key == "evidence":
            queryset = queryset.filter(deleted_at__isnull=True)
        return queryset  # type: ignore[no-any-return]


KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        Kind("case", "Case", "cases.Case", "number", "cases:case-detail"),
        Kind("incident", "Incident", "cases.Incident", "number", "cases:incident-detail"),
        Kind("package", "Police package", "evidence.EvidencePackage", "number",
             "evidence:package-detail"),
        Kind("evidence", "Evidence item", "evidence.EvidenceItem", "number",
             "evidence:evidence-detail"),
        Kind("subject", "Subject", "cases.Subject", "pk", "cases:subject-detail"),
        Kind("vehicle", "Vehicle", "cases.Vehicle", "pk", "cases:vehicle-detail"),
    )
}  # fmt: skip


def kind_of(obj: models.Model) -> Kind:
    label = obj._meta.label
    for kind in KINDS.values():
        if kind.model_label == label:
            return kind
    raise ValueError(f"{label} cannot be shared")


def kind_for_content_type(content_type: ContentType) -> Kind | None:
    label = f"{content_type.app_label}.{content_type.model_class().__name__}"  # type: ignore[union-attr]
    return next((kind for kind in KINDS.values() if kind.model_label == label), None)


def find(user: User, kind_key: str, reference: str) -> tuple[Kind, models.Model]:
    """The record of ``kind_key`` with ``reference`` that ``user`` may see, or Http404."""
    kind = KINDS.get(kind_key)
    if kind is None:
        raise Http404(f"Nothing of kind {kind_key!r} can be shared.")
    lookup = {kind.reference_field: reference}
    try:
        return kind, kind.queryset().visible_to(user).get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404(f"No {kind.label.lower()} {reference}.") from None


def linked_records(obj: models.Model) -> list[models.Model]:
    """The records one shared record points at, each of which must be shared on its own."""
    kind = kind_of(obj)
    related: list[models.Model] = []
    if kind.key == "case":
        for link in obj.links.select_related("incident", "subject", "vehicle"):  # type: ignore[attr-defined]
            related.append(link.target)
        related.extend(obj.evidence.filter(deleted_at__isnull=True))  # type: ignore[attr-defined]
        related.extend(obj.packages.all())  # type: ignore[attr-defined]
    elif kind.key == "incident":
        related.extend(
            party.subject
            for party in obj.parties.select_related("subject")  # type: ignore[attr-defined]
            if party.subject is not None
        )
        related.extend(obj.vehicles.all())  # type: ignore[attr-defined]
        related.extend(obj.evidence.filter(deleted_at__isnull=True))  # type: ignore[attr-defined]
        related.extend(obj.packages.all())  # type: ignore[attr-defined]
    elif kind.key == "subject":
        related.extend(obj.vehicles.all())  # type: ignore[attr-defined]
        related.extend(obj.evidence.filter(deleted_at__isnull=True))  # type: ignore[attr-defined]
    elif kind.key == "vehicle":
        related.extend(obj.subjects.all())  # type: ignore[attr-defined]
    elif kind.key == "evidence":
        for target in (obj.case, obj.incident, obj.subject):  # type: ignore[attr-defined]
            if target is not None:
                related.append(target)
    elif kind.key == "package":
        for target in (obj.case, obj.incident):  # type: ignore[attr-defined]
            if target is not None:
                related.append(target)
    return related


def store_of(record: models.Model) -> Store | None:
    """The store a record belongs to (every shareable kind has one): the one loaded with it
    where it was (a list's records come with theirs), else looked up."""
    store_id = getattr(record, "store_id", None)
    if store_id is None:
        return None
    field: Any = record._meta.get_field("store")
    cached = field.get_cached_value(record, None)
    return cached if isinstance(cached, Store) else Store.objects.filter(pk=store_id).first()
