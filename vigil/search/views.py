"""The search page: ``/search/?q=…``, results grouped by kind, one kind at a time to page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from vigil.core.pages import signed_in_user
from vigil.core.storeswitch import current_store
from vigil.search import finder
from vigil.search.backends import WORD_CAP
from vigil.search.models import SearchKind

PAGE = 25


@login_required
@require_GET
def results(request: HttpRequest) -> HttpResponse:
    typed = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    only = kind if kind in SearchKind.values else ""
    page = _page_number(request.GET.get("page", ""))
    store = current_store(request)
    found = finder.find(
        signed_in_user(request),
        typed,
        kinds=[only] if only else None,
        store=store,
        limit=PAGE if only else finder.PER_KIND,
        offset=(page - 1) * PAGE if only else 0,
    )
    group = found.groups[0] if only and found.groups else None
    context = {
        "q": typed,
        "found": found,
        "kind": only,
        "kind_label": SearchKind(only).label if only else "",
        "page_number": page,
        "has_next": group is not None and group.total > page * PAGE,
        "kinds": SearchKind.choices,
        "searched_store": store,
    }
    return render(request, "search/results.html", context)


def _page_number(raw: str) -> int:
    last = WORD_CAP // PAGE  # matches by words are paged as far as the cap
    return int(raw) if raw.isdigit() and 0 < int(raw) <= last else 1
