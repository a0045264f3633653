/* config
description = "Customer lifetime value and activity, one row per customer."
test "row_count" { min = 1 }
column "customer_id" {
  test "not_null" {}
  test "unique" {}
}
column "lifetime_value" {
  description = "Paid for fulfilled orders."
  test "at_least" { min = 0 }
}
column "order_count" {
  # Only customers with orders are counted in: a where filters the rows.
  test "expression" {
    expression = "first_order_on IS NOT NULL"
    where      = "order_count > 0"
  }
}
*/
-- Derived tables rather than a WITH: MariaDB hides the WITH of a unit
-- test's given rows from a model's own WITH (docs/guide/mysql.md).
SELECT
    c.customer_id,
    c.full_name,
    c.email,
    co.name AS country,
    co.region,
    s.first_order_on,
    s.last_order_on,
    COALESCE(s.order_count, 0) AS order_count,
    COALESCE(s.lifetime_value, 0) AS lifetime_value,
    COALESCE(e.web_events, 0) AS web_events
FROM staging.customers AS c
LEFT JOIN (
    SELECT
        customer_id,
        MIN(ordered_on) AS first_order_on,
        MAX(ordered_on) AS last_order_on,
        COUNT(*) AS order_count,
        SUM(CASE WHEN status_group = 'fulfilled' THEN paid_amount ELSE 0 END) AS lifetime_value
    FROM core.orders
    GROUP BY customer_id
) AS s ON s.customer_id = c.customer_id
LEFT JOIN (
    SELECT customer_id, COUNT(*) AS web_events
    FROM staging.web_events
    GROUP BY customer_id
) AS e ON e.customer_id = c.customer_id
LEFT JOIN app.countries AS co ON co.code = c.country_code
