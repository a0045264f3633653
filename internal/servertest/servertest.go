// Package servertest is what the tests that run on a real database server
// (Postgres, MySQL or MariaDB) share: the server's DSN from the
// environment, one connection pool of the tests' own that skips a test
// when the server is unreachable (or fails it where CI requires the
// server), schema prefixes no other test uses, dropped when the test
// ends, and the weir command built once for a package's tests.
package servertest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/lib/pq" // the "postgres" database/sql driver

	"github.com/weir-sh/weir/adapters"
)

// Server is a database server the tests reach, and how they set up and
// clean up on it. Declare one per package as a package variable: its pool
// is opened once.
type Server struct {
	// Name names the server in messages: "Postgres", "MySQL".
	Name string
	// DSNEnv names the variable that gives the server's DSN, DefaultDSN
	// the DSN used when it is unset.
	DSNEnv, DefaultDSN string
	// RequireEnv names the variable that, set to 1, makes an unreachable
	// server fail the test instead of skipping it (.ci/run sets it).
	RequireEnv string
	// Open opens a pool on dsn; Admin pings it.
	Open func(dsn string) (*sql.DB, error)
	// Schemas is a query of the names of the schemas (databases on MySQL)
	// that start with its one parameter. It may return more: names
	// without the prefix are passed over.
	Schemas string
	// Drop is the statement that drops schema name and all it holds.
	Drop func(name string) string

	once sync.Once
	db   *sql.DB
	err  error
}

// Postgres is the Postgres the tests use unless WEIR_TEST_POSTGRES_DSN
// names another: trust auth, database test.
var Postgres = &Server{
	Name:       "Postgres",
	DSNEnv:     "WEIR_TEST_POSTGRES_DSN",
	DefaultDSN: "postgres://postgres@127.0.0.1:5432/test?sslmode=disable",
	RequireEnv: "WEIR_REQUIRE_POSTGRES",
	Open:       func(dsn string) (*sql.DB, error) { return sql.Open("postgres", dsn) },
	Schemas:    `SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1)`,
	Drop:       func(name string) string { return "DROP SCHEMA " + adapters.ANSIQuote(name) + " CASCADE" },
}

// DSN is the DSN of the server under test.
func (s *Server) DSN() string {
	if dsn := os.Getenv(s.DSNEnv); dsn != "" {
		return dsn
	}
	return s.DefaultDSN
}

// open opens and pings the pool, once.
func (s *Server) open() {
	s.db, s.err = s.Open(s.DSN())
	if s.err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s.err = s.db.PingContext(ctx)
}

// Admin is a connection pool of the tests' own, for setting up, watching
// and cleaning up what weir does. It skips the test when the server is
// unreachable (saying why), or fails it when RequireEnv is 1.
func (s *Server) Admin(t testing.TB) *sql.DB {
	t.Helper()
	db := s.Reach(t)
	if db == nil {
		t.SkipNow()
	}
	return db
}

// Reach is Admin for a test that goes on without the server: where Admin
// would skip the test, it logs why and returns nil.
func (s *Server) Reach(t testing.TB) *sql.DB {
	t.Helper()
	s.once.Do(s.open)
	if s.err == nil {
		return s.db
	}
	msg := fmt.Sprintf("%s at %s is unreachable: %v", s.Name, adapters.RedactedDSN(s.DSN()), s.err)
	if os.Getenv(s.RequireEnv) == "1" {
		t.Fatalf("%s (%s=1)", msg, s.RequireEnv)
	}
	t.Logf("%s; set %s, or %s=1 to fail instead", msg, s.DSNEnv, s.RequireEnv)
	return nil
}

// DB is the pool Admin returns, for code without a test at hand that runs
// after Admin let its test go on; nil when the server is unreachable.
func (s *Server) DB() *sql.DB {
	s.once.Do(s.open)
	if s.err != nil {
		return nil
	}
	return s.db
}

// UniquePrefix returns a schema prefix no other test uses, tag followed by
// random hex digits and "_", and drops every schema whose name starts with
// it when the test ends (after the cleanups the test registers later).
func (s *Server) UniquePrefix(t testing.TB, tag string) string {
	t.Helper()
	db := s.Admin(t)
	b := make([]byte, 5)
	rand.Read(b)
	prefix := tag + hex.EncodeToString(b) + "_"
	t.Cleanup(func() { s.dropSchemas(t, db, prefix) })
	return prefix
}

// dropSchemas drops the schemas whose names start with prefix.
func (s *Server) dropSchemas(t testing.TB, db *sql.DB, prefix string) {
	ctx := context.Background()
	rows, err := db.QueryContext(ctx, s.Schemas, prefix)
	if err != nil {
		t.Errorf("cleanup: %v", err)
		return
	}
	var names []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		names = append(names, n)
	}
	rows.Close()
	for _, n := range names {
		if !strings.HasPrefix(n, prefix) {
			continue // a LIKE reads _ as any character
		}
		if _, err := db.ExecContext(ctx, s.Drop(n)); err != nil {
			t.Errorf("cleanup: %v", err)
		}
	}
}

var (
	weirOnce sync.Once
	weirDir  string
	weirPath string
	weirErr  error
)

// Weir builds the weir command once for the test binary and returns its
// path. A package whose tests call it runs them through Main.
func Weir(t testing.TB) string {
	t.Helper()
	weirOnce.Do(func() {
		if weirDir, weirErr = os.MkdirTemp("", "weir-cli-"); weirErr != nil {
			return
		}
		weirPath = filepath.Join(weirDir, "weir")
		out, err := exec.Command("go", "build", "-o", weirPath, "github.com/weir-sh/weir/cmd/weir").CombinedOutput()
		if err != nil {
			weirErr = fmt.Errorf("building weir: %v\n%s", err, out)
		}
	})
	if weirErr != nil {
		t.Fatal(weirErr)
	}
	return weirPath
}

// Main runs the package's tests and then removes the command Weir built;
// it returns the exit code. Call it from TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(servertest.Main(m)) }
func Main(m *testing.M) int {
	code := m.Run()
	if weirDir != "" {
		os.RemoveAll(weirDir)
	}
	return code
}
