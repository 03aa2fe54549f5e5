-- id: training_or_after_hours
-- title: Sale in training mode, or outside store hours
-- why: Training-mode transactions look like sales but record nothing, and sales rung while the store is closed have no customers to serve.
-- severity: 0.5
-- param: default_opens = '07:00' | opening time (HH:MM) for stores whose hours are not in the data
-- param: default_closes = '22:00' | closing time (HH:MM) for stores whose hours are not in the data
SELECT
    transaction_id, employee_id, store_id, register_id, business_date,
    started_at_text AS at, total AS amount, {{severity}} AS severity,
    CASE WHEN kind = 'training' THEN 'transaction in training mode worth ' || CAST(total AS VARCHAR)
         ELSE 'sale at ' || SUBSTRING(started_at_text, 12, 5) || ', outside store hours '
              || COALESCE(opens, {{default_opens}}) || '-' || COALESCE(closes, {{default_closes}}) END AS detail
FROM tx
WHERE (kind = 'training' AND total <> 0)
   OR (kind = 'sale' AND status = 'completed'
       AND (SUBSTRING(started_at_text, 12, 5) < COALESCE(opens, {{default_opens}})
            OR SUBSTRING(started_at_text, 12, 5) >= COALESCE(closes, {{default_closes}})))
