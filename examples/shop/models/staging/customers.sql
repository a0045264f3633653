/* config
description = "One row per customer, names tidied, email lower-cased."
column "customer_id" { description = "Primary key." }
*/
SELECT
    id AS customer_id,
    first_name || ' ' || last_name AS full_name,
    lower(email) AS email,
    country AS country_code,
    signed_up_at
FROM raw.customers
