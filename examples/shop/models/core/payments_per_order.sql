/* config
materialized = "ephemeral"
description  = "Payment totals per order; inlined into its readers, never created."
*/
SELECT
    order_id,
    SUM(amount) AS paid_amount,
    SUM(CASE WHEN payment_method = 'gift_card' THEN amount ELSE 0 END) AS gift_card_amount,
    COUNT(*) AS payment_count
FROM staging.payments
GROUP BY order_id
