package planner

import (
	"slices"
	"testing"

	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/models"
)

func node(id, name, path string, tags ...string) *compiler.Node {
	m := &models.Model{}
	m.Config.Tags = tags
	return &compiler.Node{ID: id, Name: name, Kind: models.KindModel, Path: path, Model: m, Materialized: models.MatTable}
}

// TestMatches checks each selector method on hand-made nodes, the default
// (no method) reading folders and paths as dbt does.
func TestMatches(t *testing.T) {
	y := node("marts.y", "y", "models/marts/finance/y.sql", "daily")
	src := &compiler.Node{ID: "raw.events", Name: "events", Kind: models.KindSource}
	src.Relation.Schema = "raw"
	cases := []struct {
		n             *compiler.Node
		method, value string
		want          bool
	}{
		{y, "", "marts.y", true},
		{y, "", "y", true},
		{y, "", "marts", true},
		{y, "", "marts.finance", true},
		{y, "", "Marts.Fin*", true},
		{y, "", "finance", false},
		{y, "", "models/marts", true},
		{y, "", "models/marts/finance/y.sql", true},
		{y, "", "models/mart", false},
		{y, "", "y.sql", false}, // a path is relative to the project
		{y, "name", "marts", false},
		{y, "fqn", "marts.finance.y", true},
		{y, "path", "models/marts/", true},
		{y, "file", "y.sql", true},
		{y, "file", "y", true},
		{y, "tag", "daily", true},
		{y, "tag", "pii", false},
		{y, "materialized", "table", true},
		{y, "kind", "model", true},
		{src, "", "raw", true},
		{src, "source", "raw", true},
		{src, "source", "raw.events", true},
		{y, "source", "marts", false},
		{src, "path", "models", false},
	}
	for _, c := range cases {
		got, err := matches(c.n, c.method, c.value)
		if err != nil || got != c.want {
			t.Errorf("matches(%s, %q, %q) = %v, %v; want %v", c.n.ID, c.method, c.value, got, err, c.want)
		}
	}
	if _, err := matches(y, "bogus", "x"); err == nil {
		t.Error("an unknown method is an error")
	}
}

func TestNearest(t *testing.T) {
	got := nearest("stg.ordrs", []string{"marts.orders", "stg.orders", "stg.order_items", "stg"}, 2)
	if want := []string{"stg.orders", "marts.orders"}; !slices.Equal(got, want) {
		t.Errorf("nearest = %v, want %v", got, want)
	}
}
