// Package lineage works out column-level lineage: for each output column
// of each model, the upstream columns (of models, seeds and sources) it
// is computed from, and how (a direct reference, an expression, an
// aggregate, a window function).
//
// It reads the parse tree DuckDB's parser gives for a model's rendered SQL
// (json_serialize_sql), so it sees the query as the warehouse does: CTEs,
// subqueries in FROM and in expressions, joins (USING and NATURAL too),
// set operations (columns matched by position), and * expanded with
// EXCLUDE and REPLACE from the column lists of what the query reads. Those
// lists come from the models' own lineage (in dependency order), the
// seeds' CSV headers and the sources' columns (the warehouse catalog when
// one is given, else the columns declared in weir.hcl).
//
// What cannot be worked out is reported, never guessed: a model whose SQL
// DuckDB's parser refuses (some Postgres SQL) or that reads something
// whose columns are unknown under a * has lineage "unknown" with the
// reason, and a column reference that matches nothing (or more than one
// thing) is a problem of its model.
package lineage
