-- id: sweethearting
-- title: Sweethearting: the same customer with the same cashier, at low prices
-- why: A cashier who keeps serving the same customer and charges well below shelf price (keyed items, heavy discounts) is giving merchandise to a friend.
-- severity: 0.5
-- param: min_visits = 6 | visits of one customer to one cashier before the pattern counts
-- param: max_price_ratio = 0.7 | charged / regular price at or below which a visit is "low value"
-- param: min_share = 0.4 | share of the customer's visits that go to this cashier
WITH visits AS (
    SELECT t.transaction_id, t.employee_id, t.customer_id,
           SUM(l.extended_amount - COALESCE(l.discount_amount, 0)) AS charged,
           SUM(COALESCE(l.regular_price, l.unit_price) * l.quantity) AS regular,
           AVG(CASE WHEN l.entry_method = 'keyed' THEN 1.0 ELSE 0.0 END) AS keyed_share
    FROM tx t JOIN line_items l ON l.transaction_id = t.transaction_id
    WHERE t.kind = 'sale' AND t.status = 'completed' AND t.customer_id IS NOT NULL
      AND NOT COALESCE(l.line_voided, FALSE)
    GROUP BY t.transaction_id, t.employee_id, t.customer_id
), flagged AS (
    SELECT *, CASE WHEN regular > 0 AND charged / regular <= {{max_price_ratio}} THEN 1
                   WHEN keyed_share >= 0.5 THEN 1 ELSE 0 END AS low
    FROM visits
), pairs AS (
    SELECT employee_id, customer_id, COUNT(*) AS n, SUM(low) AS low_visits
    FROM flagged GROUP BY employee_id, customer_id
), customers AS (
    SELECT customer_id, COUNT(*) AS total_visits FROM visits GROUP BY customer_id
)
SELECT
    t.transaction_id, t.employee_id, t.store_id, t.register_id, t.business_date,
    t.ended_at_text AS at, f.regular - f.charged AS amount,
    LEAST(1.0, {{severity}} + p.n / 60.0) AS severity,
    'customer ' || f.customer_id || ' served by this cashier ' || CAST(p.n AS VARCHAR) || ' times, '
        || CAST(p.low_visits AS VARCHAR) || ' at low prices; this visit charged '
        || CAST(CAST(ROUND(100 * f.charged / f.regular) AS BIGINT) AS VARCHAR) || '% of regular' AS detail
FROM flagged f
JOIN pairs p ON p.employee_id = f.employee_id AND p.customer_id = f.customer_id
JOIN customers c ON c.customer_id = f.customer_id
JOIN tx t ON t.transaction_id = f.transaction_id
WHERE f.low = 1 AND f.regular > 0 AND p.n >= {{min_visits}}
  AND p.low_visits * 2 >= p.n AND p.n >= {{min_share}} * c.total_visits
