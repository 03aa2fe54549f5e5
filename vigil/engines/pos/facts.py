"""What every engine reports besides exceptions: who worked how much, and the data's extent.

These queries are plain SQL run by DuckDB and Spark alike, so scoring gets identical facts
from either engine.
"""

from __future__ import annotations

ACTIVITY_SQL = """
WITH handled AS (
    SELECT employee_id, store_id, register_id, kind FROM period_transactions
    UNION ALL
    SELECT post_void_employee_id AS employee_id, store_id, register_id, 'post_void' AS kind
    FROM period_transactions
    WHERE post_void_employee_id IS NOT NULL AND post_void_employee_id <> employee_id
    UNION ALL
    SELECT override_employee_id AS employee_id, store_id, register_id, 'override' AS kind
    FROM period_transactions
    WHERE override_employee_id IS NOT NULL AND override_employee_id <> employee_id
)
SELECT employee_id,
       COUNT(*) AS handled,
       SUM(CASE WHEN kind IN ('return', 'exchange') THEN 1 ELSE 0 END) AS returns,
       SUM(CASE WHEN SUBSTRING(register_id, 1, 3) = 'SCO' THEN 1 ELSE 0 END) AS self_checkout,
       MIN(store_id) AS any_store
FROM handled
WHERE employee_id IS NOT NULL AND employee_id <> ''
GROUP BY employee_id
"""

MAIN_STORE_SQL = """
SELECT employee_id, store_id, COUNT(*) AS n FROM period_transactions
WHERE employee_id IS NOT NULL AND employee_id <> ''
GROUP BY employee_id, store_id
"""

STORE_ACTIVITY_SQL = """
SELECT store_id, COUNT(*) AS transactions,
       SUM(CASE WHEN kind IN ('return', 'exchange') THEN 1 ELSE 0 END) AS returns
FROM period_transactions GROUP BY store_id
"""

EMPLOYEES_SQL = """
SELECT employee_id, store_id, role, CAST(hired_on AS VARCHAR) AS hired_on FROM employees
"""

STORES_SQL = "SELECT store_id, name, region, timezone FROM stores"

EXTENT_SQL = """
SELECT COUNT(*) AS transactions, CAST(MIN(business_date) AS VARCHAR) AS first_day,
       CAST(MAX(business_date) AS VARCHAR) AS last_day
FROM period_transactions
"""


def period_view(first_day: str | None, last_day: str | None) -> str:
    """The transactions of the chosen period (all of them without one); rules still see all
    transactions, so a return in the period can find its sale from before it."""
    conditions = []
    if first_day:
        conditions.append(f"business_date >= DATE '{first_day}'")
    if last_day:
        conditions.append(f"business_date <= DATE '{last_day}'")
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    return (
        f"CREATE OR REPLACE TEMPORARY VIEW period_transactions AS SELECT * FROM transactions{where}"
    )
