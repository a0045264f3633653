package dbt

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/nikolalohinski/gonja/v2"
	"github.com/nikolalohinski/gonja/v2/config"
	"github.com/nikolalohinski/gonja/v2/exec"
	"github.com/nikolalohinski/gonja/v2/loaders"
)

func init() { gonja.SetLoggerOutput(io.Discard) }

// jinjaConfig is dbt's Jinja: undefined names are errors (a name weir does
// not provide must not render as nothing), the last line break is kept.
func jinjaConfig() *config.Config {
	c := config.New()
	c.StrictUndefined = true
	c.KeepTrailingNewline = true
	return c
}

// mode is one rendering of a file: with dbt's values (var as its value,
// target as dev on DuckDB) or with weir's template actions standing in
// for them, and with is_incremental false or true.
type mode struct {
	values      bool
	incremental bool
}

// rendering is the state of rendering one file in one mode.
type rendering struct {
	c    *converter
	mode mode
	// config collects the arguments of config(…) calls.
	config map[string]any
	// stand holds each weir action the rendering wrote with the text dbt
	// would have written in its place.
	stand map[string]string
	// notes are changes a reader of the import should know about.
	notes []string
}

// renderJinja renders src (named name in errors) in mode m.
func (c *converter) renderJinja(name, src string, m mode) (string, *rendering, error) {
	r := &rendering{c: c, mode: m, config: map[string]any{}, stand: map[string]string{}}
	full := c.inlineMacros + src
	id := "/" + name // the memory loader's keys are absolute
	loader, err := loaders.NewMemoryLoader(map[string]string{id: full})
	if err != nil {
		return "", nil, err
	}
	t, err := exec.NewTemplate(id, jinjaConfig(), loader, gonja.DefaultEnvironment)
	shift := strings.Count(c.inlineMacros, "\n")
	if err != nil {
		return "", nil, fmt.Errorf("Jinja that does not parse: %s", cleanJinjaError(err, shift))
	}
	out, err := t.ExecuteToString(exec.NewContext(r.context()))
	if err != nil {
		return "", nil, errors.New(cleanJinjaError(err, shift))
	}
	return out, r, nil
}

var (
	jinjaLine      = regexp.MustCompile(`(?i)line[= ](\d+)`)
	jinjaCallee    = regexp.MustCompile(`invalid call to function '[^']*': `)
	jinjaUndefined = regexp.MustCompile(`Unable to evaluate name "([^"]+)"|^([\w.]+) is not callable$`)
)

// cleanJinjaError keeps the parts of a gonja error a user can act on: the
// line in the file (the macros rendered into callers come before it,
// shift lines) and the innermost reason.
func cleanJinjaError(err error, shift int) string {
	msg := jinjaCallee.ReplaceAllString(err.Error(), "")
	line := 0
	if m := jinjaLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		line -= shift
	}
	if i := strings.LastIndex(msg, "): "); i >= 0 {
		msg = msg[i+3:]
	}
	if m := jinjaUndefined.FindStringSubmatch(msg); m != nil {
		msg = fmt.Sprintf("it uses %s, which weir does not provide (a dbt feature or a package macro with no weir equivalent)", m[1]+m[2])
	}
	if line > 0 {
		return fmt.Sprintf("line %d: %s", line, msg)
	}
	return msg
}

// stand records that action stands in the output for dbt's text value,
// and returns what this mode writes.
func (r *rendering) standIn(action, value string) string {
	if r.mode.values {
		return value
	}
	r.stand[action] = value
	return action
}

// context is what dbt's Jinja sees: its functions, dbt_utils, and the
// project's macros that become weir macros.
func (r *rendering) context() map[string]any {
	ctx := map[string]any{
		"ref":            r.ref,
		"source":         r.source,
		"config":         r.configCall,
		"var":            r.varCall,
		"env_var":        r.envVar,
		"is_incremental": func() bool { return r.mode.incremental },
		"this":           "{{ this }}",
		"target":         r.target(),
		"dbt_utils":      r.dbtUtils(),
		"dbt":            r.crossDB(),
	}
	for name, m := range r.c.macros {
		if m.weir != "" {
			ctx[name] = r.macroCall(m)
		}
	}
	return ctx
}

// target stands for dbt's target: dev on DuckDB, or weir's target
// settings. (Whether the Jinja decides on it is read from the source: see
// decidesOnTarget.)
func (r *rendering) target() map[string]any {
	t := map[string]any{}
	for key, action := range targetActions {
		t[key] = action
		if r.mode.values {
			t[key] = targetValues[key]
		}
	}
	return t
}

var (
	targetActions = map[string]string{"name": `{{ target "name" }}`, "type": `{{ target "adapter" }}`, "schema": `{{ target "schema_prefix" }}`}
	targetValues  = map[string]string{"name": "dev", "type": "duckdb", "schema": ""}
	targetInLogic = regexp.MustCompile(`\{%[^%]*\btarget\b`)
)

// ref gives the weir name of a model or seed: ref('name') or
// ref('package', 'name').
func (r *rendering) ref(va *exec.VarArgs) (string, error) {
	if len(va.Args) == 0 || len(va.Args) > 2 {
		return "", fmt.Errorf("ref takes a name, or a package and a name")
	}
	name := va.Args[len(va.Args)-1].String()
	id, ok := r.c.ids[name]
	if !ok {
		return "", fmt.Errorf("ref('%s'): the project has no model or seed %s", name, name)
	}
	return id, nil
}

// source gives the weir name of a source table: source('s', 't') is s.t.
func (r *rendering) source(schema, table string) (string, error) {
	if !r.c.hasSource(schema, table) {
		return "", fmt.Errorf("source('%s', '%s'): no source %s declares a table %s in a .yml file", schema, table, schema, table)
	}
	return schema + "." + table, nil
}

// configCall keeps config(…)'s arguments and writes nothing.
func (r *rendering) configCall(va *exec.VarArgs) string {
	for k, v := range va.KwArgs {
		r.config[k] = v.ToGoSimpleType(false)
	}
	return ""
}

// varCall is var('name'[, default]): weir's {{ var "name" }}, the value
// coming from weir.hcl, where the import writes dbt_project.yml's vars
// (and the defaults that calls give).
func (r *rendering) varCall(va *exec.VarArgs) (string, error) {
	if len(va.Args) == 0 {
		return "", fmt.Errorf("var takes a name")
	}
	name := va.Args[0].String()
	v, ok := r.c.p.Vars[name]
	if !ok && len(va.Args) > 1 {
		v, ok = va.Args[1].ToGoSimpleType(false), true
		r.c.defaultVars[name] = v
	}
	if !ok {
		return "", fmt.Errorf("var('%s') has no value in dbt_project.yml and no default", name)
	}
	return r.standIn(fmt.Sprintf("{{ var %s }}", strconv.Quote(name)), fmt.Sprint(v)), nil
}

// envVar is env_var('NAME'[, default]): weir's {{ env "NAME" … }}.
func (r *rendering) envVar(va *exec.VarArgs) (string, error) {
	if len(va.Args) == 0 {
		return "", fmt.Errorf("env_var takes a name")
	}
	args := make([]string, len(va.Args))
	for i, a := range va.Args {
		args[i] = strconv.Quote(a.String())
	}
	def := ""
	if len(va.Args) > 1 {
		def = va.Args[1].String()
	}
	return r.standIn("{{ env "+strings.Join(args, " ")+" }}", def), nil
}

// weirCall writes a call of weir template function name with args as Go
// template strings.
func weirCall(name string, args ...string) string {
	return "{{ " + name + " " + templateArgs(args...) + " }}"
}

// templateArgs writes args as Go template strings, space-separated.
func templateArgs(args ...string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = strconv.Quote(a)
	}
	return strings.Join(q, " ")
}

// sortedKeys are m's keys, sorted.
func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
