package sqlparse

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestTree(t *testing.T) {
	p, err := New()
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	ctx := context.Background()
	js, err := p.Tree(ctx, "SELECT a AS b FROM s.t")
	if err != nil || !strings.Contains(js, `"table_name":"t"`) || !strings.Contains(js, `"alias":"b"`) {
		t.Errorf("Tree = %.200s, %v", js, err)
	}
	_, err = p.Tree(ctx, "SELECT a FROM FROM t")
	var se *SyntaxError
	if !errors.As(err, &se) || se.Offset != 14 {
		t.Errorf("syntax error: %v, want a *SyntaxError at byte 14", err)
	}
	_, err = p.Tree(ctx, "DROP TABLE t")
	var ns *NotSelectError
	if !errors.As(err, &ns) || ns.Kind != "DROP" {
		t.Errorf("DROP: %v, want a *NotSelectError", err)
	}
	aggs, err := p.AggregateFunctions(ctx)
	if err != nil || !aggs["sum"] || !aggs["count_star"] || aggs["abs"] {
		t.Errorf("AggregateFunctions: sum %v, count_star %v, abs %v (%v)", aggs["sum"], aggs["count_star"], aggs["abs"], err)
	}
}

func TestDeparse(t *testing.T) {
	p, err := New()
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	ctx := context.Background()
	js, err := p.Tree(ctx, "SELECT count(*), id+1, a::varchar FROM t")
	if err != nil {
		t.Fatal(err)
	}
	sql, err := p.Deparse(ctx, js)
	if want := "SELECT count_star(), (id + 1), CAST(a AS VARCHAR) FROM t"; err != nil || sql != want {
		t.Errorf("Deparse = %q, %v; want %q", sql, err, want)
	}
}
