DROP TABLE IF EXISTS "Sales Data"."__weir_tmp_order";

-- counts rows
CREATE TABLE "Sales Data"."__weir_tmp_order" AS
SELECT 1 AS id;

-- the swap block (see seed_swap.sql for a table, swap_view.sql for a view): TABLE;

