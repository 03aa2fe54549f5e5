"""Charts are SVG with every value written out, labels escaped, and a text alternative."""

from __future__ import annotations

from vigil.core import charts
from vigil.core.charts import Point


def test_bars_write_each_value_and_escape_labels() -> None:
    svg = charts.bars("Stores", [Point("S1 <b>", 0.25), Point("S2", 0.05)], charts.percent)
    assert "S1 &lt;b&gt;" in svg and "<b>" not in svg
    assert ">25.0 %</text>" in svg and ">5.0 %</text>" in svg
    assert 'aria-label="Stores: S1 &lt;b&gt; 25.0 %; S2 5.0 %"' in svg
    longest, shorter = (float(w) for w in _widths(svg))
    assert longest == 320.0 and shorter == 64.0  # to scale, the largest value the longest


def test_a_line_puts_its_points_oldest_first_and_an_empty_chart_says_so() -> None:
    svg = charts.line("Trend", [Point("2026-03", 2), Point("2026-04", 4)])
    assert svg.index("2026-03") < svg.index("2026-04")
    assert 'points="10.0,85.0 550.0,20.0"' in svg
    assert "nothing to show" in charts.line("Trend", [])


def _widths(svg: str) -> list[str]:
    return [part.split('"')[0] for part in svg.split('width="')[2:]]
