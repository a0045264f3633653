package sqlparse

import (
	"context"
	"fmt"
	"strings"
)

// Tree returns DuckDB's parse tree of sql as the JSON text
// json_serialize_sql gives, for callers that read more of the tree than
// Parse does (column lineage). Offsets in it count bytes of sql as
// written (Unicode spaces are masked as Parse does). It returns a
// *SyntaxError or *NotSelectError as Parse does. Calls made at the same
// time are answered together, as Parse's are.
func (p *Parser) Tree(ctx context.Context, sql string) (string, error) {
	if err := checkText(sql); err != nil {
		return "", err
	}
	text := maskSpaces(sql)
	js, err := p.ask(ctx, text)
	if err != nil {
		return "", err
	}
	if strings.HasPrefix(js, `{"error":true`) {
		t, err := decodeTree(js, nil)
		if err != nil {
			return "", err
		}
		return "", p.treeError(ctx, text, t)
	}
	return js, nil
}

// AggregateFunctions lists the names of the aggregate functions DuckDB
// knows, lower case, so that a caller can tell sum(x) from abs(x) in a
// parse tree.
func (p *Parser) AggregateFunctions(ctx context.Context) (map[string]bool, error) {
	rows, err := p.db.QueryContext(ctx, `SELECT DISTINCT lower(function_name) FROM duckdb_functions() WHERE function_type = 'aggregate'`)
	if err != nil {
		return nil, fmt.Errorf("sqlparse: list aggregate functions: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		out[name] = true
	}
	return out, rows.Err()
}

const deserializeQuery = `SELECT json_deserialize_sql($1::VARCHAR::JSON)::VARCHAR`

// Deparse turns a parse tree in json_serialize_sql's form back into SQL
// text as DuckDB writes it (json_deserialize_sql): `SELECT count_star(),
// (id + 1)`. DuckDB names a select item without an alias after that text.
func (p *Parser) Deparse(ctx context.Context, tree string) (string, error) {
	var sql string
	if err := p.db.QueryRowContext(ctx, deserializeQuery, tree).Scan(&sql); err != nil {
		return "", fmt.Errorf("sqlparse: json_deserialize_sql: %w", err)
	}
	return sql, nil
}
