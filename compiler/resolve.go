package compiler

import (
	"sort"
	"strings"

	"github.com/agext/levenshtein"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/models"
)

// index finds nodes by the names SQL uses for them, case-insensitively:
// "schema.name", "database.schema.name" for sources in another database,
// and the bare "name" when only one node has it.
type index struct {
	full map[string]*Node
	bare map[string][]*Node
}

func newIndex(nodes []*Node) *index {
	ix := &index{full: map[string]*Node{}, bare: map[string][]*Node{}}
	for _, n := range nodes {
		if n.Kind == models.KindCommand {
			continue // SQL reads the tables it writes, not the command
		}
		ix.full[strings.ToLower(n.ID)] = n
		if n.Source != nil && n.Source.Database != "" {
			ix.full[strings.ToLower(n.Source.Database+"."+n.ID)] = n
		}
		bare := strings.ToLower(n.Name)
		ix.bare[bare] = append(ix.bare[bare], n)
	}
	// A model's physical name also finds it: {{ this }} renders to it, and
	// so may hand-written SQL. Logical names win when the two collide.
	for _, n := range nodes {
		phys := strings.ToLower(n.Relation.Schema + "." + n.Relation.Name)
		if _, taken := ix.full[phys]; !taken && n.Relation.Name != "" && n.Source == nil && n.Kind != models.KindCommand {
			ix.full[phys] = n
		}
	}
	return ix
}

// lookup resolves a reference. It returns the node, or the candidates when
// a bare name is ambiguous.
func (ix *index) lookup(catalog, schema, name string) (*Node, []*Node) {
	key := strings.ToLower(name)
	if schema != "" {
		key = strings.ToLower(schema) + "." + key
	}
	if catalog != "" {
		if n, ok := ix.full[strings.ToLower(catalog)+"."+key]; ok {
			return n, nil
		}
	}
	if schema != "" {
		return ix.full[key], nil
	}
	c := ix.bare[key]
	if len(c) == 1 {
		return c[0], nil
	}
	return nil, c
}

// suggest returns up to three known names closest to the one written.
func (ix *index) suggest(written string) []string {
	written = strings.ToLower(written)
	type cand struct {
		name string
		dist int
	}
	var cs []cand
	for key, n := range ix.full {
		d := levenshtein.Distance(written, key, nil)
		if !strings.Contains(written, ".") {
			d = min(d, levenshtein.Distance(written, strings.ToLower(n.Name), nil))
		}
		if d <= max(2, len(written)/3) {
			cs = append(cs, cand{n.ID, d})
		}
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].dist != cs[j].dist {
			return cs[i].dist < cs[j].dist
		}
		return cs[i].name < cs[j].name
	})
	var out []string
	seen := map[string]bool{}
	for _, c := range cs {
		if !seen[c.name] && len(out) < 3 {
			seen[c.name] = true
			out = append(out, c.name)
		}
	}
	return out
}

// systemSchema reports references to the warehouse's own catalog, which
// need no declaration.
func systemSchema(schema string) bool {
	switch strings.ToLower(schema) {
	case "information_schema", "pg_catalog", "duckdb_catalog":
		return true
	}
	return false
}

// qualifierTarget is the node a column's schema.table qualifier points
// at, or "" to leave it as written: it may name no node (a table and a
// composite column, t.col.field).
func qualifierTarget(n *Node) string {
	if n == nil {
		return ""
	}
	return n.ID
}

// qualifierName is what a column's qualifier naming t is rewritten to:
// t's physical relation, or t's name when a CTE or subquery stands in for
// t (an ephemeral model, a unit test's rows), since rewriteWith aliases
// that FROM item with the name.
func (r *Result) qualifierName(t *Node, subst map[string]string) string {
	if _, ok := subst[t.ID]; ok || t.Materialized == models.MatEphemeral {
		return r.Dialect.QuoteIdent(t.Name)
	}
	return adapters.QuoteRelation(r.Dialect, t.ReadRelation())
}
