package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestSelectionExitCodes checks that a selector matching nothing is a
// usage error (exit 2) for every command that selects, and that a comma
// inside one --select value is not split into two selectors.
func TestSelectionExitCodes(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"weir.hcl":       "name = \"x\"\ntarget \"dev\" {\n  adapter = \"duckdb\"\n  path    = \"target/x.duckdb\"\n}\n",
		"models/s/a.sql": "SELECT 1 AS id\n",
		"models/s/b.sql": "SELECT id FROM s.a\n",
		"models/t/c.sql": "SELECT 1 AS id\n",
	}
	for name, body := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		args []string
		want int
	}{
		{[]string{"ls", "--select", "s.nope"}, exitUsage},
		{[]string{"ls", "--exclude", "nope"}, exitUsage},
		{[]string{"plan", "--select", "tag:nope"}, exitUsage},
		{[]string{"build", "--select", "nope"}, exitUsage},
		{[]string{"test", "--select", "nope"}, exitUsage},
		{[]string{"ls", "--select", "s.a,s.b"}, exitUsage}, // intersect: nothing in common
		{[]string{"ls", "--select", "s,s.b"}, 0},
	}
	for _, c := range cases {
		args := append([]string{"--project", dir}, c.args...)
		if got := run(args); got != c.want {
			t.Errorf("weir %v: exit %d, want %d", c.args, got, c.want)
		}
	}
}
