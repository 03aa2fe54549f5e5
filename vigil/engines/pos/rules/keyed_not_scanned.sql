-- id: keyed_not_scanned
-- title: Items keyed in instead of scanned
-- why: Keying an item that normally scans lets a cashier ring a cheaper item or a lower price; one keyed item is routine, several in one transaction are not.
-- severity: 0.3
-- param: min_keyed = 2 | keyed lines of usually-scanned items in one transaction
-- param: scanned_share = 0.9 | share of a SKU's lines that are scanned for it to count as "usually scanned"
WITH usual AS (
    SELECT sku FROM line_items
    GROUP BY sku
    HAVING AVG(CASE WHEN entry_method = 'scanned' THEN 1.0 ELSE 0.0 END) >= {{scanned_share}}
), keyed AS (
    SELECT l.transaction_id, COUNT(*) AS keyed, SUM(l.extended_amount) AS keyed_amount
    FROM line_items l JOIN usual u ON u.sku = l.sku
    WHERE l.entry_method = 'keyed' AND NOT COALESCE(l.line_voided, FALSE)
    GROUP BY l.transaction_id
)
SELECT
    t.transaction_id, t.employee_id, t.store_id, t.register_id, t.business_date,
    t.ended_at_text AS at, k.keyed_amount AS amount,
    LEAST(1.0, {{severity}} + k.keyed / 20.0) AS severity,
    CAST(k.keyed AS VARCHAR) || ' usually-scanned item(s) keyed in' AS detail
FROM keyed k JOIN tx t ON t.transaction_id = k.transaction_id
WHERE k.keyed >= {{min_keyed}} AND t.status = 'completed'
