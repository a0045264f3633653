package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/weir-sh/weir/adapters"
)

// parkedPrefix starts the DETAIL of the warning with which the swap
// reports a view it dropped because a view it reads was left dropped; the
// rest is the view as JSON (a parkedView).
const parkedPrefix = "weir-parked:"

// parkedView is a view outside a rebuild that went with a view it reads,
// one that no longer fit the rebuilt relation: once every relation it
// reads exists again (weir rebuilt the view it needs later in the run), it
// is recreated as it was.
type parkedView struct {
	Name   string   `json:"name"`   // as the swap quoted it
	Quoted string   `json:"quoted"` // always quoted
	Create string   `json:"create"`
	Extras []string `json:"extras"` // owner, comments, grants, indexes
	Reads  []string `json:"reads"`  // always quoted
}

// park keeps the view described by a swap warning's DETAIL.
func (a *Adapter) park(detail string) {
	var v parkedView
	if err := json.Unmarshal([]byte(strings.TrimPrefix(detail, parkedPrefix)), &v); err != nil || v.Create == "" {
		return
	}
	a.mu.Lock()
	a.parked = append(a.parked, v)
	a.mu.Unlock()
}

// unpark takes the parked views, parents first, so that one transaction
// at a time tries them; give back returns those it did not recreate.
func (a *Adapter) unpark() []parkedView {
	a.mu.Lock()
	defer a.mu.Unlock()
	views := a.parked
	a.parked = nil
	return views
}

func (a *Adapter) giveBack(views []parkedView) {
	if len(views) == 0 {
		return
	}
	a.mu.Lock()
	a.parked = append(views, a.parked...)
	a.mu.Unlock()
}

// restoreParked recreates, in x's transaction, the parked views whose
// relations all exist again, each with its owner, comments, grants and
// indexes. A view that does not fit them stays dropped, with a warning
// naming what it reads. It returns the views it recreated and the rest.
func (a *Adapter) restoreParked(ctx context.Context, x adapters.Execer, views []parkedView) (restored, rest []parkedView, err error) {
	for i, v := range views {
		ok, err := a.restoreView(ctx, x, v)
		if err != nil {
			return restored, append(rest, views[i:]...), err
		}
		switch ok {
		case restoredNow:
			restored = append(restored, v)
		case notYet:
			rest = append(rest, v)
		}
	}
	return restored, rest, nil
}

// What restoreView did with a parked view.
const (
	notYet      = iota // a relation it reads is still missing
	restoredNow        // recreated
	settled            // it exists already, or it does not fit: forget it
)

// restoreView recreates v when every relation it reads exists.
func (a *Adapter) restoreView(ctx context.Context, x adapters.Execer, v parkedView) (int, error) {
	ready, exists, err := parkedReady(ctx, x, v)
	switch {
	case err != nil:
		return notYet, err
	case exists:
		return settled, nil
	case !ready:
		return notYet, nil
	}
	res, err := savepoint(ctx, x, v.Create)
	if err != nil {
		return notYet, err
	}
	if !res.fits() {
		a.warn(fmt.Sprintf("view %s, dropped with %s, does not fit it now either, so it stays dropped: %v; its definition was: %s", v.Name, strings.Join(v.Reads, ", "), res.err, v.Create))
		return settled, nil
	}
	for _, stmt := range v.Extras {
		res, err := savepoint(ctx, x, stmt)
		if err != nil {
			return notYet, err
		}
		if !res.fits() {
			a.warn(fmt.Sprintf("view %s (reads %s) was recreated without this setting: %s: %v", v.Name, strings.Join(v.Reads, ", "), stmt, res.err))
		}
	}
	return restoredNow, nil
}

// parkedReady reports whether every relation v reads exists, and whether
// v itself exists already.
func parkedReady(ctx context.Context, x adapters.Execer, v parkedView) (ready, exists bool, err error) {
	lits := make([]string, len(v.Reads))
	for i, r := range v.Reads {
		lits[i] = Dialect{}.QuoteLiteral(r)
	}
	rows, err := x.Query(ctx, fmt.Sprintf("SELECT to_regclass(%s) IS NOT NULL, coalesce(bool_and(to_regclass(r) IS NOT NULL), true) FROM unnest(ARRAY[%s]::text[]) AS r",
		Dialect{}.QuoteLiteral(v.Quoted), strings.Join(lits, ", ")))
	if err != nil || len(rows.Values) != 1 {
		return false, false, err
	}
	exists, _ = rows.Values[0][0].(bool)
	ready, _ = rows.Values[0][1].(bool)
	return ready, exists, nil
}

// stepResult is the outcome of a statement run in a savepoint: err is the
// warehouse's refusal, rolled back to the savepoint.
type stepResult struct{ err error }

func (r stepResult) fits() bool { return r.err == nil }

// savepoint runs stmt in a savepoint of x's transaction. A refusal of
// stmt is rolled back and returned in the result; err is a failure of the
// transaction itself.
func savepoint(ctx context.Context, x adapters.Execer, stmt string) (stepResult, error) {
	if _, err := x.Exec(ctx, "SAVEPOINT weir_restore"); err != nil {
		return stepResult{}, err
	}
	if _, serr := x.Exec(ctx, stmt); serr != nil {
		if _, err := x.Exec(ctx, "ROLLBACK TO SAVEPOINT weir_restore"); err != nil {
			return stepResult{}, err
		}
		return stepResult{err: serr}, nil
	}
	_, err := x.Exec(ctx, "RELEASE SAVEPOINT weir_restore")
	return stepResult{}, err
}

// warn keeps a warning of weir's own, as if the server had raised it.
func (a *Adapter) warn(msg string) {
	a.mu.Lock()
	a.warnings = append(a.warnings, msg)
	a.mu.Unlock()
}
