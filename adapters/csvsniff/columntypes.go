package csvsniff

import (
	"fmt"
	"sort"
	"strings"
)

// ColumnTypes resolves a seed's column_types against the names of the
// file's columns, for adapters that create the seed's table themselves.
// It gives, for each configured column, the index of the file's column
// (the exact name first, then the name without case) and the type as
// written, spelled through aliases (lower-case type name → the warehouse's
// spelling) where it has one. A configured name the file lacks is an
// error that lists the file's columns.
func ColumnTypes(names []string, types, aliases map[string]string) (map[int]string, error) {
	keys := make([]string, 0, len(types))
	for k := range types {
		keys = append(keys, k)
	}
	sort.Strings(keys) // the first missing name is the same every time
	out := make(map[int]string, len(types))
	for _, k := range keys {
		i := indexOf(names, k)
		if i < 0 {
			return nil, fmt.Errorf("column_types names column %q, which the file does not have; its columns are %s", k, strings.Join(names, ", "))
		}
		t := strings.TrimSpace(types[k])
		if alias, ok := aliases[strings.ToLower(t)]; ok {
			t = alias
		}
		out[i] = t
	}
	return out, nil
}

// indexOf is the index of name in names, matched exactly or else without
// case; -1 when absent.
func indexOf(names []string, name string) int {
	for i, n := range names {
		if n == name {
			return i
		}
	}
	for i, n := range names {
		if strings.EqualFold(n, name) {
			return i
		}
	}
	return -1
}
