package postgres

import (
	"crypto/rand"
	"encoding/hex"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/internal/servertest"
	"github.com/weir-sh/weir/tests/conformance"
)

// TestMain removes the weir command servertest.Weir built.
func TestMain(m *testing.M) { os.Exit(servertest.Main(m)) }

// withPassword returns the URL DSN dsn with its password set to pw.
func withPassword(t testing.TB, dsn, pw string) *url.URL {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme == "" {
		t.Skipf("the password test needs a URL DSN, not %s", adapters.RedactedDSN(dsn))
	}
	u.User = url.UserPassword(u.User.Username(), pw)
	return u
}

// TestPasswordNeverShown runs weir's CLI with a DSN that holds a password
// (Postgres's trust auth ignores it) through a build with a failing model,
// JSON output, a query, and connections that fail (refused, unparsable
// URL, key=value DSN): the password appears in no output and no file
// under target/.
func TestPasswordNeverShown(t *testing.T) {
	server.Admin(t)
	bin := servertest.Weir(t)
	b := make([]byte, 8)
	rand.Read(b)
	secret := "pw-" + hex.EncodeToString(b)
	good := withPassword(t, server.DSN(), secret)
	refused := *good
	refused.Host = "127.0.0.1:1"
	garbled := strings.Replace(good.String(), good.Host, good.Hostname()+":notaport", 1)
	keyValue := "host=127.0.0.1 port=1 user=postgres password=" + secret + " dbname=test sslmode=disable"

	p := conformance.NewProject(t, harness()) // for the schema prefix and its cleanup
	prefix := p.Target().SchemaPrefix
	dir := t.TempDir()
	files := map[string]string{
		"weir.hcl": `name = "pw"
default_target = "pg"
target "pg" {
  adapter       = "postgres"
  dsn           = env("PW_GOOD")
  schema_prefix = "` + prefix + `"
}
target "refused" {
  adapter = "postgres"
  dsn     = env("PW_REFUSED")
}
target "garbled" {
  adapter = "postgres"
  dsn     = env("PW_GARBLED")
}
target "kv" {
  adapter = "postgres"
  dsn     = env("PW_KV")
}
`,
		"seeds/raw/people.csv": "id,name\n1,ann\n",
		"models/m/ok.sql":      "SELECT id, upper(name) AS name FROM raw.people\n",
		"models/m/bad.sql":     "SELECT no_such_column FROM raw.people\n",
	}
	for rel, content := range files {
		path := filepath.Join(dir, rel)
		os.MkdirAll(filepath.Dir(path), 0o755)
		os.WriteFile(path, []byte(content), 0o644)
	}
	env := append(os.Environ(), "NO_COLOR=1", "PW_GOOD="+good.String(), "PW_REFUSED="+refused.String(),
		"PW_GARBLED="+garbled, "PW_KV="+keyValue)

	var all strings.Builder
	run := func(args ...string) string {
		cmd := exec.Command(bin, args...)
		cmd.Dir, cmd.Env = dir, env
		out, _ := cmd.CombinedOutput() // failing commands are part of the test
		all.WriteString(string(out))
		return string(out)
	}
	if out := run("build"); !strings.Contains(out, "m.ok") || !strings.Contains(out, "no_such_column") {
		t.Fatalf("the build did not run as expected:\n%s", out)
	}
	run("build", "--format", "json")
	run("compile")
	run("query", "SELECT 1 AS one")
	for _, target := range []string{"refused", "garbled", "kv"} {
		if out := run("build", "--target", target); !strings.Contains(strings.ToLower(out), "error") {
			t.Errorf("--target %s: expected a connection error, got:\n%s", target, out)
		}
	}
	if !strings.Contains(all.String(), "xxxxx") {
		t.Errorf("no redacted DSN in the connection errors; the test may not have reached them:\n%s", all.String())
	}
	t.Logf("weir's output:\n%s", all.String())
	if strings.Contains(all.String(), secret) {
		t.Errorf("the password appears in weir's output:\n%s", all.String())
	}
	filepath.WalkDir(filepath.Join(dir, "target"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, _ := os.ReadFile(path)
		if strings.Contains(string(data), secret) {
			t.Errorf("the password appears in %s", path)
		}
		return nil
	})
	for _, f := range []string{"manifest.json", "run_results.json"} {
		if _, err := os.Stat(filepath.Join(dir, "target", f)); err != nil {
			t.Errorf("no target/%s to check: %v", f, err)
		}
	}
}
