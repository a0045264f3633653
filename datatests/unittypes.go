package datatests

import (
	"context"
	"strings"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/models"
)

// catalogTypes finds types for the given columns that have none: no
// declared type and no value in any row (rows = [] above all). Written
// as NULL, such a column is text on Postgres, and a model doing
// arithmetic on it fails. Their types are those of the relation the rows
// stand in for, read from the warehouse's catalog when it exists. The
// result is by input (as u.inputs), then by lower-cased column; nil when
// nothing was found.
func (u *Unit) catalogTypes(ctx context.Context, a adapters.Adapter) []map[string]string {
	cat, ok := a.(adapters.Cataloger)
	if !ok {
		return nil
	}
	var out []map[string]string
	for i, in := range u.inputs {
		untyped := untypedColumns(in)
		if len(untyped) == 0 || in.rel.Name == "" {
			continue
		}
		cols, err := cat.Columns(ctx, in.rel)
		if err != nil {
			continue // not built yet, or unreadable: the rows stay untyped
		}
		found := map[string]string{}
		for _, c := range cols {
			lc := strings.ToLower(c.Name)
			if untyped[lc] && models.CheckTypeName(c.Type) == nil {
				found[lc] = c.Type
			}
		}
		if len(found) > 0 {
			if out == nil {
				out = make([]map[string]string, len(u.inputs))
			}
			out[i] = found
		}
	}
	return out
}

// untypedColumns are the lower-cased columns of in with no declared type
// and no non-null value.
func untypedColumns(in unitInput) map[string]bool {
	out := map[string]bool{}
	for _, c := range in.rows.Columns {
		lc := strings.ToLower(c)
		if in.types[lc] != "" {
			continue
		}
		valued := false
		for _, r := range in.rows.Rows {
			if v, ok := r.Values[c]; ok && !v.IsNull() {
				valued = true
				break
			}
		}
		if !valued {
			out[lc] = true
		}
	}
	return out
}
