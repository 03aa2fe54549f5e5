-- id: craved_no_receipt
-- title: High-theft (CRAVED) items returned without receipt
-- why: Concealable, removable, available, valuable, enjoyable, disposable items are the ones stolen to be "returned" for cash; without a receipt they were probably never bought.
-- severity: 0.5
-- param: departments = 'razors,fragrance,cosmetics,electronics,baby_formula,alcohol,tobacco,otc_medicine' | CRAVED departments, comma-separated
WITH craved AS (
    SELECT l.transaction_id, COUNT(*) AS lines, SUM(ABS(l.extended_amount)) AS value,
           MIN(l.department) AS department
    FROM line_items l
    WHERE l.quantity < 0 AND POSITION(',' || l.department || ',' IN ',' || {{departments}} || ',') > 0
    GROUP BY l.transaction_id
)
SELECT
    t.transaction_id, t.employee_id, t.store_id, t.register_id, t.business_date,
    t.ended_at_text AS at, t.total AS amount,
    LEAST(1.0, {{severity}} + c.value / 400) AS severity,
    CAST(c.lines AS VARCHAR) || ' high-theft item line(s) (' || c.department || ') worth '
        || CAST(c.value AS VARCHAR) || ' returned without receipt' AS detail
FROM craved c JOIN tx t ON t.transaction_id = c.transaction_id
WHERE t.kind IN ('return', 'exchange') AND t.status = 'completed'
  AND COALESCE(t.receipt_present, FALSE) = FALSE
