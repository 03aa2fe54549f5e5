"""Charts drawn on the server as SVG: no JavaScript, printable into a PDF, readable without
colour (every bar and point carries its label and value as text, and the whole chart has a
text alternative for screen readers).

Only the two shapes the reports need: horizontal bars to compare groups, and a line over
time for a trend.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

Format = Callable[[float], str]


@dataclass(frozen=True)
class Point:
    label: str
    value: float


def _svg(
    title: str,
    points: Sequence[Point],
    fmt: Format,
    width: int,
    height: int,
    parts: list[SafeString],
) -> SafeString:
    """The chart around its drawn ``parts`` (each from ``format_html``, so already escaped),
    with its title and every value as its text alternative."""
    described = "; ".join(f"{p.label} {fmt(p.value)}" for p in points)
    return format_html(
        '<svg viewBox="0 0 {w} {h}" width="100%" role="img" class="chart" '
        'aria-label="{t}: {d}"><title>{t}</title>{body}</svg>',
        w=width,
        h=height,
        t=title,
        d=described,
        body=mark_safe("".join(parts)),  # noqa: S308
    )


def _plain(value: float) -> str:
    return f"{value:,.0f}"


def percent(value: float) -> str:
    return f"{value * 100:.1f} %"


def bars(title: str, points: Sequence[Point], fmt: Format = _plain, width: int = 560) -> SafeString:
    """One labelled bar per point, largest scale at the longest; values written at the bar."""
    if not points:
        return format_html('<p class="muted">{}: nothing to show.</p>', title)
    row, label_width, value_width = 22, 150, 90
    span = width - label_width - value_width
    top = max(max(p.value for p in points), 0) or 1
    height = row * len(points) + 4
    parts = []
    for i, point in enumerate(points):
        y = i * row + 2
        length = max(span * max(point.value, 0) / top, 1)
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" font-size="12">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="currentColor" '
                'fill-opacity="0.55" stroke="currentColor"/>'
                '<text x="{}" y="{}" font-size="12">{}</text>',
                label_width - 6,
                y + 14,
                point.label,
                label_width,
                y + 3,
                f"{length:.1f}",
                row - 8,
                f"{label_width + length + 4:.1f}",
                y + 14,
                fmt(point.value),
            )
        )
    return _svg(title, points, fmt, width, height, parts)


def line(title: str, points: Sequence[Point], fmt: Format = _plain, width: int = 560) -> SafeString:
    """A trend: points joined left to right (oldest first), each with its value and label."""
    if not points:
        return format_html('<p class="muted">{}: nothing to show.</p>', title)
    height, left, right, top_pad, bottom = 180, 10, 10, 20, 30
    inner_w, inner_h = width - left - right, height - top_pad - bottom
    top = max(max(p.value for p in points), 0) or 1
    step = inner_w / max(len(points) - 1, 1)
    xy = [
        (
            left + (i * step if len(points) > 1 else inner_w / 2),
            top_pad + inner_h - inner_h * max(p.value, 0) / top,
        )
        for i, p in enumerate(points)
    ]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
    parts = [
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#888"/>',
            left,
            top_pad + inner_h,
            width - right,
            top_pad + inner_h,
        ),
        format_html(
            '<polyline points="{}" fill="none" stroke="currentColor" stroke-width="2"/>', path
        ),
    ]
    for (x, y), point in zip(xy, points, strict=True):
        anchor = "start" if x < left + 20 else ("end" if x > width - right - 20 else "middle")
        parts.append(
            format_html(
                '<circle cx="{x}" cy="{y}" r="3" fill="currentColor"/>'
                '<text x="{x}" y="{above}" text-anchor="{a}" font-size="11">{value}</text>'
                '<text x="{x}" y="{bottom}" text-anchor="{a}" font-size="11">{label}</text>',
                x=f"{x:.1f}",
                y=f"{y:.1f}",
                above=f"{y - 6:.1f}",
                a=anchor,
                value=fmt(point.value),
                bottom=height - 10,
                label=point.label,
            )
        )
    return _svg(title, points, fmt, width, height, parts)


__all__ = ["Point", "bars", "line", "percent"]
