package compiler

import (
	"fmt"
	"time"

	"github.com/weir-sh/weir/models"
)

// TimeLiteral writes t the way {{ .Start }} and {{ .End }} render: a SQL
// timestamp literal of fixed width, valid on DuckDB and Postgres.
func TimeLiteral(t time.Time) string {
	return "TIMESTAMP '" + t.UTC().Format("2006-01-02 15:04:05") + "'"
}

// TemplateData is the template data a model compiles with: its own
// relation as This and, for time_range models, the first interval as
// Start and End.
func (r *Result) TemplateData(n *Node) TemplateData {
	d := TemplateData{This: thisName(r, n)}
	if n.Model != nil && n.Model.Config.Incremental.Strategy == models.StrategyTimeRange {
		start, err := models.ParseTime(n.Model.Config.Incremental.Start)
		if err == nil {
			d.Start, d.End = TimeLiteral(start), TimeLiteral(start.Add(time.Hour))
		}
	}
	return d
}

// Variant compiles model n again with other template data, as an
// incremental run needs (is_incremental true, an interval's bounds). The
// result reads only parents n already has; a variant that reads another
// table is an error, since the DAG was built without it.
func (r *Result) Variant(n *Node, data TemplateData) (string, error) {
	if data.This == "" {
		data.This = thisName(r, n)
	}
	v := &Node{ID: n.ID, Model: n.Model, Kind: n.Kind, Materialized: n.Materialized}
	rendered, diags := r.render(v, data)
	if diags.HasErrors() {
		return "", fmt.Errorf("%s: %s", n.Path, diags.Error())
	}
	if rendered == n.Rendered {
		return n.SQL, nil
	}
	v.Rendered = rendered
	parents := map[string]bool{}
	if !n.opaque {
		res, err := r.parser.Parse(rendered)
		if err != nil {
			return "", fmt.Errorf("%s: %w", n.Path, err)
		}
		if d := v.setRefs(res); d != nil {
			return "", fmt.Errorf("%s: %s", n.Path, d.Summary)
		}
		if diags := r.resolveRefs(v, v.Refs, v.parsedRefs, r.ix, parents); diags.HasErrors() {
			return "", fmt.Errorf("%s: %s", n.Path, diags.Error())
		}
	}
	addAll(parents, v.templateRefs)
	known := map[string]bool{n.ID: true}
	for _, p := range n.DependsOn {
		known[p] = true
	}
	for p := range parents {
		if !known[p] {
			return "", fmt.Errorf("%s reads %s only in this variant; add it to depends_on so weir orders the build", n.Path, p)
		}
	}
	r.setSQL(v)
	r.variants.Store(n.ID, variantRun{v, data})
	return v.SQL, nil
}
