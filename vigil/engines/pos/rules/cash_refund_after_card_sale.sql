-- id: cash_refund_after_card_sale
-- title: Cash refund right after a card sale
-- why: Buying with a card (often a stolen one) and returning for cash soon after turns card fraud into cash.
-- severity: 0.6
-- param: max_days = 2 | days between the card sale and the cash refund
SELECT
    r.transaction_id, r.employee_id, r.store_id, r.register_id, r.business_date,
    r.ended_at_text AS at, r.total AS amount, {{severity}} AS severity,
    'cash refund of ' || CAST(ABS(r.cash_amount) AS VARCHAR) || ' for card sale ' || o.transaction_id
        || ' made ' || CAST(CAST(ROUND((EPOCH(r.ended_at) - EPOCH(o.ended_at)) / 3600) AS BIGINT) AS VARCHAR) || ' h earlier' AS detail
FROM tx r JOIN tx o ON o.transaction_id = r.original_transaction_id
WHERE r.kind IN ('return', 'exchange') AND r.status = 'completed' AND r.cash_amount < 0
  AND o.has_card = 1 AND o.has_cash = 0
  AND EPOCH(r.ended_at) - EPOCH(o.ended_at) <= {{max_days}} * 86400
