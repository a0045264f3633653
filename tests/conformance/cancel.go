package conformance

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/weir-sh/weir/runner"
)

// SlowSQL is a SELECT that runs for minutes on DuckDB and Postgres alike
// (a count over a cross join of 10^12 rows) with marker as its column
// name, so the statement can be found among the running queries.
func SlowSQL(marker string) string {
	return fmt.Sprintf(`SELECT count(*) AS %s
FROM generate_series(1, 10000) AS a(x)
CROSS JOIN generate_series(1, 10000) AS b(y)
CROSS JOIN generate_series(1, 10000) AS c(z)`, marker)
}

// testCancel cancels a build ~300 ms into a long query: Run must return
// promptly, report the model as an error that says it was canceled, and
// leave nothing running on the warehouse nor a half-built relation.
func testCancel(t *testing.T, h Harness) {
	p := NewProject(t, h)
	marker := Marker("weir_slow_")
	p.Write("models/slow/q.sql", Model("table", h.slow(marker)))
	p.Compile()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// The clock starts when the model starts: under load, compiling and
	// preparing the run can take longer than the 300 ms the cancel waits.
	nodeStarted := make(chan struct{})
	var started time.Time
	sawRunning := make(chan bool, 1)
	go func() {
		<-nodeStarted
		seen := h.Running == nil
		for !seen && time.Since(started) < 10*time.Second {
			n, err := h.Running(context.Background(), marker)
			if err != nil {
				t.Errorf("listing running queries: %v", err)
				break
			}
			seen = n > 0
			if !seen {
				time.Sleep(20 * time.Millisecond)
			}
		}
		sawRunning <- seen
		time.Sleep(time.Until(started.Add(300 * time.Millisecond)))
		cancel()
	}()

	res, err := p.BuildWith(ctx, runner.Options{OnStart: func(string) {
		started = time.Now()
		close(nodeStarted)
	}}, "slow.q")
	returned := time.Now()
	select {
	case <-nodeStarted:
	default:
		t.Fatalf("the slow model never started: %v", err)
	}
	if !<-sawRunning {
		t.Fatalf("the slow query never showed among the running queries")
	}
	if took := time.Since(started); took > 5*time.Second {
		t.Errorf("Run took %v to return after a cancel at 300ms", took.Round(time.Millisecond))
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Run returned %v, want context.Canceled", err)
	}
	if res == nil {
		t.Fatal("Run returned no results")
	}
	r := Result(t, res, "slow.q")
	if r.Status != runner.StatusError || !strings.Contains(strings.ToLower(r.Message), "cancel") {
		t.Errorf("slow.q: status %s, message %q; want an error that mentions the cancel", r.Status, r.Message)
	}
	if h.Running != nil {
		for {
			n, err := h.Running(context.Background(), marker)
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				t.Logf("the query left the warehouse %v after Run returned", time.Since(returned).Round(time.Millisecond))
				break
			}
			if time.Since(returned) > 3*time.Second {
				t.Fatalf("the canceled query is still running on the warehouse %v after Run returned", time.Since(returned).Round(time.Millisecond))
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	if kind := p.Kind("slow.q"); kind != "" {
		t.Errorf("the canceled build left a %s slow.q", kind)
	}
}
