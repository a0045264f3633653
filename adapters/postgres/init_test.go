package postgres

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/weir-sh/weir/internal/servertest"
)

// freshDatabase creates a database of its own for the test and drops it
// afterwards, and returns the DSN that reaches it.
func freshDatabase(t *testing.T) string {
	t.Helper()
	db := server.Admin(t)
	b := make([]byte, 5)
	rand.Read(b)
	name := "weir_test_" + hex.EncodeToString(b)
	if _, err := db.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := db.Exec("DROP DATABASE " + name + " WITH (FORCE)"); err != nil {
			t.Errorf("cleanup: %v", err)
		}
	})
	return withDatabase(t, server.DSN(), name)
}

// TestInitPostgres sets up Postgres with one command: in a new folder the
// default target is the given DSN and builds; in an existing project a
// target "pg" reading env("WEIR_PG_DSN") is appended without changing a
// byte of what was there, and builds; a second init changes nothing.
func TestInitPostgres(t *testing.T) {
	bin := servertest.Weir(t)
	dsn := freshDatabase(t)
	envDSN := freshDatabase(t) // the old project's, from the environment
	root := t.TempDir()
	weir := func(dir string, args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "WEIR_PG_DSN="+envDSN, "NO_COLOR=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("weir %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}

	weir(root, "init", "fresh", "--adapter", "postgres", "--dsn", dsn)
	if out := weir(filepath.Join(root, "fresh"), "build"); !strings.Contains(out, "example.hello (table, 1 row)") {
		t.Errorf("build on the new project's default target:\n%s", out)
	}

	weir(root, "init", "old")
	before, _ := os.ReadFile(filepath.Join(root, "old", "weir.hcl"))
	if out := weir(root, "init", "old", "--adapter", "postgres", "--dsn", `env("WEIR_PG_DSN")`); !strings.Contains(out, `added    target "pg"`) {
		t.Errorf("init in an existing project:\n%s", out)
	}
	after, _ := os.ReadFile(filepath.Join(root, "old", "weir.hcl"))
	if !strings.HasPrefix(string(after), string(before)) || !strings.Contains(string(after[len(before):]), `dsn     = env("WEIR_PG_DSN")`) {
		t.Errorf("weir.hcl was not only appended to:\n%s", after)
	}
	if out := weir(filepath.Join(root, "old"), "build", "--target", "pg"); !strings.Contains(out, "1 built, 0 failed") {
		t.Errorf("build --target pg:\n%s", out)
	}
	if out := weir(filepath.Join(root, "old"), "build"); !strings.Contains(out, "1 built, 0 failed") {
		t.Errorf("the DuckDB default target no longer builds:\n%s", out)
	}
	weir(root, "init", "old", "--adapter", "postgres", "--dsn", `env("WEIR_PG_DSN")`)
	again, _ := os.ReadFile(filepath.Join(root, "old", "weir.hcl"))
	if string(again) != string(after) {
		t.Errorf("a second init changed weir.hcl:\n%s", again)
	}
}
