package dbt

import (
	"fmt"
	"strings"

	"github.com/nikolalohinski/gonja/v2/exec"
)

// crossDB is dbt's namespace of cross-database macros (dbt.date_trunc …),
// written as SQL that DuckDB and Postgres read alike; any other is an
// error naming it.
func (r *rendering) crossDB() map[string]any {
	out := map[string]any{
		"date_trunc": func(va *exec.VarArgs) (string, error) {
			part, date := arg(va, 0, "datepart"), arg(va, 1, "date")
			if part == nil || date == nil {
				return "", fmt.Errorf("dbt.date_trunc needs datepart and date")
			}
			return fmt.Sprintf("date_trunc('%s', %s)", part.String(), date.String()), nil
		},
		"dateadd": func(va *exec.VarArgs) (string, error) {
			part, n, from := arg(va, 0, "datepart"), arg(va, 1, "interval"), arg(va, 2, "from_date_or_timestamp")
			if part == nil || n == nil || from == nil {
				return "", fmt.Errorf("dbt.dateadd needs datepart, interval and from_date_or_timestamp")
			}
			return fmt.Sprintf("(%s + (%s) * INTERVAL '1 %s')", from.String(), n.String(), part.String()), nil
		},
		"concat": func(va *exec.VarArgs) (string, error) {
			fields := stringList(arg(va, 0, "fields"))
			if len(fields) == 0 {
				return "", fmt.Errorf("dbt.concat needs a list of fields")
			}
			return "(" + strings.Join(fields, " || ") + ")", nil
		},
		"current_timestamp": func() string { return "current_timestamp" },
		"type_string":       func() string { return "VARCHAR" },
		"type_int":          func() string { return "INTEGER" },
		"type_bigint":       func() string { return "BIGINT" },
		"type_timestamp":    func() string { return "TIMESTAMP" },
		"type_boolean":      func() string { return "BOOLEAN" },
	}
	for _, name := range []string{"datediff", "safe_cast", "split_part", "listagg", "last_day", "hash",
		"type_numeric", "type_float", "cast_bool_to_text", "any_value", "bool_or", "position", "replace",
		"right", "length", "escape_single_quotes", "string_literal", "array_construct", "array_append", "array_concat"} {
		out[name] = unsupported("dbt." + name)
	}
	return out
}
