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
	var err error
	if in.State, err = store.Nodes(ctx); err != nil {
		return nil, nil, fmt.Errorf("reading state: %w", err)
	}
	if in.Intervals, err = store.Intervals(ctx); err != nil {
		return nil, nil, fmt.Errorf("reading state: %w", err)
	}
	cat, err := ReadCatalog(ctx, a)
	if err != nil {
		return nil, nil, err
	}
	if cat != nil {
		in.Exists = cat.Exists
	}
	var warnings []string
	in.LoadedAt, warnings = loadedAt(ctx, a, in.Compiled)
	return cat, warnings, nil
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
