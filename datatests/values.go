package datatests

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/zclconf/go-cty/cty"

	"github.com/weir-sh/weir/models"
)

// nullValue stands for a cell a row leaves out.
var nullValue = cty.NullVal(cty.String)

// formatCell prints a value read from a warehouse: NULL, dates as
// YYYY-MM-DD, timestamps as YYYY-MM-DD HH:MM:SS[.frac], the rest as Go
// prints it.
func formatCell(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case []byte:
		return string(x)
	case time.Time:
		return formatTime(x)
	case float32:
		return strconv.FormatFloat(float64(x), 'g', -1, 32)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

func formatTime(t time.Time) string {
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
		return t.Format("2006-01-02")
	}
	if t.Nanosecond() != 0 {
		return t.Format("2006-01-02 15:04:05.999999")
	}
	return t.Format("2006-01-02 15:04:05")
}

// showActual writes a warehouse value of SQL type typ the way the unit
// test file would: strings and times quoted, numbers and bools bare, null.
func showActual(v any, typ string) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		if numericType(typ) {
			return x // Postgres hands numeric values over as text
		}
		return strconv.Quote(x)
	case []byte:
		return strconv.Quote(string(x))
	case time.Time:
		return strconv.Quote(formatTime(x))
	case bool:
		return strconv.FormatBool(x)
	}
	s := formatCell(v)
	if _, ok := numeric(v); ok {
		return s
	}
	return strconv.Quote(s)
}

// numericType reports whether a type name is a number's.
func numericType(typ string) bool {
	switch n, _ := canonicalType("", typ); n {
	case "decimal", "integer", "bigint", "smallint", "tinyint", "hugeint", "double", "real":
		return true
	}
	return false
}

// showExpected writes an expected cell as it is written in the file.
func showExpected(v cty.Value) string {
	switch {
	case v.IsNull():
		return "null"
	case v.Type() == cty.String:
		return strconv.Quote(v.AsString())
	case v.Type() == cty.Number:
		return numberText(v)
	case v.Type() == cty.Bool:
		return strconv.FormatBool(v.True())
	}
	return v.GoString()
}

// cellEqual compares a warehouse value with an expected one: numbers by
// value (floats within a relative 1e-9), times as instants (the expected
// written as a date or timestamp string), the rest by text.
func cellEqual(actual any, want cty.Value) bool {
	if want.IsNull() || actual == nil {
		return want.IsNull() && actual == nil
	}
	wantText := ""
	switch want.Type() {
	case cty.String:
		wantText = want.AsString()
	case cty.Number:
		wantText = numberText(want)
	case cty.Bool:
		wantText = strconv.FormatBool(want.True())
	default:
		return false
	}
	switch x := actual.(type) {
	case bool:
		return strings.EqualFold(wantText, strconv.FormatBool(x))
	case time.Time:
		t, err := models.ParseTime(wantText)
		return err == nil && t.Equal(x)
	case float32, float64:
		a, _ := numeric(actual)
		w, ok := new(big.Float).SetString(wantText)
		if !ok {
			return false
		}
		af, _ := a.Float64()
		wf, _ := w.Float64()
		return af == wf || math.Abs(af-wf) <= 1e-9*math.Max(math.Abs(af), math.Abs(wf))
	}
	if a, ok := numeric(actual); ok {
		if w, ok := new(big.Float).SetPrec(256).SetString(wantText); ok {
			return a.Cmp(w) == 0
		}
	}
	if want.Type() == cty.Number {
		// Postgres hands numeric values over as text.
		a, ok1 := new(big.Float).SetPrec(256).SetString(formatCell(actual))
		w, ok2 := new(big.Float).SetPrec(256).SetString(wantText)
		return ok1 && ok2 && a.Cmp(w) == 0
	}
	return formatCell(actual) == wantText
}

// numeric reads a warehouse value that is a number.
func numeric(v any) (*big.Float, bool) {
	f := new(big.Float).SetPrec(256)
	switch x := v.(type) {
	case int:
		return f.SetInt64(int64(x)), true
	case int8:
		return f.SetInt64(int64(x)), true
	case int16:
		return f.SetInt64(int64(x)), true
	case int32:
		return f.SetInt64(int64(x)), true
	case int64:
		return f.SetInt64(x), true
	case uint8:
		return f.SetUint64(uint64(x)), true
	case uint16:
		return f.SetUint64(uint64(x)), true
	case uint32:
		return f.SetUint64(uint64(x)), true
	case uint64:
		return f.SetUint64(x), true
	case float32:
		return f.SetFloat64(float64(x)), true
	case float64:
		return f.SetFloat64(x), true
	case *big.Int:
		return f.SetInt(x), true
	case fmt.Stringer:
		// DuckDB's Decimal prints as a plain number.
		if _, ok := f.SetString(x.String()); ok {
			return f, true
		}
	}
	return nil, false
}
