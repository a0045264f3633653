package main

import (
	"context"
	"fmt"
	"sort"

	"github.com/spf13/cobra"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/diff"
	"github.com/weir-sh/weir/models"
	"github.com/weir-sh/weir/state"
)

// diffSamples is how many rows of each kind of change a diff shows.
const diffSamples = 5

func newDiffCmd(g *globals) *cobra.Command {
	var against, format string
	var samples int
	cmd := &cobra.Command{
		Use:   "diff [MODEL…] --against TARGET",
		Short: "Compare models in this target with another target's: columns, row counts, rows",
		Long: `diff compares each named model's relation in this target with the same
model's relation in the --against target (prod, say): columns added,
removed and retyped, row counts, and rows added, removed and changed,
matched by the model's unique_key (whole rows when it has none), with a
few sample rows. Without names it compares every model and seed whose
fingerprint differs from what the --against target recorded building.

The comparison runs in the warehouse (EXCEPT and full outer joins; only
counts and samples are read back). DuckDB attaches the other target's file
read-only; on Postgres both targets must be schema_prefixes of one
database.`,
		Example: `  weir diff --target ci --against prod
  weir diff marts.revenue --against prod --format markdown`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if against == "" {
				return &exitError{code: exitUsage, msg: "name the target to compare with: --against TARGET"}
			}
			if format != "text" && format != "json" && format != "markdown" {
				return &exitError{code: exitUsage, msg: fmt.Sprintf("unknown --format %q; use text, json or markdown", format)}
			}
			s, c, err := compileProject(g, "text")
			if err != nil {
				return err
			}
			defer c.Close()
			a, err := s.connectExisting()
			if err != nil {
				return err
			}
			defer a.Close()
			results, err := diffModels(cmd.Context(), s, c, a, against, args, samples)
			if err != nil {
				return err
			}
			return printDiffs(cmd.OutOrStdout(), s.target.Name, against, results, format)
		},
	}
	cmd.Flags().StringVar(&against, "against", "", "the `TARGET` to compare with (e.g. prod)")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, json or markdown")
	cmd.Flags().IntVar(&samples, "samples", diffSamples, "sample rows shown of each kind of change")
	return cmd
}

// diffModels compares the nodes named (all that changed when none is)
// with their relations in target name.
func diffModels(ctx context.Context, s *session, c *compiler.Result, a adapters.Adapter, name string, names []string, samples int) ([]*diff.Result, error) {
	other, err := s.otherTarget("--against", name)
	if err != nil {
		return nil, err
	}
	db, err := adapters.AttachTarget(ctx, a, s.target, other, s.project.Dir)
	if err != nil {
		return nil, &exitError{code: exitFailed, msg: err.Error()}
	}
	nodes, err := diffNodes(ctx, c, a, db, other, names)
	if err != nil {
		return nil, err
	}
	var out []*diff.Result
	for _, n := range nodes {
		spec := diff.Spec{Model: n.ID, Head: n.Relation, Base: otherRelation(n, other, db), Samples: samples}
		if n.Model != nil {
			spec.Key = n.Model.Config.Incremental.UniqueKey
		}
		r, err := diff.Compare(ctx, a, spec)
		if err != nil {
			return nil, &exitError{code: exitFailed, msg: fmt.Sprintf("comparing %s with target %s: %v", n.ID, other.Name, err)}
		}
		out = append(out, r)
	}
	return out, nil
}

// diffNodes resolves the names given, or lists the models and seeds whose
// fingerprint differs from the one target other recorded.
func diffNodes(ctx context.Context, c *compiler.Result, a adapters.Adapter, db string, other *models.Target, names []string) ([]*compiler.Node, error) {
	var out []*compiler.Node
	if len(names) > 0 {
		for _, name := range names {
			n, ok := c.Nodes[name]
			if !ok || n.Relation.Name == "" || n.Kind == models.KindSource {
				return nil, &exitError{code: exitUsage, msg: fmt.Sprintf("%s is not a model or seed with a relation; see weir ls", name)}
			}
			out = append(out, n)
		}
		return out, nil
	}
	st, err := state.ReadIn(ctx, a, db, other.SchemaPrefix)
	if err != nil {
		return nil, &exitError{code: exitFailed, msg: fmt.Sprintf("reading the state of target %s: %v", other.Name, err)}
	}
	recorded, err := st.Nodes(ctx)
	if err != nil {
		return nil, &exitError{code: exitFailed, msg: fmt.Sprintf("reading the state of target %s: %v", other.Name, err)}
	}
	for _, n := range c.Sorted() {
		if n.Kind == models.KindSource || n.Relation.Name == "" || n.Broken() {
			continue
		}
		if rec, ok := recorded[n.ID]; !ok || rec.BuiltAt.IsZero() || rec.Fingerprint != n.Fingerprint {
			out = append(out, n)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}
