package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/weir-sh/weir/tests/conformance"
)

// TestRetryTransientPostgres kills weir's connection twice while a model
// runs (pg_terminate_backend, an error the Postgres adapter calls
// transient): the model is tried three times and built, and the run
// records three attempts; a model with an error in its SQL is tried once.
func TestRetryTransientPostgres(t *testing.T) {
	db, prefix := openTestPostgres(t, "wr_")
	marker := "weir_retry_" + randomHex(6)
	dir := writeProject(t, map[string]string{
		"weir.hcl": fmt.Sprintf("name = \"retry\"\ntarget \"pg\" {\n  adapter = \"postgres\"\n  dsn = %q\n  schema_prefix = %q\n}\n"+
			"folder \"m\" {\n  retries = 3\n  retry_backoff = \"50ms\"\n}\n", testPostgresDSN(), prefix),
		"models/m/sleepy.sql": "/* config\nretries = 2\n*/\nSELECT 1 AS x, '" + marker + "' AS tag FROM (SELECT pg_sleep(1)) AS s\n",
		"models/m/bad.sql":    "SELECT no_such_column FROM (SELECT 1 AS x) AS s\n",
	})
	killed := conformance.TerminatePostgres(t, db, marker, 2)
	out, _ := weirProcess(dir, "build", "--format", "json").Output()
	if n := <-killed; n != 2 {
		t.Fatalf("terminated %d backends, want 2: the test proves nothing", n)
	}
	var res struct {
		RunID   string `json:"run_id"`
		Results []struct {
			Name     string `json:"name"`
			Status   string `json:"status"`
			Attempts []struct {
				Status    string `json:"status"`
				Transient bool   `json:"transient"`
			} `json:"attempts"`
		} `json:"results"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("build --format json: %v\n%s", err, out)
	}
	for _, r := range res.Results {
		var got []string
		for _, a := range r.Attempts {
			got = append(got, fmt.Sprintf("%s/%t", a.Status, a.Transient))
		}
		want := map[string]string{"m.sleepy": "[error/true error/true success/false]", "m.bad": "[error/false]"}[r.Name]
		if fmt.Sprint(got) != want {
			t.Errorf("%s (%s): attempts %v, want %s", r.Name, r.Status, got, want)
		}
	}
	rows, err := db.Query(fmt.Sprintf(`SELECT name, attempt, status, transient FROM %q.attempts WHERE run_id = $1 ORDER BY name, attempt`, prefix+"weir"), res.RunID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var recorded []string
	for rows.Next() {
		var name, status string
		var n int
		var transient bool
		rows.Scan(&name, &n, &status, &transient)
		recorded = append(recorded, fmt.Sprintf("%s#%d %s %t", name, n, status, transient))
	}
	want := "[m.bad#1 error false m.sleepy#1 error true m.sleepy#2 error true m.sleepy#3 success false]"
	if fmt.Sprint(recorded) != want {
		t.Errorf("recorded attempts %v, want %s", recorded, want)
	}
}

// writeProject writes files (slash-separated paths) into a new folder.
func writeProject(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
