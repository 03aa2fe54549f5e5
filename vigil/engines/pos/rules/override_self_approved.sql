-- id: override_self_approved
-- title: Override approved by the same person
-- why: An override exists so a second person checks it; approving one's own override defeats that control.
-- severity: 0.7
SELECT
    transaction_id, employee_id, store_id, register_id, business_date,
    ended_at_text AS at, total AS amount, {{severity}} AS severity,
    'override approved by the operator themselves' AS detail
FROM tx
WHERE override_employee_id IS NOT NULL AND override_employee_id = employee_id
