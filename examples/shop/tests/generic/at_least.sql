-- A custom generic test: the rows whose column is below min.
--   column "amount" { test "at_least" { min = 0 } }
-- {{ .model }} is the tested table, {{ .column }} the column (quoted),
-- and every argument of the test block is there by name.
SELECT *
FROM {{ .model }}
WHERE {{ .column }} < {{ .min }}
