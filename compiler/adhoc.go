package compiler

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"text/template"

	"github.com/hashicorp/hcl/v2"

	"github.com/weir-sh/weir/compiler/sqllex"
	"github.com/weir-sh/weir/compiler/sqlparse"
	"github.com/weir-sh/weir/models"
)

// KindAdHoc marks a Node compiled by CompileSQL: SQL that is not one of
// the project's models, such as a data test.
const KindAdHoc = "adhoc"

// SQLOptions tune CompileSQL.
type SQLOptions struct {
	// ID names the SQL in messages ("test orders_paid reads …"); the
	// default is the model's ID.
	ID string
	// Data is the template's dot; nil gives models' TemplateData.
	Data any
	// Funcs are template functions added to var, env, this and
	// is_incremental.
	Funcs template.FuncMap
	// Substitute stands text in for nodes: a reference to a node ID in it
	// is replaced by the text (a CTE name or a parenthesized subquery),
	// aliased with the node's name unless the SQL gives an alias.
	Substitute map[string]string
}

// CompileSQL compiles SQL that is not one of the project's models (a
// singular test, the query of a generic test) against the compiled
// project, exactly as models are compiled: m.Body is rendered as a
// template, parsed with the dialect's parser, its table references are
// resolved to r's nodes and rewritten to physical names at the parser's
// offsets. Diagnostics point into m.Path. The Node returned is not added
// to r; its DependsOn lists the nodes the SQL reads and SQL is the
// statement to run.
func (r *Result) CompileSQL(m *models.Model, opts SQLOptions) (*Node, hcl.Diagnostics) {
	id := opts.ID
	if id == "" {
		id = m.ID()
	}
	n := &Node{ID: id, Name: m.Name, Kind: KindAdHoc, Model: m, Path: m.Path}
	if r.parser == nil || r.ix == nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Project not compiled",
			Detail: "CompileSQL needs a Result from Compile that has not been closed."}}
	}
	funcs := templateFuncs(r.Project, TemplateData{})
	funcs["ref"] = r.refFunc(n)
	r.addRelationFuncs(funcs, n)
	r.addMacroFuncs(funcs, n)
	for k, f := range opts.Funcs {
		funcs[k] = f
	}
	var dot any = TemplateData{}
	if opts.Data != nil {
		dot = opts.Data
	}
	rendered, diags := execTemplate(m, funcs, dot)
	if diags.HasErrors() {
		return nil, diags
	}
	n.Rendered = rendered
	res, err := r.parser.Parse(rendered)
	if err != nil {
		return nil, append(diags, r.adHocParseDiag(n, err))
	}
	if res.Statements == 0 {
		rng := n.sqlRange(0, 1)
		return nil, append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Empty test",
			Detail:  m.Path + " has no SQL; write a SELECT that returns the rows breaking the rule, or delete the file.",
			Subject: &rng})
	}
	if res.Statements > 1 {
		rng := n.sqlRange(0, 1)
		return nil, append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Expected a single SELECT",
			Detail:  fmt.Sprintf("%s holds %d statements; keep one SELECT that returns the rows breaking the rule.", m.Path, res.Statements),
			Subject: &rng})
	}
	if d := n.setRefs(res); d != nil {
		return nil, append(diags, d)
	}
	parents := map[string]bool{}
	if d := r.resolveRefs(n, n.Refs, n.parsedRefs, r.ix, parents); d.HasErrors() {
		return nil, append(diags, d...)
	}
	addAll(parents, n.templateRefs)
	for p := range parents {
		n.DependsOn = append(n.DependsOn, p)
	}
	sort.Strings(n.DependsOn)
	n.SQL = r.rewriteWith(n, opts.Substitute)
	return n, diags
}

// adHocParseDiag is parseDiag for SQL that is not a model.
func (r *Result) adHocParseDiag(n *Node, err error) *hcl.Diagnostic {
	var ns *sqlparse.NotSelectError
	if errors.As(err, &ns) {
		rng := n.sqlRange(max(ns.Offset, 0), len(ns.Kind))
		return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Expected a single SELECT",
			Detail:  fmt.Sprintf("%s holds %s %s statement; write only a SELECT that returns the rows breaking the rule.", n.Path, article(ns.Kind), ns.Kind),
			Subject: &rng}
	}
	var se *sqlparse.SyntaxError
	if errors.As(err, &se) {
		rng := n.sqlRange(max(se.Offset, 0), 1)
		return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "SQL syntax error in " + n.ID, Detail: se.Msg, Subject: &rng}
	}
	return r.parseDiag(n, err)
}

// SubstituteSQL returns model n's compiled SQL with the nodes in subst
// stood in for (see SQLOptions.Substitute), also inside the ephemeral
// parents inlined into it. Unit tests use it to run a model on fixed rows.
func (r *Result) SubstituteSQL(n *Node, subst map[string]string) string {
	return r.rewriteWith(n, subst)
}

// Lookup finds the node a name refers to, as a table reference in SQL
// would ("schema.name", or a bare name when only one node has it). On
// failure it returns a diagnostic at rng naming the closest names; where
// says who refers to it ("test relationships_… (to)").
func (r *Result) Lookup(name, where string, rng hcl.Range) (*Node, *hcl.Diagnostic) {
	if r.ix == nil {
		r.ix = newIndex(r.Sorted())
	}
	parts := strings.Split(name, ".")
	n, ambiguous := r.ix.lookup("", strings.Join(parts[:len(parts)-1], "."), parts[len(parts)-1])
	if n != nil {
		return n, nil
	}
	if len(ambiguous) > 1 {
		return nil, ambiguousDiag(name, ambiguous, &rng)
	}
	return nil, unknownDiag(r.ix, name, where, rng)
}

// RewriteQuery points the table references of SQL typed by a user (weir
// query) at the physical names of the project's nodes, as a model's are:
// staging.orders becomes dev_staging.orders under schema_prefix "dev_".
// References to anything else are left as written, and so is SQL the
// parser does not read as a single SELECT (rewritten is then false). A
// bare name several nodes share is an error, as in a model.
func (r *Result) RewriteQuery(sql string) (out string, rewritten bool, diag *hcl.Diagnostic) {
	if r.parser == nil || r.ix == nil {
		return sql, false, nil
	}
	res, err := r.parser.Parse(sql)
	if err != nil || res.Statements != 1 {
		return sql, false, nil
	}
	m := &models.Model{Path: "query", Body: sql, BodyStart: hcl.InitialPos}
	n := &Node{ID: "query", Kind: KindAdHoc, Model: m, Path: m.Path, Rendered: sql}
	if d := n.setRefs(res); d != nil {
		return sql, false, nil
	}
	for i, pr := range n.parsedRefs {
		t, ambiguous := r.ix.lookup(pr.Catalog, pr.Schema, pr.Name)
		switch {
		case t != nil:
			n.Refs[i].Target = t.ID
		case len(ambiguous) > 1:
			return sql, false, ambiguousDiag(n.Refs[i].Written, ambiguous, nil)
		}
	}
	return r.rewriteWith(n, nil), true, nil
}

// ambiguousDiag reports a bare table name that several nodes share.
func ambiguousDiag(written string, candidates []*Node, rng *hcl.Range) *hcl.Diagnostic {
	ids := make([]string, len(candidates))
	for i, c := range candidates {
		ids[i] = c.ID
	}
	sort.Strings(ids)
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: fmt.Sprintf("Ambiguous table name %q", written),
		Detail: fmt.Sprintf("%s matches %s; qualify it with its schema.", written, strings.Join(ids, " and ")), Subject: rng}
}

// tableWords are the keywords a table name follows; tableModifiers may
// come between (DROP TABLE IF EXISTS x).
var (
	tableWords     = map[string]bool{"from": true, "join": true, "table": true, "into": true, "update": true, "view": true}
	tableModifiers = map[string]bool{"if": true, "not": true, "exists": true, "only": true, "lateral": true}
)

// sqlItem is a dotted name (parts) or another token (punct) of SQL.
type sqlItem struct {
	parts []string
	word  bool // a single unquoted word: maybe a keyword
	dot   bool // a dot ended it: the next name continues it
	punct string
}

// RewritableName finds in sql, which RewriteQuery left as written (a
// script, CREATE TABLE … AS SELECT), the first name of one of the
// project's nodes in the place of a table (after FROM, JOIN, TABLE, INTO,
// UPDATE or VIEW, or after a comma that follows such a name) that a
// single SELECT would have had rewritten: staging.orders for
// dev_staging.orders, a bare orders. It returns the name as written and
// the node, or "" and nil. The names are read from the tokens, since the
// parser does not take such SQL.
func (r *Result) RewritableName(sql string) (string, *Node) {
	if r.ix == nil {
		r.ix = newIndex(r.Sorted())
	}
	var items []sqlItem
	for tok := range sqllex.Code(sql, 0) {
		text, last := tok.Text(sql), len(items)-1
		switch {
		case tok.Kind == sqllex.Word || tok.Kind == sqllex.QuotedIdent:
			name := text
			if tok.Kind == sqllex.QuotedIdent {
				name = strings.ReplaceAll(text[1:len(text)-1], `""`, `"`)
			}
			if last >= 0 && items[last].dot {
				items[last].parts, items[last].dot, items[last].word = append(items[last].parts, name), false, false
				continue
			}
			items = append(items, sqlItem{parts: []string{name}, word: tok.Kind == sqllex.Word})
		case tok.Is(sql, '.') && last >= 0 && len(items[last].parts) > 0 && !items[last].dot:
			items[last].dot = true
		default:
			items = append(items, sqlItem{punct: text})
		}
	}
	table, tableAt := false, -10 // a table's name is next; where one was
	for i, it := range items {
		switch {
		case it.word && tableWords[strings.ToLower(it.parts[0])]:
			table = true
		case it.word && table && tableModifiers[strings.ToLower(it.parts[0])]:
		case it.parts != nil && table:
			if i+1 < len(items) && items[i+1].punct == "(" {
				table = false // a table function: read_csv(…)
				continue
			}
			if n := r.rewritable(it.parts); n != nil {
				return strings.Join(it.parts, "."), n
			}
			table, tableAt = false, i
		case it.parts != nil: // an alias (a, a x, a AS x), a keyword, a column
		default:
			// A comma right after a table's name and its alias starts
			// another (FROM a AS x, b).
			table = it.punct == "," && i-tableAt <= 3
		}
	}
	return "", nil
}

// rewritable returns the node a table name written as parts (name,
// schema.name or catalog.schema.name) names when a SELECT would have
// rewritten it: written otherwise than its relation; nil if none.
func (r *Result) rewritable(parts []string) *Node {
	if len(parts) > 3 {
		return nil
	}
	schema, name := "", parts[len(parts)-1]
	if len(parts) > 1 {
		schema = parts[len(parts)-2]
	}
	n, _ := r.ix.lookup("", schema, name)
	if n == nil {
		return nil
	}
	if rel := n.ReadRelation(); schema != "" && strings.EqualFold(schema, rel.Schema) && strings.EqualFold(name, rel.Name) {
		return nil
	}
	return n
}
