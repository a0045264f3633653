package conformance

import (
	"fmt"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/weir-sh/weir/adapters"
)

// Canonical writes every value of rows as a string that is the same for
// the same value on any warehouse: NULL for null, true/false, integers in
// decimal, other numbers (floats, and numeric/decimal values that drivers
// return as text or as their own types) with 10 significant digits and no
// trailing zeros, dates as 2006-01-02 and timestamps as
// 2006-01-02 15:04:05.999999 (in UTC when they carry a zone).
func Canonical(rows *adapters.Rows) [][]string {
	out := make([][]string, len(rows.Values))
	for i, r := range rows.Values {
		out[i] = make([]string, len(r))
		for j, v := range r {
			typ := ""
			if j < len(rows.Types) {
				typ = rows.Types[j]
			}
			out[i][j] = canonicalValue(v, typ)
		}
	}
	return out
}

// SortRows sorts canonical rows, for comparing results whose order the
// SQL does not fix.
func SortRows(rows [][]string) [][]string {
	sort.Slice(rows, func(i, j int) bool {
		return strings.Join(rows[i], "\x00") < strings.Join(rows[j], "\x00")
	})
	return rows
}

func canonicalValue(v any, typ string) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case bool:
		return strconv.FormatBool(x)
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return fmt.Sprint(x)
	case *big.Int:
		return x.String()
	case float32:
		return canonicalFloat(float64(x))
	case float64:
		return canonicalFloat(x)
	case time.Time:
		x = x.UTC()
		if strings.EqualFold(typ, "DATE") {
			return x.Format("2006-01-02")
		}
		return x.Format("2006-01-02 15:04:05.999999")
	case []byte:
		return canonicalText(string(x), typ)
	case string:
		return canonicalText(x, typ)
	case interface{ Float64() float64 }: // e.g. DuckDB's Decimal
		return canonicalFloat(x.Float64())
	}
	return fmt.Sprint(v)
}

func canonicalText(s, typ string) string {
	switch TypeFamily(typ) {
	case "numeric", "int":
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return canonicalFloat(f)
		}
	}
	return s
}

func canonicalFloat(f float64) string {
	if f == float64(int64(f)) && f < 1e15 && f > -1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'g', 10, 64)
}

// TypeFamily groups a warehouse's type name into int, numeric, bool,
// date, time, timestamp or text, so tests can say what kind of column a
// seed or model has on any warehouse; other types come back lower-cased.
func TypeFamily(t string) string {
	t = strings.ToLower(strings.TrimSpace(t))
	if t == "tinyint(1)" {
		return "bool" // MySQL's BOOLEAN
	}
	if i := strings.IndexByte(t, '('); i >= 0 {
		t = strings.TrimSpace(t[:i]) + t[strings.IndexByte(t, ')')+1:]
	}
	switch t {
	case "tinyint", "smallint", "integer", "int", "bigint", "hugeint", "int2", "int4", "int8",
		"utinyint", "usmallint", "uinteger", "ubigint", "uhugeint":
		return "int"
	case "numeric", "decimal", "double", "double precision", "real", "float", "float4", "float8":
		return "numeric"
	case "boolean", "bool":
		return "bool"
	case "date":
		return "date"
	case "time", "time without time zone":
		return "time"
	case "timestamp", "datetime", "timestamp without time zone", "timestamptz", "timestamp with time zone":
		return "timestamp"
	case "text", "tinytext", "mediumtext", "longtext", "varchar", "character varying", "char", "character", "bpchar", "string":
		return "text"
	}
	return t
}
