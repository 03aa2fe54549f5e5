-- id: post_void_own_cash
-- title: Post-void of one's own sale
-- why: A cashier who reverses their own completed sale after the customer has paid can keep the money. Cash leaves no card trail, so a cash sale weighs more.
-- severity: 0.6
-- param: cash_weight = 1.5 | how much more a post-voided cash sale weighs than a card sale
SELECT
    transaction_id, employee_id, store_id, register_id, business_date,
    ended_at_text AS at, total AS amount,
    LEAST(1.0, {{severity}} * CASE WHEN has_cash = 1 THEN {{cash_weight}} ELSE 1.0 END) AS severity,
    CASE WHEN has_cash = 1 THEN 'cash' ELSE 'card' END
        || ' sale post-voided by the same cashier '
        || COALESCE(CAST(CAST(ROUND((EPOCH(post_voided_at) - EPOCH(ended_at)) / 60) AS BIGINT) AS VARCHAR) || ' min after tender', 'after tender')
        AS detail
FROM tx
WHERE status = 'post_voided' AND kind = 'sale'
  AND COALESCE(post_void_employee_id, employee_id) = employee_id
