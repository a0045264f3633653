package dbt

import (
	"fmt"
	"sort"
	"strings"
)

// Report is what an import did: counts, what it could not translate and
// why, and the changes a reader should know about.
type Report struct {
	Skipped []Skip
	// Notes are changes made in translating, by dbt file.
	Notes                        map[string][]string
	models, seeds, tests, macros int
}

// Skip is one thing the import could not translate.
type Skip struct {
	Kind, Name, File, Reason string
}

func (r *Report) skip(kind, name, file, reason string) {
	r.Skipped = append(r.Skipped, Skip{Kind: kind, Name: name, File: file, Reason: reason})
}

func (r *Report) note(file string, notes ...string) {
	if len(notes) == 0 {
		return
	}
	if r.Notes == nil {
		r.Notes = map[string][]string{}
	}
	for _, n := range notes {
		if !contains(r.Notes[file], n) {
			r.Notes[file] = append(r.Notes[file], n)
		}
	}
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// Summary is one line of counts.
func (r *Report) Summary() string {
	return fmt.Sprintf("%d models, %d seeds, %d tests, %d macros imported; %d not translated",
		r.models, r.seeds, r.tests, r.macros, len(r.Skipped))
}

// markdown is IMPORT_REPORT.md.
func (r *Report) markdown(name, dir string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Import of dbt project %s\n\n%s.\n\n", name, r.Summary())
	b.WriteString("## Not translated\n\n")
	if len(r.Skipped) == 0 {
		b.WriteString("Nothing: every model, test, seed and macro was translated.\n")
	}
	sort.SliceStable(r.Skipped, func(i, j int) bool {
		a, c := r.Skipped[i], r.Skipped[j]
		return a.File+a.Kind+a.Name < c.File+c.Kind+c.Name
	})
	for _, s := range r.Skipped {
		fmt.Fprintf(&b, "- %s `%s` (%s): %s\n", s.Kind, s.Name, s.File, s.Reason)
	}
	b.WriteString("\n## Translated with changes\n\n")
	if len(r.Notes) == 0 {
		b.WriteString("None.\n")
	}
	for _, f := range sortedKeys(r.Notes) {
		for _, n := range r.Notes[f] {
			fmt.Fprintf(&b, "- %s: %s\n", f, n)
		}
	}
	b.WriteString("\n## Next steps\n\n" +
		"Run `weir build` and `weir test` here. Models are built in the DuckDB file warehouse.duckdb;\n" +
		"add a target to weir.hcl for another warehouse (weir's docs/guide/project.md). Sources must exist\nin the " +
		"warehouse before the models that read them are built.\n")
	return b.String()
}
