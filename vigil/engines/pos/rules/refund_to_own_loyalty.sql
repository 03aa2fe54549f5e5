-- id: refund_to_own_loyalty
-- title: Refund to the employee's own loyalty account
-- why: An employee refunding onto their own loyalty id is refunding themselves; even when honest, it breaks the rule that staff never serve themselves.
-- severity: 0.8
SELECT
    t.transaction_id, t.employee_id, t.store_id, t.register_id, t.business_date,
    t.ended_at_text AS at, t.total AS amount, {{severity}} AS severity,
    'return to the cashier''s own loyalty id ' || t.customer_id AS detail
FROM tx t
JOIN employees e ON e.employee_id = t.employee_id
WHERE t.kind IN ('return', 'exchange') AND t.status = 'completed'
  AND t.customer_id IS NOT NULL AND t.customer_id = e.customer_id
