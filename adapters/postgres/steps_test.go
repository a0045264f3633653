package postgres

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/weir-sh/weir/adapters"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/steps")

// TestStepsGolden pins the SQL of each Postgres materialization: the
// statements are what reach the warehouse, so a change to them shows up
// in review as a diff of testdata/steps/*.sql (rewrite with -update).
func TestStepsGolden(t *testing.T) {
	rel := adapters.Relation{Schema: "Sales Data", Name: "order"}
	cases := []struct {
		name string
		spec adapters.Spec
	}{
		{"table_new", adapters.Spec{Relation: rel, Materialized: adapters.KindTable, SQL: "SELECT 1 AS id"}},
		{"table_over_table", adapters.Spec{Relation: rel, Materialized: adapters.KindTable, SQL: "SELECT 1 AS id", Existing: adapters.KindTable}},
		{"view_new", adapters.Spec{Relation: rel, Materialized: adapters.KindView, SQL: "SELECT 1 AS id"}},
		{"view_over_table", adapters.Spec{Relation: rel, Materialized: adapters.KindView, SQL: "SELECT 1 AS id", Existing: adapters.KindTable}},
		{"table_over_view", adapters.Spec{Relation: rel, Materialized: adapters.KindTable, SQL: "SELECT 1 AS id", Existing: adapters.KindView}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			steps, err := adapters.Steps(Dialect{}, c.spec)
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, c.name, steps)
		})
	}
	// The swap block itself is pinned once per kind it swaps in; the cases
	// above show where it runs.
	t.Run("seed_swap", func(t *testing.T) {
		checkGolden(t, "seed_swap", adapters.SwapSteps(Dialect{}, rel, adapters.KindTable))
	})
	t.Run("swap_view", func(t *testing.T) {
		checkGolden(t, "swap_view", Dialect{}.SwapSteps(rel, adapters.KindTable, adapters.KindView))
	})
}

// swapPlaceholder stands for the swap block in the goldens of the
// materializations that use it.
func swapPlaceholder(sql string) string {
	if !strings.HasPrefix(sql, "DO $weir_swap") {
		return sql
	}
	kind := "TABLE"
	if strings.Contains(sql, "ALTER VIEW ") {
		kind = "VIEW"
	}
	return "-- the swap block (see seed_swap.sql for a table, swap_view.sql for a view): " + kind
}

func checkGolden(t *testing.T, name string, steps []adapters.Step) {
	t.Helper()
	var b strings.Builder
	for _, s := range steps {
		if s.Counts {
			b.WriteString("-- counts rows\n")
		}
		sql := s.SQL
		if name != "seed_swap" && name != "swap_view" {
			sql = swapPlaceholder(sql)
		}
		b.WriteString(sql)
		b.WriteString(";\n\n")
	}
	path := filepath.Join("testdata", "steps", name+".sql")
	if *update {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if b.String() != string(want) {
		t.Errorf("steps differ from %s (rerun with -update if the change is intended):\n%s", path, b.String())
	}
}

// TestSwapTagAvoidsNames checks that a relation name cannot close the
// dollar quote of the swap block.
func TestSwapTagAvoidsNames(t *testing.T) {
	steps := Dialect{}.SwapSteps(adapters.Relation{Schema: "s", Name: "x$weir_swap$y"}, adapters.KindTable, adapters.KindTable)
	sql := steps[0].SQL
	if !strings.HasPrefix(sql, "DO $weir_swap_$") || !strings.HasSuffix(sql, "$weir_swap_$") {
		t.Fatalf("swap block does not use a fresh tag:\n%s", sql[:40])
	}
}
