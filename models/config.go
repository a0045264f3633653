package models

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// ConfigFile is the name of the project file.
const ConfigFile = "weir.hcl"

// projectFile mirrors the top level of weir.hcl for gohcl.
type projectFile struct {
	Name          string          `hcl:"name"`
	DefaultTarget string          `hcl:"default_target,optional"`
	DefaultSchema string          `hcl:"default_schema,optional"`
	SchemaRange   hcl.Range       `hcl:"default_schema,attr_range"`
	Timezone      string          `hcl:"timezone,optional"`
	TimezoneRange hcl.Range       `hcl:"timezone,attr_range"`
	Vars          hcl.Expression  `hcl:"vars,optional"`
	Targets       []targetBlock   `hcl:"target,block"`
	Sources       []sourceBlock   `hcl:"source,block"`
	Seeds         []seedBlock     `hcl:"seed,block"`
	Folders       []folderBlock   `hcl:"folder,block"`
	Selectors     []selectorBlock `hcl:"selector,block"`
	Notifies      []notifyBlock   `hcl:"notify,block"`
	History       *historyBlock   `hcl:"history,block"`
}

// targetBlock holds its settings as expressions: each target's are
// evaluated apart, so that env("X") unset in one target breaks only the
// commands that use it.
type targetBlock struct {
	Name         string         `hcl:"name,label"`
	Adapter      hcl.Expression `hcl:"adapter"`
	Path         hcl.Expression `hcl:"path,optional"`
	DSN          hcl.Expression `hcl:"dsn,optional"`
	SchemaPrefix hcl.Expression `hcl:"schema_prefix,optional"`
	Threads      hcl.Expression `hcl:"threads,optional"`
	ANSIQuotes   hcl.Expression `hcl:"ansi_quotes,optional"`
	BlockSize    hcl.Expression `hcl:"block_size,optional"`
	DefRange     hcl.Range      `hcl:",def_range"`
}

type sourceBlock struct {
	Schema   string       `hcl:"schema,label"`
	Database string       `hcl:"database,optional"`
	Physical string       `hcl:"physical_schema,optional"`
	Tables   []tableBlock `hcl:"table,block"`
	DefRange hcl.Range    `hcl:",def_range"`
}

type tableBlock struct {
	Name        string        `hcl:"name,label"`
	Identifier  string        `hcl:"identifier,optional"`
	Description string        `hcl:"description,optional"`
	LoadedAt    string        `hcl:"loaded_at,optional"`
	TriggerPath string        `hcl:"trigger_path,optional"`
	TriggerRng  hcl.Range     `hcl:"trigger_path,attr_range"`
	Columns     []columnBlock `hcl:"column,block"`
	Tests       []testBlock   `hcl:"test,block"`
	DefRange    hcl.Range     `hcl:",def_range"`
}

type seedBlock struct {
	Name        string         `hcl:"name,label"`
	Description string         `hcl:"description,optional"`
	ColumnTypes hcl.Expression `hcl:"column_types,optional"`
	Columns     []columnBlock  `hcl:"column,block"`
	Tests       []testBlock    `hcl:"test,block"`
	DefRange    hcl.Range      `hcl:",def_range"`
}

type folderBlock struct {
	Path         string    `hcl:"path,label"`
	Materialized string    `hcl:"materialized,optional"`
	Tags         []string  `hcl:"tags,optional"`
	Cron         string    `hcl:"cron,optional"`
	CronRange    hcl.Range `hcl:"cron,attr_range"`
	DefRange     hcl.Range `hcl:",def_range"`
	// Rest holds retries, retry_backoff and timeout (models/retry.go).
	Rest hcl.Body `hcl:",remain"`
}

type columnBlock struct {
	Name        string      `hcl:"name,label"`
	Description string      `hcl:"description,optional"`
	Type        string      `hcl:"type,optional"`
	Tests       []testBlock `hcl:"test,block"`
	DefRange    hcl.Range   `hcl:",def_range"`
	TypeRange   hcl.Range   `hcl:"type,attr_range"`
}

// evalContext is what expressions in weir.hcl may call: env("NAME") and
// env("NAME", "default").
func evalContext() *hcl.EvalContext {
	return &hcl.EvalContext{Functions: map[string]function.Function{"env": envFunc}}
}

var envFunc = function.New(&function.Spec{
	Params:   []function.Parameter{{Name: "name", Type: cty.String}},
	VarParam: &function.Parameter{Name: "default", Type: cty.String},
	Type:     function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		name := args[0].AsString()
		if v, ok := os.LookupEnv(name); ok {
			return cty.StringVal(v), nil
		}
		if len(args) > 1 {
			return args[1], nil
		}
		return cty.NilVal, fmt.Errorf("environment variable %s is not set; export it or give a default: env(%q, \"…\")", name, name)
	},
})

// decodeProjectFile reads weir.hcl into p.
// It returns the seed blocks, which apply once the CSV files are discovered.
func decodeProjectFile(p *Project, src []byte, filename string) ([]seedBlock, hcl.Diagnostics) {
	f, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, diags
	}
	var pf projectFile
	diags = append(diags, decodeBody(f.Body, &pf)...)
	if diags.HasErrors() {
		// The folder blocks' other settings are wrong too, maybe: say so
		// now rather than after the next fix.
		for _, f := range pf.Folders {
			if f.Rest != nil {
				_, rd := decodeRetry(f.Rest, &f)
				diags = append(diags, rd...)
			}
		}
		return nil, diags
	}
	p.Name = pf.Name
	p.DefaultTarget = pf.DefaultTarget
	p.DefaultSchema = orDefault(pf.DefaultSchema, "main")
	if d := checkIdent("default_schema", p.DefaultSchema, pf.SchemaRange); d.HasErrors() {
		diags = append(diags, d...)
		p.DefaultSchema = "main"
	}
	p.DeclRange = f.Body.(*hclsyntax.Body).SrcRange
	diags = append(diags, p.setTimezone(pf.Timezone, pf.TimezoneRange)...)
	diags = append(diags, p.setHistory(pf.History)...)
	p.Targets = map[string]*Target{}
	p.Vars = map[string]cty.Value{}
	diags = append(diags, decodeVars(p, pf.Vars)...)
	for _, t := range pf.Targets {
		diags = append(diags, addTarget(p, t)...)
	}
	if p.DefaultTarget == "" && len(pf.Targets) > 0 {
		p.DefaultTarget = pf.Targets[0].Name
	}
	if _, ok := p.Targets[p.DefaultTarget]; !ok && p.DefaultTarget != "" {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Unknown default target",
			Detail:   fmt.Sprintf("default_target is %q but no target block has that name; declare target %q { … } or fix the name.", p.DefaultTarget, p.DefaultTarget),
			Subject:  p.DeclRange.Ptr(),
		})
	}
	for _, s := range pf.Sources {
		for _, t := range s.Tables {
			src := &Source{
				Schema: s.Schema, Name: t.Name, Database: s.Database,
				Physical: orDefault(s.Physical, s.Schema), Identifier: orDefault(t.Identifier, t.Name),
				Description: t.Description, LoadedAt: t.LoadedAt,
				TriggerPath: t.TriggerPath, TriggerRange: t.TriggerRng,
				Columns: columns(t.Columns), DeclRange: t.DefRange,
			}
			diags = append(diags, checkTriggerPath(t.TriggerPath, t.TriggerRng)...)
			var td hcl.Diagnostics
			src.Tests, td = decodeTests(t.Tests, t.Columns, src.Columns)
			diags = append(diags, td...)
			p.Sources = append(p.Sources, src)
		}
	}
	for _, f := range pf.Folders {
		retry, rd := decodeRetry(f.Rest, &f)
		p.Folders = append(p.Folders, &FolderDefaults{
			Path: strings.Trim(filepath.ToSlash(f.Path), "/"), Materialized: f.Materialized,
			Tags: f.Tags, retry: retry, Cron: f.Cron, CronRange: f.CronRange, DeclRange: f.DefRange,
		})
		diags = append(diags, rd...)
		diags = append(diags, checkMaterialized(f.Materialized, f.DefRange)...)
	}
	diags = append(diags, addSelectors(p, pf.Selectors)...)
	diags = append(diags, addNotifiers(p, pf.Notifies)...)
	return pf.Seeds, diags
}

func decodeVars(p *Project, expr hcl.Expression) hcl.Diagnostics {
	if expr == nil {
		return nil
	}
	v, diags := expr.Value(evalContext())
	if diags.HasErrors() || v.IsNull() {
		return diags
	}
	if !v.Type().IsObjectType() && !v.Type().IsMapType() {
		return append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError, Summary: "vars must be an object",
			Detail: `Write vars = { name = "value", … }.`, Subject: expr.Range().Ptr(),
		})
	}
	for k, val := range v.AsValueMap() {
		p.Vars[k] = val
	}
	return diags
}

func addTarget(p *Project, t targetBlock) hcl.Diagnostics {
	if _, dup := p.Targets[t.Name]; dup {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError, Summary: "Duplicate target",
			Detail:  fmt.Sprintf("A target named %q is declared twice; rename one of them.", t.Name),
			Subject: t.DefRange.Ptr(),
		}}
	}
	tg := &Target{Name: t.Name, DeclRange: t.DefRange, Threads: DefaultThreads}
	var threads, blockSize *int
	for _, set := range []struct {
		expr hcl.Expression
		dst  any
	}{{t.Adapter, &tg.Adapter}, {t.Path, &tg.Path}, {t.DSN, &tg.DSN}, {t.SchemaPrefix, &tg.SchemaPrefix}, {t.Threads, &threads}, {t.ANSIQuotes, &tg.ANSIQuotes}, {t.BlockSize, &blockSize}} {
		tg.Diags = append(tg.Diags, decodeOptional(set.expr, set.dst)...)
	}
	tg.Diags = append(tg.Diags, checkPrefix(tg.SchemaPrefix, t.SchemaPrefix.Range())...)
	var diags hcl.Diagnostics
	if blockSize != nil {
		tg.BlockSize, tg.BlockSizeRange = *blockSize, t.BlockSize.Range()
		diags = checkBlockSize(tg)
	}
	if threads != nil {
		if *threads < 1 || *threads > MaxThreads {
			return hcl.Diagnostics{{
				Severity: hcl.DiagError, Summary: "Invalid threads",
				Detail:  fmt.Sprintf("threads = %d; give the number of models built at once, from 1 to %d (leave it out for %d).", *threads, MaxThreads, DefaultThreads),
				Subject: t.Threads.Range().Ptr(),
			}}
		}
		tg.Threads = *threads
	}
	p.Targets[t.Name] = tg
	return diags
}

// Bounds of a DuckDB target's block_size, DuckDB's own (1.5): a power of
// two from 16 KB to 256 KB, its default.
const (
	MinBlockSize = 16 << 10
	MaxBlockSize = 256 << 10
)

// checkBlockSize refuses a block_size DuckDB would refuse when it creates
// the file, and one on a target of another adapter.
func checkBlockSize(t *Target) hcl.Diagnostics {
	var detail string
	switch n := t.BlockSize; {
	case t.Adapter != "duckdb" && t.Adapter != "":
		detail = fmt.Sprintf("block_size is the block size of a DuckDB file, and target %q uses adapter %q; remove it.", t.Name, t.Adapter)
	case n < MinBlockSize || n > MaxBlockSize || n&(n-1) != 0:
		detail = fmt.Sprintf("block_size = %d; give the DuckDB file's block size in bytes, a power of two from %d to %d: 16384, 32768, 65536, 131072 or 262144 (leave it out for DuckDB's default, 262144).", n, MinBlockSize, MaxBlockSize)
	default:
		return nil
	}
	return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid block_size", Detail: detail, Subject: t.BlockSizeRange.Ptr()}}
}

// decodeOptional evaluates expr into dst, leaving dst alone when the
// setting is absent (null).
func decodeOptional(expr hcl.Expression, dst any) hcl.Diagnostics {
	v, diags := expr.Value(evalContext())
	if diags.HasErrors() || v.IsNull() {
		return diags
	}
	return gohcl.DecodeExpression(expr, evalContext(), dst)
}

func columns(cs []columnBlock) []Column {
	out := make([]Column, 0, len(cs))
	for _, c := range cs {
		out = append(out, Column{Name: c.Name, Description: c.Description, Type: c.Type, DeclRange: c.DefRange, TypeRange: c.TypeRange})
	}
	return out
}

func checkMaterialized(m string, rng hcl.Range) hcl.Diagnostics {
	switch m {
	case "", MatTable, MatView, MatEphemeral, MatIncremental:
		return nil
	}
	return hcl.Diagnostics{{
		Severity: hcl.DiagError, Summary: "Unknown materialization",
		Detail:  fmt.Sprintf("materialized = %q is not one of table, view, ephemeral, incremental.", m),
		Subject: rng.Ptr(),
	}}
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
