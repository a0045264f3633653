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

// scriptProject writes a project whose target "mysql" builds under a
// prefix of the test's own, and returns its folder, the prefix and a
// function running weir query --file on a script there: its output and
// whether weir exited 0.
func scriptProject(t *testing.T) (dir, prefix string, query func(script string) (string, bool)) {
	t.Helper()
	server.Admin(t)
	bin := servertest.Weir(t)
	prefix = uniquePrefix(t)
	dir = t.TempDir()
	hcl := fmt.Sprintf("name = \"s\"\ndefault_target = \"mysql\"\ntarget \"mysql\" {\n  adapter = \"mysql\"\n  dsn = %q\n  schema_prefix = %q\n}\n", server.DSN(), prefix)
	if err := os.WriteFile(filepath.Join(dir, "weir.hcl"), []byte(hcl), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Mkdir(filepath.Join(dir, "models"), 0o755)
	query = func(script string) (string, bool) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, "setup.sql"), []byte(script), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(bin, "query", "--file", "setup.sql")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "NO_COLOR=1")
		out, err := cmd.CombinedOutput()
		if _, failed := err.(*exec.ExitError); err != nil && !failed {
			t.Fatal(err)
		}
		return string(out), err == nil
	}
	return dir, prefix, query
}

// TestQueryFileRunsEveryStatement runs a script of DDL, INSERTs with ';'
// and comment marks in their strings, comments between statements, a
// session variable and a final SELECT with weir query --file: every
// statement runs, in order and in one session, and the SELECT's rows
// print.
func TestQueryFileRunsEveryStatement(t *testing.T) {
	_, prefix, query := scriptProject(t)
	db := "`" + prefix + "s`"
	out, ok := query(`-- sets up; a comment with a semicolon
CREATE DATABASE ` + db + `;
CREATE TABLE ` + db + `.t (id INT, note TEXT); # another; comment
/* a block comment; across
   lines */
INSERT INTO ` + db + `.t VALUES (1, 'a;b'), (2, 'it\'s -- not a comment');
SET @third = 'x # y; z';
INSERT INTO ` + db + `.t VALUES (3, @third), (4, "dq;");;
SELECT id, note FROM ` + db + `.t ORDER BY id;
`)
	if !ok {
		t.Fatalf("weir query --file failed:\n%s", out)
	}
	for _, want := range []string{"a;b", "it's -- not a comment", "x # y; z", "dq;", "(4 rows)"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if i, j := strings.Index(out, "a;b"), strings.Index(out, "dq;"); i < 0 || j < i {
		t.Errorf("rows out of order:\n%s", out)
	}
}

// TestQueryFileStopsAtFirstError: a script whose third statement fails
// stops there, the error names the statement and its line in the file,
// and the first two statements stay applied; the fourth never runs. A
// syntax error is placed on the line the server points at.
func TestQueryFileStopsAtFirstError(t *testing.T) {
	_, prefix, query := scriptProject(t)
	db := "`" + prefix + "s`"
	out, ok := query(`CREATE DATABASE ` + db + `;
CREATE TABLE ` + db + `.t (id INT);
-- the third statement reads a table that is not there
INSERT INTO ` + db + `.t
SELECT 1 FROM ` + db + `.missing;
CREATE TABLE ` + db + `.never (id INT);
`)
	if ok {
		t.Fatalf("weir query --file succeeded on a failing script:\n%s", out)
	}
	if want := "Error: setup.sql:4: statement 3 of 4 failed (statements 1-2 ran and stay applied)"; !strings.Contains(out, want) {
		t.Errorf("error does not name the statement as %q:\n%s", want, out)
	}
	if !strings.Contains(out, "missing' doesn't exist") {
		t.Errorf("error lacks the server's message:\n%s", out)
	}
	var tables []string
	rows, err := server.Admin(t).Query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY 1", prefix+"s")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	if strings.Join(tables, ",") != "t" {
		t.Errorf("tables after the failed script: %v, want [t] (the first two statements applied, the fourth not run)", tables)
	}

	out, ok = query("SELECT 1;\n\nSELECT id\n  FROM " + db + ".t WHERE;\nSELECT 3;\n")
	if ok || !strings.Contains(out, "setup.sql:4: statement 2 of 3 failed (statement 1 ran and stays applied)") {
		t.Errorf("a syntax error in statement 2 (exit 0: %v):\n%s", ok, out)
	}
}
