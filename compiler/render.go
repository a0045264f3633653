package compiler

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"text/template"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/weir-sh/weir/models"
)

// TemplateData is the dot of a model's template: {{ .This }}, and the
// fields later features add (is_incremental, interval bounds).
type TemplateData struct {
	// This is the model's own physical relation, quoted.
	This string
	// IsIncremental is true when an incremental model is being updated in
	// place rather than built from scratch.
	IsIncremental bool
	// Start and End bound the interval being processed by a time_range
	// model, as SQL timestamp literals.
	Start, End string
}

// render runs n's body through text/template when it holds template
// actions. Functions: var "name", env "NAME" ["default"], this,
// is_incremental, ref "schema.name", target "name", columns,
// union_columns, ident, literal (compiler/columns.go) and the project's
// macros (compiler/macros.go).
func (r *Result) render(n *Node, data TemplateData) (string, hcl.Diagnostics) {
	if !hasActions(n.Model.Body) {
		return n.Model.Body, nil // plain SQL: no functions to build
	}
	funcs := templateFuncs(r.Project, data)
	funcs["ref"] = r.refFunc(n)
	r.addRelationFuncs(funcs, n)
	r.addMacroFuncs(funcs, n)
	return execTemplate(n.Model, funcs, data)
}

// refFunc is the template function ref "schema.name": the physical name
// of a model, seed or source, quoted, as the warehouse knows it (with the
// target's schema prefix). The node it names becomes a parent of n, so a
// model weir cannot parse still builds after what it reads.
func (r *Result) refFunc(n *Node) func(string) (string, error) {
	return func(name string) (string, error) {
		t, err := r.findNode(name, n)
		switch {
		case err != nil:
			return "", err
		case t.Relation.Name == "":
			return "", fmt.Errorf("%s is ephemeral and has no table to name; refer to it in SQL weir can parse, or materialize it as a view", t.ID)
		}
		n.templateRefs = append(n.templateRefs, t.ID)
		return quoteRel(r, t), nil
	}
}

// execTemplate runs m's body through text/template with funcs and dot
// when it holds template actions.
func execTemplate(m *models.Model, funcs template.FuncMap, dot any) (string, hcl.Diagnostics) {
	if !hasActions(m.Body) {
		return m.Body, nil
	}
	t, err := template.New(m.Path).Funcs(funcs).Option("missingkey=error").Parse(m.Body)
	if err != nil {
		return "", hintUnknownFunc(templateDiag(m, err), funcs)
	}
	b := &boundedWriter{limit: MaxRenderedSize}
	if err := t.Execute(b, dot); err != nil {
		return "", templateDiag(m, err)
	}
	return b.String(), nil
}

// hasActions reports a template body that holds template actions; any
// other renders as itself.
func hasActions(body string) bool { return strings.Contains(body, "{{") }

// MaxRenderedSize bounds what a template may render: past it (nested
// range loops, say) rendering stops with an error at the model.
const MaxRenderedSize = 64 << 20

// boundedWriter collects a template's output up to limit bytes.
type boundedWriter struct {
	strings.Builder
	limit int
}

func (w *boundedWriter) Write(p []byte) (int, error) {
	if w.Len()+len(p) > w.limit {
		return 0, fmt.Errorf("the template renders more than %d MiB of SQL; check its loops", w.limit>>20)
	}
	return w.Builder.Write(p)
}

// templateFuncs are the functions every template may call.
func templateFuncs(p *models.Project, data TemplateData) template.FuncMap {
	return template.FuncMap{
		"var": func(name string) (string, error) {
			v, ok := p.Vars[name]
			if !ok {
				return "", fmt.Errorf("var %q is not set; add it to vars in weir.hcl", name)
			}
			return ctyString(v), nil
		},
		"env": func(name string, def ...string) (string, error) {
			if v, ok := os.LookupEnv(name); ok {
				return v, nil
			}
			if len(def) > 0 {
				return def[0], nil
			}
			return "", fmt.Errorf("environment variable %s is not set; export it or give a default: env %q \"…\"", name, name)
		},
		"this":           func() string { return data.This },
		"is_incremental": func() bool { return data.IsIncremental },
	}
}

func ctyString(v cty.Value) string {
	if v.IsNull() || !v.IsKnown() {
		return ""
	}
	switch v.Type() {
	case cty.String:
		return v.AsString()
	case cty.Number:
		return v.AsBigFloat().Text('f', -1)
	case cty.Bool:
		return strconv.FormatBool(v.True())
	}
	return v.GoString()
}

var (
	templatePos    = regexp.MustCompile(`template: [^:]+:(\d+)(?::(\d+))?`)
	templatePrefix = regexp.MustCompile(`^template: [^:]+:\d+(:\d+)?: (executing "[^"]*" at )?`)
)

// templateDiag places a text/template error at its line and column in the
// model file, followed by where it failed in the macros it called.
func templateDiag(m *models.Model, err error) hcl.Diagnostics {
	return bodyTemplateDiag("Template error in "+m.ID(), m.Body, m.DeclRange, m.RangeAt, err)
}

// bodyTemplateDiag places a text/template error at its line and column in
// a template body (a model's, a macro's): rangeAt maps body offsets into
// the file, decl is the fallback when the error has no position.
func bodyTemplateDiag(summary, body string, decl hcl.Range, rangeAt func(int, int) hcl.Range, err error) hcl.Diagnostics {
	rng := decl
	if sub := templatePos.FindStringSubmatch(err.Error()); sub != nil {
		line, _ := strconv.Atoi(sub[1])
		col, _ := strconv.Atoi(sub[2])
		if col == 0 {
			col = 1
		}
		// Through the body's byte offset, so that the range also carries
		// Byte, which the diagnostic printer uses for the snippet.
		off := 0
		for l := 1; l < line; l++ {
			nl := strings.IndexByte(body[off:], '\n')
			if nl < 0 {
				break
			}
			off += nl + 1
		}
		lineLen := len(body) - off
		if nl := strings.IndexByte(body[off:], '\n'); nl >= 0 {
			lineLen = nl
		}
		rng = rangeAt(off+min(col-1, lineLen), 1)
	}
	// Drop the file and position (the range says them) and the template's
	// name; keep the action and the reason: `<var "x">: error calling var: …`.
	msg := templatePrefix.ReplaceAllString(err.Error(), "")
	return append(hcl.Diagnostics{{
		Severity: hcl.DiagError, Summary: summary,
		Detail: msg, Subject: &rng,
	}}, macroDiags(err)...)
}
