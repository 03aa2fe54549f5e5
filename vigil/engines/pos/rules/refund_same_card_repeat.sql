-- id: refund_same_card_repeat
-- title: Refunds to the same card again and again
-- why: Refunds that keep landing on one card token suggest the refunds are going to the cashier or an accomplice rather than to different customers.
-- severity: 0.5
-- param: min_refunds = 3 | refunds to one card before any of them counts
WITH refunds AS (
    SELECT t.transaction_id, d.card_token, d.amount
    FROM tenders d JOIN tx t ON t.transaction_id = d.transaction_id
    WHERE d.amount < 0 AND d.card_token IS NOT NULL AND t.status = 'completed'
), repeated AS (
    SELECT card_token, COUNT(*) AS refunds FROM refunds GROUP BY card_token
    HAVING COUNT(*) >= {{min_refunds}}
)
SELECT
    t.transaction_id, t.employee_id, t.store_id, t.register_id, t.business_date,
    t.ended_at_text AS at, t.total AS amount,
    LEAST(1.0, {{severity}} + r.refunds / 40.0) AS severity,
    'refund to card ' || r.card_token || ', which received ' || CAST(r.refunds AS VARCHAR) || ' refunds' AS detail
FROM refunds f
JOIN repeated r ON r.card_token = f.card_token
JOIN tx t ON t.transaction_id = f.transaction_id
