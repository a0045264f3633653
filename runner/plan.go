package runner

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/planner"
	"github.com/weir-sh/weir/state"
)

// ReadState fills in what a plan needs from the warehouse: the recorded
// state and intervals, which relations exist, and the newest loaded_at of
// each source that declares one. It returns the catalog it read, for the
// run (Options.Catalog), and warnings for sources it could not read (they
// count as unchanged).
func ReadState(ctx context.Context, a adapters.Adapter, store *state.Store, in *planner.Input) (Catalog, []string, error) {
	r, err := ReadRecorded(ctx, a, store)
	if err != nil {
		return nil, nil, err
	}
	cat, warnings := r.Fill(ctx, a, in)
	return cat, warnings, nil
}

// Recorded is the part of ReadState that does not depend on the project:
// the recorded state and intervals, and the warehouse's catalog. A build
// reads it while the project still compiles (ReadRecorded), then Fill
// completes the plan's input.
type Recorded struct {
	State     map[string]state.Node
	Intervals map[string][]state.Interval
	Catalog   Catalog // nil when the adapter cannot list its relations
}

// ReadRecorded reads the recorded state and intervals of store and the
// catalog of a, the catalog on a connection of its own at the same time
// (each is about as long as the other on DuckDB at 10,000 models).
func ReadRecorded(ctx context.Context, a adapters.Adapter, store *state.Store) (*Recorded, error) {
	var (
		r      Recorded
		catErr error
	)
	listed := make(chan struct{})
	go func() {
		defer close(listed)
		r.Catalog, catErr = ReadCatalog(ctx, a)
	}()
	err := func() (err error) {
		if r.State, err = store.Nodes(ctx); err != nil {
			return fmt.Errorf("reading state: %w", err)
		}
		if r.Intervals, err = store.Intervals(ctx); err != nil {
			return fmt.Errorf("reading state: %w", err)
		}
		return nil
	}()
	<-listed
	if err == nil {
		err = catErr
	}
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// Fill puts what r read into in, reads the newest loaded_at of each
// source of in.Compiled that declares one, and returns the catalog (for
// the run, Options.Catalog) and warnings for the sources it could not
// read (they count as unchanged).
func (r *Recorded) Fill(ctx context.Context, a adapters.Adapter, in *planner.Input) (Catalog, []string) {
	in.State, in.Intervals = r.State, r.Intervals
	if r.Catalog != nil {
		in.Exists = r.Catalog.Exists
	}
	var warnings []string
	in.LoadedAt, warnings = loadedAt(ctx, a, in.Compiled)
	return r.Catalog, warnings
}

// Catalog is the relations in the warehouse with their kinds (table or
// view), keyed by their lower-cased name.
type Catalog map[adapters.Relation]string

// ReadCatalog lists the warehouse's relations once; it returns nil when
// the adapter cannot list them.
func ReadCatalog(ctx context.Context, a adapters.Adapter) (Catalog, error) {
	lister, ok := a.(adapters.Cataloger)
	if !ok {
		return nil, nil
	}
	rels, err := lister.Relations(ctx)
	if err != nil {
		return nil, fmt.Errorf("listing relations: %w", err)
	}
	c := make(Catalog, len(rels))
	for _, r := range rels {
		c[lower(r.Relation)] = r.Kind
	}
	return c, nil
}

// Exists reports whether node n's relation is in the catalog.
func (c Catalog) Exists(n *compiler.Node) bool {
	_, ok := c[lower(n.Relation)]
	return ok
}

// loadedAt reads the newest loaded_at of every source that declares one.
func loadedAt(ctx context.Context, a adapters.Adapter, c *compiler.Result) (map[string]time.Time, []string) {
	out := map[string]time.Time{}
	var warnings []string
	d := a.Dialect()
	for _, n := range c.Nodes {
		if n.Source == nil || n.Source.LoadedAt == "" {
			continue
		}
		rows, err := a.Query(ctx, fmt.Sprintf("SELECT max(%s) FROM %s", d.QuoteIdent(n.Source.LoadedAt), adapters.QuoteRelation(d, n.Relation)))
		if err != nil {
			msg := err.Error()
			if i := strings.IndexByte(msg, '\n'); i >= 0 {
				msg = msg[:i]
			}
			warnings = append(warnings, fmt.Sprintf("cannot read %s.%s of source %s: %s", n.Relation, n.Source.LoadedAt, n.ID, msg))
			continue
		}
		if len(rows.Values) == 1 {
			if t, ok := rows.Values[0][0].(time.Time); ok {
				out[n.ID] = t.UTC()
			}
		}
	}
	return out, warnings
}
