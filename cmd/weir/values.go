package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/weir-sh/weir/adapters"
)

// cell renders one value of a result for table and CSV output: scalars as
// text (null for NULL), lists, structs and maps as SQL literals: [1, 2],
// {'a': 1}, MAP {'k': 'v'}. typ is the column's type as the driver names it.
func cell(v any, typ, null string) string {
	switch x := v.(type) {
	case nil:
		return null
	case string:
		if typ == "UUID" && len(x) == 16 { // the driver's 16 bytes
			return formatUUID([]byte(x))
		}
		return x
	case []byte:
		return cell(string(x), typ, null)
	case time.Time:
		return formatTime(x)
	case duckdb.UUID:
		return formatUUID(x[:])
	case duckdb.Interval:
		return formatInterval(x)
	}
	return literal(v)
}

// literal writes a value as SQL would: strings and times quoted, nested
// lists, structs and maps in DuckDB's literal syntax.
func literal(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case string:
		return quote(x)
	case []byte:
		return quote(string(x))
	case time.Time:
		return quote(formatTime(x))
	case duckdb.UUID:
		return quote(formatUUID(x[:]))
	case duckdb.Interval:
		return quote(formatInterval(x))
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = literal(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys) // the driver hands structs over as Go maps, unordered
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = quote(k) + ": " + literal(x[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case duckdb.OrderedMap:
		keys, vals := x.Keys(), x.Values()
		parts := make([]string, len(keys))
		for i := range keys {
			parts[i] = literal(keys[i]) + ": " + literal(vals[i])
		}
		return "MAP {" + strings.Join(parts, ", ") + "}"
	}
	return fmt.Sprint(v)
}

// quote writes a string as a SQL literal, for display.
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func formatTime(t time.Time) string {
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
		return t.Format("2006-01-02")
	}
	return t.Format("2006-01-02 15:04:05.999999")
}

func formatUUID(b []byte) string {
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// formatInterval writes an interval as DuckDB prints one: "1 year 2
// months 3 days 04:05:06".
func formatInterval(iv duckdb.Interval) string {
	var parts []string
	if y, m := iv.Months/12, iv.Months%12; y != 0 || m != 0 {
		if y != 0 {
			parts = append(parts, plural(int(y), "year"))
		}
		if m != 0 {
			parts = append(parts, plural(int(m), "month"))
		}
	}
	if iv.Days != 0 {
		parts = append(parts, plural(int(iv.Days), "day"))
	}
	if iv.Micros != 0 || len(parts) == 0 {
		d := time.Duration(iv.Micros) * time.Microsecond
		sign := ""
		if d < 0 {
			sign, d = "-", -d
		}
		s := fmt.Sprintf("%s%02d:%02d:%02d", sign, int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60)
		if us := d % time.Second; us != 0 {
			s += strings.TrimRight(fmt.Sprintf(".%06d", us/time.Microsecond), "0")
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

// jsonValue keeps JSON-native values, lists and structs as JSON arrays and
// objects, and renders the rest as text.
func jsonValue(v any, typ string) any {
	switch x := v.(type) {
	case string:
		return cell(x, typ, "")
	case nil, bool, int, int8, int16, int32, int64, uint8, uint16, uint32, uint64, float32, float64:
		return v
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonValue(e, "")
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = jsonValue(e, "")
		}
		return out
	}
	return cell(v, typ, "")
}

// rowsJSON writes a result as a JSON array of objects whose keys keep the
// columns' order.
func rowsJSON(rows *adapters.Rows) ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('[')
	for i, r := range rows.Values {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('{')
		for j, c := range rows.Columns {
			if j > 0 {
				b.WriteByte(',')
			}
			k, _ := json.Marshal(c)
			v, err := json.Marshal(jsonValue(r[j], colType(rows, j)))
			if err != nil {
				return nil, err
			}
			b.Write(k)
			b.WriteByte(':')
			b.Write(v)
		}
		b.WriteByte('}')
	}
	b.WriteByte(']')
	var out bytes.Buffer
	if err := json.Indent(&out, b.Bytes(), "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

func colType(rows *adapters.Rows, i int) string {
	if i < len(rows.Types) {
		return rows.Types[i]
	}
	return ""
}
