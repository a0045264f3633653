// Package monitor is weir serve's window on its runs: a page at / and JSON
// at /api/runs (recent runs, what started them, each model's outcome),
// /api/models (schedules, next due time, last status, duration history,
// failure rate) and POST /api/trigger (start a run of a selection). It
// knows nothing of how runs happen: a Backend answers for it.
package monitor

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"
)

// Run is one recorded run, as /api/runs lists it.
type Run struct {
	ID string `json:"id"`
	// Trigger is schedule, http, file or manual.
	Trigger string `json:"trigger"`
	Command string `json:"command"`
	// Status is running, success, error, interrupted or aborted.
	Status string     `json:"status"`
	Start  time.Time  `json:"start"`
	End    *time.Time `json:"end,omitempty"`
	Models []RunModel `json:"models"`
}

// RunModel is one node's outcome in a run.
type RunModel struct {
	Name       string  `json:"name"`
	Status     string  `json:"status"`
	DurationMS float64 `json:"duration_ms"`
	Reason     string  `json:"reason,omitempty"`
	Message    string  `json:"message,omitempty"`
}

// Request is a run asked for and not recorded yet (waiting, or refused
// before it could start).
type Request struct {
	ID      string    `json:"id"`
	Trigger string    `json:"trigger"`
	Select  []string  `json:"select,omitempty"`
	File    string    `json:"file,omitempty"`
	At      time.Time `json:"at"`
	// Error says why a request ended without a recorded run.
	Error string `json:"error,omitempty"`
}

// Runs is the document of /api/runs.
type Runs struct {
	Runs []Run `json:"runs"`
	// Running and Waiting are the scheduler's queue.
	Running *Request  `json:"running,omitempty"`
	Waiting []Request `json:"waiting"`
	// Failed are requests that ended before they could record a run (a
	// selection that matches nothing, a project that does not compile).
	Failed []Request `json:"failed,omitempty"`
}

// Model is one model as /api/models lists it.
type Model struct {
	Name    string     `json:"name"`
	Cron    string     `json:"cron,omitempty"`
	NextDue *time.Time `json:"next_due,omitempty"`
	// LastStatus and LastRun are from the latest run that had the model.
	LastStatus string `json:"last_status,omitempty"`
	LastRun    string `json:"last_run,omitempty"`
	// Durations are its build times in the latest runs, oldest first, in
	// milliseconds.
	Durations []float64 `json:"durations_ms"`
	// FailureRate is the share of those runs in which it failed.
	FailureRate float64 `json:"failure_rate"`
	Runs        int     `json:"runs"`
}

// Backend answers the monitor.
type Backend interface {
	Runs(ctx context.Context) (Runs, error)
	Models(ctx context.Context) ([]Model, error)
	// Trigger asks for a run of a selection and returns its ID.
	Trigger(ctx context.Context, selection []string) (string, error)
}

//go:embed assets
var assets embed.FS

// Page serves the monitor page. It holds no data (the page fetches the
// API), so it needs no token.
func Page() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		page, _ := assets.ReadFile("assets/monitor.html")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		w.Write(page)
	})
}

// API serves /api/runs, /api/models and /api/trigger.
func API(b Backend) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/runs", func(w http.ResponseWriter, r *http.Request) {
		v, err := b.Runs(r.Context())
		reply(w, http.StatusOK, v, err)
	})
	mux.HandleFunc("GET /api/models", func(w http.ResponseWriter, r *http.Request) {
		v, err := b.Models(r.Context())
		if v == nil {
			v = []Model{}
		}
		reply(w, http.StatusOK, v, err)
	})
	mux.HandleFunc("POST /api/trigger", func(w http.ResponseWriter, r *http.Request) {
		sel, err := readSelection(r.Body)
		if err != nil {
			reply(w, http.StatusBadRequest, nil, err)
			return
		}
		id, err := b.Trigger(r.Context(), sel)
		reply(w, http.StatusAccepted, map[string]string{"run_id": id}, err)
	})
	return mux
}

// readSelection reads {"select": "staging.orders+ marts.x"} (or a list).
func readSelection(body io.Reader) ([]string, error) {
	var req struct {
		Select json.RawMessage `json:"select"`
	}
	if err := json.NewDecoder(io.LimitReader(body, 1<<16)).Decode(&req); err != nil {
		return nil, errors.New(`send a JSON body like {"select": "staging.orders+"}: ` + err.Error())
	}
	var one string
	var many []string
	if json.Unmarshal(req.Select, &one) == nil {
		many = strings.Fields(one)
	} else if err := json.Unmarshal(req.Select, &many); err != nil {
		return nil, errors.New(`"select" is a selection string ("staging.orders+") or a list of them`)
	}
	if len(many) == 0 {
		return nil, errors.New(`"select" is empty; name what to run, like {"select": "staging.orders+"}`)
	}
	return many, nil
}

func reply(w http.ResponseWriter, code int, v any, err error) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if err != nil {
		if code < 400 {
			code = http.StatusInternalServerError
		}
		v = map[string]string{"error": err.Error()}
	}
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}
