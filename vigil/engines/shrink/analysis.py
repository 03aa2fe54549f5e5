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

Every query is written once in DuckDB's SQL and runs on either engine of the POS scan
(DuckDB in process, or Spark through SQLGlot): they only need ``query(sql)``. Numbers that go
into the SQL are integers made here, never input.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

MIN_UNITS = 100  # counted units below which a cell is too small to call a hot spot
EAS_REASON_RATIO = 1.25  # a store's alarms this far above the median are worth a reason
CENT = Decimal("0.01")

COUNT_LINES = """
    count_lines AS (
        SELECT store_id, sku, coalesce(department, 'unknown') AS department, count_date,
               book_qty, counted_qty,
               book_qty - counted_qty AS shrink_units,
               (book_qty - counted_qty) * unit_cost AS shrink_cost,
               (book_qty - counted_qty) * coalesce(unit_retail, unit_cost) AS shrink_retail,
               book_qty * unit_cost AS book_cost
        FROM inventory_counts
    )"""
SOLD_LINES = """
    sold_lines AS (
        SELECT t.store_id, coalesce(l.department, 'unknown') AS department, t.business_date,
               l.extended_amount - coalesce(l.discount_amount, 0) AS sales
        FROM transactions t JOIN line_items l ON t.transaction_id = l.transaction_id
        WHERE t.kind = 'sale' AND t.status = 'completed' AND NOT coalesce(l.line_voided, false)
    )"""


class Engine(Protocol):
    """What the analysis needs of an engine: SQL in, rows out (the POS scan's engines)."""

    def query(self, sql: str) -> list[dict[str, Any]]: ...


@dataclass(frozen=True)
class Options:
    top: int = 10


def analyze(engine: Engine, options: Options) -> dict[str, Any]:
    """The contract's JSON result from a loaded data set (tables as in the POS contract)."""
    has_sales = _one(engine, f"WITH {SOLD_LINES} SELECT count(*) FROM sold_lines") > 0
    has_eas = _one(engine, "SELECT count(*) FROM eas_alarms") > 0
    top = int(options.top)
    return {
        "summary": _summary(engine, has_sales),
        "by_store": _groups(engine, "store_id", has_sales),
        "by_department": _groups(engine, "department", has_sales),
        "hotspots": _hotspots(engine, top, has_eas),
        "items": _items(engine, top),
        "periods": _periods(engine),
    }


def count_lines(engine: Engine) -> list[dict[str, Any]]:
    """Every count line as the contract has it, for the web app to keep per store."""
    return engine.query(
        "SELECT store_id, sku, coalesce(department, 'unknown') AS department, count_date, "
        "book_qty, counted_qty, unit_cost, unit_retail FROM inventory_counts "
        "ORDER BY store_id, count_date, sku"
    )


def department_rates(engine: Engine) -> dict[str, float]:
    """The chain's shrink at cost over counted book value, per department: the yardstick."""
    rows = engine.query(
        f"""
        WITH {COUNT_LINES}
        SELECT department, sum(shrink_cost) AS cost, sum(book_cost) AS book
        FROM count_lines GROUP BY ALL ORDER BY ALL
        """
    )
    return {row["department"]: _rate(row["cost"], row["book"]) for row in rows}


def monthly_sales(engine: Engine) -> list[dict[str, Any]]:
    """Completed sales per store, department and calendar month (the shrink rate's base)."""
    return engine.query(
        f"""
        WITH {SOLD_LINES}
        SELECT store_id, department, year(business_date) AS year,
               month(business_date) AS month, sum(sales) AS sales
        FROM sold_lines GROUP BY ALL ORDER BY ALL
        """
    )


def _summary(engine: Engine, has_sales: bool) -> dict[str, Any]:
    (row,) = engine.query(
        f"""
        WITH {COUNT_LINES}
        SELECT coalesce(sum(shrink_cost), 0) AS cost, coalesce(sum(shrink_retail), 0) AS retail,
               coalesce(sum(book_cost), 0) AS book, count(*) AS counts,
               min(count_date) AS first, max(count_date) AS last
        FROM count_lines
        """
    )
    sales = _one(engine, f"WITH {SOLD_LINES} SELECT coalesce(sum(sales), 0) FROM sold_lines")
    rate = _rate(row["retail"], sales) if has_sales else _rate(row["cost"], row["book"])
    return {
        "shrink_cost": _money(row["cost"]),
        "shrink_retail": _money(row["retail"]),
        "sales": _money(sales) if has_sales else None,
        "shrink_rate": rate,
        "rate_basis": "retail over sales" if has_sales else "cost over counted book value",
        "counts": int(row["counts"]),
        "from": row["first"].isoformat() if row["first"] else None,
        "to": row["last"].isoformat() if row["last"] else None,
    }


def _groups(engine: Engine, column: str, has_sales: bool) -> list[dict[str, Any]]:
    assert column in {"store_id", "department"}  # a name of this module's, never input
    rows = engine.query(
        f"""
        WITH {COUNT_LINES}, {SOLD_LINES},
        shrink AS (
            SELECT {column} AS key, sum(shrink_cost) AS cost, sum(shrink_retail) AS retail,
                   sum(book_cost) AS book
            FROM count_lines GROUP BY 1
        ), sold AS (SELECT {column} AS key, sum(sales) AS sales FROM sold_lines GROUP BY 1)
        SELECT shrink.key, cost, retail, book, sold.sales
        FROM shrink LEFT JOIN sold ON shrink.key = sold.key
        ORDER BY cost DESC, shrink.key
        """
    )
    result = []
    for rank, row in enumerate(rows, start=1):
        sales = row["sales"]
        rate = (
            _rate(row["retail"], sales) if has_sales and sales else _rate(row["cost"], row["book"])
        )
        result.append(
            {column: row["key"], "shrink_cost": _money(row["cost"]),
             "shrink_retail": _money(row["retail"]), "shrink_rate": rate, "rank": rank}
        )  # fmt: skip
    return result


def _hotspots(engine: Engine, top: int, has_eas: bool) -> list[dict[str, Any]]:
    rows = engine.query(
        f"""
        WITH {COUNT_LINES},
        cell AS (
            SELECT store_id, department, sum(shrink_cost) AS cost, sum(book_cost) AS book,
                   sum(book_qty) AS units, sum(shrink_units) AS lost_units
            FROM count_lines GROUP BY ALL
        ), chain AS (
            SELECT department, sum(cost) / nullif(sum(book), 0) AS chain_rate
            FROM cell GROUP BY ALL
        ), judged AS (
            SELECT cell.store_id, cell.department, cell.cost, cell.units, cell.lost_units,
                   cell.cost / nullif(cell.book, 0) AS rate, chain.chain_rate
            FROM cell JOIN chain ON cell.department = chain.department
        )
        SELECT *, (rate - chain_rate) * units / (units + {MIN_UNITS}) AS weighed_excess
        FROM judged
        WHERE units >= {MIN_UNITS} AND rate > chain_rate
        ORDER BY weighed_excess DESC, store_id, department
        LIMIT {top}
        """
    )
    eas = _eas_ratios(engine) if has_eas else {}
    spots = []
    for rank, row in enumerate(rows, start=1):
        store, department = row["store_id"], row["department"]
        rate, chain_rate = float(row["rate"]), float(row["chain_rate"])
        reasons = [
            f"{department} at {store} lost {rate * 100:.1f} % of counted units' cost vs "
            f"{chain_rate * 100:.1f} % chain-wide ({int(row['lost_units'])} of {int(row['units'])} "
            "units counted)"
        ]
        ratio = eas.get(store)
        if ratio is not None and ratio >= EAS_REASON_RATIO:
            reasons.append(f"EAS alarms at {store} are {ratio:.1f}x the chain's daily median")
        spots.append(
            {"rank": rank, "store_id": store, "department": department,
             "shrink_cost": _money(row["cost"]), "shrink_rate": round(rate, 4),
             "chain_rate": round(chain_rate, 4), "counted_units": int(row["units"]),
             "lost_units": _number(row["lost_units"]), "eas_ratio": _round(ratio),
             "reasons": reasons}
        )  # fmt: skip
    return spots


def _eas_ratios(engine: Engine) -> dict[str, float]:
    """Each store's alarms per day over the median store's."""
    rows = engine.query(
        """
        WITH daily AS (
            SELECT store_id, count(*) / count(DISTINCT CAST("at" AS DATE)) AS per_day
            FROM eas_alarms GROUP BY ALL
        )
        SELECT store_id, per_day / nullif((SELECT median(per_day) FROM daily), 0) AS ratio
        FROM daily
        """
    )
    return {row["store_id"]: float(row["ratio"]) for row in rows if row["ratio"] is not None}


def _items(engine: Engine, top: int) -> list[dict[str, Any]]:
    rows = engine.query(
        f"""
        WITH {COUNT_LINES}
        SELECT sku, any_value(department) AS department, sum(shrink_units) AS units,
               sum(shrink_cost) AS cost, count(DISTINCT store_id) AS stores
        FROM count_lines GROUP BY sku HAVING sum(shrink_cost) > 0
        ORDER BY cost DESC, sku LIMIT {top}
        """
    )
    return [
        {"rank": rank, "sku": row["sku"], "department": row["department"],
         "shrink_units": _number(row["units"]), "shrink_cost": _money(row["cost"]),
         "stores": int(row["stores"])}
        for rank, row in enumerate(rows, start=1)
    ]  # fmt: skip


def _periods(engine: Engine) -> list[dict[str, Any]]:
    """The chain's shrink per calendar month of counting: the trend across count periods."""
    rows = engine.query(
        f"""
        WITH {COUNT_LINES}
        SELECT year(count_date) AS year, month(count_date) AS month,
               sum(shrink_cost) AS cost, sum(shrink_retail) AS retail, sum(book_cost) AS book,
               count(*) AS counts
        FROM count_lines GROUP BY ALL ORDER BY ALL
        """
    )
    return [
        {"period": f"{int(row['year']):04d}-{int(row['month']):02d}",
         "shrink_cost": _money(row["cost"]), "shrink_retail": _money(row["retail"]),
         "shrink_rate": _rate(row["cost"], row["book"]), "counts": int(row["counts"])}
        for row in rows
    ]  # fmt: skip


def _one(engine: Engine, sql: str) -> Any:
    rows = engine.query(sql)
    return next(iter(rows[0].values())) if rows else None


def _money(value: Any) -> str:
    return str(Decimal(value or 0).quantize(CENT))


def _number(value: Any) -> int | float:
    number = Decimal(value or 0)
    return int(number) if number == number.to_integral_value() else float(number)


def _rate(part: Any, whole: Any) -> float:
    return round(float(part) / float(whole), 4) if whole else 0.0


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
