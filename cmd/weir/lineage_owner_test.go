package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestLineageThroughOwner runs weir lineage while weir watch owns the
// DuckDB file: the source's columns come from the warehouse through the
// owner, so a * over the source expands.
func TestLineageThroughOwner(t *testing.T) {
	dir := slowProject(t)
	os.WriteFile(filepath.Join(dir, "weir.hcl"), []byte("name = \"slow\"\ntarget \"dev\" {\n  adapter = \"duckdb\"\n  path = \"target/slow.duckdb\"\n}\nsource \"app\" {\n  table \"events\" {}\n}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "models", "s", "events.sql"), []byte("SELECT * FROM app.events\n"), 0o644)
	runWeir(t, dir, "query", "CREATE SCHEMA app; CREATE TABLE app.events (id INTEGER, kind VARCHAR)")
	startOwner(t, dir)
	if got := runWeir(t, dir, "lineage", "s.events.kind"); got != "app.events.kind\n" {
		t.Errorf("lineage through the owner = %q, want app.events.kind from the warehouse's catalog", got)
	}
}
