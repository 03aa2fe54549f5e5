"""Query budgets: a list or detail answers in a fixed number of queries, however many rows.

``assert_flat`` asks a URL at a small size and again at a large one and compares the number
of SQL queries each answer ran. A count that grows with the rows is an N+1: one query per
row, which is what made the lists slow under a team's load (issue 15).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from vigil.core import lists, pages

SMALL, LARGE = 3, 30


def queries_for(client: Client, url: str) -> int:
    """How many SQL queries answering ``url`` ran (the answer must be a 200)."""
    return _answer(client, url)[1]


def assert_flat(client: Client, url: str, grow: Callable[[int], object], budget: int) -> int:
    """``url`` runs the same number of queries for ``SMALL`` rows as for ``LARGE`` ones,
    and no more than ``budget``. ``grow(n)`` adds ``n`` more rows of what the URL shows."""
    grow(SMALL)
    client.get(url)  # warm the per-process caches (content types, settings) first
    small = queries_for(client, url)
    grow(LARGE - SMALL)
    large = queries_for(client, url)
    assert small == large, f"{url}: {small} queries for {SMALL} rows, {large} for {LARGE}"
    assert large <= budget, f"{url}: {large} queries, over its budget of {budget}"
    return large


def assert_flat_per_page(client: Client, url: str, budget: int, monkeypatch: Any) -> int:
    """For a list that already holds ``LARGE`` rows or more (a scanned data set, say): a page
    of ``SMALL`` rows runs the same number of queries as a page of ``LARGE``."""
    counts = []
    for size in (SMALL, LARGE):
        if url.startswith("/api/"):
            sized = f"{url}{'&' if '?' in url else '?'}page_size={size}"
        else:
            # The pages' paginator takes its size as a default argument; the list mechanism
            # reads its page size when it pages.
            monkeypatch.setattr(pages.page_of, "__defaults__", (size,))
            monkeypatch.setattr(lists, "PER_PAGE", size)
            sized = url
        client.get(sized)  # warm the per-process caches first
        response, count = _answer(client, sized)
        shown = response.json()["items"] if url.startswith("/api/") else _rows_shown(response)
        assert len(shown) == size, f"{url}: {len(shown)} rows, not {size}: grow the data"
        counts.append(count)
    small, large = counts
    assert small == large, f"{url}: {small} queries for {SMALL} rows, {large} for {LARGE}"
    assert large <= budget, f"{url}: {large} queries, over its budget of {budget}"
    return large


def _answer(client: Client, url: str) -> tuple[Any, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response, len(captured)


def _rows_shown(response: Any) -> Any:
    """The rows of the page: a list table's page, or the older lists' ``page``."""
    table = response.context.get("table")
    return table.page.object_list if table is not None else response.context["page"]
