"""Where inventory is being lost, from a contract data set's physical counts.

Shrink of a count line is ``book_qty - counted_qty`` units (a negative number is an overage,
found stock the book did not know about), at cost and at retail. A group's rate is its
shrink at cost over the book value at cost of what was counted; when the data set has sales,
the summary, store and department rates are shrink at retail over sales instead, as retailers
report shrink (``rate_basis`` says which).

**Hot spots** are store x department cells that lose more than the chain does in the same
department. A cell is judged by its excess over the chain's rate for that department, weighed
by how much was counted (``units / (units + MIN_UNITS)``): a cell where few units were
counted cannot outrank a real hot spot on one unlucky count, and cells under ``MIN_UNITS``
counted units are not ranked at all. Each hot spot says why in plain words, with the numbers:
its rate against the chain's, and the store's EAS alarms against the chain's when the data
set has them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import duckdb

MIN_UNITS = 100  # counted units below which a cell is too small to call a hot spot
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Options:
    top: int = 10


def analyze(connection: duckdb.DuckDBPyConnection, options: Options) -> dict[str, Any]:
    """The contract's JSON result from a loaded data set (tables as in the POS contract)."""
    _prepare(connection)
    has_sales = _one(connection, "SELECT count(*) FROM sales_by_cell") > 0
    has_eas = _one(connection, "SELECT count(*) FROM eas_alarms") > 0
    summary = _summary(connection, has_sales)
    return {
        "summary": summary,
        "by_store": _groups(connection, "store_id", has_sales),
        "by_department": _groups(connection, "department", has_sales),
        "hotspots": _hotspots(connection, options.top, has_eas),
        "items": _items(connection, options.top),
    }


def _prepare(connection: duckdb.DuckDBPyConnection) -> None:
    connection.execute(
        """
        CREATE OR REPLACE TEMP VIEW count_lines AS
        SELECT store_id, sku, coalesce(department, 'unknown') AS department, count_date,
               book_qty, counted_qty,
               book_qty - counted_qty AS shrink_units,
               (book_qty - counted_qty) * unit_cost AS shrink_cost,
               (book_qty - counted_qty) * coalesce(unit_retail, unit_cost) AS shrink_retail,
               book_qty * unit_cost AS book_cost
        FROM inventory_counts
        """
    )
    connection.execute(
        """
        CREATE OR REPLACE TEMP VIEW sales_by_cell AS
        SELECT t.store_id, coalesce(l.department, 'unknown') AS department,
               sum(l.extended_amount - coalesce(l.discount_amount, 0)) AS sales
        FROM transactions t JOIN line_items l USING (transaction_id)
        WHERE t.kind = 'sale' AND t.status = 'completed' AND NOT coalesce(l.line_voided, false)
        GROUP BY ALL
        """
    )


def _summary(connection: duckdb.DuckDBPyConnection, has_sales: bool) -> dict[str, Any]:
    row = connection.execute(
        """
        SELECT coalesce(sum(shrink_cost), 0), coalesce(sum(shrink_retail), 0),
               coalesce(sum(book_cost), 0), count(*), min(count_date), max(count_date)
        FROM count_lines
        """
    ).fetchone()
    assert row is not None
    cost, retail, book, counts, first, last = row
    sales = _one(connection, "SELECT coalesce(sum(sales), 0) FROM sales_by_cell")
    return {
        "shrink_cost": _money(cost),
        "shrink_retail": _money(retail),
        "sales": _money(sales) if has_sales else None,
        "shrink_rate": _rate(retail, sales) if has_sales else _rate(cost, book),
        "rate_basis": "retail over sales" if has_sales else "cost over counted book value",
        "counts": int(counts),
        "from": first.isoformat() if first else None,
        "to": last.isoformat() if last else None,
    }


def _groups(
    connection: duckdb.DuckDBPyConnection, column: str, has_sales: bool
) -> list[dict[str, Any]]:
    rows = connection.execute(
        f"""
        WITH shrink AS (
            SELECT {column} AS key, sum(shrink_cost) AS cost, sum(shrink_retail) AS retail,
                   sum(book_cost) AS book
            FROM count_lines GROUP BY 1
        ), sold AS (SELECT {column} AS key, sum(sales) AS sales FROM sales_by_cell GROUP BY 1)
        SELECT shrink.key, cost, retail, book, sold.sales
        FROM shrink LEFT JOIN sold USING (key)
        ORDER BY cost DESC, shrink.key
        """  # column is one of two names chosen in this module, never input
    ).fetchall()
    result = []
    for rank, (key, cost, retail, book, sales) in enumerate(rows, start=1):
        rate = _rate(retail, sales) if has_sales and sales else _rate(cost, book)
        result.append(
            {column: key, "shrink_cost": _money(cost), "shrink_retail": _money(retail),
             "shrink_rate": rate, "rank": rank}
        )  # fmt: skip
    return result


def _hotspots(
    connection: duckdb.DuckDBPyConnection, top: int, has_eas: bool
) -> list[dict[str, Any]]:
    rows = connection.execute(
        """
        WITH cell AS (
            SELECT store_id, department, sum(shrink_cost) AS cost, sum(book_cost) AS book,
                   sum(book_qty) AS units, sum(shrink_units) AS lost_units
            FROM count_lines GROUP BY ALL
        ), chain AS (
            SELECT department, sum(cost) / nullif(sum(book), 0) AS chain_rate
            FROM cell GROUP BY ALL
        )
        SELECT cell.store_id, cell.department, cell.cost, cell.units, cell.lost_units,
               cell.cost / nullif(cell.book, 0) AS rate, chain.chain_rate,
               (cell.cost / nullif(cell.book, 0) - chain.chain_rate)
                   * cell.units / (cell.units + ?) AS weighed_excess
        FROM cell JOIN chain USING (department)
        WHERE cell.units >= ? AND cell.cost / nullif(cell.book, 0) > chain.chain_rate
        ORDER BY weighed_excess DESC, cell.store_id, cell.department
        LIMIT ?
        """,
        [MIN_UNITS, MIN_UNITS, top],
    ).fetchall()
    eas = _eas_ratios(connection) if has_eas else {}
    spots = []
    for rank, (store, department, cost, units, lost, rate, chain_rate, _) in enumerate(rows, 1):
        reasons = [
            f"{department} at {store} lost {float(rate):.1%} of counted units' cost vs "
            f"{float(chain_rate):.1%} chain-wide ({int(lost)} of {int(units)} units counted)"
        ]
        ratio = eas.get(store)
        if ratio is not None and ratio >= 1.25:
            reasons.append(f"EAS alarms at {store} are {ratio:.1f}x the chain's daily median")
        spots.append(
            {"rank": rank, "store_id": store, "department": department,
             "shrink_cost": _money(cost), "shrink_rate": round(float(rate), 4),
             "chain_rate": round(float(chain_rate), 4), "counted_units": int(units),
             "reasons": reasons}
        )  # fmt: skip
    return spots


def _eas_ratios(connection: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """Each store's alarms per day over the median store's."""
    rows = connection.execute(
        """
        WITH daily AS (
            SELECT store_id, count(*) / count(DISTINCT CAST("at" AS DATE)) AS per_day
            FROM eas_alarms GROUP BY ALL
        )
        SELECT store_id, per_day / nullif((SELECT median(per_day) FROM daily), 0) FROM daily
        """
    ).fetchall()
    return {store: float(ratio) for store, ratio in rows if ratio is not None}


def _items(connection: duckdb.DuckDBPyConnection, top: int) -> list[dict[str, Any]]:
    rows = connection.execute(
        """
        SELECT sku, any_value(department), sum(shrink_units), sum(shrink_cost),
               count(DISTINCT store_id)
        FROM count_lines GROUP BY sku HAVING sum(shrink_cost) > 0
        ORDER BY sum(shrink_cost) DESC, sku LIMIT ?
        """,
        [top],
    ).fetchall()
    return [
        {"rank": rank, "sku": sku, "department": department, "shrink_units": _number(units),
         "shrink_cost": _money(cost), "stores": int(stores)}
        for rank, (sku, department, units, cost, stores) in enumerate(rows, start=1)
    ]  # fmt: skip


def _one(connection: duckdb.DuckDBPyConnection, sql: str) -> Any:
    row = connection.execute(sql).fetchone()
    return row[0] if row else None


def _money(value: Any) -> str:
    return str(Decimal(value or 0).quantize(CENT))


def _number(value: Any) -> int | float:
    number = Decimal(value or 0)
    return int(number) if number == number.to_integral_value() else float(number)


def _rate(part: Any, whole: Any) -> float:
    return round(float(part) / float(whole), 4) if whole else 0.0
