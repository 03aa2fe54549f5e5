"""The evidence vault's list as :mod:`vigil.core.lists` declares it, with its filters.

An investigator looks an item up by its number, a file name or the SHA-256 a prosecutor read
out, so the search takes any of them; the columns say what the item is, what it belongs to
and when it was acquired on the store's clock.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import format_html
from django_tables2 import A

from vigil.core.forms import DATE_INPUT as DATE
from vigil.core.lists import (
    ChoiceColumn,
    Column,
    LinkColumn,
    ListTable,
    NumberColumn,
    StoreColumn,
    TimeColumn,
)
from vigil.evidence.models import EvidenceItem, EvidenceSource


class EvidenceFilterForm(forms.Form):
    q = forms.CharField(
        required=False,
        label="Search",
        widget=forms.SearchInput(attrs={"placeholder": "Number, file name, words or hash"}),
    )
    source = forms.ChoiceField(
        required=False, choices=[("", "Any source"), *EvidenceSource.choices]
    )
    since = forms.DateField(required=False, label="Acquired from", widget=DATE)
    until = forms.DateField(required=False, label="Acquired to", widget=DATE)
    deleted = forms.BooleanField(required=False, label="Deleted items only")


def evidence(found: QuerySet[EvidenceItem], filters: dict[str, Any]) -> QuerySet[EvidenceItem]:
    """``found`` (already scoped) narrowed by the filter form's valid values."""
    found = found.filter(deleted_at__isnull=not filters.get("deleted"))
    if q := str(filters.get("q", "")).strip():
        found = found.filter(
            Q(number__iexact=q)
            | Q(sha256=q.lower())
            | Q(original_filename__icontains=q)
            | Q(description__icontains=q)
        )
    if source := filters.get("source"):
        found = found.filter(source=source)
    if since := filters.get("since"):
        found = found.filter(acquired_at__date__gte=since)
    if until := filters.get("until"):
        found = found.filter(acquired_at__date__lte=until)
    return found


class EvidenceTable(ListTable):
    list_key = "evidence"
    list_url = "evidence:evidence-list"
    export_name = "evidence"
    object_type = "evidence.evidenceitem"

    number = LinkColumn(
        verbose_name="Item", linkify=("evidence:evidence-detail", [A("number")]), order_by="number"
    )
    original_filename = Column(verbose_name="File", order_by="original_filename")
    size = NumberColumn(verbose_name="Size", order_by="size")
    source = ChoiceColumn(order_by="source")
    belongs_to = Column(
        verbose_name="For",
        accessor="pk",
        order_by=("incident__number", "case__number"),
        attrs={"td": {"class": "nowrap"}},
    )
    store = StoreColumn(order_by="store__code")
    acquired_at = TimeColumn(verbose_name="Acquired", order_by="acquired_at")
    sha256 = Column(verbose_name="SHA-256", orderable=False, attrs={"td": {"class": "nowrap"}})

    class Meta(ListTable.Meta):
        model = EvidenceItem
        fields = ()

    def render_size(self, value: int) -> str:
        """On the page a size people read (``1.2 MB``); the export keeps the bytes."""
        return str(filesizeformat(value))

    def value_size(self, value: int) -> int:
        return value

    def render_belongs_to(self, record: EvidenceItem) -> str:
        """The incident or case the item was uploaded for, linked; loose items say so."""
        if record.incident is not None:
            number, page = record.incident.number, "cases:incident-detail"
        elif record.case is not None:
            number, page = record.case.number, "cases:case-detail"
        else:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse(page, args=[number]), number)

    def value_belongs_to(self, record: EvidenceItem) -> str:
        anchor = record.incident or record.case
        return anchor.number if anchor is not None else ""

    def render_sha256(self, value: str) -> str:
        """The start of the hash, the whole of it on hover; the export has all 64 digits."""
        return format_html('<code class="hash" title="{}">{}…</code>', value, value[:10])

    def value_sha256(self, value: str) -> str:
        return value
