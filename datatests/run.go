package datatests

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/weir-sh/weir/adapters"
)

// SampleRows is how many failing rows a result shows.
const SampleRows = 5

// Run runs data test t on a: it counts the failing rows, decides the
// status from the severity and thresholds, keeps a few failing rows as a
// sample and, with store_failures, every failing row in
// FailureRelation(target, t.Name).
func (s *Suite) Run(ctx context.Context, a adapters.Adapter, t *Test) Result {
	t0 := time.Now()
	res := Result{Name: t.Name, Kind: t.Kind, Node: t.Node, Column: t.Column, Severity: t.Config.Severity, File: t.Location()}
	if t.Broken != nil {
		brokenResult(t, &res)
		return res
	}
	err := s.run(ctx, a, t, &res)
	res.DurationMS = float64(time.Since(t0).Microseconds()) / 1000
	if err != nil {
		res.Status, res.Message = StatusError, err.Error()
	}
	return res
}

func (s *Suite) run(ctx context.Context, a adapters.Adapter, t *Test, res *Result) error {
	d := a.Dialect()
	from := fmt.Sprintf("(\n%s\n) AS %s", t.SQL, d.QuoteIdent("failing"))
	if t.Config.StoreFailures {
		rel, err := s.storeFailures(ctx, a, t)
		if err != nil {
			return fmt.Errorf("storing the failing rows: %w", err)
		}
		res.StoredIn = rel.String()
		from = adapters.QuoteRelation(d, rel)
	}
	n, err := adapters.QueryInt(ctx, a, "SELECT count(*) FROM "+from)
	if err != nil {
		return err
	}
	res.Failures = n
	res.Status = statusFor(t.Config, n)
	res.Message = describe(t.Config, n, res.Status)
	if n == 0 {
		return nil
	}
	rows, err := a.Query(ctx, fmt.Sprintf("SELECT * FROM %s LIMIT %d", from, SampleRows))
	if err != nil {
		return fmt.Errorf("reading failing rows: %w", err)
	}
	res.Sample = sampleOf(rows)
	return nil
}

// storeFailures replaces the test's failure table with its failing rows,
// in one transaction where the adapter has them.
func (s *Suite) storeFailures(ctx context.Context, a adapters.Adapter, t *Test) (adapters.Relation, error) {
	d := a.Dialect()
	rel := FailureRelation(s.c.Target, t.Name)
	if err := s.stores.ensure(ctx, a, rel.Schema); err != nil {
		return rel, err
	}
	q := adapters.QuoteRelation(d, rel)
	err := adapters.InTx(ctx, a, func(x adapters.Execer) error {
		if _, err := x.Exec(ctx, "DROP TABLE IF EXISTS "+q); err != nil {
			return err
		}
		_, err := x.Exec(ctx, fmt.Sprintf("CREATE TABLE %s AS\nSELECT * FROM (\n%s\n) AS %s", q, t.SQL, d.QuoteIdent("failing")))
		return err
	})
	return rel, err
}

// storeSchemas creates each failure schema once per adapter: concurrent
// CREATE SCHEMA IF NOT EXISTS can collide on Postgres.
type storeSchemas struct {
	mu   sync.Mutex
	done map[adapters.Adapter]map[string]bool
}

func (st *storeSchemas) ensure(ctx context.Context, a adapters.Adapter, schema string) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.done[a][schema] {
		return nil
	}
	if _, err := a.Exec(ctx, a.Dialect().CreateSchema(schema)); err != nil {
		return err
	}
	if st.done == nil {
		st.done = map[adapters.Adapter]map[string]bool{}
	}
	if st.done[a] == nil {
		st.done[a] = map[string]bool{}
	}
	st.done[a][schema] = true
	return nil
}

func sampleOf(rows *adapters.Rows) *Sample {
	s := &Sample{Columns: rows.Columns, Rows: [][]string{}}
	for _, r := range rows.Values {
		cells := make([]string, len(r))
		for i, v := range r {
			cells[i] = formatCell(v)
		}
		s.Rows = append(s.Rows, cells)
	}
	return s
}

// RunAll runs tests and unit tests on a, at most threads at a time, and
// returns their results sorted by name; onResult (if not nil) is called as
// each finishes, one call at a time.
func (s *Suite) RunAll(ctx context.Context, a adapters.Adapter, tests []*Test, units []*Unit, threads int, onResult func(Result)) []Result {
	threads = max(threads, 1)
	var (
		mu  sync.Mutex
		out []Result
		wg  sync.WaitGroup
	)
	work := make(chan func() Result)
	for range threads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for job := range work {
				r := job()
				mu.Lock()
				out = append(out, r)
				if onResult != nil {
					onResult(r)
				}
				mu.Unlock()
			}
		}()
	}
	for _, t := range tests {
		work <- func() Result { return s.Run(ctx, a, t) }
	}
	for _, u := range units {
		work <- func() Result { return s.RunUnit(ctx, a, u) }
	}
	close(work)
	wg.Wait()
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Select returns the tests and unit tests that concern the nodes in ids:
// generic tests declared on them, singular tests reading any of them, and
// unit tests of them. A broken singular test, whose reads are unknown, is
// always selected.
func (s *Suite) Select(ids []string) ([]*Test, []*Unit) {
	in := map[string]bool{}
	for _, id := range ids {
		in[id] = true
	}
	var tests []*Test
	for _, t := range s.Tests {
		hit := in[t.Node] || t.Broken != nil && t.Node == "" // a broken singular test reads what?
		for _, d := range t.DependsOn {
			hit = hit || t.Node == "" && in[d]
		}
		if hit {
			tests = append(tests, t)
		}
	}
	var units []*Unit
	for _, u := range s.Units {
		if in[u.Model] {
			units = append(units, u)
		}
	}
	return tests, units
}
