/* config
description = "One row per customer, names tidied, email lower-cased."
column "customer_id" {
  description = "Primary key."
  test "not_null" {}
  test "unique" {}
}
column "country_code" {
  test "relationships" {
    to    = "app.countries"
    field = "code"
  }
}
# Some customers never gave an email: warn when more than a few have none.
column "email" {
  test "not_null" {
    severity = "warn"
    warn_if  = ">5"
  }
}
*/
SELECT
    id AS customer_id,
    {{ full_name "first_name" "last_name" }} AS full_name,
    lower(email) AS email,
    country AS country_code,
    signed_up_at
FROM raw.customers
