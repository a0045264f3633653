package postgres

import (
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/weir-sh/weir/adapters/duckdb"
	"github.com/weir-sh/weir/models"
	"github.com/weir-sh/weir/tests/conformance"
)

// TestShopMatchesDuckDB builds examples/shop on DuckDB (target dev) and
// on Postgres (target pg, in a database of its own) and compares every
// model's rows, in any order.
func TestShopMatchesDuckDB(t *testing.T) {
	db := adminDB(t)
	src := filepath.Join("..", "..", "examples", "shop")
	if _, err := os.Stat(filepath.Join(src, models.ConfigFile)); err != nil {
		t.Fatalf("examples/shop: %v", err)
	}
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(filepath.Join(dir, "target"))
	os.Remove(filepath.Join(dir, "warehouse.duckdb")) // left by make demo
	os.Remove(filepath.Join(dir, "warehouse.duckdb.wal"))

	// The pg target reads its DSN from WEIR_PG_DSN: point it at a fresh
	// database, so the example's app schema collides with nothing.
	b := make([]byte, 5)
	rand.Read(b)
	dbname := "weir_shop_" + hex.EncodeToString(b)
	if _, err := db.Exec("CREATE DATABASE " + dbname); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := db.Exec("DROP DATABASE " + dbname + " WITH (FORCE)"); err != nil {
			t.Errorf("cleanup: %v", err)
		}
	})
	t.Setenv("WEIR_PG_DSN", withDatabase(t, testDSN(), dbname))

	setup, err := os.ReadFile(filepath.Join(dir, "setup.sql"))
	if err != nil {
		t.Fatal(err)
	}
	duck := conformance.LoadProject(t, dir, "dev")
	pg := conformance.LoadProject(t, dir, "pg")
	for _, p := range []*conformance.Project{duck, pg} {
		for _, stmt := range splitStatements(string(setup)) {
			p.Exec(stmt)
		}
		p.MustBuild()
	}

	compared := 0
	for id, n := range pg.Compile().Nodes {
		if n.Kind != models.KindModel || n.Relation.Name == "" {
			continue
		}
		want := conformance.SortRows(duck.Strings("SELECT * FROM " + duck.Rel(id)))
		got := conformance.SortRows(pg.Strings("SELECT * FROM " + pg.Rel(id)))
		if len(want) == 0 {
			t.Errorf("%s is empty on DuckDB; the comparison proves nothing", id)
		}
		conformance.EqualRows(t, id+" on Postgres vs DuckDB", got, want)
		compared++
	}
	if compared < 5 {
		t.Errorf("compared %d models", compared)
	}
	t.Logf("compared %d models", compared)
}

// withDatabase returns dsn pointing at database name.
func withDatabase(t testing.TB, dsn, name string) string {
	t.Helper()
	if u, err := url.Parse(dsn); err == nil && u.Scheme != "" {
		u.Path = "/" + name
		return u.String()
	}
	return dsn + " dbname=" + name
}

// splitStatements splits a SQL script at semicolons that end a line.
func splitStatements(script string) []string {
	var out []string
	for _, s := range strings.Split(script, ";\n") {
		lines := strings.Split(s, "\n")
		var keep []string
		for _, l := range lines {
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
