package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/runner"
	"github.com/weir-sh/weir/tests/conformance"
)

// TestIsTransient classifies real errors from the server: those raised
// with a given SQLSTATE, and real SQL errors.
func TestIsTransient(t *testing.T) {
	a := openTest(t, 1)
	ctx := context.Background()
	raise := func(code string) string {
		return fmt.Sprintf(`DO $$ BEGIN RAISE EXCEPTION 'raised %s' USING ERRCODE = '%s'; END $$`, code, code)
	}
	cases := []struct {
		sql       string
		transient bool
	}{
		{raise("40001"), true},  // serialization_failure
		{raise("40P01"), true},  // deadlock_detected
		{raise("57P01"), true},  // admin_shutdown
		{raise("08006"), true},  // connection_failure
		{raise("08000"), true},  // connection_exception
		{raise("23505"), false}, // unique_violation
		{raise("57014"), false}, // query_canceled
		{"SELEC 1", false},
		{"SELECT 1/0", false},
		{"SELECT no_such_column", false},
	}
	for _, c := range cases {
		_, err := a.Exec(ctx, c.sql)
		if err == nil {
			t.Fatalf("%s: no error", c.sql)
		}
		if got := a.IsTransient(err); got != c.transient {
			t.Errorf("%s: IsTransient(%v) = %v, want %v", c.sql, err, got, c.transient)
		}
	}
	if a.IsTransient(context.Canceled) || a.IsTransient(nil) {
		t.Error("a cancel or no error is not transient")
	}
}

// TestKilledConnectionIsTransient terminates weir's connection from
// another one while a statement runs in a transaction: the error is
// transient, and the pool serves the next statement on a new connection.
func TestKilledConnectionIsTransient(t *testing.T) {
	a := openTest(t, 1)
	marker := conformance.Marker("weir_kill_")
	killed := killWhenRunning(t, marker, 1)
	err := a.InTx(context.Background(), func(x adapters.Execer) error {
		_, err := x.Exec(context.Background(), "SELECT pg_sleep(5), '"+marker+"'")
		return err
	})
	if n := <-killed; n != 1 {
		t.Fatalf("terminated %d backends, want 1", n)
	}
	if err == nil || !a.IsTransient(err) {
		t.Fatalf("error after pg_terminate_backend: %v; IsTransient %v, want true", err, a.IsTransient(err))
	}
	if _, err := a.Exec(context.Background(), "SELECT 1"); err != nil {
		t.Fatalf("the pool did not recover: %v", err)
	}
}

// killWhenRunning terminates the backends running a statement that holds
// marker, up to times times (each as soon as it shows), and sends how many
// it terminated (conformance.TerminatePostgres).
func killWhenRunning(t testing.TB, marker string, times int) <-chan int {
	return conformance.TerminatePostgres(t, server.Admin(t), marker, times)
}

// TestPositionError runs SQL with an error after multibyte characters: the
// adapter returns an *adapters.PositionError whose byte offset points at
// the bad name, in a statement run directly and in one run by the runner.
func TestPositionError(t *testing.T) {
	a := openTest(t, 1)
	sql := "SELECT 'ñandú ☃' AS x,\n  nope AS y"
	_, err := a.Exec(context.Background(), sql)
	var pe *adapters.PositionError
	if !errors.As(err, &pe) {
		t.Fatalf("got %T %v, want a PositionError", err, err)
	}
	if want := strings.Index(sql, "nope"); pe.Offset != want || pe.SQL != sql {
		t.Errorf("offset %d into %q, want %d", pe.Offset, pe.SQL, want)
	}

	p := newProject(t)
	p.Write("models/m/bad.sql", "SELECT 'ñ' AS a,\n       missing_column AS b\n")
	res, err := p.Build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	r := conformance.Result(t, res, "m.bad")
	if !errors.As(r.Err(), &pe) {
		t.Fatalf("the runner's error is %T %v, want a PositionError", r.Err(), r.Err())
	}
	if got := pe.SQL[pe.Offset:]; !strings.HasPrefix(got, "missing_column AS b") {
		t.Errorf("the offset points at %q", got)
	}
}

func TestByteOffset(t *testing.T) {
	s := "aé☃b"
	for pos, want := range map[int]int{1: 0, 2: 1, 3: 3, 4: 6, 5: 7} {
		if got, ok := byteOffset(s, pos); !ok || got != want {
			t.Errorf("byteOffset(%q, %d) = %d, %v; want %d", s, pos, got, ok, want)
		}
	}
	for _, pos := range []int{0, 6, -1} {
		if _, ok := byteOffset(s, pos); ok {
			t.Errorf("byteOffset(%q, %d) should be out of range", s, pos)
		}
	}
}

// TestDeadlineCancelsOnServer runs a long statement in a transaction whose
// context has a deadline: the transaction's statement_timeout is the time
// left, the statement stops on the server at the deadline, and the error
// says it timed out and is not transient.
func TestDeadlineCancelsOnServer(t *testing.T) {
	a := openTest(t, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	err := a.InTx(ctx, func(x adapters.Execer) error {
		rows, err := x.Query(ctx, "SELECT current_setting('statement_timeout')")
		if err != nil {
			return err
		}
		got := rows.Values[0][0].(string)
		var ms int
		fmt.Sscanf(got, "%dms", &ms)
		if !strings.HasSuffix(got, "ms") || ms < 1000 || ms > 2000 {
			t.Errorf("statement_timeout in the transaction is %q, want the ~2s left", got)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	marker := conformance.Marker("weir_deadline_")
	ctx, cancel = context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = a.InTx(ctx, func(x adapters.Execer) error {
		_, err := x.Exec(ctx, conformance.SlowSQL(marker))
		return err
	})
	took := time.Since(start)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "timed out") || a.IsTransient(err) {
		t.Errorf("error %v: want a non-transient timeout wrapping context.DeadlineExceeded", err)
	}
	if took > 3*time.Second {
		t.Errorf("took %v to time out at 500ms", took)
	}
	waitGone(t, marker, 3*time.Second)
}

// waitGone fails the test unless no statement holding marker runs on the
// server within limit.
func waitGone(t testing.TB, marker string, limit time.Duration) {
	t.Helper()
	start := time.Now()
	for {
		n, err := running(context.Background(), marker)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
		if time.Since(start) > limit {
			t.Fatalf("the statement is still running on the server after %v", limit)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestModelTimeout builds a model whose timeout it outruns: the runner
// reports it as an error that says it timed out, the statement is gone
// from pg_stat_activity, and the rest of the project builds.
func TestModelTimeout(t *testing.T) {
	p := newProject(t)
	marker := conformance.Marker("weir_timeout_")
	p.Write("models/m/slow.sql", "/* config\ntimeout = \"1s\"\n*/\n"+conformance.SlowSQL(marker)+"\n")
	p.Write("models/m/fast.sql", "SELECT 1 AS x\n")
	// The run's own limit, far past the model's, only keeps a runner that
	// ignores the model's timeout from running for minutes.
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	start := time.Now()
	res, err := p.Build(ctx)
	took := time.Since(start)
	if err != nil {
		t.Fatalf("Run: %v after %v; the model's 1s timeout should have stopped it, not the run's 15s", err, took.Round(time.Millisecond))
	}
	r := conformance.Result(t, res, "m.slow")
	msg := strings.ToLower(r.Message)
	if r.Status != runner.StatusError || !(strings.Contains(msg, "timed out") || strings.Contains(msg, "timeout")) {
		t.Errorf("m.slow: %s %q; want an error that says it timed out", r.Status, r.Message)
	}
	if !errors.Is(r.Err(), context.DeadlineExceeded) {
		t.Errorf("m.slow's error %v does not wrap context.DeadlineExceeded", r.Err())
	}
	if took > 10*time.Second {
		t.Errorf("the build took %v with a 1s timeout", took)
	}
	waitGone(t, marker, 3*time.Second)
	if r := conformance.Result(t, res, "m.fast"); r.Status != runner.StatusSuccess {
		t.Errorf("m.fast: %s %s", r.Status, r.Message)
	}
}

// TestKilledConnectionIsRetried terminates weir's connection while a model
// runs: the runner retries the model on a new connection and the whole
// build succeeds.
func TestKilledConnectionIsRetried(t *testing.T) {
	p := newProject(t)
	marker := conformance.Marker("weir_retry_")
	p.Write("models/m/sleepy.sql", "SELECT 1 AS x, '"+marker+"' AS tag FROM (SELECT pg_sleep(1.5)) AS s\n")
	p.Write("models/m/after.sql", "SELECT x + 1 AS y FROM m.sleepy\n")
	killed := killWhenRunning(t, marker, 1)
	res, err := p.Build(context.Background())
	if n := <-killed; n != 1 {
		t.Fatalf("terminated %d backends, want 1: the test proves nothing", n)
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Results {
		if r.Status != runner.StatusSuccess {
			t.Errorf("%s: %s %s (a killed connection should be retried)", r.Name, r.Status, r.Message)
		}
	}
	conformance.EqualRows(t, "m.after", p.Strings("SELECT y FROM "+p.Rel("m.after")), conformance.Rows("2"))
}
