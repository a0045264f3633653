package conformance

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/runner"
)

// swapRows is the row count of the table the swap test rebuilds: enough
// that a rebuild takes a while, so readers run during it.
const swapRows = 200000

// testAtomicSwap rebuilds a table again and again while readers count it,
// directly and through a view that is not rebuilt: every read must see a
// whole table, one version or the other, never none, an empty one or a mix.
func testAtomicSwap(t *testing.T, h Harness) {
	p := NewProject(t, h)
	version := func(v string) string {
		return Model("table", fmt.Sprintf("SELECT x, '%s' AS version FROM %s", v, h.series("s", "x", swapRows)))
	}
	p.Write("models/swap/t.sql", version("a"))
	p.Write("models/swap/v.sql", Model("view", "SELECT x, version FROM swap.t"))
	p.MustBuild()

	a := p.Adapter()
	want := fmt.Sprint(swapRows)
	var (
		reads    atomic.Int64
		mu       sync.Mutex
		problems []string
		wg       sync.WaitGroup
	)
	ctx, stop := context.WithCancel(context.Background())
	for _, id := range []string{"swap.t", "swap.v"} {
		q := "SELECT count(*), count(DISTINCT version), min(version) FROM " + p.Rel(id)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				rows, err := a.Query(ctx, q)
				if ctx.Err() != nil {
					return
				}
				var problem string
				if err != nil {
					problem = err.Error()
				} else if got := Canonical(rows); len(got) != 1 || got[0][0] != want || got[0][1] != "1" {
					problem = fmt.Sprintf("saw %v", got)
				}
				reads.Add(1)
				if problem != "" {
					mu.Lock()
					problems = append(problems, id+": "+problem)
					mu.Unlock()
				}
			}
		}()
	}

	const rebuilds = 8
	start := reads.Load()
	for i := 0; i < rebuilds; i++ {
		v := string(rune('b' + i))
		p.Write("models/swap/t.sql", version(v))
		res, err := p.Build(context.Background(), "swap.t")
		if err != nil || !res.OK() {
			stop()
			wg.Wait()
			t.Fatalf("rebuild %d: %v %v", i+1, err, res)
		}
	}
	// Let the readers finish a read of the last version.
	time.Sleep(50 * time.Millisecond)
	during := reads.Load() - start
	stop()
	wg.Wait()

	for i, pr := range problems {
		if i == 5 {
			t.Errorf("… and %d more", len(problems)-5)
			break
		}
		t.Errorf("a reader saw an incomplete table: %s", pr)
	}
	if during < rebuilds {
		t.Errorf("only %d reads ran during %d rebuilds; the test proves nothing", during, rebuilds)
	}
	t.Logf("%d reads during %d rebuilds", during, rebuilds)
	last := string(rune('b' + rebuilds - 1))
	EqualRows(t, "after the rebuilds", p.Strings("SELECT count(*), min(version) FROM "+p.Rel("swap.v")), Rows(want+"|"+last))
}

// testFailedRebuild rebuilds a table and a view with SQL that fails when
// it runs: both keep their previous definition and rows, and nothing
// temporary is left behind.
func testFailedRebuild(t *testing.T, h Harness) {
	p := NewProject(t, h)
	p.Write("models/fr/t.sql", Model("table", "SELECT * FROM "+Table("v", []string{"x"}, []string{"1"}, []string{"2"}, []string{"3"})))
	p.Write("models/fr/v.sql", Model("view", "SELECT x * 10 AS y FROM fr.t"))
	p.MustBuild()

	p.Write("models/fr/t.sql", Model("table", "SELECT CAST(concat('not a number ', x) AS "+h.intType()+") AS x FROM "+Table("v", []string{"x"}, []string{"1"}, []string{"2"})))
	p.Write("models/fr/v.sql", Model("view", "SELECT no_such_column AS y FROM fr.t"))
	res, err := p.Build(context.Background(), "fr.t")
	if err != nil {
		t.Fatal(err)
	}
	if r := Result(t, res, "fr.t"); r.Status != runner.StatusError {
		t.Fatalf("fr.t: status %s, want error", r.Status)
	}
	res, err = p.Build(context.Background(), "fr.v")
	if err != nil {
		t.Fatal(err)
	}
	if r := Result(t, res, "fr.v"); r.Status != runner.StatusError {
		t.Fatalf("fr.v: status %s, want error", r.Status)
	}

	EqualRows(t, "fr.t after its failed rebuild", p.Strings("SELECT x FROM "+p.Rel("fr.t")+" ORDER BY x"), Rows("1", "2", "3"))
	EqualRows(t, "fr.v after its failed rebuild", p.Strings("SELECT y FROM "+p.Rel("fr.v")+" ORDER BY y"), Rows("10", "20", "30"))
	if p.Kind("fr.t") != adapters.KindTable || p.Kind("fr.v") != adapters.KindView {
		t.Errorf("kinds changed: fr.t %q, fr.v %q", p.Kind("fr.t"), p.Kind("fr.v"))
	}
	for rel := range p.Relations() {
		if strings.Contains(rel, adapters.TempName("")) {
			t.Errorf("the failed rebuild left %s behind", rel)
		}
	}
}
