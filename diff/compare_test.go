package diff_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/adapters/duckdb"
	"github.com/weir-sh/weir/diff"
	"github.com/weir-sh/weir/models"
)

// TestCompareOnDuckDB compares two real tables: a column removed, one
// added, one retyped (compared as text), NULLs that differ, rows added,
// removed and changed by key; then the same without a key.
func TestCompareOnDuckDB(t *testing.T) {
	ctx := context.Background()
	a, err := duckdb.Open(&models.Target{Name: "t", Adapter: "duckdb", Path: ":memory:", Threads: 1}, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	for _, s := range []string{
		"CREATE SCHEMA p", "CREATE SCHEMA c",
		"CREATE TABLE p.t AS SELECT * FROM (VALUES (1, 10, 'a', 'x'), (2, 20, NULL, 'x'), (3, 30, 'c', 'x'), (4, 40, 'd', 'x')) AS v(id, n, s, gone)",
		"CREATE TABLE c.t AS SELECT * FROM (VALUES (1, '10', 'a', 1), (2, '20', 'b', 1), (4, '41', 'd', 1), (5, '50', 'e', 1)) AS v(id, n, s, added)",
	} {
		if _, err := a.Exec(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	spec := diff.Spec{Model: "s.t", Base: adapters.Relation{Schema: "p", Name: "t"}, Head: adapters.Relation{Schema: "c", Name: "t"}, Key: []string{"id"}, Samples: 5}
	r, err := diff.Compare(ctx, a, spec)
	if err != nil {
		t.Fatal(err)
	}
	got := []any{r.Status, r.ColumnsAdded, r.ColumnsRemoved, r.ColumnsRetyped, r.BaseRows, r.HeadRows, r.RowsAdded, r.RowsRemoved, r.RowsChanged, r.Samples.Changed}
	want := []any{diff.Changed,
		[]diff.Column{{Name: "added", Type: "INTEGER"}}, []diff.Column{{Name: "gone", Type: "VARCHAR"}},
		[]diff.Retyped{{Name: "n", Base: "INTEGER", Head: "VARCHAR"}},
		int64(4), int64(4), int64(1), int64(1), int64(2),
		[]diff.ChangedRow{
			{Key: []any{int32(2)}, Changes: []diff.CellDiffs{{Column: "s", Base: nil, Head: "b"}}},
			{Key: []any{int32(4)}, Changes: []diff.CellDiffs{{Column: "n", Base: int32(40), Head: "41"}}},
		}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("keyed (-want +got):\n%s", d)
	}

	spec.Key = nil
	if r, err = diff.Compare(ctx, a, spec); err != nil {
		t.Fatal(err)
	}
	if r.RowsAdded != 3 || r.RowsRemoved != 3 || r.RowsChanged != 0 || len(r.Samples.Added.Rows) != 3 {
		t.Errorf("whole rows: added %d, removed %d, changed %d, samples %v; want 3, 3, 0 and 3 rows", r.RowsAdded, r.RowsRemoved, r.RowsChanged, r.Samples.Added)
	}
}
