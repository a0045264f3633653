package main

import (
	"context"
	"fmt"
	"io"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/datatests"
	"github.com/weir-sh/weir/models"
	"github.com/weir-sh/weir/planner"
	"github.com/weir-sh/weir/runner"
)

// otherTarget returns the target flag names, which must be another target
// of the project than the one built.
func (s *session) otherTarget(flag, name string) (*models.Target, error) {
	t, ok := s.project.Targets[name]
	switch {
	case !ok:
		return nil, &exitError{code: exitUsage, msg: fmt.Sprintf("%s %s: no target %q in %s; pick one of %v", flag, name, name, models.ConfigFile, targetNames(s.project))}
	case t.Name == s.target.Name:
		return nil, &exitError{code: exitUsage, msg: fmt.Sprintf("%s %s names the target being built; name the target to read from (prod, say) and pick this one with --target", flag, name)}
	}
	return t, nil
}

// deferTo reads the upstream models and seeds that this build does not
// build and that this target lacks from target name's relations, as dbt's
// --defer does: references to them are rewritten to the other target's
// relations. A parent the other target lacks too is left alone (the run
// skips what reads it, saying so).
func (p *planned) deferTo(ctx context.Context, name string) error {
	other, err := p.s.otherTarget("--defer", name)
	if err != nil {
		return err
	}
	p.deferTarget = other.Name
	return deferNodes(ctx, p.s, p.c, p.a, other, p.deferCandidates())
}

// deferNodes points the references to each candidate at its relation in
// target other, where that relation can be read, and compiles the tests
// again to read them there too.
func deferNodes(ctx context.Context, s *session, c *compiler.Result, a adapters.Adapter, other *models.Target, candidates []*compiler.Node) error {
	if len(candidates) == 0 {
		return nil
	}
	db, err := adapters.AttachTarget(ctx, a, s.target, other, s.project.Dir)
	if err != nil {
		return &exitError{code: exitFailed, msg: err.Error()}
	}
	rels := map[string]adapters.Relation{}
	for _, n := range candidates {
		rel := otherRelation(n, other, db)
		probe := fmt.Sprintf("SELECT 1 FROM %s WHERE 1 = 0", adapters.QuoteRelation(a.Dialect(), rel))
		if _, err := a.Query(ctx, probe); err != nil {
			fmt.Fprintf(s.diagOut, "Warning: cannot defer %s to target %s: %s is not readable there either\n", n.ID, other.Name, rel)
			continue
		}
		rels[n.ID] = rel
	}
	c.Defer(rels)
	// Their diagnostics were printed when the project compiled.
	suite, _ := datatests.Collect(c)
	s.suite = suite
	return nil
}

// otherRelation is where node n lives in target other, in database
// (the catalog the other target is read under, "" for the same one).
func otherRelation(n *compiler.Node, other *models.Target, database string) adapters.Relation {
	rel := n.RelationIn(other)
	rel.Database = database
	return rel
}

// deferCandidates lists the models and seeds upstream of what this plan
// builds (directly, or through ephemeral models) that the plan does not
// build and that are missing from this target's warehouse.
func (p *planned) deferCandidates() []*compiler.Node {
	inRun := map[string]bool{}
	for _, id := range p.plan.ToBuild() {
		inRun[id] = true
	}
	seen := map[string]bool{}
	var out []*compiler.Node
	var visit func(n *compiler.Node)
	visit = func(n *compiler.Node) {
		for _, id := range n.DependsOn {
			parent := p.c.Nodes[id]
			if seen[id] {
				continue
			}
			seen[id] = true
			switch {
			case parent.Materialized == models.MatEphemeral:
				visit(parent)
			case parent.Kind == models.KindSource || inRun[id] || parent.Broken():
			case p.catalog == nil || !p.catalog.Exists(parent):
				out = append(out, parent)
			}
		}
	}
	for _, id := range p.plan.ToBuild() {
		if p.plan.Steps[id].Action == planner.Build {
			visit(p.c.Nodes[id])
		}
	}
	return out
}

// printDeferred writes one line a deferred node.
func printDeferred(w io.Writer, ds []runner.Deferred) {
	for _, d := range ds {
		fmt.Fprintf(w, "deferred: %s → %s (%s)\n", d.Name, d.Target, d.Relation)
	}
}

// deferTests reads the models and seeds that tests check against (not the
// ones they test) from target name where this target lacks them, and
// returns the tests compiled again to read them there.
func deferTests(ctx context.Context, s *session, c *compiler.Result, a adapters.Adapter, name string, ts []*datatests.Test) (*datatests.Suite, error) {
	other, err := s.otherTarget("--defer", name)
	if err != nil {
		return nil, err
	}
	cat, err := runner.ReadCatalog(ctx, a)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var candidates []*compiler.Node
	for _, t := range ts {
		for _, id := range t.Requires {
			n := c.Nodes[id]
			if id == t.Node || seen[id] || n.Relation.Name == "" || n.Kind == models.KindSource || cat != nil && cat.Exists(n) {
				continue
			}
			seen[id] = true
			candidates = append(candidates, n)
		}
	}
	if err := deferNodes(ctx, s, c, a, other, candidates); err != nil {
		return nil, err
	}
	return collectTests(s, c) // the session's suite when it has one
}
