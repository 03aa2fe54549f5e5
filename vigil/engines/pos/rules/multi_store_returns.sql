-- id: multi_store_returns
-- title: The same customer returning across several stores
-- why: One loyalty id returning goods at many stores is the footprint of a professional returner or of organised retail crime fencing through refunds.
-- severity: 0.5
-- param: min_stores = 3 | stores at which the customer returned goods
WITH returners AS (
    SELECT customer_id, COUNT(DISTINCT store_id) AS stores, COUNT(*) AS returns
    FROM tx WHERE kind IN ('return', 'exchange') AND status = 'completed' AND customer_id IS NOT NULL
    GROUP BY customer_id HAVING COUNT(DISTINCT store_id) >= {{min_stores}}
)
SELECT
    t.transaction_id, t.employee_id, t.store_id, t.register_id, t.business_date,
    t.ended_at_text AS at, t.total AS amount,
    LEAST(1.0, {{severity}} + r.stores / 20.0) AS severity,
    'customer ' || t.customer_id || ' returned goods at ' || CAST(r.stores AS VARCHAR) || ' stores ('
        || CAST(r.returns AS VARCHAR) || ' returns)' AS detail
FROM tx t JOIN returners r ON r.customer_id = t.customer_id
WHERE t.kind IN ('return', 'exchange') AND t.status = 'completed'
