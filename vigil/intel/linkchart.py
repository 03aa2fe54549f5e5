"""A network's link chart, drawn on the server as SVG: stores, incidents, people, vehicles.

Four columns, left to right: the stores, the incidents at them (oldest first), the people
seen at those incidents, and the vehicles. A line joins each incident to its store and to
each person and vehicle seen at it. No script, no library: the page prints it as it is.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from vigil.core.clock import local
from vigil.intel.profiles import NetworkPage

ROW = 34
COLUMN_X = {"store": 20, "incident": 250, "person": 500, "vehicle": 730}
WIDTH = 940
CLASSES = {
    "store": "intel-node-store",
    "incident": "intel-node-incident",
    "person": "intel-node-person",
    "vehicle": "intel-node-vehicle",
}


def link_chart(page: NetworkPage) -> SafeString:
    """The chart of ``page``'s network as an inline ``<svg>`` element."""
    columns: dict[str, list[tuple[str, str, str]]] = {
        "store": [(f"s{s.pk}", f"{s.code} {s.name}", "") for s in page.reach.stores],
        "incident": [
            (f"i{i.pk}", f"{i.number} · {local(i.occurred_at, i.store):%b %d}",
             reverse("cases:incident-detail", args=[i.number]))
            for i in page.reach.incidents
        ],
        "person": [
            (f"p{p.pk}", str(p), reverse("intel:profile-detail", args=[p.pk]))
            for p in page.profiles
        ],
        "vehicle": [(f"v{v.pk}", str(v), "") for v in page.vehicles],
    }  # fmt: skip
    where = _positions(columns)
    rows = max((len(nodes) for nodes in columns.values()), default=1)
    height = max(rows, 1) * ROW + 40
    parts = [
        f'<svg class="intel-chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="Link chart of network {escape(page.network.key)}" '
        f'xmlns="http://www.w3.org/2000/svg">'
    ]
    parts.extend(_edge(where, a, b) for a, b in _edges(page))
    for kind, nodes in columns.items():
        parts.extend(_node(kind, where[key], label, url) for key, label, url in nodes)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label above is escaped


def _positions(columns: dict[str, list[tuple[str, str, str]]]) -> dict[str, tuple[int, int]]:
    where: dict[str, tuple[int, int]] = {}
    for kind, nodes in columns.items():
        for row, (key, _, _) in enumerate(nodes):
            where[key] = (COLUMN_X[kind], 30 + row * ROW)
    return where


def _edges(page: NetworkPage) -> list[tuple[str, str]]:
    edges = []
    for incident in page.reach.incidents:
        edges.append((f"s{incident.store_id}", f"i{incident.pk}"))
        edges.extend((f"i{incident.pk}", f"p{p.pk}") for p in page.people_at.get(incident.pk, []))
        edges.extend((f"i{incident.pk}", f"v{v.pk}") for v in page.vehicles_at.get(incident.pk, []))
    return edges


def _edge(where: dict[str, tuple[int, int]], a: str, b: str) -> str:
    if a not in where or b not in where:
        return ""
    (x1, y1), (x2, y2) = where[a], where[b]
    return f'<line class="intel-edge" x1="{x1 + 180}" y1="{y1}" x2="{x2}" y2="{y2}" />'


def _node(kind: str, at: tuple[int, int], label: str, url: str) -> str:
    x, y = at
    text = escape(label if len(label) <= 24 else label[:23] + "…")  # fits the 180 px box
    box = (
        f'<rect class="{CLASSES[kind]}" x="{x}" y="{y - 12}" width="180" height="24" rx="6" />'
        f'<text x="{x + 8}" y="{y + 5}">{text}</text>'
    )
    if url:
        return f'<a href="{escape(url)}"><title>{escape(label)}</title>{box}</a>'
    return f"<g><title>{escape(label)}</title>{box}</g>"


__all__: list[Any] = ["link_chart"]
