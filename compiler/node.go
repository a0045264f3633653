package compiler

import (
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/compiler/sqlparse"
	"github.com/weir-sh/weir/graph"
	"github.com/weir-sh/weir/models"
)

// Node is one compiled model, seed or source.
type Node struct {
	ID   string // "schema.name"
	Name string
	Kind string // models.KindModel, KindSeed or KindSource
	Path string // file the node comes from ("" for sources)

	Model  *models.Model
	Seed   *models.Seed
	Source *models.Source
	// Script is the script of a command node, or of a table it writes
	// (Kind models.KindOutput).
	Script *models.Script

	// Relation is where the node lives in the warehouse; ephemeral models
	// have none.
	Relation adapters.Relation
	// DeferredTo, when set, is where other nodes read this one from
	// instead of Relation: another target's relation (weir build --defer).
	DeferredTo   adapters.Relation
	Materialized string
	// DependsOn lists the IDs of the node's direct parents, sorted.
	DependsOn []string
	// Refs are the table references found in the model's SQL, resolved.
	Refs []Ref
	// Rendered is the model's SQL after templating, before rewriting.
	Rendered string
	// SQL is the compiled SELECT: references point at physical relations
	// and ephemeral parents are inlined as CTEs.
	SQL string
	// BodyLine is the line of SQL where the model's own text starts (after
	// the CTEs of inlined ephemeral parents), for mapping warehouse errors
	// back to the model's file.
	BodyLine int
	// CodeHash changes when the node's own normalized SQL (comments and
	// layout do not count) or the config that shapes its data changes.
	CodeHash string
	// BodyHash changes with the node's own normalized SQL (a seed's
	// data); ConfigHash with its settings (materialization, tags,
	// incremental, contract columns; descriptions do not count). Both are
	// compared by the state:modified.body and .config selectors.
	BodyHash, ConfigHash string
	// Fingerprint changes when CodeHash, the content of a file the model
	// reads (Inputs) or any parent's fingerprint changes.
	Fingerprint string
	// Inputs are the local files the model reads (FROM 'data/x.csv',
	// read_csv('data/*.csv'), …) as written in its SQL, relative to the
	// project folder unless absolute; their content is in the fingerprint.
	Inputs []string
	// Macros are the macro files the model's template reached, directly
	// or through other macros, sorted (recorded in the manifest).
	Macros []string
	// Diags are the node's own problems (its file, its template, its SQL,
	// a table it reads that does not exist). A node with errors is Broken.
	Diags hcl.Diagnostics

	parsedRefs []sqlparse.Ref // as the parser gave them, parallel to Refs
	seedDigest string         // hash of a seed's CSV content
	// scriptDigest hashes a command node's command and files.
	scriptDigest string
	files        []sqlparse.File // the files the rendered SQL reads
	// inputDigest is the hash of the content of the files in Inputs.
	inputDigest string
	// variant is an incremental model rendered with is_incremental true,
	// whose references are parents too.
	variant *Node
	// templateRefs are the nodes the template named with ref, in order.
	templateRefs []string
	// opaque is a model the parser refused that lists its parents in
	// depends_on: its SQL goes to the warehouse as rendered.
	opaque bool
}

// ReadRelation is the relation references to n are rewritten to: its
// own, or the one it is deferred to.
func (n *Node) ReadRelation() adapters.Relation {
	if n.Deferred() {
		return n.DeferredTo
	}
	return n.Relation
}

// Columns are the columns a node declares: a model's config columns, a
// seed's or a source's columns.
func (n *Node) Columns() []models.Column {
	switch {
	case n.Model != nil:
		return n.Model.Config.Columns
	case n.Seed != nil:
		return n.Seed.Columns
	case n.Source != nil:
		return n.Source.Columns
	}
	return nil
}

// Deferred reports a node read from another target's relation.
func (n *Node) Deferred() bool { return n.DeferredTo.Name != "" }

// Broken reports a node that does not compile: it has no SQL and no
// fingerprint, a build records it as failed and skips what reads it, and
// the rest of the project builds.
func (n *Node) Broken() bool { return n.Diags.HasErrors() }

// Problem is the first of a broken node's errors, on one line with its
// file:line:col.
func (n *Node) Problem() string {
	for _, d := range n.Diags {
		if d.Severity == hcl.DiagError {
			return models.DiagString(d)
		}
	}
	return ""
}

// addDiags keeps diags on n as its own.
func (n *Node) addDiags(diags hcl.Diagnostics) hcl.Diagnostics {
	n.Diags = append(n.Diags, models.MarkNode(diags, n.ID)...)
	return diags
}

// Ref is one resolved table reference of a model.
type Ref struct {
	Written string // the text as written in the SQL
	Target  string // ID of the node it resolves to
	Offset  int    // byte offset in Rendered
	Length  int
	Alias   string
	// Qualifier marks a table name in front of a column (staging.t in
	// staging.t.id) rather than a table read. It is rewritten only when it
	// names a node, and does not make that node a parent.
	Qualifier bool
}

// Result is a compiled project.
type Result struct {
	Project *models.Project
	Target  *models.Target
	Dialect adapters.Dialect
	Nodes   map[string]*Node
	// Order is every node ID in a dependency order (parents first).
	Order []string
	Graph *graph.Graph
	// Stats about this compilation.
	Parsed, CacheHits int
	// Tests are listed in the manifest; the datatests package compiles them
	// after the models and its caller sets this.
	Tests []ManifestTest

	ix        *index
	parser    Parser
	ownParser bool
	// variants keeps by node ID the last variant Variant rendered (a
	// variantRun), to place the errors of the SQL that ran.
	variants sync.Map
	// seedColumns keeps by path the header of each seed a template read.
	seedColumns sync.Map
}

// Close releases the SQL parser when Compile opened it.
func (r *Result) Close() error {
	if r.ownParser && r.parser != nil {
		return r.parser.Close()
	}
	return nil
}

// Broken lists the nodes that do not compile, in dependency order.
func (r *Result) Broken() []*Node {
	var out []*Node
	for _, n := range r.Sorted() {
		if n.Broken() {
			out = append(out, n)
		}
	}
	return out
}

// Sorted returns the nodes in dependency order.
func (r *Result) Sorted() []*Node {
	out := make([]*Node, 0, len(r.Order))
	for _, id := range r.Order {
		out = append(out, r.Nodes[id])
	}
	return out
}

// RelationIn is where a model or seed lives in target t: its schema with
// the target's schema_prefix before it. A source's relation, which no
// target changes, is returned as it is.
func (n *Node) RelationIn(t *models.Target) adapters.Relation {
	switch {
	case n.Model != nil:
		return adapters.Relation{Schema: t.SchemaPrefix + n.Model.Schema, Name: n.Model.Name}
	case n.Seed != nil:
		return adapters.Relation{Schema: t.SchemaPrefix + n.Seed.Schema, Name: n.Seed.Name}
	case n.Kind == models.KindOutput:
		schema, _, _ := strings.Cut(n.ID, ".")
		return adapters.Relation{Schema: t.SchemaPrefix + schema, Name: n.Name}
	}
	return n.Relation
}
