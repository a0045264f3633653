package conformance

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// Model writes a model file: a config header setting materialized (when
// not empty) and the SQL.
func Model(materialized, sql string) string {
	if materialized == "" {
		return sql + "\n"
	}
	return fmt.Sprintf("/* config\nmaterialized = %q\n*/\n%s\n", materialized, sql)
}

// Rows builds expected canonical rows from lines of "|"-separated values.
func Rows(lines ...string) [][]string {
	out := make([][]string, len(lines))
	for i, l := range lines {
		out[i] = strings.Split(l, "|")
	}
	return out
}

// EqualRows fails the test when got and want differ.
func EqualRows(t testing.TB, what string, got, want [][]string) {
	t.Helper()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %s\nwant %s", what, show(got), show(want))
	}
}

func show(rows [][]string) string {
	parts := make([]string, len(rows))
	for i, r := range rows {
		parts[i] = strings.Join(r, "|")
	}
	return "[" + strings.Join(parts, "; ") + "]"
}

func itoa(n int) string { return fmt.Sprint(n) }

func atoi(s string) int {
	n := 0
	fmt.Sscan(s, &n)
	return n
}
