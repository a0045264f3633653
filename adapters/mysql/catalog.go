package mysql

import (
	"context"
	"fmt"
	"strings"

	"github.com/weir-sh/weir/adapters"
)

// systemSchemas are the server's own databases, never weir's.
const systemSchemas = "'mysql', 'information_schema', 'performance_schema', 'sys', 'metrics_schema'"

// Relations lists the tables and views of every database but the
// server's own (a schema of weir's is a database).
func (a *Adapter) Relations(ctx context.Context) ([]adapters.RelationInfo, error) {
	rows, err := a.Query(ctx, `SELECT TABLE_SCHEMA, TABLE_NAME, CASE WHEN TABLE_TYPE = 'VIEW' THEN 'view' ELSE 'table' END
FROM information_schema.TABLES
WHERE TABLE_SCHEMA NOT IN (`+systemSchemas+`) AND TABLE_TYPE <> 'TEMPORARY'
ORDER BY 1, 2`)
	if err != nil {
		return nil, err
	}
	out := make([]adapters.RelationInfo, 0, len(rows.Values))
	for _, r := range rows.Values {
		out = append(out, adapters.RelationInfo{
			Relation: adapters.Relation{Schema: fmt.Sprint(r[0]), Name: fmt.Sprint(r[1])},
			Kind:     fmt.Sprint(r[2]),
		})
	}
	return out, nil
}

// Columns lists the columns of rel in order, with their types as MySQL
// writes them (COLUMN_TYPE: "int(11)", "decimal(10,2)", "text", ...).
func (a *Adapter) Columns(ctx context.Context, rel adapters.Relation) ([]adapters.ColumnInfo, error) {
	d := a.dialect
	rows, err := a.Query(ctx, fmt.Sprintf(`SELECT COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS
WHERE TABLE_SCHEMA = %s AND TABLE_NAME = %s ORDER BY ORDINAL_POSITION`, d.QuoteLiteral(rel.Schema), d.QuoteLiteral(rel.Name)))
	if err != nil {
		return nil, err
	}
	out := make([]adapters.ColumnInfo, 0, len(rows.Values))
	for _, r := range rows.Values {
		out = append(out, adapters.ColumnInfo{Name: fmt.Sprint(r[0]), Type: strings.ToLower(fmt.Sprint(r[1]))})
	}
	return out, nil
}

// AllColumns lists the columns of every table and view outside the
// server's own databases in one query (adapters.ColumnLister), types as
// Columns writes them.
func (a *Adapter) AllColumns(ctx context.Context) (map[adapters.Relation][]adapters.ColumnInfo, error) {
	rows, err := a.Query(ctx, `SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, LOWER(COLUMN_TYPE) FROM information_schema.COLUMNS
WHERE TABLE_SCHEMA NOT IN (`+systemSchemas+`) ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION`)
	if err != nil {
		return nil, err
	}
	return adapters.GroupColumns(rows), nil
}
