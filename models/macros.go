package models

import (
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// Macro is one file under macros/: a template function NAME, called from
// models, data tests and other macros as {{ NAME arg … }}. Its body is
// rendered with the arguments as dot ({{ .param }}).
type Macro struct {
	Name string
	// Adapter is set for NAME.ADAPTER.sql, which replaces NAME.sql on
	// that adapter.
	Adapter string
	Path    string // relative to the project folder, slash-separated
	// Description is the header's description, for people.
	Description string
	// Params are the positional parameters, in order.
	Params []string
	// Variadic is set when the last parameter was declared "NAME...": it
	// takes the rest of a call's arguments, as a list.
	Variadic bool
	// Defaults are the values of the trailing parameters a call may omit.
	Defaults map[string]any
	// Body is the template after the header comment.
	Body      string
	BodyStart hcl.Pos
	DeclRange hcl.Range // the file's first line
	// ParamsRange is where params is declared (DeclRange without one).
	ParamsRange hcl.Range
	// Broken holds the errors of a macro that cannot be used (a bad
	// header, a second file with its name): every call of it fails, so
	// the models calling it fail alone and the others build.
	Broken hcl.Diagnostics
}

// Required is the number of arguments a call must give: every parameter
// without a default (a variadic one takes one argument or more).
func (m *Macro) Required() int {
	if m.Variadic {
		return len(m.Params)
	}
	for i, p := range m.Params {
		if _, ok := m.Defaults[p]; ok {
			return i
		}
	}
	return len(m.Params)
}

// RangeAt is the range of n bytes of the body starting at bodyOffset.
func (m *Macro) RangeAt(bodyOffset, n int) hcl.Range {
	t := &Model{Path: m.Path, Body: m.Body, BodyStart: m.BodyStart}
	return t.RangeAt(bodyOffset, n)
}

// MacroFor is the macro NAME as the adapter sees it: NAME.ADAPTER.sql
// when there is one, else NAME.sql; nil when neither exists.
func (p *Project) MacroFor(name, adapter string) *Macro {
	var generic *Macro
	for _, m := range p.Macros {
		switch {
		case m.Name != name:
		case m.Adapter == adapter:
			return m
		case m.Adapter == "":
			generic = m
		}
	}
	return generic
}

// MacroNames are the distinct names of the project's macros, sorted.
func (p *Project) MacroNames() []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range p.Macros {
		if !seen[m.Name] {
			seen[m.Name] = true
			out = append(out, m.Name)
		}
	}
	sort.Strings(out)
	return out
}

// macroHeader mirrors the HCL of a macro's header comment.
type macroHeader struct {
	Params      []string       `hcl:"params,optional"`
	Defaults    hcl.Expression `hcl:"defaults,optional"`
	Description string         `hcl:"description,optional"`

	ParamsRange hcl.Range `hcl:"params,attr_range"`
}

var macroName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// ReservedTemplateNames are the template functions a macro may not
// replace: weir's own and text/template's.
var ReservedTemplateNames = map[string]bool{
	"var": true, "env": true, "ref": true, "this": true, "is_incremental": true, "target": true,
	"quote": true, "ident": true, "literal": true, "literals": true, "columns": true, "union_columns": true,
	"and": true, "or": true, "not": true, "len": true, "index": true, "slice": true, "call": true,
	"print": true, "printf": true, "println": true, "html": true, "js": true, "urlquery": true,
	"eq": true, "ne": true, "lt": true, "le": true, "gt": true, "ge": true,
	"true": true, "false": true, "nil": true,
}

// loadMacros reads macros/**/*.sql, then adds the standard macros the
// project does not define (models/stdlib.go). A bad file name is an
// error of the project; a bad header, or a second file with the name,
// makes the macro Broken: an error of the models that call it.
func (p *Project) loadMacros() hcl.Diagnostics {
	files, err := p.walkFiles("macros", ".sql")
	if err != nil {
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot list macros", Detail: err.Error()}}
	}
	var diags hcl.Diagnostics
	for _, rel := range files {
		m, d := p.loadMacro(rel)
		diags = append(diags, d...)
		if m != nil {
			p.Macros = append(p.Macros, m)
		}
	}
	p.checkMacroNames()
	return append(diags, p.addStdlib()...)
}

// loadMacro reads one macro file.
func (p *Project) loadMacro(rel string) (*Macro, hcl.Diagnostics) {
	src, err := ReadFile(p.Dir, rel)
	if err != nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read macro",
			Detail: err.Error(), Subject: fileStart(rel)}}
	}
	p.Files[rel] = &hcl.File{Bytes: src}
	return parseMacro(rel, src)
}

// parseMacro makes the macro of file rel from its text.
func parseMacro(rel string, src []byte) (*Macro, hcl.Diagnostics) {
	m := &Macro{Path: rel, DeclRange: *fileStart(rel), BodyStart: hcl.InitialPos}
	m.DeclRange.End = posAt(src, lineEnd(src, 0))
	base := strings.TrimSuffix(path.Base(rel), path.Ext(rel))
	m.Name, m.Adapter, _ = strings.Cut(base, ".")
	if !macroName.MatchString(m.Name) || (m.Adapter != "" && !macroName.MatchString(m.Adapter)) {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Bad macro file name",
			Detail:  fmt.Sprintf("%s: a macro file is named NAME.sql or NAME.ADAPTER.sql, NAME made of letters, digits and _ (not starting with a digit); rename it.", rel),
			Subject: m.DeclRange.Ptr()}}
	}
	if ReservedTemplateNames[m.Name] {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Reserved macro name",
			Detail:  fmt.Sprintf("%s would replace the template function %s; rename the file.", rel, m.Name),
			Subject: m.DeclRange.Ptr()}}
	}
	m.ParamsRange = m.DeclRange
	header, hclStart, bodyStart, diags := splitHeader(src, rel)
	if header != nil {
		diags = append(diags, m.decodeHeader(header, hclStart)...)
	}
	m.Body, m.BodyStart = string(src[bodyStart.Byte:]), bodyStart
	if diags.HasErrors() {
		m.Broken = diags
		return m, nil
	}
	return m, diags
}

// decodeHeader reads params and defaults.
func (m *Macro) decodeHeader(text []byte, start hcl.Pos) hcl.Diagnostics {
	f, diags := hclsyntax.ParseConfig(text, m.Path, start)
	if diags.HasErrors() {
		return diags
	}
	var h macroHeader
	if diags = append(diags, decodeBody(f.Body, &h)...); diags.HasErrors() {
		return diags
	}
	m.Params, m.Description = h.Params, h.Description
	if n := len(m.Params); n > 0 && strings.HasSuffix(m.Params[n-1], "...") {
		m.Params = append(m.Params[:n-1:n-1], strings.TrimSuffix(m.Params[n-1], "..."))
		m.Variadic = true
	}
	if h.ParamsRange.Filename != "" {
		m.ParamsRange = h.ParamsRange
	}
	bad := func(summary, detail string, rng hcl.Range) hcl.Diagnostics {
		return append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: rng.Ptr()})
	}
	seen := map[string]bool{}
	for _, p := range m.Params {
		if !macroName.MatchString(p) || seen[p] {
			return bad("Bad macro parameter", fmt.Sprintf("parameter %q must be a distinct name of letters, digits and _ (the last may end in ... to take the rest of the arguments), so that the body can say {{ .%s }}.", p, p), m.ParamsRange)
		}
		seen[p] = true
	}
	if h.Defaults == nil || h.Defaults.Range().Empty() {
		return diags
	}
	v, d := h.Defaults.Value(evalContext())
	if diags = append(diags, d...); d.HasErrors() {
		return diags
	}
	if v.IsNull() {
		return diags
	}
	rng := h.Defaults.Range()
	if !v.Type().IsObjectType() && !v.Type().IsMapType() {
		return bad("Bad macro defaults", "defaults is an object of parameter = value, like defaults = { scale = 2 }.", rng)
	}
	m.Defaults = map[string]any{}
	for k, val := range v.AsValueMap() {
		if !seen[k] {
			return bad("Default for an unknown parameter", fmt.Sprintf("defaults names %q, which is not in params %v; add it to params or remove the default.", k, m.Params), rng)
		}
		m.Defaults[k] = ctyToGo(val)
	}
	if m.Variadic && len(m.Defaults) > 0 {
		return bad("Defaults with a variadic parameter", "the last parameter takes the rest of the arguments (one or more), so no parameter can be left out; remove defaults.", rng)
	}
	for i, p := range m.Params[m.Required():] {
		if _, ok := m.Defaults[p]; !ok {
			return bad("Parameter without a default after one with", fmt.Sprintf("%q follows %q, which has a default; give %q a default too or move it before the parameters that have one.", p, m.Params[m.Required()+i-1], p), m.ParamsRange)
		}
	}
	return diags
}

// ctyToGo converts a default to the value a template argument would be.
func ctyToGo(v cty.Value) any {
	if v.IsNull() || !v.IsKnown() {
		return nil
	}
	switch {
	case v.Type() == cty.String:
		return v.AsString()
	case v.Type() == cty.Bool:
		return v.True()
	case v.Type() == cty.Number:
		f := v.AsBigFloat()
		if i, acc := f.Int64(); acc == 0 {
			return int(i)
		}
		x, _ := f.Float64()
		return x
	case v.Type().IsListType() || v.Type().IsTupleType() || v.Type().IsSetType():
		var out []any
		for _, e := range v.AsValueSlice() {
			out = append(out, ctyToGo(e))
		}
		return out
	}
	return v.GoString()
}

// checkMacroNames breaks the macros defined by two files for one
// adapter, with an error at each file.
func (p *Project) checkMacroNames() {
	first := map[string]*Macro{}
	for _, m := range p.Macros {
		key := m.Name + "." + m.Adapter
		prev, dup := first[key]
		if !dup {
			first[key] = m
			continue
		}
		var both hcl.Diagnostics
		for _, pair := range [][2]*Macro{{prev, m}, {m, prev}} {
			both = append(both, &hcl.Diagnostic{
				Severity: hcl.DiagError, Summary: "Duplicate macro " + m.Name,
				Detail:  fmt.Sprintf("%s and %s both define the macro %s; rename or remove one of them.", pair[0].Path, pair[1].Path, m.Name),
				Subject: pair[0].DeclRange.Ptr(),
			})
		}
		prev.Broken = append(prev.Broken, both...)
		m.Broken = append(m.Broken, both...)
	}
}
