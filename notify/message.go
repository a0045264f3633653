package notify

import (
	"fmt"
	"strings"
	"time"

	"github.com/weir-sh/weir/datatests"
	"github.com/weir-sh/weir/models"
	"github.com/weir-sh/weir/runner"
	"github.com/weir-sh/weir/state"
)

// Message is what a notifier is sent, as JSON: one event of one run.
type Message struct {
	Project string `json:"project"`
	Target  string `json:"target"`
	RunID   string `json:"run_id,omitempty"`
	// Event is failure, recovery, warn or stale (models.Event*).
	Event string `json:"event"`
	// Status is the run's: success, error or interrupted.
	Status    string    `json:"status,omitempty"`
	StartedAt time.Time `json:"started_at"`
	EndedAt   time.Time `json:"ended_at"`
	// Summary counts the run's nodes, e.g. "3 built, 1 failed, 2 skipped".
	Summary string `json:"summary"`
	// Nodes are the models (seeds, commands) the event is about.
	Nodes []Node `json:"models"`
}

// Node is one model, seed or command node in a message.
type Node struct {
	Name     string `json:"name"`
	Kind     string `json:"kind,omitempty"`
	Status   string `json:"status"`
	Message  string `json:"message,omitempty"`
	Attempts int    `json:"attempts,omitempty"`
}

// ForRun is the messages a finished run gives, in the order of
// models.NotifyEvents: failure when a node failed (its failed and skipped
// nodes), recovery when nodes whose last attempt in before failed built
// now, warn when nodes built with warnings or warn-severity tests failed.
// A run with none of these gives none.
func ForRun(p *models.Project, res *runner.Results, before map[string]state.Node) []Message {
	var failed, recovered, warned []Node
	for _, r := range res.Results {
		n := Node{Name: r.Name, Kind: r.Kind, Status: r.Status, Message: firstLine(r.Message), Attempts: len(r.Attempts)}
		switch {
		case r.Status != runner.StatusSuccess:
			failed = append(failed, n)
		case before[r.Name].LastStatus == runner.StatusError:
			recovered = append(recovered, n)
		}
		if w := warnings(r); w != "" && r.Status == runner.StatusSuccess {
			n.Message = w
			warned = append(warned, n)
		}
	}
	base := Message{Project: p.Name, Target: res.Target, RunID: res.RunID, Status: runStatus(res),
		StartedAt: res.StartedAt, EndedAt: res.StartedAt.Add(time.Duration(res.Elapsed * float64(time.Second))), Summary: summary(res)}
	var out []Message
	for _, m := range []struct {
		event string
		nodes []Node
	}{{models.EventFailure, failed}, {models.EventRecovery, recovered}, {models.EventWarn, warned}} {
		if len(m.nodes) > 0 {
			msg := base
			msg.Event, msg.Nodes = m.event, m.nodes
			out = append(out, msg)
		}
	}
	return out
}

// warnings says what warned about a node that built: the warehouse's
// warnings and its warn-severity tests that failed.
func warnings(r runner.NodeResult) string {
	w := append([]string(nil), r.Warnings...)
	for _, t := range r.Tests {
		if t.Status == datatests.StatusWarn {
			w = append(w, fmt.Sprintf("test %s: %s", t.Name, datatests.Plural(t.Failures, "failing row")))
		}
	}
	return strings.Join(w, "; ")
}

func runStatus(res *runner.Results) string {
	if res.OK() {
		return "success"
	}
	return "error"
}

func summary(res *runner.Results) string {
	c := res.Counts()
	return fmt.Sprintf("%d built, %d failed, %d skipped", c[runner.StatusSuccess], c[runner.StatusError], c[runner.StatusSkipped])
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
