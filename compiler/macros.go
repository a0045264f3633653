package compiler

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"text/template"

	"github.com/agext/levenshtein"
	"github.com/hashicorp/hcl/v2"

	"github.com/weir-sh/weir/models"
)

// MacroError is a macro call that failed. Diags place the failure in the
// macro files (the innermost first); the caller's template error adds
// its own line in front of them.
type MacroError struct {
	msg   string
	Diags hcl.Diagnostics
}

func (e *MacroError) Error() string { return e.msg }

// maxMacroDepth bounds macros calling macros (cycles are refused before).
const maxMacroDepth = 64

// macroCalls renders the macros one template execution calls: it keeps
// the chain of calls under way and the macro files reached.
type macroCalls struct {
	project *models.Project
	adapter string
	funcs   template.FuncMap
	stack   []string
	reached map[string]bool
}

// addMacroFuncs adds target and a function for every macro of the
// project to funcs (macros see the same functions as their caller). The
// macro files reached are recorded on n.Macros.
func (r *Result) addMacroFuncs(funcs template.FuncMap, n *Node) {
	t := r.Target
	if t == nil {
		t = &models.Target{}
	}
	funcs["target"] = targetFunc(t)
	c := &macroCalls{project: r.Project, adapter: t.Adapter, funcs: funcs, reached: map[string]bool{}}
	for _, name := range r.Project.MacroNames() {
		funcs[name] = func(args ...any) (string, error) {
			out, err := c.call(name, args)
			n.Macros = c.files()
			return out, err
		}
	}
}

// targetFunc is the template function target "name" | "adapter" |
// "schema_prefix": a setting of the target being compiled for.
func targetFunc(t *models.Target) func(string) (string, error) {
	return func(field string) (string, error) {
		switch field {
		case "name":
			return t.Name, nil
		case "adapter":
			return t.Adapter, nil
		case "schema_prefix":
			return t.SchemaPrefix, nil
		}
		return "", fmt.Errorf("target has no setting %q; ask for target \"name\", \"adapter\" or \"schema_prefix\"", field)
	}
}

// files are the macro files reached so far, sorted.
func (c *macroCalls) files() []string {
	out := make([]string, 0, len(c.reached))
	for f := range c.reached {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// call renders macro name with args.
func (c *macroCalls) call(name string, args []any) (string, error) {
	m := c.project.MacroFor(name, c.adapter)
	if m == nil {
		return "", &MacroError{msg: fmt.Sprintf("macro %s has no file for the %s adapter; add macros/%s.sql (or %s.%s.sql)", name, c.adapter, name, name, c.adapter)}
	}
	c.reached[m.Path] = true
	if m.Broken.HasErrors() {
		return "", brokenMacroError(m)
	}
	if err := c.checkCycle(name); err != nil {
		return "", err
	}
	dot, err := bindArgs(m, args)
	if err != nil {
		return "", err
	}
	c.stack = append(c.stack, name)
	defer func() { c.stack = c.stack[:len(c.stack)-1] }()
	t, err := template.New(m.Path).Funcs(c.funcs).Option("missingkey=error").Parse(m.Body)
	if err == nil {
		b := &boundedWriter{limit: MaxRenderedSize}
		if err = t.Execute(b, dot); err == nil {
			// As written in the file, less the blank around it (the
			// file's last line break), so that a call fits inline.
			return strings.TrimSpace(b.String()), nil
		}
	}
	diags := hintUnknownFunc(bodyTemplateDiag("Error in macro "+name, m.Body, m.DeclRange, m.RangeAt, err), c.funcs)
	at := diags[0].Subject
	return "", &MacroError{
		msg:   fmt.Sprintf("%s:%d:%d: %s", at.Filename, at.Start.Line, at.Start.Column, diags[0].Detail),
		Diags: diags,
	}
}

// brokenMacroError is a call of a macro that cannot be used: it names the
// macro's first error, and carries a copy of its errors for the caller
// (each caller marks its own as its node's).
func brokenMacroError(m *models.Macro) error {
	var diags hcl.Diagnostics
	for _, d := range m.Broken {
		c := *d
		diags = append(diags, &c)
	}
	return &MacroError{msg: fmt.Sprintf("macro %s cannot be used: %s", m.Name, models.DiagString(diags[0])), Diags: diags}
}

// checkCycle refuses a macro that is already being rendered: it would
// call itself without end.
func (c *macroCalls) checkCycle(name string) error {
	for i, s := range c.stack {
		if s == name {
			chain := strings.Join(append(append([]string{}, c.stack[i:]...), name), " → ")
			return &MacroError{msg: fmt.Sprintf("macro %s calls itself (%s); a macro may not call itself, directly or through others", name, chain)}
		}
	}
	if len(c.stack) >= maxMacroDepth {
		return &MacroError{msg: fmt.Sprintf("macros call each other more than %d deep; flatten the chain", maxMacroDepth)}
	}
	return nil
}

// bindArgs makes a macro's dot from a call's positional arguments and the
// defaults of the parameters left out; a variadic last parameter gets the
// rest of the arguments as a list.
func bindArgs(m *models.Macro, args []any) (map[string]any, error) {
	fixed := len(m.Params)
	if m.Variadic {
		fixed--
	}
	if len(args) < m.Required() || (!m.Variadic && len(args) > fixed) {
		return nil, arityError(m, len(args))
	}
	dot := make(map[string]any, len(m.Params))
	for i, p := range m.Params[:fixed] {
		if i < len(args) {
			dot[p] = args[i]
		} else {
			dot[p] = m.Defaults[p]
		}
	}
	if m.Variadic {
		dot[m.Params[fixed]] = append([]any{}, args[fixed:]...)
	}
	return dot, nil
}

// arityError is a call with got arguments that m does not take.
func arityError(m *models.Macro, got int) error {
	want := fmt.Sprint(len(m.Params))
	switch {
	case m.Variadic:
		want = fmt.Sprintf("at least %d", m.Required())
	case m.Required() < len(m.Params):
		want = fmt.Sprintf("%d to %d", m.Required(), len(m.Params))
	}
	rng := m.ParamsRange
	return &MacroError{
		msg: fmt.Sprintf("macro %s takes %s argument(s) (%s), got %d", m.Name, want, strings.Join(m.Params, ", "), got),
		Diags: hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Wrong number of arguments to macro " + m.Name,
			Detail:  fmt.Sprintf("%s declares params %v here; a call gives %s argument(s), got %d.", m.Path, m.Params, want, got),
			Subject: &rng}},
	}
}

// macroDiags are the diagnostics in the macro files that err carries.
func macroDiags(err error) hcl.Diagnostics {
	var me *MacroError
	if errors.As(err, &me) {
		return me.Diags
	}
	return nil
}

// mergeSorted is the sorted union of two sorted lists.
func mergeSorted(a, b []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range append(append([]string{}, a...), b...) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

var undefinedFunc = regexp.MustCompile(`function "([^"]+)" not defined`)

// hintUnknownFunc completes the error of a call to a function that does
// not exist (a misspelt macro): the closest names, and where macros live.
func hintUnknownFunc(diags hcl.Diagnostics, funcs template.FuncMap) hcl.Diagnostics {
	if len(diags) == 0 {
		return diags
	}
	sub := undefinedFunc.FindStringSubmatch(diags[0].Detail)
	if sub == nil {
		return diags
	}
	var near []string
	for name := range funcs {
		if levenshtein.Distance(sub[1], name, nil) <= max(2, len(sub[1])/3) {
			near = append(near, name)
		}
	}
	sort.Strings(near)
	d := diags[0]
	d.Detail += fmt.Sprintf("; no template function or macro is named %s (a macro is a file macros/**/%s.sql)", sub[1], sub[1])
	if len(near) > 0 {
		d.Detail += ". Did you mean " + strings.Join(near, ", ") + "?"
	}
	return diags
}

// unreachedMacroWarnings warns about the macros no model reached that are
// broken or whose template does not parse: every call of them would fail. (The errors of
// a macro a model reached are that model's.)
func (r *Result) unreachedMacroWarnings() hcl.Diagnostics {
	reached := map[string]bool{}
	for _, n := range r.Nodes {
		for _, f := range n.Macros {
			reached[f] = true
		}
	}
	funcs := templateFuncs(r.Project, TemplateData{})
	r.addRelationFuncs(funcs, &Node{})
	r.addMacroFuncs(funcs, &Node{})
	for name := range models.ReservedTemplateNames {
		if _, ok := funcs[name]; !ok { // ref, and the data tests' helpers
			funcs[name] = func(...any) string { return "" }
		}
	}
	var diags hcl.Diagnostics
	for _, m := range r.Project.Macros {
		if reached[m.Path] {
			continue
		}
		for _, b := range m.Broken {
			d := *b
			d.Severity = hcl.DiagWarning
			d.Detail += "; no model calls macro " + m.Name + " now, every call of it would fail"
			diags = append(diags, &d)
		}
		if m.Broken != nil {
			continue
		}
		if _, err := template.New(m.Path).Funcs(funcs).Parse(m.Body); err != nil {
			d := hintUnknownFunc(bodyTemplateDiag("Macro "+m.Name+" does not parse", m.Body, m.DeclRange, m.RangeAt, err), funcs)[0]
			d.Severity = hcl.DiagWarning
			d.Detail += "; every call of it would fail"
			diags = append(diags, d)
		}
	}
	return diags
}
