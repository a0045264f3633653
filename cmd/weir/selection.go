package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/models"
	"github.com/weir-sh/weir/planner"
	"github.com/weir-sh/weir/state"
)

// selectionFlags registers --select (-s) and --exclude on cmd; what says
// what the selected nodes are for ("nodes to build"). Each value is kept
// whole, as dbt reads it: a comma inside it intersects, while spaces and
// repeated flags union.
func selectionFlags(cmd *cobra.Command, include, exclude *[]string, what string) {
	cmd.Flags().StringArrayVarP(include, "select", "s", nil, what+" (`SELECTOR`: "+`name, folder, path, +name, name+, 2+name, @name, tag:x, state:modified, result:error, "a,b" (both), "a b" (either)); repeatable`)
	cmd.Flags().StringArrayVar(exclude, "exclude", nil, "nodes to leave out (`SELECTOR` as for --select); repeatable")
}

// stateFlags name a named selector and what state: and result: selectors
// compare with.
type stateFlags struct {
	Selector  string `json:"selector,omitempty"`
	State     string `json:"state,omitempty"`
	StateFrom string `json:"state_from,omitempty"`
}

func (f *stateFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.Selector, "selector", "", "use the selector block `NAME` of weir.hcl (its select and exclude), with --select and --exclude added")
	cmd.Flags().StringVar(&f.State, "state", "", "compare state: and result: selectors with the artifacts in `DIR` (manifest.json, run_results.json of an earlier run)")
	cmd.Flags().StringVar(&f.StateFrom, "state-from", "", "compare state: and result: selectors with what `TARGET` recorded in its warehouse")
}

// criteria resolves --selector, --state and --state-from into what
// planner.ChooseWith takes. current is the session's open warehouse, if
// any: a --state-from target on the same database reads through it.
func (s *session) criteria(include, exclude []string, f stateFlags, current adapters.Adapter) (planner.Criteria, error) {
	crit := planner.Criteria{Include: include, Exclude: exclude}
	usage := func(msg string) error { return &exitError{code: exitUsage, msg: msg} }
	if f.Selector != "" {
		sel, err := planner.NamedSelector(s.project, f.Selector)
		if err != nil {
			return crit, usage(err.Error())
		}
		crit.Include = append(append([]string{}, sel.Select...), include...)
		crit.Exclude = append(append([]string{}, sel.Exclude...), exclude...)
	}
	switch {
	case f.State != "" && f.StateFrom != "":
		return crit, usage("give --state DIR or --state-from TARGET, not both")
	case f.State != "":
		b, err := planner.BaselineFromDir(f.State)
		if err != nil {
			return crit, usage(err.Error())
		}
		crit.State = b
	case f.StateFrom != "":
		b, err := s.baselineFrom(f.StateFrom, current)
		if err != nil {
			return crit, err
		}
		crit.State = b
	}
	return crit, nil
}

// baselineFrom reads the recorded state of another target of the project.
func (s *session) baselineFrom(name string, current adapters.Adapter) (*planner.Baseline, error) {
	t, ok := s.project.Targets[name]
	if !ok {
		return nil, &exitError{code: exitUsage, msg: fmt.Sprintf("--state-from %q: no such target; pick one of %s", name, strings.Join(targetNames(s.project), ", "))}
	}
	a := current
	if a == nil || !sameWarehouse(t, s) {
		var err error
		if a, err = adapters.OpenExisting(t, s.project.Dir); err != nil {
			return nil, &exitError{code: exitFailed, msg: fmt.Sprintf("--state-from %s: %v", name, err)}
		}
		defer a.Close()
	}
	st, err := state.Read(s.ctx, a, t.SchemaPrefix)
	if err != nil {
		return nil, &exitError{code: exitFailed, msg: fmt.Sprintf("--state-from %s: %v", name, err)}
	}
	b, err := planner.BaselineFromStore(s.ctx, name, st)
	if err != nil {
		return nil, &exitError{code: exitFailed, msg: err.Error()}
	}
	if len(b.Nodes) == 0 {
		fmt.Fprintf(s.diagOut, "Warning: --state-from %s: that target has recorded no build; every node is state:new\n", name)
	}
	return b, nil
}

// sameWarehouse reports a target on the session's own database (a
// DuckDB file opens once per process; a Postgres DSN needs no second
// connection).
func sameWarehouse(t *models.Target, s *session) bool {
	return t.Adapter == s.target.Adapter && t.Path == s.target.Path && t.DSN == s.target.DSN
}
