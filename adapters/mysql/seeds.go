package mysql

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/adapters/csvsniff"
)

// insertBatch is how many records one INSERT of a seed carries.
const insertBatch = 500

// LoadCSV creates rel from the CSV file at path and inserts its records
// through x. The file's layout (header, delimiter, column types) is what
// DuckDB's CSV sniffer reads, as on every warehouse, with each type
// mapped to MySQL's (see MySQLType), unless types names the column
// (exact name first, then case-insensitively). Empty fields are NULL.
func (a *Adapter) LoadCSV(ctx context.Context, x adapters.Execer, rel adapters.Relation, path string, types map[string]string) (int64, error) {
	l, err := csvsniff.Sniff(ctx, path)
	if err != nil {
		return 0, err
	}
	cols := make([]adapters.ColumnInfo, len(l.Columns))
	for i, c := range l.Columns {
		cols[i] = adapters.ColumnInfo{Name: c.Name, Type: MySQLType(c.Type)}
	}
	if err := csvsniff.ApplyTypes(cols, types, typeAliases); err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	d := a.dialect
	if _, err := x.Exec(ctx, csvsniff.CreateTableSQL(d, rel, cols)); err != nil {
		return 0, err
	}
	return insertRecords(ctx, x, d, rel, path, l.Delimiter, cols)
}

// insertRecords inserts the file's records, insertBatch at a time, and
// returns how many there were. An error names the file and the line of
// the record MySQL names (a value it refuses "at row N" of the INSERT),
// else that of the batch's first record.
func insertRecords(ctx context.Context, x adapters.Execer, d Dialect, rel adapters.Relation, path string, delim rune, cols []adapters.ColumnInfo) (int64, error) {
	head := fmt.Sprintf("INSERT INTO %s (%s) VALUES ", adapters.QuoteRelation(d, rel), csvsniff.ColumnList(d, cols))
	var total int64
	var tuples []string
	var lines []int // the line of each record of tuples
	flush := func() error {
		if len(tuples) == 0 {
			return nil
		}
		if _, err := x.Exec(ctx, head+strings.Join(tuples, ", ")); err != nil {
			if n := atRow(err); n >= 1 && n <= len(lines) {
				return fmt.Errorf("%s:%d: %w", path, lines[n-1], err)
			}
			return fmt.Errorf("%s:%d: loading records from this line on: %w", path, lines[0], err)
		}
		total += int64(len(tuples))
		tuples, lines = tuples[:0], lines[:0]
		return nil
	}
	err := csvsniff.Records(path, delim, func(line int, rec []string) error {
		lines = append(lines, line)
		vals := make([]string, len(rec))
		for i, v := range rec {
			vals[i] = seedValue(d, cols[i].Type, v)
		}
		tuples = append(tuples, "("+strings.Join(vals, ", ")+")")
		if len(tuples) == insertBatch {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return 0, err
	}
	return total, nil
}

// rowOfError finds the row a MySQL error about a value puts it at
// ("Incorrect integer value: 'x' for column … at row 3").
var rowOfError = regexp.MustCompile(` at row (\d+)$`)

// atRow is the row (1-based) of the multi-row INSERT that err names, 0
// when it names none.
func atRow(err error) int {
	m := rowOfError.FindStringSubmatch(err.Error())
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// seedValue writes one field as SQL: NULL when empty, a boolean's words
// as TRUE or FALSE, anything else as a string literal (trimmed for
// columns that are not text) that MySQL converts to the column's type.
func seedValue(d Dialect, typ, v string) string {
	if !isTextType(typ) {
		v = strings.TrimSpace(v)
	}
	if v == "" {
		return "NULL"
	}
	if isBoolType(typ) {
		switch strings.ToLower(v) {
		case "true", "t", "yes", "y", "1":
			return "TRUE"
		case "false", "f", "no", "n", "0":
			return "FALSE"
		}
	}
	return d.QuoteLiteral(v)
}

// duckToMySQL maps the types DuckDB's sniffer gives to MySQL's. A type
// MySQL lacks (intervals, time zones) becomes text, so no value is
// changed on the way in.
var duckToMySQL = map[string]string{
	"VARCHAR":      "text",
	"BOOLEAN":      "boolean",
	"TINYINT":      "tinyint",
	"SMALLINT":     "smallint",
	"INTEGER":      "int",
	"BIGINT":       "bigint",
	"UTINYINT":     "tinyint unsigned",
	"USMALLINT":    "smallint unsigned",
	"UINTEGER":     "int unsigned",
	"UBIGINT":      "bigint unsigned",
	"HUGEINT":      "decimal(38,0)",
	"UHUGEINT":     "decimal(38,0)",
	"FLOAT":        "float",
	"DOUBLE":       "double",
	"DATE":         "date",
	"TIME":         "time(6)",
	"TIMESTAMP":    "datetime(6)",
	"TIMESTAMP_NS": "datetime(6)",
	"TIMESTAMP_MS": "datetime(3)",
	"TIMESTAMP_S":  "datetime",
	"UUID":         "char(36)",
	"JSON":         "json",
	"BLOB":         "longblob",
}

var reDecimal = regexp.MustCompile(`^DECIMAL(\(\d+,\s*\d+\))?$`)

// MySQLType is the MySQL type of a column DuckDB's CSV reader gives type
// duck; text for a type MySQL lacks.
func MySQLType(duck string) string {
	u := strings.ToUpper(strings.TrimSpace(duck))
	if t, ok := duckToMySQL[u]; ok {
		return t
	}
	if m := reDecimal.FindStringSubmatch(u); m != nil {
		return "decimal" + strings.ReplaceAll(m[1], " ", "")
	}
	return "text"
}

// typeAliases spell type names of other warehouses that MySQL lacks, so a
// seed's column_types work on each.
var typeAliases = map[string]string{
	"varchar":          "text",
	"string":           "text",
	"integer":          "int",
	"double precision": "double",
	"float8":           "double",
	"timestamp":        "datetime(6)",
	"timestamptz":      "datetime(6)",
	"bool":             "boolean",
}

var (
	reTextType = regexp.MustCompile(`(?i)^\s*(text|tinytext|mediumtext|longtext|varchar|char|character|json)\b`)
	reBoolType = regexp.MustCompile(`(?i)^\s*(bool|boolean|tinyint\(1\))\s*$`)
)

// isTextType reports whether values of type t keep their spaces.
func isTextType(t string) bool { return reTextType.MatchString(t) }

func isBoolType(t string) bool { return reBoolType.MatchString(t) }
