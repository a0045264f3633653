package models

import (
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// Intervals a time_range model may be processed in.
var intervals = map[string]bool{"hour": true, "day": true, "week": true, "month": true}

// decodeIncremental fills and checks cfg.Incremental from a header.
func decodeIncremental(h *modelHeader, body *hclsyntax.Body, cfg *ModelConfig) hcl.Diagnostics {
	inc := &cfg.Incremental
	inc.Strategy, inc.TimeColumn, inc.Interval, inc.Start = h.Strategy, h.TimeColumn, h.Interval, h.Start
	inc.Lookback, inc.BatchSize, inc.OnSchemaChange = h.Lookback, h.BatchSize, h.OnSchemaChange
	inc.DeclRange = body.SrcRange
	var diags hcl.Diagnostics
	at := func(name string) *hcl.Range {
		if a, ok := body.Attributes[name]; ok {
			return a.Expr.Range().Ptr()
		}
		return body.SrcRange.Ptr()
	}
	bad := func(name, detail string) {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Bad " + name, Detail: detail, Subject: at(name)})
	}
	if h.UniqueKey != nil {
		keys, d := stringOrList(h.UniqueKey)
		diags = append(diags, d...)
		inc.UniqueKey = keys
	}
	if cfg.Materialized != MatIncremental {
		for _, name := range []string{"strategy", "unique_key", "time_column", "interval", "start", "lookback", "batch_size", "on_schema_change"} {
			if _, set := body.Attributes[name]; set {
				bad(name, fmt.Sprintf("%s only applies to incremental models; add materialized = \"incremental\" or remove it.", name))
			}
		}
		return diags
	}
	if inc.Strategy == "" {
		inc.Strategy = StrategyAppend
		if len(inc.UniqueKey) > 0 {
			inc.Strategy = StrategyMerge
		}
	}
	if inc.OnSchemaChange == "" {
		inc.OnSchemaChange = SchemaChangeFail
	}
	switch inc.Strategy {
	case StrategyAppend:
	case StrategyMerge, StrategyDeleteInsert:
		if len(inc.UniqueKey) == 0 {
			bad("strategy", fmt.Sprintf("strategy %q needs unique_key = [\"column\", …] to match new rows with old ones.", inc.Strategy))
		}
	case StrategyTimeRange:
		if inc.TimeColumn == "" {
			bad("strategy", "strategy \"time_range\" needs time_column = \"…\", the timestamp column each interval filters on.")
		}
		if !intervals[inc.Interval] {
			bad("interval", fmt.Sprintf("interval = %q: use hour, day, week or month.", inc.Interval))
		}
		if inc.Start == "" {
			bad("start", "strategy \"time_range\" needs start = \"YYYY-MM-DD\", the first interval to build.")
		} else if _, err := ParseTime(inc.Start); err != nil {
			bad("start", err.Error())
		}
	default:
		bad("strategy", fmt.Sprintf("strategy = %q: use append, merge, delete+insert or time_range.", inc.Strategy))
	}
	switch inc.OnSchemaChange {
	case SchemaChangeFail, SchemaChangeAppend, SchemaChangeSync:
	default:
		bad("on_schema_change", fmt.Sprintf("on_schema_change = %q: use fail, append_new_columns or sync_all_columns.", inc.OnSchemaChange))
	}
	if inc.Lookback < 0 || inc.BatchSize < 0 {
		bad("lookback", "lookback and batch_size count intervals and cannot be negative.")
	}
	if inc.BatchSize == 0 {
		inc.BatchSize = 1
	}
	return diags
}

// stringOrList accepts "a" or ["a", "b"].
func stringOrList(expr hcl.Expression) ([]string, hcl.Diagnostics) {
	v, diags := expr.Value(nil)
	if diags.HasErrors() || v.IsNull() {
		return nil, diags
	}
	if v.Type() == cty.String {
		return []string{v.AsString()}, nil
	}
	if v.Type().IsTupleType() || v.Type().IsListType() {
		var out []string
		for _, e := range v.AsValueSlice() {
			if e.Type() != cty.String || e.IsNull() {
				break
			}
			out = append(out, e.AsString())
		}
		if len(out) == v.LengthInt() {
			return out, nil
		}
	}
	return nil, hcl.Diagnostics{{
		Severity: hcl.DiagError, Summary: "Bad unique_key",
		Detail: `unique_key is a column name or a list of them: "id" or ["order_id", "line"].`, Subject: expr.Range().Ptr(),
	}}
}

// ParseTime reads the timestamps weir accepts in config and flags:
// YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS] or YYYY-MM-DD HH:MM[:SS], as UTC.
func ParseTime(s string) (t time.Time, err error) {
	for _, layout := range []string{"2006-01-02", "2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02 15:04:05", "2006-01-02T15:04:05Z07:00"} {
		if t, err := parseIn(layout, strings.TrimSpace(s)); err == nil {
			return t, nil
		}
	}
	return t, fmt.Errorf("%q is not a date or time; write it as YYYY-MM-DD or YYYY-MM-DD HH:MM:SS (UTC)", s)
}

func parseIn(layout, s string) (time.Time, error) { return time.ParseInLocation(layout, s, time.UTC) }
