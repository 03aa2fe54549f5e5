-- id: line_void_cash
-- title: Line voids
-- why: Items rung and then voided, while the customer still pays and takes them, is a classic skimming method; it pays only when the customer pays cash, so cash weighs more.
-- severity: 0.15
-- param: cash_weight = 4 | how much more voids in a cash transaction weigh
WITH voids AS (
    SELECT transaction_id, COUNT(*) AS voided, SUM(ABS(extended_amount)) AS voided_amount
    FROM line_items WHERE COALESCE(line_voided, FALSE) GROUP BY transaction_id
)
SELECT
    t.transaction_id, t.employee_id, t.store_id, t.register_id, t.business_date,
    t.ended_at_text AS at, v.voided_amount AS amount,
    LEAST(1.0, {{severity}} * CASE WHEN t.has_cash = 1 THEN {{cash_weight}} ELSE 1.0 END + v.voided / 20.0) AS severity,
    CAST(v.voided AS VARCHAR) || ' line(s) voided (' || CAST(v.voided_amount AS VARCHAR) || ')'
        || CASE WHEN t.has_cash = 1 THEN ' in a cash sale' ELSE '' END AS detail
FROM voids v JOIN tx t ON t.transaction_id = v.transaction_id
WHERE t.status = 'completed'
