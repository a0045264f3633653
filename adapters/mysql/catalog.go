package mysql

import (
	"context"
	"fmt"

	"github.com/weir-sh/weir/adapters"
)

// systemSchemas are the server's own databases, never weir's.
const systemSchemas = "'mysql', 'information_schema', 'performance_schema', 'sys', 'metrics_schema'"

// Relations lists the tables and views of every database but the
// server's own (a schema of weir's is a database). It asks each database
// with SHOW FULL TABLES: MariaDB's information_schema.TABLES waits, for a
// table's kind, on every CREATE TABLE … AS SELECT running on the server.
func (a *Adapter) Relations(ctx context.Context) ([]adapters.RelationInfo, error) {
	dbs, err := a.Query(ctx, `SELECT SCHEMA_NAME FROM information_schema.SCHEMATA
WHERE SCHEMA_NAME NOT IN (`+systemSchemas+`) ORDER BY 1`)
	if err != nil {
		return nil, err
	}
	var out []adapters.RelationInfo
	for _, r := range dbs.Values {
		schema := fmt.Sprint(r[0])
		rows, err := a.Query(ctx, "SHOW FULL TABLES FROM "+a.dialect.QuoteIdent(schema))
		if err != nil {
			if isUnknownDatabase(err) {
				continue // dropped since the list was read
			}
			return nil, err
		}
		for _, t := range rows.Values {
			kind := adapters.KindTable
			if fmt.Sprint(t[1]) == "VIEW" {
				kind = adapters.KindView
			}
			out = append(out, adapters.RelationInfo{Relation: adapters.Relation{Schema: schema, Name: fmt.Sprint(t[0])}, Kind: kind})
		}
	}
	return out, nil
}

// Columns lists the columns of rel in order, with their types as MySQL
// writes them (COLUMN_TYPE: "int(11)", "decimal(10,2)", "text", ...).
func (a *Adapter) Columns(ctx context.Context, rel adapters.Relation) ([]adapters.ColumnInfo, error) {
	d := a.dialect
	rows, err := a.Query(ctx, fmt.Sprintf(`SELECT COLUMN_NAME, LOWER(COLUMN_TYPE) FROM information_schema.COLUMNS
WHERE TABLE_SCHEMA = %s AND TABLE_NAME = %s ORDER BY ORDINAL_POSITION`, d.QuoteLiteral(rel.Schema), d.QuoteLiteral(rel.Name)))
	if err != nil {
		return nil, err
	}
	return adapters.ColumnRows(rows), nil
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
