package postgres

import (
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/weir-sh/weir/adapters/duckdb"
	"github.com/weir-sh/weir/tests/conformance"
)

// TestShopMatchesDuckDB builds examples/shop on DuckDB (target dev) and
// on Postgres (target pg, in a database of its own) and compares every
// model's rows, in any order.
func TestShopMatchesDuckDB(t *testing.T) {
	db := server.Admin(t)
	dir := conformance.CopyExample(t, filepath.Join("..", "..", "examples", "shop"))

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
	t.Setenv("WEIR_PG_DSN", withDatabase(t, server.DSN(), dbname))

	setup, err := os.ReadFile(filepath.Join(dir, "setup.sql"))
	if err != nil {
		t.Fatal(err)
	}
	duck := conformance.LoadProject(t, dir, "dev")
	pg := conformance.LoadProject(t, dir, "pg")
	for _, p := range []*conformance.Project{duck, pg} {
		for _, stmt := range conformance.SplitStatements(string(setup)) {
			p.Exec(stmt)
		}
		p.MustBuild()
	}
	conformance.SameModelRows(t, "Postgres vs DuckDB", duck, pg, 5)
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
