-- id: gift_card_load_spend_elsewhere
-- title: Gift card loaded, then spent soon after in another store
-- why: Value loaded onto a gift card and spent within hours at another store is the pattern of refund fraud and of organised retail crime cashing out.
-- severity: 0.7
-- param: max_hours = 48 | hours between load and spend
WITH loads AS (
    SELECT t.transaction_id, t.store_id, t.ended_at, d.card_token, d.amount
    FROM tenders d JOIN tx t ON t.transaction_id = d.transaction_id
    WHERE d.tender_type = 'gift_card' AND d.amount < 0 AND d.card_token IS NOT NULL
      AND t.status = 'completed'
), spends AS (
    SELECT t.store_id, t.ended_at, d.card_token
    FROM tenders d JOIN tx t ON t.transaction_id = d.transaction_id
    WHERE d.tender_type = 'gift_card' AND d.amount > 0 AND d.card_token IS NOT NULL
      AND t.status = 'completed'
), matched AS (
    SELECT l.transaction_id, MIN(s.store_id) AS spent_at, COUNT(*) AS spends
    FROM loads l JOIN spends s ON s.card_token = l.card_token
    WHERE s.store_id <> l.store_id
      AND EPOCH(s.ended_at) >= EPOCH(l.ended_at)
      AND EPOCH(s.ended_at) - EPOCH(l.ended_at) <= {{max_hours}} * 3600
    GROUP BY l.transaction_id
)
SELECT
    t.transaction_id, t.employee_id, t.store_id, t.register_id, t.business_date,
    t.ended_at_text AS at, t.total AS amount, {{severity}} AS severity,
    'gift card loaded here, spent at ' || m.spent_at || ' within ' || CAST({{max_hours}} AS VARCHAR) || ' h' AS detail
FROM matched m JOIN tx t ON t.transaction_id = m.transaction_id
