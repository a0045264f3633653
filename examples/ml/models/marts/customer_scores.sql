/* config
description = "Customers with their predicted value, best first: reads the table the command node wrote."
*/
SELECT
    c.name,
    f.order_count,
    f.lifetime_value,
    s.predicted_value,
    rank() OVER (ORDER BY s.predicted_value DESC, c.id) AS value_rank
FROM raw.customers AS c
JOIN marts.customer_features AS f ON f.customer_id = c.id
JOIN ml.ltv_scores AS s ON s.customer_id = c.id
