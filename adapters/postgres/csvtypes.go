package postgres

import (
	"context"
	"regexp"
	"strings"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/adapters/csvsniff"
)

// sniffCSV reads the layout of the seed file at path with DuckDB's CSV
// sniffer (see csvsniff), as the DuckDB adapter does, and gives each
// column the Postgres type of the DuckDB type it was sniffed as, so that a
// seed has the same columns on both warehouses.
func sniffCSV(ctx context.Context, path string) ([]adapters.ColumnInfo, rune, error) {
	l, err := csvsniff.Sniff(ctx, path)
	if err != nil {
		return nil, 0, err
	}
	cols := make([]adapters.ColumnInfo, len(l.Columns))
	for i, c := range l.Columns {
		cols[i] = adapters.ColumnInfo{Name: c.Name, Type: PostgresType(c.Type)}
	}
	return cols, l.Delimiter, nil
}

// duckToPostgres maps the DuckDB types that have a Postgres type of
// another name; the rest (boolean, smallint, integer, bigint, date, time,
// timestamp, interval, uuid, json) are spelled alike.
var duckToPostgres = map[string]string{
	"VARCHAR":                  "text",
	"TINYINT":                  "smallint",
	"UTINYINT":                 "smallint",
	"USMALLINT":                "integer",
	"UINTEGER":                 "bigint",
	"UBIGINT":                  "numeric",
	"HUGEINT":                  "numeric",
	"UHUGEINT":                 "numeric",
	"FLOAT":                    "real",
	"DOUBLE":                   "double precision",
	"TIMESTAMP WITH TIME ZONE": "timestamptz",
	"TIME WITH TIME ZONE":      "timetz",
	"TIMESTAMP_NS":             "timestamp",
	"TIMESTAMP_MS":             "timestamp",
	"TIMESTAMP_S":              "timestamp",
	"BLOB":                     "bytea",
}

var reDecimal = regexp.MustCompile(`^DECIMAL(\(\d+,\s*\d+\))?$`)

// PostgresType is the Postgres type of a column DuckDB's CSV reader gives
// type duck; text for a type Postgres lacks.
func PostgresType(duck string) string {
	u := strings.ToUpper(strings.TrimSpace(duck))
	if t, ok := duckToPostgres[u]; ok {
		return t
	}
	if m := reDecimal.FindStringSubmatch(u); m != nil {
		return "numeric" + strings.ReplaceAll(m[1], " ", "")
	}
	switch u {
	case "BOOLEAN", "SMALLINT", "INTEGER", "BIGINT", "DATE", "TIME", "TIMESTAMP", "INTERVAL", "UUID", "JSON":
		return strings.ToLower(u)
	}
	return "text"
}
