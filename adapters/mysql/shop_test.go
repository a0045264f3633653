package mysql

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	_ "github.com/weir-sh/weir/adapters/duckdb"
	"github.com/weir-sh/weir/internal/servertest"
	"github.com/weir-sh/weir/models"
	"github.com/weir-sh/weir/tests/conformance"
)

// TestShopMatchesDuckDB builds examples/shop on DuckDB (target dev) and
// on MySQL (target mysql, its source tables loaded with weir query --file
// setup.sql) and compares every model's rows, in any order.
// The copy builds in databases of a prefix of its own: the mysql target's
// schema_prefix and the app source's physical_schema are rewritten, so
// that nothing on the server collides with it.
func TestShopMatchesDuckDB(t *testing.T) {
	prefix := uniquePrefix(t)
	dir := conformance.CopyExample(t, filepath.Join("..", "..", "examples", "shop"))
	t.Setenv("WEIR_MYSQL_DSN", server.DSN())
	app := prefix + "app"
	rewrite(t, filepath.Join(dir, models.ConfigFile), func(s string) string {
		s = strings.Replace(s, `source "app" {`, `source "app" {`+"\n  physical_schema = \""+app+"\"", 1)
		return strings.ReplaceAll(s, `schema_prefix = "shop_"`, `schema_prefix = "`+prefix+`"`)
	})
	setup := rewrite(t, filepath.Join(dir, "setup.sql"), func(s string) string {
		return regexp.MustCompile(`\bapp\b`).ReplaceAllString(s, app)
	})

	duck := conformance.LoadProject(t, dir, "dev")
	my := conformance.LoadProject(t, dir, "mysql")
	if got := my.Target().SchemaPrefix; got != prefix {
		t.Fatalf("mysql target's schema_prefix is %q after the rewrite, want %q", got, prefix)
	}
	for _, stmt := range conformance.SplitStatements(setup) {
		duck.Exec(stmt)
	}
	// On MySQL, setup.sql loads as the guide says: weir query --file.
	cmd := exec.Command(servertest.Weir(t), "query", "--target", "mysql", "--file", "setup.sql")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("weir query --target mysql --file setup.sql: %v\n%s", err, out)
	}
	duck.MustBuild()
	my.MustBuild()
	conformance.SameModelRows(t, "MySQL vs DuckDB", duck, my, 5)
}

// rewrite replaces the file's text with edit's result and returns it.
func rewrite(t *testing.T, path string, edit func(string) string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := edit(string(b))
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return s
}
