-- id: refund_to_gift_card
-- title: Refund onto a gift card
-- why: Refunds loaded onto gift cards turn returns into spendable value that is hard to trace; without a receipt they weigh more.
-- severity: 0.4
-- param: no_receipt_weight = 1.6 | how much more a refund without receipt weighs
SELECT
    transaction_id, employee_id, store_id, register_id, business_date,
    ended_at_text AS at, total AS amount,
    LEAST(1.0, {{severity}} * CASE WHEN COALESCE(receipt_present, FALSE) THEN 1.0 ELSE {{no_receipt_weight}} END) AS severity,
    'refund of ' || CAST(ABS(gift_amount) AS VARCHAR) || ' loaded onto a gift card'
        || CASE WHEN COALESCE(receipt_present, FALSE) THEN '' ELSE ' without a receipt' END AS detail
FROM tx
WHERE kind IN ('return', 'exchange') AND status = 'completed' AND gift_amount < 0
