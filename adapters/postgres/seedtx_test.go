package postgres

import (
	"fmt"
	"strings"
	"testing"

	"github.com/weir-sh/weir/tests/conformance"
)

// slowSeedRows is the size of the seed TestSeedReadOutsideTransaction
// loads: reading and sniffing it takes several times the sessions'
// idle_in_transaction_session_timeout.
const slowSeedRows = 500000

// TestSeedReadOutsideTransaction loads a seed that takes long to read on
// a target whose sessions end a transaction left idle for 1s (a margin
// against pauses on a loaded machine), first into a new table and then
// over it: the file is read and sniffed before the load's transaction
// begins, and COPY (during which the session is busy, not idle) streams
// it, so both loads succeed at their first attempt.
func TestSeedReadOutsideTransaction(t *testing.T) {
	server.Admin(t)
	dsn := server.DSN()
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	p := conformance.NewProject(t, conformance.Harness{Adapter: "postgres", Target: func(t testing.TB) map[string]string {
		return map[string]string{"dsn": dsn + sep + "idle_in_transaction_session_timeout=1000", "schema_prefix": uniquePrefix(t)}
	}})
	if got := p.Strings("SHOW idle_in_transaction_session_timeout"); len(got) != 1 || got[0][0] != "1s" {
		t.Fatalf("the target's sessions have idle_in_transaction_session_timeout %v, want 1s", got)
	}
	var csv strings.Builder
	csv.WriteString("id,name,amount,day\n")
	for i := 1; i <= slowSeedRows; i++ {
		fmt.Fprintf(&csv, "%d,name %d,%d.5,2024-01-%02d\n", i, i, i, i%28+1)
	}
	p.Write("seeds/raw/big.csv", csv.String())
	for _, load := range []string{"first load", "reload"} {
		res := p.MustBuild("raw.big")
		if r := conformance.Result(t, res, "raw.big"); r.Retries > 0 {
			t.Fatalf("%s: raw.big succeeded only after %d retries", load, r.Retries)
		}
		conformance.EqualRows(t, load, p.Strings("SELECT count(*), max(id) FROM "+p.Rel("raw.big")), conformance.Rows(fmt.Sprintf("%d|%d", slowSeedRows, slowSeedRows)))
	}
}
