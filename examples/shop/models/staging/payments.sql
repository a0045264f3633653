/* config
description = "Payments in currency units rather than cents."
*/
SELECT
    id AS payment_id,
    order_id,
    method AS payment_method,
    amount_cents / 100.0 AS amount,
    paid_at
FROM raw.payments
