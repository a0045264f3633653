package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLineagePostgres reads a source's columns from a real Postgres: a *
// over a source that declares none is expanded from the catalog, and a
// model DuckDB's grammar refuses is reported, not guessed.
func TestLineagePostgres(t *testing.T) {
	db, prefix := openTestPostgres(t, "wl_")
	app := prefix + "app"
	if _, err := db.Exec(fmt.Sprintf(`CREATE SCHEMA %q; CREATE TABLE %q.events (id int, kind text, "At" timestamp)`, app, app)); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name, body string) {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("weir.hcl", fmt.Sprintf(`name = "pglineage"
target "pg" {
  adapter       = "postgres"
  dsn           = %q
  schema_prefix = %q
}
source "app" {
  physical_schema = %q
  table "events" {}
}
`, testPostgresDSN(), prefix, app))
	write("models/stg/events.sql", "SELECT * FROM app.events\n")
	write("models/stg/refused.sql", "SELECT e.id at FROM app.events e\n")

	out := runWeir(t, dir, "lineage", "stg.events.At")
	if out != "app.events.At\n" {
		t.Errorf("lineage stg.events.At = %q, want app.events.At from the catalog", out)
	}
	cmd := weirProcess(dir, "lineage", "stg.refused.at")
	b, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(b), "DuckDB's parser cannot read its SQL") || !strings.Contains(string(b), "models/stg/refused.sql:1:") {
		t.Errorf("lineage of a model DuckDB refuses: %v\n%s", err, b)
	}
}
