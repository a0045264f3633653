/* config
description = "Orders with what was paid for them."
column "order_id"    { description = "Primary key." }
column "paid_amount" { description = "Sum of all payments, 0 when unpaid." }
*/
SELECT
    o.order_id,
    o.customer_id,
    o.ordered_on,
    o.status,
    o.status_group,
    COALESCE(p.paid_amount, 0) AS paid_amount,
    COALESCE(p.gift_card_amount, 0) AS gift_card_amount,
    COALESCE(p.payment_count, 0) AS payment_count
FROM staging.orders AS o
LEFT JOIN payments_per_order AS p ON p.order_id = o.order_id
