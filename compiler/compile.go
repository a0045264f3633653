package compiler

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/compiler/sqlparse"
	"github.com/weir-sh/weir/graph"
	"github.com/weir-sh/weir/internal/par"
	"github.com/weir-sh/weir/models"
)

// Options control a compilation.
type Options struct {
	Target  *models.Target
	Dialect adapters.Dialect
	// CacheFile keeps parse results by content hash between runs; "" turns
	// the cache off.
	CacheFile string
	// Parser is reused when set; otherwise Compile opens the dialect's
	// (NewParser).
	Parser Parser
	// Vars override the project's vars (from --vars).
	Vars map[string]string
}

// EphemeralPrefix names the CTE an ephemeral model is inlined as.
const EphemeralPrefix = "__weir_eph_"

// ephemeralBodyOpen separates inlined ephemeral CTEs from the model's own
// SQL in compiled output.
const ephemeralBodyOpen = "\nSELECT * FROM (\n"

// maxViewChain is the depth of stacked views past which weir warns.
const maxViewChain = 8

// Compile compiles every node of p for the given target. It reports every
// problem at once; the Result is nil only when nothing could be compiled.
//
// A problem of one node (its template, its SQL, a table it reads that is
// unknown) is also kept on the node, which is then Broken: it is left
// uncompiled and the rest of the project compiles. Problems of the whole
// project (a cycle) stop the compilation; models.ProjectErrors tells them
// apart in the diagnostics returned.
func Compile(p *models.Project, opts Options) (*Result, hcl.Diagnostics) {
	r := &Result{Project: p, Target: opts.Target, Dialect: opts.Dialect, Nodes: map[string]*Node{}}
	parser := opts.Parser
	if parser == nil {
		var err error
		if parser, err = NewParser(opts.Dialect); err != nil {
			return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot start the SQL parser", Detail: err.Error()}}
		}
		r.ownParser = true
	}
	r.parser = parser
	// The parse cache is read while the nodes are collected.
	loaded := make(chan parseCache, 1)
	go func() { loaded <- loadCache(opts.CacheFile, parser) }()
	nodes := r.collect()
	ix := newIndex(nodes)
	r.ix = ix
	cache := <-loaded
	diags := r.parseAll(cache)
	if l, ok := parser.(*lazyParser); ok && l.failed() != nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot start the SQL parser", Detail: l.failed().Error()}}
	}
	r.CacheHits, r.Parsed = cache.Stats()
	if err := cache.Save(); err != nil {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Parse cache not saved", Detail: err.Error()})
	}

	// Each node's references resolve on its own, on every core; the
	// diagnostics are kept in node order.
	resolved := make([]hcl.Diagnostics, len(nodes))
	par.For(len(nodes), func(i int) {
		n := nodes[i]
		var d hcl.Diagnostics
		switch {
		case n.Model != nil:
			d = n.addDiags(r.resolve(n, ix))
		case n.Kind == models.KindCommand && !n.Broken():
			d = n.addDiags(r.resolveScript(n, ix))
		}
		resolved[i] = append(d, n.addDiags(r.checkNameLength(n))...)
	})
	for _, d := range resolved {
		diags = append(diags, d...)
	}
	r.Graph = graph.New()
	for _, n := range nodes {
		r.Graph.AddNode(n.ID)
		for _, parent := range n.DependsOn {
			r.Graph.AddEdge(parent, n.ID)
		}
	}
	// Ordering finds whether there is a cycle at a fraction of the cost
	// of listing cycles, which only a project with one pays.
	order, err := r.Graph.TopoSort()
	if err != nil {
		if cyc := r.cycleDiags(); cyc.HasErrors() {
			return r, append(diags, cyc...)
		}
		return r, append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot order models", Detail: err.Error()})
	}
	r.Order = order
	if models.ProjectErrors(diags) != nil {
		return r, diags
	}
	r.finishAll()
	diags = append(diags, r.unreachedMacroWarnings()...)
	return r, append(diags, r.viewChainWarnings()...)
}

// inlinesBroken reports a model with an ephemeral parent that was left
// uncompiled: its SQL cannot be written, and the build skips it with the
// rest of the broken parent's descendants.
func (r *Result) inlinesBroken(n *Node) bool {
	for _, id := range n.DependsOn {
		if p := r.Nodes[id]; p.Materialized == models.MatEphemeral && p.SQL == "" {
			return true
		}
	}
	return false
}

// collect creates a Node for every source, seed and model.
func (r *Result) collect() []*Node {
	p, t := r.Project, r.Target
	var nodes []*Node
	add := func(n *Node) {
		r.Nodes[n.ID] = n
		nodes = append(nodes, n)
	}
	for _, s := range p.Sources {
		add(&Node{ID: s.ID(), Name: s.Name, Kind: models.KindSource, Source: s,
			Relation: adapters.Relation{Database: s.Database, Schema: s.Physical, Name: s.Identifier}})
	}
	for _, s := range p.Seeds {
		n := &Node{ID: s.ID(), Name: s.Name, Kind: models.KindSeed, Seed: s, Path: s.Path,
			Materialized: models.MatTable}
		n.Relation = n.RelationIn(t)
		add(n)
	}
	for _, m := range p.Models {
		n := &Node{ID: m.ID(), Name: m.Name, Kind: models.KindModel, Model: m, Path: m.Path,
			Materialized: m.Config.Materialized, Diags: m.Diags}
		if m.Config.Materialized != models.MatEphemeral {
			n.Relation = n.RelationIn(t)
		}
		add(n)
	}
	r.collectScripts(add)
	return nodes
}

// checkNameLength refuses physical names the warehouse would truncate,
// counting the prefix of the temporary names weir builds under.
func (r *Result) checkNameLength(n *Node) hcl.Diagnostics {
	limit := r.Dialect.MaxIdentifierLength()
	if limit == 0 || n.Relation.Name == "" || n.Source != nil {
		return nil
	}
	temp := len(adapters.TempName(""))
	if len(n.Relation.Schema) <= limit && len(n.Relation.Name)+temp <= limit {
		return nil
	}
	rng := hcl.Range{Filename: n.Path, Start: hcl.InitialPos, End: hcl.InitialPos}
	if n.Model != nil {
		rng = n.Model.DeclRange
	}
	return hcl.Diagnostics{{
		Severity: hcl.DiagError, Summary: "Name too long for " + r.Dialect.Name(),
		Detail: fmt.Sprintf("%s is built as %s; %s keeps identifiers of at most %d bytes, and weir needs %d more for the temporary name of a rebuild. Shorten the file or folder name to %d bytes or less.",
			n.ID, n.Relation, r.Dialect.Name(), limit, temp, limit-temp),
		Subject: &rng,
	}}
}

// resolve turns a model's parsed references into parents.
func (r *Result) resolve(n *Node, ix *index) hcl.Diagnostics {
	m := n.Model
	var diags hcl.Diagnostics
	parents := map[string]bool{}
	for _, dep := range m.Config.DependsOn {
		parts := strings.Split(dep, ".")
		target, _ := ix.lookup("", strings.Join(parts[:len(parts)-1], "."), parts[len(parts)-1])
		if target == nil {
			diags = append(diags, unknownDiag(ix, dep, "depends_on of "+m.ID(), m.Config.DependsOnRange))
			continue
		}
		parents[target.ID] = true
	}
	diags = append(diags, r.resolveRefs(n, n.Refs, n.parsedRefs, ix, parents)...)
	if v := n.variant; v != nil {
		// References only the is_incremental branch makes are parents too.
		diags = append(diags, r.resolveRefs(v, v.Refs, v.parsedRefs, ix, parents)...)
		addAll(parents, v.templateRefs)
	}
	addAll(parents, n.templateRefs)
	delete(parents, n.ID)
	for id := range parents {
		n.DependsOn = append(n.DependsOn, id)
	}
	sort.Strings(n.DependsOn)
	return diags
}

// resolveRefs points each reference at its node, adding it to parents.
func (r *Result) resolveRefs(n *Node, refs []Ref, prs []sqlparse.Ref, ix *index, parents map[string]bool) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for i := range refs {
		ref := &refs[i]
		pr := prs[i]
		if pr.Catalog == "" && systemSchema(pr.Schema) {
			continue
		}
		target, ambiguous := ix.lookup(pr.Catalog, pr.Schema, pr.Name)
		if ref.Qualifier {
			ref.Target = qualifierTarget(target)
			continue
		}
		rng := n.sqlRange(pr.Offset, pr.Length)
		switch {
		case target != nil && target.ID == n.ID && n.Materialized != models.MatIncremental:
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError, Summary: n.ID + " reads itself",
				Detail:  fmt.Sprintf("%s refers to its own table. Only an incremental model may read what it built before (through {{ this }}); otherwise read the model's parents.", ref.Written),
				Subject: &rng,
			})
		case target != nil:
			ref.Target = target.ID
			parents[target.ID] = true
		case len(ambiguous) > 1:
			diags = append(diags, ambiguousDiag(ref.Written, ambiguous, &rng))
		default:
			diags = append(diags, unknownDiag(ix, ref.Written, n.ID, rng))
		}
	}
	return diags
}

func unknownDiag(ix *index, written, where string, rng hcl.Range) *hcl.Diagnostic {
	detail := fmt.Sprintf("%s reads %s, which is not a model, seed or source of this project.", where, written)
	// The model itself is no answer: reading it would be a cycle.
	if s := slices.DeleteFunc(ix.suggest(written), func(id string) bool { return id == where }); len(s) > 0 {
		detail += " Did you mean " + strings.Join(s, ", ") + "?"
	}
	detail += " If it is a table that already exists in the warehouse, declare it as a source in weir.hcl."
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unknown table " + written, Detail: detail, Subject: &rng}
}

// cycleDiags reports each dependency cycle with every model on it, in
// order, with its file.
func (r *Result) cycleDiags() hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, cyc := range r.Graph.Cycles() {
		var steps []string
		for _, id := range cyc {
			steps = append(steps, fmt.Sprintf("%s (%s)", id, r.Nodes[id].Path))
		}
		steps = append(steps, cyc[0])
		first := r.Nodes[cyc[0]]
		rng := hcl.Range{Filename: first.Path, Start: hcl.InitialPos, End: hcl.InitialPos}
		if first.Model != nil {
			rng = first.Model.DeclRange
		}
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError, Summary: "Dependency cycle",
			Detail:  "These models read each other in a circle: " + strings.Join(steps, " → ") + ". Break the cycle by removing one of the references.",
			Subject: &rng,
		})
	}
	return diags
}

// finishAll finishes every node that compiled, parents first. A node's
// SQL and own hashes need nothing of its parents but the SQL of an
// ephemeral one, inlined: the other nodes' are computed on every core
// first, then, in dependency order, those of the nodes that inline an
// ephemeral parent and every fingerprint (which holds the parents').
func (r *Result) finishAll() {
	sorted := r.Sorted()
	inlines := func(n *Node) bool {
		return slices.ContainsFunc(n.DependsOn, func(id string) bool { return r.Nodes[id].Materialized == models.MatEphemeral }) ||
			slices.ContainsFunc(n.Refs, func(ref Ref) bool { return ref.Target != "" && r.Nodes[ref.Target].Materialized == models.MatEphemeral })
	}
	later := make([]bool, len(sorted))
	par.For(len(sorted), func(i int) {
		n := sorted[i]
		if later[i] = inlines(n); !later[i] && !n.Broken() {
			r.finishOwn(n)
		}
	})
	for i, n := range sorted {
		if n.Broken() || later[i] && r.inlinesBroken(n) {
			continue
		}
		if later[i] {
			r.finishOwn(n)
		}
		n.Fingerprint = shortHashBytes(r.fingerprintBytes(n))
	}
}

// finishOwn rewrites a model's references, inlines its ephemeral parents
// (finished before) and computes the hashes of the node itself.
func (r *Result) finishOwn(n *Node) {
	var norm string
	if n.Model != nil {
		r.setSQL(n)
		// The rendered SQL, not the rewritten one: a change in an
		// ephemeral parent shows through the parent's fingerprint.
		norm = normalizeFor(r.Dialect, n.Rendered)
	}
	n.CodeHash = shortHashBytes(codeHashBytes(n, norm))
	n.BodyHash, n.ConfigHash = bodyHash(n, norm), configHash(n)
}

// codeHashBytes is the text CodeHash hashes: the node's kind and
// materialization, then a model's normalized SQL (norm) and incremental
// settings, a seed's content and column types, a command's digest, or a
// source's relation. The bytes are those fmt wrote until 2026-12, built by
// hand (TestHashBytesAsFmt), so recorded fingerprints still match.
func codeHashBytes(n *Node, norm string) []byte {
	b := make([]byte, 0, len(norm)+256)
	part := func(s string) { b = append(append(b, s...), 0) }
	part(n.Kind)
	part(n.Materialized)
	switch {
	case n.Model != nil:
		part(norm)
		b = appendIncremental(b, incrementalKey(n.Model))
	case n.Seed != nil:
		part(n.seedDigest)
		b = appendList(b, sortedPairs(n.Seed.ColumnTypes))
	case n.Kind == models.KindCommand:
		part(n.scriptDigest)
	case n.Source != nil, n.Kind == models.KindOutput:
		part(n.Relation.String())
	}
	return b
}

// fingerprintBytes is the text the Fingerprint hashes: the node's CodeHash,
// the digest of the files it reads, and each parent's fingerprint.
func (r *Result) fingerprintBytes(n *Node) []byte {
	b := make([]byte, 0, 32+len(n.DependsOn)*48)
	b = append(append(b, n.CodeHash...), 0)
	if n.inputDigest != "" { // only then, so other fingerprints stay as they were
		b = append(append(append(b, "files="...), n.inputDigest...), 0)
	}
	for _, p := range n.DependsOn {
		b = append(append(append(append(b, p...), '='), r.Nodes[p].Fingerprint...), 0)
	}
	return b
}

// setSQL writes a model's compiled SQL and where its own text starts.
func (r *Result) setSQL(n *Node) {
	n.SQL, n.BodyLine = r.rewrite(n), 1
	if i := strings.Index(n.SQL, ephemeralBodyOpen); i >= 0 && strings.HasPrefix(n.SQL, "WITH ") {
		n.BodyLine = strings.Count(n.SQL[:i+len(ephemeralBodyOpen)], "\n") + 1
	}
}

// Defer points the references to each node in rels at the relation given
// for it (another target's, for weir build --defer) and writes again the
// SQL of the models that read them. Fingerprints do not change: they hash
// the rendered SQL, not the rewritten one.
func (r *Result) Defer(rels map[string]adapters.Relation) {
	// Only models reading a deferred node, directly or through ephemeral
	// models (inlined into their readers), have SQL to write again.
	changed := make(map[string]bool, len(rels))
	for id, rel := range rels {
		r.Nodes[id].DeferredTo = rel
		changed[id] = true
	}
	for _, n := range r.Sorted() {
		if n.Model == nil || n.SQL == "" || !slices.ContainsFunc(n.DependsOn, func(p string) bool { return changed[p] }) {
			continue
		}
		r.setSQL(n)
		if n.Materialized == models.MatEphemeral {
			changed[n.ID] = true
		}
	}
}

// incrementalKey is the part of a model's config that changes what its
// table holds (descriptions and tags do not, nor how many intervals one
// query processes or how many are redone for late data).
func incrementalKey(m *models.Model) models.Incremental {
	inc := m.Config.Incremental
	inc.DeclRange = hcl.Range{}
	inc.BatchSize, inc.Lookback = 0, 0
	return inc
}

// rewrite points every reference at its physical relation, at the byte
// offsets the parser gave, and wraps ephemeral parents as CTEs.
func (r *Result) rewrite(n *Node) string { return r.rewriteWith(n, nil) }

// rewriteWith is rewrite with some nodes stood in for: a reference to a
// node in subst is replaced by its text (a CTE name or a parenthesized
// subquery, aliased with the node's name unless the SQL gives an alias),
// in n and in the ephemeral parents inlined into it.
func (r *Result) rewriteWith(n *Node, subst map[string]string) string {
	sql := n.Rendered
	var b strings.Builder
	last := 0
	var ephemeral []*Node
	seen := map[string]bool{}
	for _, ref := range n.Refs {
		if ref.Target == "" {
			continue
		}
		t := r.Nodes[ref.Target]
		b.WriteString(sql[last:ref.Offset])
		last = ref.Offset + ref.Length
		if ref.Qualifier {
			b.WriteString(r.qualifierName(t, subst))
			continue
		}
		if s, ok := subst[t.ID]; ok {
			b.WriteString(s)
			if ref.Alias == "" {
				b.WriteString(" AS " + r.Dialect.QuoteIdent(t.Name))
			}
			continue
		}
		if t.Materialized == models.MatEphemeral {
			b.WriteString(r.Dialect.QuoteIdent(EphemeralPrefix + t.Model.Schema + "_" + t.Name))
			if ref.Alias == "" {
				b.WriteString(" AS " + r.Dialect.QuoteIdent(t.Name))
			}
			if !seen[t.ID] {
				seen[t.ID] = true
				ephemeral = append(ephemeral, t)
			}
			continue
		}
		b.WriteString(adapters.QuoteRelation(r.Dialect, t.ReadRelation()))
	}
	b.WriteString(sql[last:])
	out := trimFor(r.Dialect, b.String())
	if len(ephemeral) == 0 {
		return out
	}
	var ctes []string
	for _, e := range ephemeral {
		name := r.Dialect.QuoteIdent(EphemeralPrefix + e.Model.Schema + "_" + e.Name)
		body := e.SQL
		if subst != nil {
			body = r.rewriteWith(e, subst)
		}
		ctes = append(ctes, fmt.Sprintf("%s AS (\n%s\n)", name, body))
	}
	return fmt.Sprintf("WITH %s%s%s\n) AS %s", strings.Join(ctes, ",\n"), ephemeralBodyOpen, out, r.Dialect.QuoteIdent("__weir_model"))
}

// viewChainWarnings warns when views stack deeper than maxViewChain: the
// warehouse re-binds the whole chain at every query (DESIGN.md §9).
func (r *Result) viewChainWarnings() hcl.Diagnostics {
	depth := map[string]int{}
	var diags hcl.Diagnostics
	for _, n := range r.Sorted() {
		if n.Materialized != models.MatView {
			continue
		}
		d := 1
		for _, p := range n.DependsOn {
			d = max(d, depth[p]+1)
		}
		depth[n.ID] = d
		if d == maxViewChain+1 {
			rng := n.Model.DeclRange
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagWarning, Summary: "Deep chain of views",
				Detail:  fmt.Sprintf("%s sits on a chain of %d views; every query re-binds the whole chain. Materialize a model in the middle as a table.", n.ID, d),
				Subject: &rng,
			})
		}
	}
	return diags
}

func sortedPairs(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}
