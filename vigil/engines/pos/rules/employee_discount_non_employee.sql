-- id: employee_discount_non_employee
-- title: Employee discount given to someone who is not an employee
-- why: The employee discount belongs to staff; given to a customer with no staff loyalty id (or none at all) it is a giveaway to friends or family.
-- severity: 0.5
WITH discounted AS (
    SELECT transaction_id, SUM(discount_amount) AS discount
    FROM line_items WHERE discount_reason = 'employee' AND NOT COALESCE(line_voided, FALSE)
    GROUP BY transaction_id
), staff AS (
    SELECT DISTINCT customer_id FROM employees WHERE customer_id IS NOT NULL
)
SELECT
    t.transaction_id, t.employee_id, t.store_id, t.register_id, t.business_date,
    t.ended_at_text AS at, d.discount AS amount, {{severity}} AS severity,
    'employee discount of ' || CAST(d.discount AS VARCHAR) || ' to '
        || CASE WHEN t.customer_id IS NULL THEN 'a customer with no loyalty id' ELSE 'customer ' || t.customer_id END AS detail
FROM discounted d JOIN tx t ON t.transaction_id = d.transaction_id
LEFT JOIN staff s ON s.customer_id = t.customer_id
WHERE t.status = 'completed' AND t.kind = 'sale' AND s.customer_id IS NULL
