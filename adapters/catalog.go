package adapters

import (
	"context"
	"fmt"
	"strings"
)

// ColumnLister is a Cataloger that lists the columns of every relation of
// the warehouse in one query, for readers of thousands of relations (the
// docs site).
type ColumnLister interface {
	AllColumns(ctx context.Context) (map[Relation][]ColumnInfo, error)
}

// CatalogColumns returns the columns of each of rels that exists, keyed by
// the relation as given, matched without regard to case. It asks a
// ColumnLister once, or else a Cataloger relation by relation; an adapter
// with neither yields nil.
func CatalogColumns(ctx context.Context, a Adapter, rels []Relation) (map[Relation][]ColumnInfo, error) {
	out := map[Relation][]ColumnInfo{}
	if l, ok := a.(ColumnLister); ok {
		all, err := l.AllColumns(ctx)
		if err != nil {
			return nil, err
		}
		folded := make(map[Relation][]ColumnInfo, len(all))
		for r, cs := range all {
			folded[foldRelation(r)] = cs
		}
		for _, r := range rels {
			if cs, ok := folded[foldRelation(r)]; ok {
				out[r] = cs
			}
		}
		return out, nil
	}
	c, ok := a.(Cataloger)
	if !ok {
		return nil, nil
	}
	for _, r := range rels {
		cs, err := c.Columns(ctx, r)
		if err != nil {
			return nil, err
		}
		if len(cs) > 0 {
			out[r] = cs
		}
	}
	return out, nil
}

// GroupColumns groups query rows of (schema, table, column, type), in
// column order, by relation: what a ColumnLister returns.
func GroupColumns(rows *Rows) map[Relation][]ColumnInfo {
	out := map[Relation][]ColumnInfo{}
	for _, r := range rows.Values {
		rel := Relation{Schema: text(r[0]), Name: text(r[1])}
		out[rel] = append(out[rel], ColumnInfo{Name: text(r[2]), Type: text(r[3])})
	}
	return out
}

// RelationRows reads query rows of (schema, name, kind), the kind
// KindTable or KindView: what a Cataloger's Relations returns.
func RelationRows(rows *Rows) []RelationInfo {
	out := make([]RelationInfo, 0, len(rows.Values))
	for _, r := range rows.Values {
		out = append(out, RelationInfo{Relation: Relation{Schema: text(r[0]), Name: text(r[1])}, Kind: text(r[2])})
	}
	return out
}

// ColumnRows reads query rows of (column, type), in column order: what a
// Cataloger's Columns returns.
func ColumnRows(rows *Rows) []ColumnInfo {
	out := make([]ColumnInfo, 0, len(rows.Values))
	for _, r := range rows.Values {
		out = append(out, ColumnInfo{Name: text(r[0]), Type: text(r[1])})
	}
	return out
}

// text is a catalog value as a string (some drivers give bytes).
func text(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case []byte:
		return string(v)
	}
	return fmt.Sprint(v)
}

func foldRelation(r Relation) Relation {
	return Relation{Database: strings.ToLower(r.Database), Schema: strings.ToLower(r.Schema), Name: strings.ToLower(r.Name)}
}
