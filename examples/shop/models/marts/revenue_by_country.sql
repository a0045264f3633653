/* config
materialized = "view"
description  = "Lifetime value summed per country; a thin view over marts.customers."
*/
SELECT country, region, COUNT(*) AS customers, SUM(lifetime_value) AS lifetime_value
FROM marts.customers
GROUP BY country, region
