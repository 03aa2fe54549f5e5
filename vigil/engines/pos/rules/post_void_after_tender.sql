-- id: post_void_after_tender
-- title: Post-void long after tender
-- why: A sale reversed long after the customer left is rarely a correction made with the customer present; it is how completed sales are turned into cash.
-- severity: 0.4
-- param: min_minutes = 10 | minutes between tender and post-void before it counts
SELECT
    transaction_id, COALESCE(post_void_employee_id, employee_id) AS employee_id, store_id,
    register_id, business_date, COALESCE(post_voided_at_text, ended_at_text) AS at, total AS amount,
    LEAST(1.0, {{severity}} + (EPOCH(post_voided_at) - EPOCH(ended_at)) / 60 / 240) AS severity,
    'post-voided ' || CAST(CAST(ROUND((EPOCH(post_voided_at) - EPOCH(ended_at)) / 60) AS BIGINT) AS VARCHAR)
        || ' min after tender' AS detail
FROM tx
WHERE status = 'post_voided' AND post_voided_at IS NOT NULL
  AND (EPOCH(post_voided_at) - EPOCH(ended_at)) / 60 > {{min_minutes}}
