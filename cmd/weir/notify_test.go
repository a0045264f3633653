package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// hookServer is a webhook receiver over real HTTP that keeps each body
// by path; a path under /fail answers 500.
type hookServer struct {
	*httptest.Server
	mu     sync.Mutex
	bodies map[string][]string
}

func newHookServer(t *testing.T) *hookServer {
	h := &hookServer{bodies: map[string][]string{}}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		h.bodies[r.URL.Path] = append(h.bodies[r.URL.Path], string(b))
		h.mu.Unlock()
		if r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("%s: Content-Type %q", r.URL.Path, r.Header.Get("Content-Type"))
		}
		if strings.HasPrefix(r.URL.Path, "/fail") {
			http.Error(w, "down", http.StatusInternalServerError)
		}
	}))
	t.Cleanup(h.Close)
	return h
}

// take returns and forgets the bodies posted to path.
func (h *hookServer) take(path string) []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	b := h.bodies[path]
	delete(h.bodies, path)
	return b
}

// TestNotify builds a project whose model fails, then is fixed: a JSON
// webhook gets the failure and then the recovery message, a Slack one the
// same as Slack text, a command gets them as JSON on stdin, and a webhook
// that answers 500 is a warning that changes no exit code.
func TestNotify(t *testing.T) {
	hooks := newHookServer(t)
	dir := writeProject(t, map[string]string{
		"weir.hcl": fmt.Sprintf(`name = "alerts"
target "dev" {
  adapter = "duckdb"
  path    = "target/a.duckdb"
}
notify "ops" {
  on      = ["failure", "recovery"]
  webhook = "%[1]s/ops/secret-token"
}
notify "chat" {
  on      = ["failure", "recovery"]
  webhook = "%[1]s/slack"
  format  = "slack"
}
notify "log" {
  on      = ["failure", "recovery", "warn"]
  command = ["sh", "-c", "cat >> notified.jsonl; echo >> notified.jsonl; echo \"$WEIR_EVENT\" >> events.txt"]
}
notify "broken" {
  on      = ["failure", "recovery"]
  webhook = "%[1]s/fail/token-xyz"
}
`, hooks.URL),
		"models/s/good.sql":  "SELECT 1 AS id\n",
		"models/s/bad.sql":   "SELECT nope FROM s.good\n",
		"models/s/after.sql": "SELECT * FROM s.bad\n",
	})

	out, err := weirProcess(dir, "build").CombinedOutput()
	if code := exitCode(err); code != 1 {
		t.Fatalf("first build: exit %d, want 1:\n%s", code, out)
	}
	if !strings.Contains(string(out), `Warning: notify "broken" (failure): webhook at `+strings.TrimPrefix(hooks.URL, "http://")+` answered 500`) ||
		strings.Contains(string(out), "token-xyz") {
		t.Errorf("the failing webhook is not a warning without its token:\n%s", out)
	}
	failure := oneMessage(t, hooks.take("/ops/secret-token"))
	if failure.Event != "failure" || failure.Project != "alerts" || failure.Target != "dev" || failure.RunID == "" ||
		fmt.Sprint(failure.names()) != "[s.bad:error s.after:skipped]" {
		t.Errorf("failure message: %+v", failure)
	}
	if !strings.Contains(failure.Models[0].Message, "nope") {
		t.Errorf("the failure does not say what failed: %q", failure.Models[0].Message)
	}
	slack := hooks.take("/slack")
	if len(slack) != 1 || !strings.HasPrefix(slack[0], `{"text":":red_circle: *weir failure* on `+"`dev`"+`: 2 nodes failed or skipped`) ||
		!strings.Contains(slack[0], `\n• `+"`s.bad`"+` error: `) {
		t.Errorf("slack body: %q", slack)
	}

	os.WriteFile(filepath.Join(dir, "models/s/bad.sql"), []byte("SELECT id FROM s.good\n"), 0o644)
	out, err = weirProcess(dir, "build").CombinedOutput()
	if code := exitCode(err); code != 0 {
		t.Fatalf("second build: exit %d, want 0 (a failing webhook never fails the run):\n%s", code, out)
	}
	recovery := oneMessage(t, hooks.take("/ops/secret-token"))
	if recovery.Event != "recovery" || fmt.Sprint(recovery.names()) != "[s.bad:success]" || recovery.Status != "success" {
		t.Errorf("recovery message: %+v", recovery)
	}
	if slack := hooks.take("/slack"); len(slack) != 1 || !strings.Contains(slack[0], "*weir recovery*") {
		t.Errorf("slack recovery: %q", slack)
	}

	// A warn-severity test that fails: only "log" listens for warn.
	os.WriteFile(filepath.Join(dir, "models/s/good.sql"), []byte("/* config\ncolumn \"id\" {\n  test \"accepted_values\" {\n    values   = [\"2\"]\n    severity = \"warn\"\n  }\n}\n*/\nSELECT 1 AS id\n"), 0o644)
	out, err = weirProcess(dir, "build", "--select", "s.good").CombinedOutput()
	if exitCode(err) != 0 || !strings.Contains(string(out), "1 warned") {
		t.Fatalf("third build: %v\n%s", err, out)
	}
	if got := hooks.take("/ops/secret-token"); len(got) != 0 {
		t.Errorf("ops does not listen for warn but got %q", got)
	}
	events, _ := os.ReadFile(filepath.Join(dir, "events.txt"))
	if string(events) != "failure\nrecovery\nwarn\n" {
		t.Errorf("the command ran for %q, want failure, recovery, warn", events)
	}
	lines, _ := os.ReadFile(filepath.Join(dir, "notified.jsonl"))
	var fromCmd []string
	for _, l := range strings.Split(strings.TrimSpace(string(lines)), "\n") {
		fromCmd = append(fromCmd, oneMessage(t, []string{l}).Event)
	}
	if fmt.Sprint(fromCmd) != "[failure recovery warn]" {
		t.Errorf("the command read %v on stdin", fromCmd)
	}
}

type hookMessage struct {
	Project, Target, Event, Status string
	RunID                          string `json:"run_id"`
	Summary                        string
	Models                         []struct{ Name, Status, Message string }
}

func (m hookMessage) names() []string {
	var out []string
	for _, n := range m.Models {
		out = append(out, n.Name+":"+n.Status)
	}
	return out
}

func oneMessage(t *testing.T, bodies []string) hookMessage {
	t.Helper()
	var m hookMessage
	if len(bodies) != 1 {
		t.Fatalf("got %d messages, want 1: %q", len(bodies), bodies)
	}
	if err := json.Unmarshal([]byte(bodies[0]), &m); err != nil {
		t.Fatalf("%v: %s", err, bodies[0])
	}
	return m
}

// exitCode is the exit status of a finished process (0 when err is nil).
func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}
