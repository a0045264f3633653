/* config
description = "Revenue per day with a running total."
*/
SELECT
    ordered_on,
    COUNT(*) AS orders,
    SUM(paid_amount) AS revenue,
    SUM(SUM(paid_amount)) OVER (ORDER BY ordered_on) AS running_revenue
FROM core.orders
WHERE status_group = 'fulfilled'
GROUP BY ordered_on
