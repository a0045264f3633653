package conformance

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/weir-sh/weir/internal/projcopy"
	"github.com/weir-sh/weir/models"
)

// CopyExample copies the example project in src (examples/NAME) to a
// temporary folder, without what a local build left there (target/, the
// DuckDB file), and returns the copy's folder.
func CopyExample(t testing.TB, src string) string {
	t.Helper()
	if _, err := os.Stat(filepath.Join(src, models.ConfigFile)); err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	dir := t.TempDir()
	if err := projcopy.Copy(src, dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

// SplitStatements splits a SQL script at semicolons that end a line,
// leaving out lines that are only a -- comment.
func SplitStatements(script string) []string {
	var out []string
	for _, s := range strings.Split(script, ";\n") {
		var keep []string
		for _, l := range strings.Split(s, "\n") {
			if !strings.HasPrefix(strings.TrimSpace(l), "--") {
				keep = append(keep, l)
			}
		}
		if stmt := strings.TrimSpace(strings.Join(keep, "\n")); stmt != "" {
			out = append(out, strings.TrimSuffix(stmt, ";"))
		}
	}
	return out
}

// SameModelRows checks that every model built by got holds the rows it
// holds in want, in any order (what names got's warehouse), and that
// there were at least min models to compare, none empty in want.
func SameModelRows(t testing.TB, what string, want, got *Project, min int) {
	t.Helper()
	compared := 0
	for id, n := range got.Compile().Nodes {
		if n.Kind != models.KindModel || n.Relation.Name == "" {
			continue
		}
		w := SortRows(want.Strings("SELECT * FROM " + want.Rel(id)))
		g := SortRows(got.Strings("SELECT * FROM " + got.Rel(id)))
		if len(w) == 0 {
			t.Errorf("%s is empty on the reference target; the comparison proves nothing", id)
		}
		EqualRows(t, id+" on "+what, g, w)
		compared++
	}
	if compared < min {
		t.Errorf("compared %d models, want at least %d", compared, min)
	}
	t.Logf("compared %d models", compared)
}
