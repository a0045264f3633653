package lineage

import (
	"context"
	"strings"
	"testing"

	"github.com/weir-sh/weir/compiler/internal/corpus"
	"github.com/weir-sh/weir/compiler/sqlparse"
)

// TestCorpus binds every query of the shared SQL corpus, each table it
// reads standing for a table of unknown columns: lineage must not fail
// on any of them, and every edge it finds names a table read and a
// column.
func TestCorpus(t *testing.T) {
	p, err := sqlparse.New()
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	ctx := context.Background()
	aggs, err := p.AggregateFunctions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	nm, err := newNamer(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	d := decoder{aggregates: aggs, names: nm}
	for _, c := range corpus.Load(t, "../sqlparse/testdata/inference-cases.sql") {
		pr := parseOne(ctx, p, d, c.SQL)
		if pr.Query == nil {
			t.Logf("%s: %s", c.Name, pr.Err)
			continue
		}
		read := map[string]bool{}
		b := &binder{relationOf: func(_ int, catalog, schema, name string) *relation {
			id := strings.ToLower(strings.Trim(schema+"."+name, "."))
			read[id] = true
			return &relation{node: id, schema: schema, catalog: catalog, open: true}
		}}
		res := b.query(pr.Query, nil, nil)
		for _, col := range res.cols {
			for _, r := range append(col.srcs, b.filters...) {
				if !read[r.Node] || r.Column == "" {
					t.Errorf("%s: column %s has edge %+v to nothing read (%v)", c.Name, col.name, r, read)
				}
			}
		}
	}
}
