/* config
description = "Orders since the start date, with a status group."
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
