package datatests

import (
	"fmt"
	"sort"
	"strings"
	"text/template/parse"

	"github.com/hashicorp/hcl/v2"

	"github.com/weir-sh/weir/models"
)

// customParams are the arguments a tests/generic/<name>.sql template
// takes: the names it reads from its dot ({{ .min }}, {{ $.min }}). A name
// read on every render (not only inside an if, with or range, nor as a
// later argument of and/or) is required: rendering without it fails, even
// in an if's condition, since a missing key is an error.
type customParams struct {
	known    map[string]bool
	required map[string]int // name → the template line that first reads it
	// unknowable is set when the template hands its dot on whole
	// ({{ index . "min" }}, {{ template "x" . }}, a macro given .), or does
	// not parse: what it reads cannot be told, so nothing is checked.
	unknowable bool
}

// dataKeys are what weir puts in a custom test's dot besides the arguments.
var dataKeys = map[string]bool{"model": true, "column": true, "column_name": true}

// paramsOf reads the parameters of a custom test from its template.
func paramsOf(def *models.GenericTestDef) *customParams {
	p := &customParams{known: map[string]bool{}, required: map[string]int{}}
	tree := parse.New(def.Path)
	tree.Mode = parse.SkipFuncCheck | parse.ParseComments
	if _, err := tree.Parse(def.Body, "", "", map[string]*parse.Tree{}); err != nil || tree.Root == nil {
		p.unknowable = true
		return p
	}
	w := paramWalker{p: p, body: def.Body}
	w.list(tree.Root, true, true)
	return p
}

// paramWalker walks a template's tree. Its methods' rooted says dot is
// still the test's data there; must, that what is read there is read on
// every render.
type paramWalker struct {
	p    *customParams
	body string
}

func (w paramWalker) list(l *parse.ListNode, rooted, must bool) {
	if l == nil {
		return
	}
	for _, n := range l.Nodes {
		w.node(n, rooted, must)
	}
}

func (w paramWalker) node(n parse.Node, rooted, must bool) {
	switch n := n.(type) {
	case *parse.ActionNode:
		w.pipe(n.Pipe, rooted, must)
	case *parse.IfNode:
		w.branch(&n.BranchNode, rooted, must, rooted)
	case *parse.WithNode: // dot is the pipe's value in the body
		w.branch(&n.BranchNode, rooted, must, false)
	case *parse.RangeNode:
		w.branch(&n.BranchNode, rooted, must, false)
	case *parse.TemplateNode:
		w.p.unknowable = true
	case *parse.ListNode:
		w.list(n, rooted, must)
	}
}

// branch walks an if, with or range: its condition is read whenever it is
// reached, its bodies maybe not; bodyRooted says dot stays in the body.
func (w paramWalker) branch(b *parse.BranchNode, rooted, must, bodyRooted bool) {
	w.pipe(b.Pipe, rooted, must)
	w.list(b.List, bodyRooted, false)
	w.list(b.ElseList, rooted, false)
}

func (w paramWalker) pipe(p *parse.PipeNode, rooted, must bool) {
	if p == nil {
		return
	}
	for _, c := range p.Cmds {
		lazy := false
		if id, ok := c.Args[0].(*parse.IdentifierNode); ok && (id.Ident == "and" || id.Ident == "or") {
			lazy = true
		}
		for i, a := range c.Args {
			w.arg(a, rooted, must && !(lazy && i > 1))
		}
	}
}

func (w paramWalker) arg(a parse.Node, rooted, must bool) {
	switch a := a.(type) {
	case *parse.FieldNode:
		if rooted {
			w.read(a.Ident[0], int(a.Pos), must)
		}
	case *parse.VariableNode:
		if a.Ident[0] == "$" {
			if len(a.Ident) == 1 {
				w.p.unknowable = true
			} else {
				w.read(a.Ident[1], int(a.Pos), must)
			}
		}
	case *parse.ChainNode:
		w.arg(a.Node, rooted, must)
	case *parse.DotNode:
		if rooted {
			w.p.unknowable = true
		}
	case *parse.PipeNode:
		w.pipe(a, rooted, must)
	}
}

func (w paramWalker) read(name string, pos int, must bool) {
	if dataKeys[name] {
		return
	}
	w.p.known[name] = true
	if _, seen := w.p.required[name]; must && !seen {
		w.p.required[name] = 1 + strings.Count(w.body[:min(pos, len(w.body))], "\n")
	}
}

// checkCustomArgs reports the arguments of a declaration that the custom
// test's template never reads (with the nearest one it does) and the ones
// it always reads that the declaration leaves out (unless an unknown one
// is its typo).
func checkCustomArgs(def *models.GenericTestDef, decl models.TestDecl) hcl.Diagnostics {
	p := paramsOf(def)
	if p.unknowable {
		return nil
	}
	params := make([]string, 0, len(p.known))
	for k := range p.known {
		params = append(params, k)
	}
	sort.Strings(params)
	takes := "only the common settings (" + strings.Join(models.TestSettings, ", ") + ")"
	if len(params) > 0 {
		takes = strings.Join(params, ", ") + " and the common settings"
	}
	var diags hcl.Diagnostics
	var names, unknown []string
	for a := range decl.Args {
		names = append(names, a)
	}
	sort.Strings(names)
	for _, a := range names {
		if !p.known[a] {
			unknown = append(unknown, a)
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: fmt.Sprintf("Unknown argument %s of test %s", a, decl.Kind),
				Detail: fmt.Sprintf("%s (%s) reads %s.%s", decl.Kind, def.Path, takes,
					models.DidYouMean(a, append(params, models.TestSettings...))),
				Subject: decl.ArgRanges[a].Ptr()})
		}
	}
	var missing []string
	for a := range p.required {
		if _, ok := decl.Args[a]; !ok && !misspelled(a, unknown) {
			missing = append(missing, a)
		}
	}
	sort.Strings(missing)
	for _, a := range missing {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: fmt.Sprintf("Test %s needs %s", decl.Kind, a),
			Detail:  fmt.Sprintf("%s reads {{ .%s }} at line %d; add %s = … to the test block.", def.Path, a, p.required[a], a),
			Subject: decl.DeclRange.Ptr()})
	}
	return diags
}

// misspelled says one of the unknown arguments is near enough to name to
// be its typo, already reported as such.
func misspelled(name string, unknown []string) bool {
	for _, u := range unknown {
		if models.DidYouMean(u, []string{name}) != "" {
			return true
		}
	}
	return false
}
