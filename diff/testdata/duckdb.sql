SELECT (SELECT count(*) FROM "__weir_defer"."stg"."orders") AS base_rows, (SELECT count(*) FROM "stg"."orders") AS head_rows;

WITH b AS (SELECT *, 1 AS __weir_in FROM "__weir_defer"."stg"."orders"), h AS (SELECT *, 1 AS __weir_in FROM "stg"."orders")
SELECT count(*) FILTER (WHERE b.__weir_in IS NULL) AS added,
  count(*) FILTER (WHERE h.__weir_in IS NULL) AS removed,
  count(*) FILTER (WHERE b.__weir_in = 1 AND h.__weir_in = 1 AND (b."amount" IS DISTINCT FROM h."amount" OR CAST(b."status" AS VARCHAR) IS DISTINCT FROM CAST(h."status" AS VARCHAR))) AS changed
FROM b FULL OUTER JOIN h ON b."id" = h."id";

SELECT h.* FROM "stg"."orders" AS h WHERE NOT EXISTS (SELECT 1 FROM "__weir_defer"."stg"."orders" AS b WHERE b."id" = h."id") ORDER BY h."id" LIMIT 5;

SELECT h."id", b."amount", h."amount", b."status", h."status" FROM "__weir_defer"."stg"."orders" AS b JOIN "stg"."orders" AS h ON b."id" = h."id" WHERE (b."amount" IS DISTINCT FROM h."amount" OR CAST(b."status" AS VARCHAR) IS DISTINCT FROM CAST(h."status" AS VARCHAR)) ORDER BY h."id" LIMIT 5;

SELECT (SELECT count(*) FROM (SELECT "id" AS "id", "amount" AS "amount", CAST("status" AS VARCHAR) AS "status" FROM "stg"."orders" EXCEPT ALL SELECT "id" AS "id", "amount" AS "amount", CAST("status" AS VARCHAR) AS "status" FROM "__weir_defer"."stg"."orders") AS d) AS added, (SELECT count(*) FROM (SELECT "id" AS "id", "amount" AS "amount", CAST("status" AS VARCHAR) AS "status" FROM "__weir_defer"."stg"."orders" EXCEPT ALL SELECT "id" AS "id", "amount" AS "amount", CAST("status" AS VARCHAR) AS "status" FROM "stg"."orders") AS d) AS removed;

SELECT * FROM (SELECT "id" AS "id", "amount" AS "amount", CAST("status" AS VARCHAR) AS "status" FROM "__weir_defer"."stg"."orders" EXCEPT ALL SELECT "id" AS "id", "amount" AS "amount", CAST("status" AS VARCHAR) AS "status" FROM "stg"."orders") AS d ORDER BY 1, 2, 3 LIMIT 5;

