package compiler_test

import (
	"strings"
	"testing"
)

// TestUnknownTableSuggestsOthers: the nearest names offered for a typo
// leave out the model that made it (reading itself would be a cycle).
func TestUnknownTableSuggestsOthers(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"weir.hcl":       "name = \"s\"\ntarget \"dev\" {\n  adapter = \"duckdb\"\n  path = \":memory:\"\n}\n",
		"models/s/a.sql": "SELECT 1 AS id\n",
		"models/s/b.sql": "SELECT id FROM s.aa\n",
	})
	_, msgs := compileDir(t, dir)
	if !strings.Contains(msgs, "Did you mean s.a?") {
		t.Errorf("want the suggestion s.a alone, got:\n%s", msgs)
	}
}
