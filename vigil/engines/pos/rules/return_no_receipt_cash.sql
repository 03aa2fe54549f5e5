-- id: return_no_receipt_cash
-- title: Return without receipt, refunded in cash
-- why: A refund with no receipt and no original sale, paid out in cash, is the easiest way to take money from the drawer; larger refunds weigh more.
-- severity: 0.4
-- param: amount_scale = 200 | refund (in currency) at which severity has doubled
SELECT
    transaction_id, employee_id, store_id, register_id, business_date,
    ended_at_text AS at, total AS amount,
    LEAST(1.0, {{severity}} * (1 + ABS(cash_amount) / {{amount_scale}})) AS severity,
    'no-receipt return refunded ' || CAST(ABS(cash_amount) AS VARCHAR) || ' in cash' AS detail
FROM tx
WHERE kind IN ('return', 'exchange') AND status = 'completed'
  AND COALESCE(receipt_present, FALSE) = FALSE AND original_transaction_id IS NULL
  AND cash_amount < 0
