/* config
description = "Revenue per day with a running total."
# The columns and their types are a contract with the dashboards that read
# this table: a change that breaks it fails the build before the table is
# replaced.
contract = true
column "ordered_on" {
  type = "date"
  test "unique" {}
}
column "orders"          { type = "bigint" }
column "revenue"         { type = "decimal(12,2)" }
column "running_revenue" { type = "decimal(12,2)" }
*/
SELECT
    ordered_on,
    COUNT(*) AS orders,
    CAST(SUM(paid_amount) AS DECIMAL(12, 2)) AS revenue,
    CAST(SUM(SUM(paid_amount)) OVER (ORDER BY ordered_on) AS DECIMAL(12, 2)) AS running_revenue
FROM core.orders
WHERE status_group = 'fulfilled'
GROUP BY ordered_on
