package dbt

import (
	"fmt"
)

// weirHCL is the new project's weir.hcl: a DuckDB target, the vars, the
// seeds' settings and tests, and the sources.
func (c *converter) weirHCL() string {
	var w hclWriter
	w.attr("name", c.p.Name)
	w.b.WriteString("\n")
	w.block("target", "dev", func() {
		w.attr("adapter", "duckdb")
		w.attr("path", "warehouse.duckdb")
	})
	vars := map[string]any{}
	for k, v := range c.defaultVars {
		vars[k] = v
	}
	for k, v := range c.p.Vars {
		switch v.(type) {
		case string, int, int64, float64, bool:
			vars[k] = v
		default:
			c.report.note("dbt_project.yml", fmt.Sprintf("var %s is not a string, number or boolean: not translated", k))
		}
	}
	if len(vars) > 0 {
		w.b.WriteString("\n")
		w.attr("vars", vars)
	}
	c.seedBlocks(&w)
	for _, s := range c.props.Sources {
		w.b.WriteString("\n")
		c.sourceBlock(&w, s)
	}
	return w.String()
}

// seedBlocks writes the seeds that have column types, columns or tests.
func (c *converter) seedBlocks(w *hclWriter) {
	for _, name := range sortedKeys(c.props.Seeds) {
		props := c.props.Seeds[name]
		id, ok := c.ids[name]
		if !ok {
			c.report.note(props.From, fmt.Sprintf("seed %s is described but has no .csv file", name))
			continue
		}
		w.b.WriteString("\n")
		w.block("seed", id, func() {
			c.writeDescription(w, props.Description, props.From)
			if types, ok := props.Config["column_types"].(map[string]any); ok {
				w.attr("column_types", types)
			}
			c.writeTests(w, id, "", props.From, allTests(props.Tests, props.DataTests))
			c.writeColumns(w, id, props.From, props.Columns)
		})
	}
}

// sourceBlock writes one source with its tables.
func (c *converter) sourceBlock(w *hclWriter, s *sourceProps) {
	w.block("source", s.Name, func() {
		if s.Database != "" {
			w.attr("database", s.Database)
		}
		if s.Schema != "" && s.Schema != s.Name {
			w.attr("physical_schema", s.Schema)
		}
		for _, t := range s.Tables {
			id := s.Name + "." + t.Name
			w.block("table", t.Name, func() {
				if t.Identifier != "" && t.Identifier != t.Name {
					w.attr("identifier", t.Identifier)
				}
				if t.LoadedAt != "" {
					w.attr("loaded_at", t.LoadedAt)
				}
				c.writeDescription(w, t.Description, s.From)
				c.writeTests(w, id, "", s.From, allTests(t.Tests, t.DataTests))
				c.writeColumns(w, id, s.From, t.Columns)
			})
		}
	})
}
