package lineage

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/weir-sh/weir/compiler/sqlparse"
)

// namer gives a select item without an alias the name DuckDB gives it:
// the expression's text as DuckDB writes it (count_star(), (id + 1)),
// found by deparsing a one-item SELECT made from a template tree.
type namer struct {
	ctx  context.Context
	p    *sqlparse.Parser
	tmpl map[string]any // the tree of SELECT 1
}

func newNamer(ctx context.Context, p *sqlparse.Parser) (*namer, error) {
	js, err := p.Tree(ctx, "SELECT 1")
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(strings.NewReader(js))
	dec.UseNumber() // query_location 2^64-1 must stay an integer
	var tmpl map[string]any
	if err := dec.Decode(&tmpl); err != nil {
		return nil, err
	}
	return &namer{ctx: ctx, p: p, tmpl: tmpl}, nil
}

// name returns the name of expression e, "" when DuckDB cannot say.
func (n *namer) name(e map[string]any) string {
	if n == nil {
		return ""
	}
	stmts := list(n.tmpl["statements"])
	if len(stmts) != 1 {
		return ""
	}
	stmt := clone(obj(stmts[0]))
	node := clone(obj(stmt["node"]))
	node["select_list"] = []any{e}
	stmt["node"] = node
	top := clone(n.tmpl)
	top["statements"] = []any{stmt}
	js, err := json.Marshal(top)
	if err != nil {
		return ""
	}
	sql, err := n.p.Deparse(n.ctx, string(js))
	if err != nil || !strings.HasPrefix(sql, "SELECT ") {
		return ""
	}
	return strings.TrimPrefix(sql, "SELECT ")
}

func clone(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
