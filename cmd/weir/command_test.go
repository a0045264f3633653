package main

import (
	"database/sql"
	"fmt"
	"os"
	"strings"
	"testing"

	_ "github.com/lib/pq"
)

// TestExampleML builds examples/ml: the command node trains on
// marts.customer_features and writes ml.ltv_scores, which
// marts.customer_scores reads; the model file is written too.
func TestExampleML(t *testing.T) {
	dir := t.TempDir()
	copyDir(t, "../../examples/ml", dir)
	out := runWeir(t, dir, "build")
	if !strings.Contains(out, "5 built, 0 failed, 0 skipped") {
		t.Fatalf("build:\n%s", out)
	}
	out = runWeir(t, dir, "query", "SELECT name, predicted_value FROM marts.customer_scores WHERE value_rank <= 2 ORDER BY value_rank")
	if !strings.Contains(out, "Eli   185.95") || !strings.Contains(out, "Ada   146.24") {
		t.Errorf("scores:\n%s", out)
	}
	model, err := os.ReadFile(dir + "/target/ml/ltv_model.json")
	if err != nil || !strings.Contains(string(model), `"per_order": 39.7143`) {
		t.Errorf("model file: %s %v", model, err)
	}
	if out := runWeir(t, dir, "build"); !strings.Contains(out, "Nothing to do") {
		t.Errorf("second build ran something:\n%s", out)
	}
}

// commandNodeHelper is the command of TestCommandNodePostgres: the test
// binary run with WEIR_TEST_COMMAND_NODE=1. It connects with WEIR_DSN, as
// a user's program would, and writes its output table itself.
func commandNodeHelper() int {
	for _, a := range os.Args {
		if strings.Contains(a, "s3cret") {
			fmt.Fprintln(os.Stderr, "the password is on the command line")
			return 1
		}
	}
	in, out := relationOf(os.Getenv("WEIR_INPUTS")), relationOf(os.Getenv("WEIR_OUTPUTS"))
	db, err := sql.Open("postgres", os.Getenv("WEIR_DSN"))
	if err == nil {
		_, err = db.Exec(fmt.Sprintf("DROP TABLE IF EXISTS %s; CREATE TABLE %s AS SELECT n, n * 10 AS scaled FROM %s", out, out, in))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println("wrote", out)
	return 0
}

// relationOf is the physical name in "node=schema.name" (the first one).
func relationOf(list string) string {
	first, _, _ := strings.Cut(list, " ")
	_, rel, _ := strings.Cut(first, "=")
	return rel
}

// TestCommandNodePostgres: on Postgres a command node gets the target's
// DSN (with its password) in its environment, never on its command line,
// writes its output table directly, and a later model reads it.
func TestCommandNodePostgres(t *testing.T) {
	db, prefix := openTestPostgres(t, "wc_")
	dsn := strings.Replace(testPostgresDSN(), "postgres@", "postgres:s3cret@", 1) // trust auth ignores it
	self, _ := os.Executable()
	dir := writeProject(t, map[string]string{
		"weir.hcl":             fmt.Sprintf("name = \"pgcmd\"\ntarget \"pg\" {\n  adapter = \"postgres\"\n  dsn = %q\n  schema_prefix = %q\n}\n", dsn, prefix),
		"models/m/numbers.sql": "SELECT * FROM (VALUES (1), (2), (3)) AS t(n)\n",
		"scripts/scale.hcl":    fmt.Sprintf("command = [%q, \"--verbose\"]\ninputs = [\"m.numbers\"]\noutputs = [\"ml.scaled\"]\n", self),
		"models/m/report.sql":  "SELECT sum(scaled) AS total FROM ml.scaled\n",
	})
	cmd := weirProcess(dir, "build")
	cmd.Env = append(cmd.Env, "WEIR_TEST_COMMAND_NODE=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "3 built, 0 failed") {
		t.Fatalf("build: %v\n%s", err, out)
	}
	var total int
	if err := db.QueryRow(fmt.Sprintf(`SELECT total FROM %q.report`, prefix+"m")).Scan(&total); err != nil || total != 60 {
		t.Errorf("m.report total = %d (%v), want 60", total, err)
	}
}

// TestExampleMLPostgres builds examples/ml on its Postgres target (in
// schemas of its own): the command's CSV output is loaded with COPY and
// read by the later model, as on DuckDB.
func TestExampleMLPostgres(t *testing.T) {
	db, prefix := openTestPostgres(t, "wm_")
	dir := t.TempDir()
	copyDir(t, "../../examples/ml", dir)
	hcl, _ := os.ReadFile(dir + "/weir.hcl")
	os.WriteFile(dir+"/weir.hcl", []byte(strings.Replace(string(hcl), `schema_prefix = "ml_"`, fmt.Sprintf("schema_prefix = %q", prefix), 1)), 0o644)
	cmd := weirProcess(dir, "build", "--target", "pg")
	cmd.Env = append(cmd.Env, "WEIR_PG_DSN="+testPostgresDSN())
	if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "5 built, 0 failed") {
		t.Fatalf("build: %v\n%s", err, out)
	}
	var name string
	var value float64
	err := db.QueryRow(fmt.Sprintf(`SELECT name, predicted_value FROM %q.customer_scores WHERE value_rank = 1`, prefix+"marts")).Scan(&name, &value)
	if err != nil || name != "Eli" || value != 185.95 {
		t.Errorf("top score: %s %v (%v), want Eli 185.95", name, value, err)
	}
}
