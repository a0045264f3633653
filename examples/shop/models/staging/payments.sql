/* config
description = "Payments in currency units rather than cents."
column "payment_id" {
  test "unique" {}
}
column "payment_method" {
  test "accepted_values" {
    values = ["credit_card", "bank_transfer", "gift_card", "coupon"]
  }
}
column "amount" {
  test "expression" { expression = "amount > 0" }
}
*/
SELECT
    id AS payment_id,
    order_id,
    method AS payment_method,
    amount_cents / 100.0 AS amount,
    paid_at
FROM raw.payments
