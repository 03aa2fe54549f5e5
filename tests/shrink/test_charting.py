"""The shrink charts say departments and stores in words, red where they lose more than the
chain, with the money in the installation's currency."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from vigil.shrink import charting, departments
from vigil.shrink.figures import Figures


def _figures(code: str, cost: int, book: int, chain: float | None = None) -> Figures:
    return Figures(
        label=departments.label(code),
        key=code,
        shrink_units=Decimal(1),
        shrink_cost=Decimal(cost),
        shrink_retail=Decimal(cost * 2),
        book_cost=Decimal(book),
        sales=None,
        counts=1,
        chain_rate=chain,
    )


def test_the_department_chart_names_departments_in_words_and_marks_those_above_the_chain(
    db: Any,
) -> None:
    svg = charting.departments(
        [_figures("otc_medicine", 7_383, 100_000, 0.05), _figures("baby_formula", 900, 100_000)]
    )
    assert "OTC medicine" in svg and "Baby formula" in svg
    assert "otc_medicine" not in svg and "baby_formula" not in svg
    assert "OTC medicine: $7,383 · 7.38 % of book value, chain 5.00 %" in svg
    assert svg.count('fill="#e03131"') == 2  # OTC medicine's bar, and the legend's key
    assert "Above the chain&#x27;s rate" in svg and "USD at cost" in svg


def test_the_store_chart_links_each_store_and_colours_it_against_the_chain(db: Any) -> None:
    rows = [
        Figures(
            "S102 Lakeview Mall",
            Decimal(1),
            Decimal(4_000),
            Decimal(8_000),
            Decimal(100_000),
            None,
            1,
            key="S102",
        ),
        Figures(
            "S101 Riverside",
            Decimal(1),
            Decimal(2_000),
            Decimal(4_000),
            Decimal(100_000),
            None,
            1,
            key="S101",
        ),
    ]
    svg = charting.stores(rows, chain_rate=0.03)
    assert '<a href="/stores/S102/">' in svg and '<a href="/stores/S101/">' in svg
    assert "S102 Lakeview Mall: $4,000 · 4.00 % of book value, chain 3.00 %" in svg
