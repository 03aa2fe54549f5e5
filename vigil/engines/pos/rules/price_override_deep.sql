-- id: price_override_deep
-- title: Price override far below the regular price
-- why: Overriding prices far below the shelf price gives merchandise away; without an approving supervisor it weighs more.
-- severity: 0.45
-- param: min_off = 0.5 | fraction below the regular price that counts
WITH deep AS (
    SELECT transaction_id, COUNT(*) AS lines,
           SUM((regular_price - unit_price) * ABS(quantity)) AS given_away
    FROM line_items
    WHERE COALESCE(price_override, FALSE) AND regular_price > 0
      AND unit_price < regular_price * (1 - {{min_off}})
      AND NOT COALESCE(line_voided, FALSE)
    GROUP BY transaction_id
)
SELECT
    t.transaction_id, t.employee_id, t.store_id, t.register_id, t.business_date,
    t.ended_at_text AS at, d.given_away AS amount,
    LEAST(1.0, {{severity}} * CASE WHEN t.override_employee_id IS NULL OR t.override_employee_id = t.employee_id THEN 1.5 ELSE 1.0 END) AS severity,
    CAST(d.lines AS VARCHAR) || ' price override(s) more than ' || CAST(CAST({{min_off}} * 100 AS BIGINT) AS VARCHAR)
        || '% below regular price, ' || CAST(d.given_away AS VARCHAR) || ' given away'
        || CASE WHEN t.override_employee_id IS NULL THEN ', no approver' ELSE '' END AS detail
FROM deep d JOIN tx t ON t.transaction_id = d.transaction_id
WHERE t.status = 'completed'
