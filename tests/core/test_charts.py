"""Charts are SVG figures a person can read on a phone, a desk and in the PDF: axis ticks with
their unit, gridlines, a legend where colour means something, every value written out and on
hover (an SVG <title>), labels escaped, and a text alternative for screen readers."""

from __future__ import annotations

import re

from vigil.core import charts
from vigil.core.charts import Key, Point, Reference, Series, Tone


def _titles(svg: str) -> list[str]:
    return re.findall(r"<title>([^<]*)</title>", svg)


def _texts(svg: str, css: str = "tick") -> list[str]:
    return re.findall(rf'<text class="{css}"[^>]*>([^<]*)</text>', svg)


def test_bars_have_a_value_axis_with_ticks_in_the_unit_and_gridlines() -> None:
    svg = charts.bars("Stores", [Point("S1", 0.25), Point("S2", 0.05)], charts.share("% of book"))
    assert '<span class="chart-unit">% of book</span>' in svg
    assert _texts(svg) == ["0 %", "5 %", "10 %", "15 %", "20 %", "25 %"]
    assert svg.count('class="grid"') == 6


def test_bars_write_each_value_and_say_it_on_hover() -> None:
    svg = charts.bars(
        "Shrink by store",
        [Point("S102 Lakeview Mall", 43_860.05, note="3.84 % of book"), Point("S101", 950)],
        charts.money("USD"),
    )
    assert ">$43,860</text>" in svg and ">$950</text>" in svg
    assert "S102 Lakeview Mall: $43,860 · 3.84 % of book" in _titles(svg)
    assert "$40k" in _texts(svg)  # the axis is short, the value in full


def test_bars_are_to_scale_the_largest_the_longest() -> None:
    svg = charts.bars("Counts", [Point("a", 40), Point("b", 10)], charts.count("incidents"))
    bars = re.findall(r'width="([\d.]+)%" height="10" rx="2"', svg)
    assert [float(width) for width in bars] == [100.0, 25.0]


def test_labels_are_escaped_and_the_chart_has_a_text_alternative() -> None:
    svg = charts.bars("Stores", [Point("S1 <b>", 0.25), Point("S2", 0.05)], charts.PERCENT)
    assert "S1 &lt;b&gt;" in svg and "<b>" not in svg
    assert 'aria-label="Stores: S1 &lt;b&gt; 25.0 %; S2 5.0 %"' in svg
    assert 'role="img"' in svg


def test_a_legend_says_what_the_colours_mean_and_names_the_reference() -> None:
    svg = charts.bars(
        "Stores",
        [Point("S102", 0.038, Tone.BAD), Point("S101", 0.034)],
        charts.share("% of book", digits=2),
        reference=Reference(0.0358, "Chain"),
        legend=[Key(Tone.BAD, "Above the chain"), Key(Tone.NEUTRAL, "At or below")],
    )
    legend = svg[svg.index('<ul class="chart-legend">') :]
    assert "Above the chain" in legend and "At or below" in legend and "Chain 3.58 %" in legend
    assert 'fill="#e03131"' in svg  # red means above the chain, here and in the legend
    assert "Chain: 3.58 %" in _titles(svg)


def test_a_line_has_a_y_axis_in_its_unit_and_its_points_oldest_first() -> None:
    svg = charts.line(
        "Trend", [Point("Sep 2026", 0.039), Point("Oct 2026", 0.034)], charts.share("% of book")
    )
    assert svg.index("Sep 2026") < svg.index("Oct 2026")
    assert '<svg class="chart-axis"' in svg  # the value labels in a gutter of their own
    assert _texts(svg) == ["0 %", "1 %", "2 %", "3 %", "4 %", "Sep 2026", "Oct 2026"]
    assert "Sep 2026: 3.9 %" in _titles(svg) and ">3.4 %</text>" in svg


def test_a_line_with_a_comparison_names_both_series_in_its_legend() -> None:
    svg = charts.line(
        "Trend",
        [
            Series("S102 Lakeview Mall", [Point("Sep", 0.04), Point("Oct", 0.03)]),
            Series("Whole chain", [Point("Sep", 0.035), Point("Oct", 0.034)], Tone.MUTED),
        ],
        charts.PERCENT,
    )
    assert "S102 Lakeview Mall</li>" in svg and "Whole chain</li>" in svg
    assert "Whole chain, Oct: 3.4 %" in _titles(svg)
    assert ">3.4 %</text>" not in svg  # the comparison's values on hover only: no overlap


def test_columns_stack_the_kinds_and_write_each_total() -> None:
    svg = charts.columns(
        "Incidents per week",
        ["2 Nov", "9 Nov"],
        [
            Series("Theft", [Point("2 Nov", 2), Point("9 Nov", 0)], Tone.COLOURS[Tone.BAD]),
            Series("Safety", [Point("2 Nov", 1), Point("9 Nov", 1)], "#0c8599"),
        ],
        charts.count("incidents"),
        hover_labels=["Week of 2026-11-02", "Week of 2026-11-09"],
    )
    assert "Week of 2026-11-02: 3 (Theft 2, Safety 1)" in _titles(svg)
    assert "Week of 2026-11-09: 1 (Safety 1)" in _titles(svg)
    assert _texts(svg)[:4] == ["0", "1", "2", "3"]  # whole numbers only
    assert "Theft</li>" in svg and "Safety</li>" in svg


def test_many_labels_are_thinned_to_fit_a_phone_the_newest_kept() -> None:
    weeks = [f"W{n}" for n in range(1, 13)]
    svg = charts.columns("Weekly", weeks, [Series("n", [Point(w, 1) for w in weeks])])
    written = [t for t in _texts(svg) if t.startswith("W")]
    assert written == ["W3", "W6", "W9", "W12"]


def test_an_empty_chart_says_so() -> None:
    assert "Nothing to show yet" in charts.line("Trend", [])
    assert "Nothing to show yet" in charts.bars("Stores", [])
    assert "Nothing to show yet" in charts.columns("Weeks", [], [])


def test_ticks_are_round_numbers_covering_the_values() -> None:
    assert charts.ticks(0, 0.038) == [0, 0.01, 0.02, 0.03, 0.04]
    assert charts.ticks(0, 7, whole=True) == [0, 2, 4, 6, 8]
    assert charts.ticks(-3, 9) == [-5, -2.5, 0, 2.5, 5, 7.5, 10]
    assert charts.ticks(0, 0) == [0, 0.2, 0.4, 0.6, 0.8, 1.0]


def test_money_reads_with_its_symbol_and_thousands_separators() -> None:
    assert charts.money_text(124_778.99, "USD") == "$124,779"
    assert charts.money_text(-5.5, "GBP", cents=True) == "-£5.50"
    assert charts.money_text(1_000, "CHF") == "1,000 CHF"
    assert charts.money("USD").short(1_250_000) == "$1.2M"


def test_a_chart_whose_marks_are_links_is_a_group_a_screen_reader_can_enter() -> None:
    linked = charts.bars("Stores", [Point("S102", 51, href="/stores/S102/")], charts.COUNT)
    plain = charts.bars("Stores", [Point("S102", 51)], charts.COUNT)
    assert 'role="group"' in linked and '<a href="/stores/S102/">' in linked
    assert 'role="img"' in plain and "<a " not in plain
