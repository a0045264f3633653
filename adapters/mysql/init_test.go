package mysql

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/weir-sh/weir/internal/servertest"
)

// TestMain removes the weir command servertest.Weir built.
func TestMain(m *testing.M) { os.Exit(servertest.Main(m)) }

// TestInitMySQL sets up a MySQL-family target with one command: weir init
// --adapter mysql writes a default target with the DSN that builds (on
// databases of the test's own prefix); in an existing project it appends a
// target "mysql" reading env("WEIR_MYSQL_DSN") that builds too.
func TestInitMySQL(t *testing.T) {
	server.Admin(t)
	bin := servertest.Weir(t)
	prefix, oldPrefix := uniquePrefix(t), uniquePrefix(t)
	root := t.TempDir()
	weir := func(dir string, args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "WEIR_MYSQL_DSN="+server.DSN(), "NO_COLOR=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("weir %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	// setPrefix puts a schema_prefix of the test's in place of init's
	// comment.
	setPrefix := func(dir, prefix string) {
		t.Helper()
		path := filepath.Join(dir, "weir.hcl")
		b, _ := os.ReadFile(path)
		// The last one: the mysql target's, after any other's.
		i := strings.LastIndex(string(b), `# schema_prefix = "dev_"`)
		if i < 0 {
			t.Fatalf("weir.hcl has no schema_prefix comment to replace:\n%s", b)
		}
		s := string(b[:i]) + fmt.Sprintf("schema_prefix = %q", prefix) + string(b[i+len(`# schema_prefix = "dev_"`):])
		os.WriteFile(path, []byte(s), 0o644)
	}

	weir(root, "init", "fresh", "--adapter", "mysql", "--dsn", server.DSN())
	hcl, _ := os.ReadFile(filepath.Join(root, "fresh", "weir.hcl"))
	if !strings.Contains(string(hcl), `adapter = "mysql"`) || !strings.Contains(string(hcl), `default_target = "mysql"`) {
		t.Fatalf("weir.hcl of a new MySQL project:\n%s", hcl)
	}
	setPrefix(filepath.Join(root, "fresh"), prefix)
	if out := weir(filepath.Join(root, "fresh"), "build"); !strings.Contains(out, "example.hello (table, 1 row)") {
		t.Errorf("build on the new project's default target:\n%s", out)
	}
	var n int
	if err := server.Admin(t).QueryRow("SELECT count(*) FROM `" + prefix + "example`.`hello`").Scan(&n); err != nil || n != 1 {
		t.Errorf("the model's table in database %sexample: %d rows, %v", prefix, n, err)
	}

	weir(root, "init", "old")
	if out := weir(root, "init", "old", "--adapter", "mysql", "--dsn", `env("WEIR_MYSQL_DSN")`); !strings.Contains(out, `added    target "mysql"`) {
		t.Errorf("init in an existing project:\n%s", out)
	}
	setPrefix(filepath.Join(root, "old"), oldPrefix)
	if out := weir(filepath.Join(root, "old"), "build", "--target", "mysql"); !strings.Contains(out, "1 built, 0 failed") {
		t.Errorf("build --target mysql:\n%s", out)
	}
}
