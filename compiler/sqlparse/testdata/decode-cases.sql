-- Cases for TestGolden beyond the corpus: shapes of DuckDB's JSON that the
-- decoder must read exactly (escapes in strings, numbers of every form,
-- deep nesting, every node the walker looks at).
-- case: escaped_strings
SELECT 'quote " and backslash \ and tab	end', E'nl\nx', 'é☕😀', '' AS e, 'it''s' AS "a""b\c"
FROM read_csv('dir\sub "q"/it''s.csv') AS "r""x", "we""ird\"."t\ab" w
-- case: escaped_string_control_chars
SELECT 'bell  and nul-ish  chars' AS c FROM s.t
-- case: escaped_file_list
SELECT * FROM read_parquet(['a "1".parquet', 'b\2.parquet', 'ü.parquet']) p, 'x"y.csv' q, "z\w.json" z
-- case: numbers
SELECT 18446744073709551615 AS a, 9223372036854775807 AS b, -9223372036854775808 AS c, 1e308 AS d,
       -1.5e-300 AS e, 0.000001 AS f, 123456789012345678901234567890 AS g, 1_000 AS h, 0 AS i, -0.0 AS j
FROM s.t
-- case: booleans_nulls
SELECT true, false, NULL, NULL::int, [NULL, true] FROM s.t WHERE x IS NULL
-- case: column_refs_of_every_length
SELECT a, t.a, s.t.a, c.s.t.a, c.s.t.a.f, "C"."S"."T"."A", c . s . t . a FROM c.s.t
-- case: deep_nesting
SELECT (((((((((((1))))))))))) FROM (SELECT * FROM (SELECT * FROM (SELECT * FROM (SELECT * FROM (SELECT * FROM s.deep) a) b) c) d) e
-- case: recursive_using_key
WITH RECURSIVE r(n) USING KEY (n) AS (SELECT 1 UNION SELECT n + 1 FROM r WHERE n < 3) SELECT * FROM r JOIN s.t ON true
-- case: nested_recursive
WITH RECURSIVE a AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM a WHERE n < 3),
  b AS (WITH RECURSIVE c AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM c, a WHERE c.n < 2) SELECT * FROM c)
SELECT * FROM a, b, c
-- case: table_functions_named_params
SELECT * FROM read_csv('x.csv', delim = ';', columns = {'a': 'INT'}), s.my_macro(1, k := 2), range(3) r(i), c.s.f()
-- case: file_function_non_constant_arg
SELECT * FROM read_csv(concat('a', '.csv')), read_parquet(['x.parquet', 'y' || '.parquet']), read_json(?)
-- case: string_in_from_with_alias
FROM 'data/x.csv' AS x(a, b) JOIN "data.tsv.zst" USING (a)
-- case: window_and_lambda
SELECT sum(v) OVER (PARTITION BY k ORDER BY ts ROWS BETWEEN 1 PRECEDING AND CURRENT ROW),
       list_reduce([1, 2, 3], (x, y) -> x + y), [x * 2 FOR x IN l] FROM s.t
-- case: pivot_unpivot_in_from
SELECT * FROM s.a PIVOT (sum(v) FOR k IN ('x', 'y') GROUP BY g) UNPIVOT (val FOR col IN (x, y))
-- case: struct_map_json
SELECT {'k': {'n': [1, {'m': 'v'}]}}, MAP {'a': [1]}, j->>'$.x', j->'y' FROM s.t
-- case: aliases_with_unicode
SELECT x AS "ä ö", y AS "😀" FROM "Ünï"."cødé" AS "ß"
-- case: set_operations_with_ctes
WITH a AS (SELECT 1 AS x) (SELECT * FROM a UNION BY NAME SELECT * FROM s.b) EXCEPT ALL (SELECT * FROM s.c INTERSECT SELECT * FROM a)
-- case: subqueries_everywhere
SELECT (SELECT 1 FROM s.a), * FROM s.b WHERE EXISTS (FROM s.c) GROUP BY (SELECT 1 FROM s.d) HAVING 1 IN (FROM s.e)
QUALIFY 1 > (FROM s.f) ORDER BY (FROM s.g) LIMIT (FROM s.h) OFFSET (FROM s.i)
-- case: two_statements_second_error
SELECT 1 FROM s.a; SELECT FROM WHERE
-- case: not_select_in_middle
SELECT 1; CREATE VIEW v AS SELECT 1; SELECT 2
-- case: positional_and_named_params
SELECT $1, $2 FROM s.t WHERE k = $1
-- case: named_params
SELECT $name, $other FROM s.t
-- case: at_clause_and_sample
SELECT * FROM s.t AT (TIMESTAMP => now()) USING SAMPLE 10% (bernoulli, 3)
-- case: control_char_literal
SELECT '' AS c FROM s.t
