-- id: cancelled_after_items
-- title: Transaction cancelled after items were rung
-- why: Cancelling a transaction after ringing the items, and letting the customer leave with them, is an unrecorded giveaway.
-- severity: 0.35
-- param: min_lines = 3 | lines rung before the cancel counts
WITH lines AS (
    SELECT transaction_id, COUNT(*) AS rung, SUM(extended_amount) AS rung_amount
    FROM line_items GROUP BY transaction_id
)
SELECT
    t.transaction_id, t.employee_id, t.store_id, t.register_id, t.business_date,
    t.ended_at_text AS at, l.rung_amount AS amount,
    LEAST(1.0, {{severity}} + l.rung / 30.0) AS severity,
    'cancelled after ' || CAST(l.rung AS VARCHAR) || ' items were rung (' || CAST(l.rung_amount AS VARCHAR) || ')' AS detail
FROM tx t JOIN lines l ON l.transaction_id = t.transaction_id
WHERE t.status = 'cancelled' AND l.rung >= {{min_lines}}
