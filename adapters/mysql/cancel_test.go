package mysql

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/models"
	"github.com/weir-sh/weir/tests/conformance"
)

// cancelAdapter opens an adapter of one thread on the server under test,
// and returns it with a marker of the test's own; what still runs with
// the marker in its text when the test ends is killed, not left to
// sleep.
func cancelAdapter(t *testing.T) (*Adapter, string) {
	t.Helper()
	admin := server.Admin(t)
	ad, err := Open(&models.Target{Name: "t", Adapter: "mysql", DSN: server.DSN(), Threads: 1}, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ad.Close() })
	marker := conformance.Marker("weir_cancel_")
	t.Cleanup(func() {
		for range 200 {
			var id int64
			if admin.QueryRow(`SELECT ID FROM information_schema.PROCESSLIST
WHERE ID <> CONNECTION_ID() AND COMMAND = 'Query' AND INSTR(INFO, ?) > 0 LIMIT 1`, marker).Scan(&id) != nil {
				return
			}
			admin.Exec("KILL CONNECTION ?", id)
		}
	})
	return ad.(*Adapter), marker
}

// stillRunning fails t when a statement with marker in its text still
// runs on the server 300 ms after its cancel.
func stillRunning(t *testing.T, marker, what string) {
	t.Helper()
	time.Sleep(300 * time.Millisecond)
	n, err := running(context.Background(), marker)
	if err != nil {
		t.Fatal(err)
	}
	if n > 0 {
		t.Errorf("%d of %s still run on the server 300 ms after their cancel", n, what)
	}
}

// TestCancelLeavesNothingRunning cancels a long statement at many points
// around its send, from before the statement leaves weir to after the
// server has started it: a few hundred ms later, none of them still runs
// on the server. The driver closes its socket on a cancel and returns,
// but the server goes on with a statement it has received; a KILL QUERY
// that reaches the server before the statement does is forgotten when
// the statement starts, which left a CREATE TABLE … AS running to its end
// with its client gone.
func TestCancelLeavesNothingRunning(t *testing.T) {
	a, marker := cancelAdapter(t)
	const tries = 150
	for i := range tries {
		ctx, cancel := context.WithCancel(context.Background())
		// The cancel lands anywhere from before the connection's id is
		// read to well after the statement has started.
		time.AfterFunc(time.Duration(rand.Int64N(int64(3*time.Millisecond))), cancel)
		// A killed SLEEP returns 1, without an error: only the server's
		// list of what runs tells.
		a.Exec(ctx, fmt.Sprintf("DO SLEEP(30) /* %s_%d */", marker, i))
		cancel()
	}
	stillRunning(t, marker, fmt.Sprint(tries, " canceled statements"))
	if _, err := a.Exec(context.Background(), "DO 1"); err != nil {
		t.Errorf("a statement after the cancels: %v", err)
	}
}

// TestCancelInTxRollsBack cancels a transaction like a model's build: a
// DDL (which MySQL commits at once), then the state record, then a long
// statement, canceled. The DDL stays, the record is rolled back with the
// killed connection, and nothing still runs.
func TestCancelInTxRollsBack(t *testing.T) {
	a, marker := cancelAdapter(t)
	name := uniquePrefix(t) + "c"
	db := Dialect{}.QuoteIdent(name)
	admin := server.Admin(t)
	if _, err := admin.Exec("CREATE DATABASE " + db); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec("CREATE TABLE " + db + ".record (id INT)"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	start := time.Now()
	err := a.InTx(ctx, func(e adapters.Execer) error {
		for _, q := range []string{
			"CREATE TABLE " + db + ".built (id INT)",
			"INSERT INTO " + db + ".record VALUES (1)",
		} {
			if _, err := e.Exec(ctx, q); err != nil {
				return err
			}
		}
		time.AfterFunc(200*time.Millisecond, cancel)
		_, err := e.Exec(ctx, "DO SLEEP(30) /* "+marker+" */")
		return err
	})
	if err == nil || ctx.Err() == nil {
		t.Fatalf("InTx returned %v, want the cancel", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("InTx took %v to return after a cancel at 200 ms", took.Round(time.Millisecond))
	}
	stillRunning(t, marker, "1 canceled statement")
	var built, records int
	if err := admin.QueryRow("SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'built'", name).Scan(&built); err != nil {
		t.Fatal(err)
	}
	if err := admin.QueryRow("SELECT count(*) FROM " + db + ".record").Scan(&records); err != nil {
		t.Fatal(err)
	}
	if built != 1 || records != 0 {
		t.Errorf("after the cancel: table built %d (want 1: DDL commits at once), %d records (want 0: rolled back)", built, records)
	}
}
