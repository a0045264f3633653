/* config
description = "What the model learns from: orders and spend per customer."
*/
SELECT
    c.id AS customer_id,
    count(o.id) AS order_count,
    coalesce(sum(o.amount), 0) AS lifetime_value
FROM raw.customers AS c
LEFT JOIN raw.orders AS o ON o.customer_id = c.id
GROUP BY c.id
