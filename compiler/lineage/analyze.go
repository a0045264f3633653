package lineage

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"

	"github.com/weir-sh/weir/adapters/csvsniff"
	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/compiler/sqlparse"
	"github.com/weir-sh/weir/models"
)

// Catalog gives the columns of relations that exist in the warehouse, in
// order, by the ID of the node they belong to ("app.web_events"). Lineage
// uses it for sources, and for models whose lineage is unknown (their
// columns are then listed, with the reason, so that * over them expands);
// a nil Catalog is empty.
type Catalog map[string][]string

// Options are Analyze's inputs besides the compiled project.
type Options struct {
	// Catalog lists the warehouse's columns of sources (optional).
	Catalog Catalog
	// Parser is DuckDB's parser to reuse; Analyze opens one when nil.
	// Either is used only when a model is missing from the cache.
	Parser *sqlparse.Parser
	// CacheFile keeps each model's parsed form by the hash of its SQL
	// between runs; "" turns the cache off.
	CacheFile string
}

// Analyze works out the column lineage of every node of res. The
// diagnostics are warnings: column references that match nothing or
// more than one column, at their place in the model's file, and errors
// only when the parser cannot be started.
func Analyze(ctx context.Context, res *compiler.Result, opts Options) (*Graph, hcl.Diagnostics) {
	// Other warehouses name a select item without an alias their own
	// way (Postgres: ?column?, count): such a column stays unnamed.
	duckdbNames := res.Dialect == nil || res.Dialect.Name() == "duckdb"
	cache := loadCache(opts.CacheFile, duckdbNames)
	pa := &parserOnce{ctx: ctx, p: opts.Parser, duckdbNames: duckdbNames}
	defer pa.close()
	trees, err := parseModels(ctx, res, pa, cache)
	if err != nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot start the SQL parser", Detail: err.Error()}}
	}
	var diags hcl.Diagnostics
	if err := cache.Save(); err != nil {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Lineage cache not saved", Detail: err.Error()})
	}
	g := &Graph{nodes: map[string]*Node{}, order: res.Order}
	for _, n := range res.Sorted() {
		ln, d := g.nodeLineage(ctx, res, n, trees[n.ID], opts.Catalog)
		g.nodes[n.ID] = ln
		diags = append(diags, d...)
	}
	g.index()
	return g, diags
}

// nodeLineage works out one node's lineage. A failure of lineage itself
// (a parse tree shape it does not expect) makes that node's lineage
// unknown rather than stopping the command.
func (g *Graph) nodeLineage(ctx context.Context, res *compiler.Result, n *compiler.Node, pr parsed, cat Catalog) (ln *Node, diags hcl.Diagnostics) {
	defer func() {
		if v := recover(); v != nil {
			ln = &Node{ID: n.ID, Kind: n.Kind, Unknown: fmt.Sprintf("lineage failed on this model (%v); please report it", v)}
		}
	}()
	switch {
	case n.Seed != nil:
		return seedLineage(ctx, res.Project.Dir, n), nil
	case n.Source != nil:
		return sourceLineage(n, cat), nil
	case n.Script != nil:
		// A program's columns are its own business.
		return &Node{ID: n.ID, Kind: n.Kind, Unknown: "written by command node " + n.Script.ID() + ", which weir cannot see into"}, nil
	case n.Model == nil:
		return &Node{ID: n.ID, Kind: n.Kind, Unknown: "lineage does not read nodes of kind " + n.Kind}, nil
	}
	ln, diags = g.modelLineage(n, pr)
	if cols, ok := cat[n.ID]; ok && ln.Unknown != "" && len(ln.Columns) == 0 {
		// Built before: the warehouse knows the model's columns, though
		// not where they come from.
		for i, c := range cols {
			ln.Columns = append(ln.Columns, Column{Name: c, Ordinal: i + 1, Unknown: ln.Unknown})
		}
	}
	return ln, diags
}

// parsed is a model's intermediate form, or why it has none.
type parsed struct {
	Query *query
	Err   string
	// ErrOffset is the byte offset of a syntax error, -1 if none.
	ErrOffset int
}

// parserOnce starts DuckDB's parser and what decoding needs of it at the
// first model missing from the cache: a run whose every model is cached
// starts no DuckDB.
type parserOnce struct {
	ctx         context.Context
	p           *sqlparse.Parser // Options.Parser, else opened here
	duckdbNames bool             // give unnamed select items DuckDB's names
	once        sync.Once
	opened      bool // p was opened here and is closed by close
	d           decoder
	err         error
}

// get returns the parser and the decoder, or why they cannot start.
func (o *parserOnce) get() (*sqlparse.Parser, *decoder, error) {
	o.once.Do(func() {
		if o.p == nil {
			if o.p, o.err = sqlparse.New(); o.err != nil {
				return
			}
			o.opened = true
		}
		if o.d.aggregates, o.err = o.p.AggregateFunctions(o.ctx); o.err != nil {
			return
		}
		if o.duckdbNames {
			o.d.names, o.err = newNamer(o.ctx, o.p)
		}
	})
	return o.p, &o.d, o.err
}

// close closes the parser if it was opened here.
func (o *parserOnce) close() {
	if o.opened {
		o.p.Close()
	}
}

// parseModels parses every compiled model's rendered SQL in parallel:
// as many calls in flight as the parser answers together in its batches
// (sqlparse.Callers), since a call alone costs a query of its own. The
// error is the parser's that could not start.
func parseModels(ctx context.Context, res *compiler.Result, pa *parserOnce, cache treeCache) (map[string]parsed, error) {
	var (
		mu  sync.Mutex
		out = map[string]parsed{}
		wg  sync.WaitGroup
	)
	work := make(chan *compiler.Node)
	for range max(runtime.NumCPU()*2, sqlparse.Callers()) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range work {
				pr := cache.get(n.Rendered, func() parsed {
					p, d, err := pa.get()
					if err != nil {
						return parsed{Err: err.Error(), ErrOffset: -1} // not kept: Analyze fails
					}
					return parseOne(ctx, p, *d, n.Rendered)
				})
				mu.Lock()
				out[n.ID] = pr
				mu.Unlock()
			}
		}()
	}
	for _, n := range res.Sorted() {
		if n.Model != nil && !n.Broken() && n.Rendered != "" {
			work <- n
		}
	}
	close(work)
	wg.Wait()
	if pa.err != nil {
		return nil, pa.err
	}
	return out, nil
}

func parseOne(ctx context.Context, p *sqlparse.Parser, d decoder, sql string) parsed {
	js, err := p.Tree(ctx, sql)
	var se *sqlparse.SyntaxError
	if errors.As(err, &se) {
		return parsed{Err: "DuckDB's parser cannot read its SQL: " + se.Msg, ErrOffset: se.Offset}
	}
	if err != nil {
		return parsed{Err: "DuckDB's parser cannot read its SQL: " + err.Error(), ErrOffset: -1}
	}
	d.textLen = len(sql)
	q, err := d.decodeTree(js)
	if err != nil {
		return parsed{Err: err.Error(), ErrOffset: -1}
	}
	return parsed{Query: q}
}

// modelLineage binds a model's parsed SQL to its parents' columns.
func (g *Graph) modelLineage(n *compiler.Node, pr parsed) (*Node, hcl.Diagnostics) {
	ln := &Node{ID: n.ID, Kind: n.Kind}
	switch {
	case n.Broken():
		ln.Unknown = "the model does not compile"
		return ln, nil
	case pr.Query == nil && pr.ErrOffset >= 0:
		rng := sqlRange(n, pr.ErrOffset)
		ln.Unknown = fmt.Sprintf("%s (%s:%d:%d)", pr.Err, rng.Filename, rng.Start.Line, rng.Start.Column)
		return ln, nil
	case pr.Query == nil:
		ln.Unknown = firstOf(pr.Err, "the model has no SQL")
		return ln, nil
	}
	b := &binder{relationOf: g.relationFinder(n)}
	res := b.query(pr.Query, nil, nil)
	if res.unknown != "" {
		ln.Unknown = res.unknown
	}
	for i, c := range res.cols {
		ln.Columns = append(ln.Columns, Column{Name: c.name, Ordinal: i + 1, Upstream: sortRefs(c.srcs), Unknown: c.unknown})
	}
	for i, c := range res.cols {
		if c.name == "" {
			b.problemf(c.offset, "column %d has no name lineage can tell: give it one with AS", i+1)
		}
	}
	ln.Filters = sortRefs(b.filters)
	return ln, problemDiags(n, ln, b.problems)
}

// relationFinder resolves the base tables of n's SQL the way the
// compiler did: by the offset of each table reference it resolved, else
// by name among n's parents.
func (g *Graph) relationFinder(n *compiler.Node) func(int, string, string, string) *relation {
	at := map[int]string{}
	for _, r := range n.Refs {
		if !r.Qualifier && r.Target != "" {
			at[r.Offset] = r.Target
		}
	}
	return func(off int, catalog, schema, name string) *relation {
		id, ok := at[off]
		if !ok {
			id = parentNamed(n, schema, name)
		}
		ln := g.nodes[id]
		if ln == nil {
			return nil
		}
		return ln.relation(schema, catalog)
	}
}

// parentNamed finds the parent of n that schema.name (or a bare name)
// names, or "".
func parentNamed(n *compiler.Node, schema, name string) string {
	want := strings.ToLower(name)
	if schema != "" {
		want = strings.ToLower(schema) + "." + want
	}
	for _, id := range n.DependsOn {
		lid := strings.ToLower(id)
		if lid == want || schema == "" && strings.HasSuffix(lid, "."+want) {
			return id
		}
	}
	return ""
}

// relation is the relation a node's table name stands for.
func (ln *Node) relation(schema, catalog string) *relation {
	r := &relation{node: ln.ID, schema: schema, catalog: catalog}
	if i := strings.IndexByte(ln.ID, '.'); i >= 0 && schema == "" {
		r.schema = ln.ID[:i]
	}
	switch {
	case ln.Unknown != "" && len(ln.Columns) == 0:
		r.open, r.what = true, "the columns of "+ln.ID+" are not known"
		if ln.Kind == models.KindSource {
			r.what += ": " + ln.Unknown
		}
	case ln.Partial:
		r.open, r.starOK = true, true
	default:
		r.starOK = true
	}
	for _, c := range ln.Columns {
		r.cols = append(r.cols, column{name: c.Name, srcs: []Ref{{Node: ln.ID, Column: c.Name, Kind: Direct}}})
	}
	return r
}

// problemDiags turns a model's unresolved references into warnings at
// their place in its file, and lists them on the node.
func problemDiags(n *compiler.Node, ln *Node, probs []problem) hcl.Diagnostics {
	sort.SliceStable(probs, func(i, j int) bool { return probs[i].offset < probs[j].offset })
	var diags hcl.Diagnostics
	seen := map[problem]bool{}
	for _, p := range probs {
		if seen[p] {
			continue
		}
		seen[p] = true
		rng := sqlRange(n, p.offset)
		ln.Problems = append(ln.Problems, fmt.Sprintf("%s:%d:%d: %s", rng.Filename, rng.Start.Line, rng.Start.Column, p.msg))
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Column lineage of " + n.ID, Detail: p.msg, Subject: &rng})
	}
	return diags
}

// sqlRange places a byte offset of n's rendered SQL in its file.
func sqlRange(n *compiler.Node, off int) hcl.Range {
	m := n.Model
	if off < 0 {
		return m.RangeAt(0, 1)
	}
	if n.Rendered == m.Body {
		return m.RangeAt(off, 1)
	}
	tmp := &models.Model{Body: n.Rendered, BodyStart: m.BodyStart, Path: m.Path}
	return tmp.RangeAt(off, 1)
}

// seedLineage lists a seed's columns from its CSV header.
func seedLineage(ctx context.Context, dir string, n *compiler.Node) *Node {
	ln := &Node{ID: n.ID, Kind: n.Kind}
	l, err := csvsniff.Sniff(ctx, filepath.Join(dir, n.Seed.Path))
	if err != nil {
		ln.Unknown = err.Error()
		return ln
	}
	for i, c := range l.Columns {
		ln.Columns = append(ln.Columns, Column{Name: c.Name, Ordinal: i + 1})
	}
	return ln
}

// sourceLineage lists a source's columns: the catalog's, else those
// declared in weir.hcl (which may not be all of them).
func sourceLineage(n *compiler.Node, cat Catalog) *Node {
	ln := &Node{ID: n.ID, Kind: n.Kind}
	if cols, ok := cat[n.ID]; ok {
		for i, c := range cols {
			ln.Columns = append(ln.Columns, Column{Name: c, Ordinal: i + 1})
		}
		return ln
	}
	decl := n.Source.Columns
	if len(decl) == 0 {
		ln.Partial = true
		ln.Unknown = "no columns declared in weir.hcl and none found in the warehouse"
		return ln
	}
	ln.Partial = true
	for i, c := range decl {
		ln.Columns = append(ln.Columns, Column{Name: c.Name, Ordinal: i + 1})
	}
	return ln
}
