-- id: return_no_original
-- title: Return with no matching original sale
-- why: A return said to have a receipt, whose original sale cannot be found, suggests a made-up refund.
-- severity: 0.55
SELECT
    t.transaction_id, t.employee_id, t.store_id, t.register_id, t.business_date,
    t.ended_at_text AS at, t.total AS amount, {{severity}} AS severity,
    CASE WHEN t.original_transaction_id IS NULL THEN 'receipt return with no original sale recorded'
         ELSE 'original sale ' || t.original_transaction_id || ' is not in the data' END AS detail
FROM tx t
LEFT JOIN transactions o ON o.transaction_id = t.original_transaction_id
WHERE t.kind IN ('return', 'exchange') AND t.status = 'completed'
  AND COALESCE(t.receipt_present, FALSE) AND o.transaction_id IS NULL
