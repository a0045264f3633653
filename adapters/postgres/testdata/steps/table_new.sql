-- counts rows
CREATE TABLE "Sales Data"."order" AS
SELECT 1 AS id;

