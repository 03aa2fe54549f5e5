"""One list mechanism: every list page sorts, pages, exports and saves its views the same way.

A list page declares its columns once, as a :class:`ListTable` (django-tables2), and hands
:func:`list_page` the rows its filters found. From that one declaration the page gets:

- **sorting** by any column whose header says so (``?sort=opened`` / ``?sort=-opened``),
  always ending in the primary key, so pages never repeat or skip a row between requests;
- **pagination that stays fast** on a hundred thousand rows: the count stops at
  :data:`COUNT_BOUND` (``10,000+ in all``), so a page never asks the database to count a
  whole table, and the page number is bounded so a deep offset is refused as an empty page;
- **CSV and XLSX** of the whole filtered list (``?export=csv``), streamed, every cell through
  the safe export helper (:mod:`vigil.core.exports`), each export written to the audit log with
  the filters it was taken with, because a list names people;
- **saved views**: a user names the filters and sort they are looking at and finds them again
  (:class:`vigil.core.models.SavedView`, one list of views per list key);
- one table template (``core/_table.html``): headers that sort and say how (``aria-sort``),
  numbers right-aligned with thousands separators, times in the store's zone, labelled,
  statuses as badges, and on a phone one card per row with every value labelled.

The filters themselves stay with each domain (its form and its query function): this module
knows nothing about incidents or leads.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable, Iterator
from decimal import Decimal
from importlib import import_module
from typing import Any, ClassVar

import django_tables2 as tables
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.paginator import EmptyPage, Paginator
from django.db.models import QuerySet
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.utils.functional import cached_property
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django_tables2.utils import signature

from vigil.core import clock
from vigil.core.audit import record
from vigil.core.auditlog import drain
from vigil.core.exports import SafeWriter, safe_row
from vigil.core.models import AuditAction, SavedView

PER_PAGE = 50
# Counting stops here: "10,000+ in all" is as useful to a reader as the exact figure, and it
# costs a bounded scan instead of a count of the whole table.
COUNT_BOUND = 10_000
# The deepest page offered: past it the list asks the reader to narrow the filters.
MAX_PAGE = COUNT_BOUND // PER_PAGE
EXPORT_FORMATS = ("csv", "xlsx")
# An export is every filtered row, but not without limit: a spreadsheet past this is a data
# extract, which is the API's job (paginated, token-authenticated, logged).
EXPORT_LIMIT = 100_000
EXPORT_CHUNK = 2_000
# Query parameters that are the list's state but not a filter of its rows.
NOT_FILTERS = ("page", "sort", "export")
# Every list by its key (filled as the list tables are declared): what a saved view may name.
LISTS: dict[str, type[ListTable]] = {}


def registered_lists() -> dict[str, type[ListTable]]:
    """Every declared list; the URL configuration imports the views that declare them."""
    import_module(settings.ROOT_URLCONF)
    return LISTS


class BoundedPaginator(Paginator):  # type: ignore[type-arg]
    """A paginator whose count stops at :data:`COUNT_BOUND`.

    django-tables2 hands it the table's rows; their queryset is counted through a
    ``LIMIT``-ed subquery, so the database stops at the bound however long the table is.
    """

    @cached_property
    def _bounded(self) -> tuple[int, bool]:
        """The count up to the bound, and whether there are more rows past it."""
        found = _queryset_of(self.object_list)
        # Unordered: the count needs no ORDER BY, and with one a store-scoped count walks the
        # sort's index through every other store's rows (1.9 s against 74 ms on 1M leads).
        counted = (
            len(self.object_list)
            if found is None
            else int(found.order_by()[: COUNT_BOUND + 1].count())
        )
        return min(counted, COUNT_BOUND), counted > COUNT_BOUND

    @property
    def count(self) -> int:
        return self._bounded[0]

    @property
    def count_is_exact(self) -> bool:
        return not self._bounded[1]


def _queryset_of(rows: Any) -> QuerySet[Any] | None:
    """The queryset behind django-tables2's rows (``BoundRows.data.data``), if there is one."""
    data = getattr(getattr(rows, "data", None), "data", None)
    return data if isinstance(data, QuerySet) else None


class ListTable(tables.Table):  # type: ignore[misc]
    """The base of every list: Vigil's template, ``?sort=``, one card per row on a phone.

    ``list_key`` names the list for its saved views and ``list_url`` the URL name of its page
    (a saved view is opened there, never at an address taken from input); ``export_name`` is
    the file name of its exports; ``object_type`` is what the audit log calls their rows.
    """

    list_key: ClassVar[str] = ""
    list_url: ClassVar[str] = ""
    export_name: ClassVar[str] = "list"
    object_type: ClassVar[str] = ""

    def __init__(self, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        # The request is held, not handed on: given one, django-tables2 would page the table
        # itself with Django's paginator, counting every row, before list_page pages it with
        # the bounded one (it reads the sort and the page from the request itself).
        super().__init__(*args, **kwargs)
        self.request = request

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.list_key:
            LISTS[cls.list_key] = cls

    def body(self) -> list[SafeString]:
        """The page's rows as ``<tr>`` HTML, built here rather than cell by cell in the template.

        The same cells django-tables2 renders (choice labels, defaults for empty values,
        links), at a third of the cost: a column's ``<td>`` attributes, its label and which
        arguments its ``render`` takes are worked out once per page instead of once per cell
        (django-tables2 inspects the render method's signature for every cell). A list page's
        50 rows of 8-10 cells were most of its CPU under load.
        """
        plans = [_CellPlan(column) for column in self.columns]
        rows: list[SafeString] = []
        for row in self.paginated_rows:
            cells = "".join(plan.td(row) for plan in plans)
            rows.append(mark_safe(f"<tr {row.attrs.as_html()}>{cells}</tr>"))  # noqa: S308
        return rows

    class Meta:
        template_name = "core/_table.html"
        attrs: ClassVar[dict[str, str]] = {"class": "striped cards list-table"}
        order_by_field = "sort"
        page_field = "page"
        per_page = PER_PAGE


class _CellPlan:
    """How one column's cells are rendered: what is the same for every row, worked out once."""

    def __init__(self, bound_column: Any) -> None:
        self.column = bound_column
        # Attributes computed per cell (callables) are rendered per cell, as django-tables2 does.
        self.per_cell = any(
            callable(value)
            for part in bound_column.column.attrs.values()
            if isinstance(part, dict)
            for value in part.values()
        )
        self.opening = "" if self.per_cell else f"<td {bound_column.attrs['td'].as_html()}"
        self.label = f' data-label="{conditional_escape(bound_column.header)}">'
        self.arguments, catch_all = signature(bound_column.render)
        self.takes_any = catch_all is not None

    def td(self, row: Any) -> str:
        """One ``<td>``: the cell ``BoundRow.get_cell`` gives, in its column's attributes."""
        column = self.column
        content = row._get_and_render_with(
            column,
            render_func=lambda _column, value=None: self._render(row, value),
            default=column.default,
        )
        opening = self.opening
        if self.per_cell:
            column.current_value, column.current_record = content, row.record
            opening = f"<td {column.attrs['td'].as_html()}"
        return f"{opening}{self.label}{conditional_escape(content)}</td>"

    def _render(self, row: Any, value: Any) -> Any:
        """The column's ``render`` given the arguments it names (``call_with_appropriate``)."""
        column = self.column
        offered = {
            "value": value,
            "record": row.record,
            "column": column.column,
            "bound_column": column,
            "bound_row": row,
            "table": row.table,
        }
        if self.takes_any:
            content = column.render(**offered)
        elif all(name in offered for name in self.arguments):
            content = column.render(**{name: offered[name] for name in self.arguments})
        else:
            content = None
        return column.link(content, **offered) if column.link else content


# --- columns ------------------------------------------------------------------------------


def _ordered(order_by: tuple[str, ...] | str | None) -> tuple[str, ...] | None:
    """An ordering that ends in the primary key, so equal values page in a stable order."""
    if order_by is None:
        return None
    fields = (order_by,) if isinstance(order_by, str) else tuple(order_by)
    return fields if "pk" in fields else (*fields, "pk")


class Column(tables.Column):  # type: ignore[misc]
    """A column whose sort ends in the primary key; ``order_by`` names the fields it sorts by."""

    def __init__(self, *args: Any, order_by: tuple[str, ...] | str | None = None, **kwargs: Any):
        super().__init__(*args, order_by=_ordered(order_by), **kwargs)


class LinkColumn(Column):
    """The row's identity (a number, a name), linked to its page; the card's headline."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("linkify", True)
        kwargs.setdefault("attrs", {"td": {"class": "primary"}})
        super().__init__(*args, **kwargs)


class TimeColumn(Column):
    """A moment on the store's wall clock, zone named (``2026-12-03 11:53 CST``).

    ``store`` is the accessor of the row's store; without one the time is UTC, labelled.
    """

    def __init__(self, *args: Any, store: str | None = "store", **kwargs: Any) -> None:
        kwargs.setdefault("attrs", {"td": {"class": "when"}})
        super().__init__(*args, **kwargs)
        self.store_accessor = tables.A(store) if store else None

    def _store(self, record: Any) -> Any:
        return self.store_accessor.resolve(record, quiet=True) if self.store_accessor else None

    def render(self, value: Any, record: Any) -> str:
        return clock.at_store(value, self._store(record))

    def value(self, value: Any, record: Any) -> str:
        return clock.at_store(value, self._store(record))


class DateColumn(Column):
    """A calendar day (a date alone needs no zone)."""

    def render(self, value: Any) -> str:
        return value.isoformat() if value else clock.NOTHING

    def value(self, value: Any) -> str:
        return value.isoformat() if value else ""


class NumberColumn(Column):
    """A count, right-aligned with thousands separators; a plain number in exports."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("attrs", {"td": {"class": "num"}, "th": {"class": "num"}})
        super().__init__(*args, **kwargs)

    def render(self, value: Any) -> str:
        return str(intcomma(value))

    def value(self, value: Any) -> Any:
        return value


class MoneyColumn(NumberColumn):
    """An amount with two decimals and thousands separators (``1,234.50``)."""

    def render(self, value: Any) -> str:
        return f"{Decimal(value):,.2f}"

    def value(self, value: Any) -> Any:
        return None if value is None else str(value)


class ChoiceColumn(Column):
    """A choice shown by its label, not its code (``Shoplifting``, not ``shoplifting``)."""

    def render(self, record: Any, bound_column: Any) -> str:
        return str(_display(record, bound_column))

    def value(self, record: Any, bound_column: Any) -> str:
        return str(_display(record, bound_column))


class StatusColumn(Column):
    """A status as a badge; the badge's class carries the code so CSS can colour it.

    django-tables2 hands ``render`` a choice already turned into its label, so the code is
    read from the record itself.
    """

    def render(self, record: Any, bound_column: Any) -> str:
        code = bound_column.accessor.resolve(record, quiet=True)
        return format_html(
            '<span class="badge status-{}">{}</span>', code, _display(record, bound_column)
        )

    def value(self, record: Any, bound_column: Any) -> str:
        return str(_display(record, bound_column))


class StoreColumn(Column):
    """The store by name, its code beside it (``Downtown · S101``): people know both."""

    def render(self, value: Any) -> str:
        return format_html('{} <span class="muted small">{}</span>', value.name, value.code)

    def value(self, value: Any) -> str:
        return f"{value.code} {value.name}"


def _display(record: Any, bound_column: Any) -> Any:
    """``get_<field>_display()`` of the column's field, or the value itself."""
    accessor = bound_column.accessor
    *path, field = str(accessor).split("__")
    owner = tables.A("__".join(path)).resolve(record, quiet=True) if path else record
    shown: Callable[[], Any] | None = getattr(owner, f"get_{field}_display", None)
    return shown() if shown else accessor.resolve(record, quiet=True)


# --- the page -----------------------------------------------------------------------------


def valid_filters(form: Any) -> dict[str, Any]:
    """The filters a reader set that are valid. An invalid one is shown beside its field (the
    form's errors) and left out, so the list still answers the rest."""
    form.is_valid()
    cleaned = getattr(form, "cleaned_data", {})
    return {key: value for key, value in cleaned.items() if value not in (None, "", False)}


def filter_query(request: HttpRequest) -> str:
    """The list's filters and sort as a query string (no page, no export): a saved view."""
    query = request.GET.copy()
    for name in ("page", "export"):
        query.pop(name, None)
    return query.urlencode()


def list_page(
    request: HttpRequest,
    table_class: type[ListTable],
    rows: QuerySet[Any],
    template: str,
    context: dict[str, Any] | None = None,
    *,
    filters: dict[str, Any] | None = None,
) -> HttpResponseBase:
    """The list page of ``rows`` as ``table_class`` declares it, or its export.

    ``filters`` are what the export's audit entry records (the form's cleaned data).
    """
    table = table_class(rows, request=request)
    sort = request.GET.getlist(table.prefixed_order_by_field)
    if sort:
        table.order_by = sort
    export = request.GET.get("export")
    if export in EXPORT_FORMATS:
        return export_response(table, export, filters or {})
    page = _page_number(request)
    try:
        table.paginate(paginator_class=BoundedPaginator, per_page=PER_PAGE, page=page)
    except EmptyPage:  # past the last page: the last one
        last = table.paginator.num_pages
        table.paginate(paginator_class=BoundedPaginator, per_page=PER_PAGE, page=last)
    user = request.user
    views = (
        SavedView.objects.filter(user=user, list_key=table.list_key).order_by("name")
        if table.list_key and user.is_authenticated
        else SavedView.objects.none()
    )
    query = filter_query(request)
    return render(
        request,
        template,
        {
            **(context or {}),
            "table": table,
            "list_key": table.list_key,
            "saved_views": list(views),
            "view_query": query,
            # The filters, for a form that changes only the sort (phones have no headers).
            "kept_query": [
                (key, value)
                for key, values in request.GET.lists()
                if key not in NOT_FILTERS
                for value in values
            ],
            "has_filters": any(
                key not in NOT_FILTERS and value for key, value in request.GET.items()
            ),
        },
    )


def _page_number(request: HttpRequest) -> int:
    """The page asked for, from 1 to :data:`MAX_PAGE`; anything else is the first or last."""
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        return 1
    return max(1, min(page, MAX_PAGE))


# --- exports ------------------------------------------------------------------------------


def export_response(
    table: ListTable, file_format: str, filters: dict[str, Any]
) -> HttpResponseBase:
    """The whole filtered list as CSV (streamed) or XLSX (spooled to a temporary file)."""
    record(
        AuditAction.EXPORT,
        object_type=table.object_type or table.list_key,
        object_repr=f"{table.export_name} list {file_format.upper()}",
        changes={"filters": {key: str(value) for key, value in filters.items() if value}},
    )
    name = f"{table.export_name}.{file_format}"
    if file_format == "csv":
        response: HttpResponseBase = StreamingHttpResponse(
            _csv(_values(table)), content_type="text/csv; charset=utf-8"
        )
    else:
        response = FileResponse(
            _xlsx(_values(table), table.export_name),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _values(table: ListTable) -> Iterator[list[Any]]:
    """Header, then every row's export values, read from the database in chunks."""
    found = _queryset_of(table.rows)
    if found is not None:
        # django-tables2 would read the whole queryset at once; read it in chunks instead.
        table.data.data = found[:EXPORT_LIMIT].iterator(chunk_size=EXPORT_CHUNK)
    yield from table.as_values()


def _csv(rows: Iterator[list[Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    for row in rows:
        writer.writerow(row)
        if buffer.tell() > 64_000:
            yield drain(buffer)
    yield drain(buffer)


def _xlsx(rows: Iterator[list[Any]], title: str) -> Any:
    """A temporary file holding the workbook, positioned at its start."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for row in rows:
        sheet.append(safe_row(row))
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it after sending
    workbook.save(spool)
    spool.seek(0)
    return spool
