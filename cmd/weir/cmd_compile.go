package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/planner"
)

// compileProject opens the project and compiles it for its target.
func compileProject(g *globals, diagFormat string) (*session, *compiler.Result, error) {
	t0 := time.Now()
	defer boostGC()()
	s, err := open(g, diagFormat)
	if err != nil {
		return nil, nil, err
	}
	tmark("load", t0)
	res, err := s.compileForTarget()
	tmark("compile", t0)
	return s, res, err
}

// compileForTarget compiles the project with the dialect of its target.
func (s *session) compileForTarget() (*compiler.Result, error) {
	d, err := adapters.DialectOf(s.target)
	if err != nil {
		s.printDiags(hcl.Diagnostics{{
			Severity: hcl.DiagError, Summary: "Unknown adapter",
			Detail:  err.Error(),
			Subject: s.target.DeclRange.Ptr(),
		}})
		return nil, &exitError{code: exitUsage}
	}
	return await(s.ctx, func() (*compiler.Result, error) { return s.compile(d) }, func(c *compiler.Result) { c.Close() })
}

func newCompileCmd(g *globals) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "compile [MODEL...]",
		Short: "Check every model and write target/manifest.json; print the compiled SQL of the models named",
		Long: `compile loads the project, infers each model's dependencies from its SQL,
and writes the DAG and each model's compiled SQL (references pointed at
physical names) to target/manifest.json. Given model names, it prints
their compiled SQL on stdout instead of the summary. It touches no
warehouse. Any error exits 2 with every problem listed.`,
		Example: `  weir compile
  weir compile marts.customers > customers.sql
  weir compile --format github   # annotations for GitHub Actions`,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, res, err := compileProject(g, format)
			if err != nil {
				return err
			}
			defer res.Close()
			if len(args) > 0 {
				return printCompiledSQL(cmd, res, args, "weir compile")
			}
			// Test declarations are checked too, so CI catches their
			// mistakes without a warehouse.
			suite, err := collectTests(s, res)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Compiled %s and %d tests (parsed %d, %d from cache); wrote target/manifest.json\n",
				countKinds(res), len(suite.Tests), res.Parsed, res.CacheHits)
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "diagnostics format: text, json or github")
	return cmd
}

// printCompiledSQL prints the compiled SQL of each named model, names
// resolved as in SQL (a bare name several nodes share is an error listing
// them). With more than one name, a comment line names each model.
func printCompiledSQL(cmd *cobra.Command, res *compiler.Result, names []string, what string) error {
	var out strings.Builder
	for _, name := range names {
		n, bad := res.Lookup(name, what, hcl.Range{})
		if bad != nil {
			return &exitError{code: exitUsage, msg: bad.Summary + ": " + bad.Detail}
		}
		if n.Model == nil {
			return &exitError{code: exitUsage, msg: fmt.Sprintf("%s is a %s: only models have compiled SQL", n.ID, n.Kind)}
		}
		if len(names) > 1 {
			fmt.Fprintf(&out, "-- %s (%s)\n", n.ID, n.Path)
		}
		out.WriteString(strings.TrimRight(n.SQL, "\n") + "\n")
	}
	_, err := io.WriteString(cmd.OutOrStdout(), out.String())
	return err
}

func countKinds(res *compiler.Result) string {
	c := map[string]int{}
	for _, n := range res.Nodes {
		c[n.Kind]++
	}
	return fmt.Sprintf("%d models, %d seeds, %d sources", c["model"], c["seed"], c["source"])
}

func newLsCmd(g *globals) *cobra.Command {
	var (
		format           string
		include, exclude []string
		sf               stateFlags
	)
	cmd := &cobra.Command{
		Use:   "ls",
		Short: "List models, seeds and sources with their direct dependencies",
		Example: `  weir ls
  weir ls --select staging.orders+        # a model and everything downstream
  weir ls --format json | jq '.[] | select(.kind == "model") | .name'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, res, err := compileProject(g, "text")
			if err != nil {
				return err
			}
			crit, err := s.criteria(include, exclude, sf, nil)
			if err != nil {
				return err
			}
			entries, err := selectEntries(res, crit)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			switch format {
			case "json":
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				return enc.Encode(entries)
			case "text":
				tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "NAME\tKIND\tMATERIALIZED\tDEPENDS ON")
				for _, e := range entries {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", e.Name, e.Kind, dash(e.Materialized), dash(strings.Join(e.DependsOn, ", ")))
				}
				return tw.Flush()
			}
			return &exitError{code: exitUsage, msg: fmt.Sprintf("unknown --format %q; use text or json", format)}
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	selectionFlags(cmd, &include, &exclude, "nodes to list")
	sf.register(cmd)
	return cmd
}

// selectEntries is the manifest's entries for the selected nodes.
func selectEntries(res *compiler.Result, crit planner.Criteria) ([]compiler.ManifestEntry, error) {
	sel, err := planner.ChooseWith(res, crit)
	ids := sel.IDs
	if err != nil {
		return nil, &exitError{code: exitUsage, msg: err.Error()}
	}
	entries := res.Manifest().Nodes
	for i := range entries { // ls lists nodes; their SQL is weir compile MODEL's
		entries[i].CompiledSQL = ""
	}
	if ids == nil {
		return entries, nil
	}
	keep := map[string]bool{}
	for _, id := range ids {
		keep[id] = true
	}
	out := []compiler.ManifestEntry{}
	for _, e := range entries {
		if keep[e.Name] {
			out = append(out, e)
		}
	}
	return out, nil
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
