/* config
description = "Orders since the start date, with a status group."
column "order_id" {
  test "not_null" {}
  test "unique" {}
}
column "customer_id" {
  test "relationships" {
    to    = "staging.customers"
    field = "customer_id"
  }
}
column "status" {
  test "accepted_values" {
    values = ["placed", "shipped", "completed", "returned"]
  }
}
column "status_group" {
  test "accepted_values" {
    values = ["open", "fulfilled", "returned"]
  }
}
*/
SELECT
    id AS order_id,
    customer_id,
    CAST(ordered_at AS DATE) AS ordered_on,
    status,
    CASE WHEN status IN ('completed', 'shipped') THEN 'fulfilled'
         WHEN status = 'returned' THEN 'returned'
         ELSE 'open' END AS status_group
FROM raw.orders
WHERE ordered_at >= DATE '{{ var "start_date" }}'
