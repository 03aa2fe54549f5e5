-- id: no_sale_drawer
-- title: No-sale drawer opening
-- why: Opening the drawer without a sale is how cash taken from an unrung sale is removed; one is routine, many are not.
-- severity: 0.3
SELECT
    transaction_id, employee_id, store_id, register_id, business_date,
    started_at_text AS at, total AS amount, {{severity}} AS severity,
    'drawer opened with no sale' AS detail
FROM tx
WHERE kind = 'no_sale'
