package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStateFromPostgresPrefix: two targets on one Postgres database,
// told apart by schema_prefix. After a build on prod, editing one model
// makes `ls --select state:modified --state-from prod --target ci` list
// exactly it, read from prod's state schema; build reads it through its own
// connection; weir check reads prod's catalog for tested columns.
func TestStateFromPostgresPrefix(t *testing.T) {
	_, prefix := openTestPostgres(t, "cs_")

	dir := t.TempDir()
	files := map[string]string{
		"weir.hcl": fmt.Sprintf(`name = "pgstate"
default_target = "ci"
target "prod" {
  adapter       = "postgres"
  dsn           = %q
  schema_prefix = %q
}
target "ci" {
  adapter       = "postgres"
  dsn           = %q
  schema_prefix = %q
}
`, testPostgresDSN(), prefix+"prod_", testPostgresDSN(), prefix+"ci_"),
		"models/s/a.sql": "SELECT 1 AS x\n",
		"models/s/b.sql": "SELECT x FROM s.a\n",
		"models/s/c.sql": "SELECT 2 AS y\n",
	}
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	runWeir(t, dir, "build", "--target", "prod")
	if out := runWeir(t, dir, "ls", "--select", "state:modified+", "--state-from", "prod"); strings.Contains(out, "s.") {
		t.Fatalf("nothing changed, yet state:modified+ selects:\n%s", out)
	}
	if err := os.WriteFile(filepath.Join(dir, "models/s/a.sql"), []byte("SELECT 3 AS x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got := listed(runWeir(t, dir, "ls", "--select", "state:modified", "--state-from", "prod"))
	if want := "s.a"; got != want {
		t.Errorf("state:modified lists %q, want %q", got, want)
	}
	got = listed(runWeir(t, dir, "ls", "--select", "state:modified+", "--state-from", "prod"))
	if want := "s.a s.b"; got != want {
		t.Errorf("state:modified+ lists %q, want %q", got, want)
	}
	// build reads prod's state through its own connection (one database).
	out := runWeir(t, dir, "build", "--select", "state:modified+", "--state-from", "prod")
	if !strings.Contains(out, "2 built") || strings.Contains(out, "s.c") {
		t.Errorf("build of state:modified+ on ci:\n%s", out)
	}

	// weir check reads prod's catalog: a test on a column s.c lacks.
	bad := "/* config\ncolumn \"yy\" {\n  test \"not_null\" {}\n}\n*/\nSELECT 2 AS y\n"
	if err := os.WriteFile(filepath.Join(dir, "models/s/c.sql"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := weirProcess(dir, "check", "--target", "prod", "--format", "github")
	outb, err := cmd.CombinedOutput()
	if code := cmd.ProcessState.ExitCode(); code != 1 || !strings.Contains(string(outb), "::error file=models/s/c.sql,line=2,col=1::Unknown column yy: s.c declares tests on column yy, which "+prefix+"prod_s.c does not have on target prod (its columns: y)") {
		t.Errorf("check with a bad column on Postgres: exit %d (%v)\n%s", code, err, outb)
	}
}

// listed is the names in the first column of weir ls's table.
func listed(out string) string {
	var names []string
	for _, line := range strings.Split(out, "\n")[1:] {
		if f := strings.Fields(line); len(f) > 0 {
			names = append(names, f[0])
		}
	}
	return strings.Join(names, " ")
}
