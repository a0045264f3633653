CREATE VIEW "Sales Data"."order" AS
SELECT 1 AS id;

