package postgres

import (
	"context"
	"fmt"

	"github.com/weir-sh/weir/adapters"
)

// Relations lists the tables (relkind r, p, f) and views (v, m) outside
// the system schemas of the connected database.
func (a *Adapter) Relations(ctx context.Context) ([]adapters.RelationInfo, error) {
	rows, err := a.Query(ctx, `SELECT n.nspname, c.relname,
  CASE WHEN c.relkind IN ('v', 'm') THEN 'view' ELSE 'table' END
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp\_%'
ORDER BY 1, 2`)
	if err != nil {
		return nil, err
	}
	return adapters.RelationRows(rows), nil
}

// Columns lists the columns of rel in order, with their types as Postgres
// writes them (format_type: "integer", "numeric(10,2)", "text", ...).
func (a *Adapter) Columns(ctx context.Context, rel adapters.Relation) ([]adapters.ColumnInfo, error) {
	rows, err := a.Query(ctx, fmt.Sprintf(`SELECT a.attname, format_type(a.atttypid, a.atttypmod)
FROM pg_attribute a
WHERE a.attrelid = to_regclass(%s) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum`, Dialect{}.QuoteLiteral(adapters.QuoteRelation(Dialect{}, rel))))
	if err != nil {
		return nil, err
	}
	return adapters.ColumnRows(rows), nil
}

// AllColumns lists the columns of every table and view outside the system
// schemas in one query (adapters.ColumnLister).
func (a *Adapter) AllColumns(ctx context.Context) (map[adapters.Relation][]adapters.ColumnInfo, error) {
	rows, err := a.Query(ctx, `SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod)
FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm') AND a.attnum > 0 AND NOT a.attisdropped
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp\_%'
ORDER BY 1, 2, a.attnum`)
	if err != nil {
		return nil, err
	}
	return adapters.GroupColumns(rows), nil
}
