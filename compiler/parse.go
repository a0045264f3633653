package compiler

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"sync"

	"github.com/hashicorp/hcl/v2"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/compiler/pgparse"
	"github.com/weir-sh/weir/compiler/sqlparse"
	"github.com/weir-sh/weir/compiler/tidbparse"
	"github.com/weir-sh/weir/internal/gobcache"
	"github.com/weir-sh/weir/models"
)

// Parser finds the tables a SQL text reads, in the warehouse's own
// grammar (DESIGN.md decision 1). *sqlparse.Parser (DuckDB's grammar),
// *pgparse.Parser (Postgres's) and *tidbparse.Parser (MySQL's) implement it.
type Parser interface {
	Parse(sql string) (*sqlparse.Result, error)
	Close() error
}

// parsers open the parser of a dialect, by adapter name. Dialects not
// listed are parsed with DuckDB's grammar.
var parsers = map[string]func(d adapters.Dialect) (Parser, error){
	"postgres": func(adapters.Dialect) (Parser, error) { return pgparse.New() },
	"mysql":    func(d adapters.Dialect) (Parser, error) { return tidbparse.New(ansiQuotes(d)) },
}

// ansiQuotes reports whether d reads "x" as an identifier on a dialect
// where that is a setting (MySQL's ANSI_QUOTES).
func ansiQuotes(d adapters.Dialect) bool {
	a, ok := d.(interface{ UsesANSIQuotes() bool })
	return ok && a.UsesANSIQuotes()
}

// NewParser opens the parser for d's SQL: Postgres's grammar for the
// postgres adapter, the MySQL family's (TiDB's parser) for mysql, DuckDB's
// for duckdb and any other (started at its first Parse). Close it when
// done.
func NewParser(d adapters.Dialect) (Parser, error) {
	if open, ok := parsers[d.Name()]; ok {
		return open(d)
	}
	return &lazyParser{}, nil
}

// parseAll renders and parses every model in parallel and hashes every
// seed file, filling Rendered, Refs and seedDigest.
func (r *Result) parseAll(cache parseCache) hcl.Diagnostics {
	var (
		mu    sync.Mutex
		diags hcl.Diagnostics
		wg    sync.WaitGroup
	)
	work := make(chan *Node)
	workers := runtime.NumCPU() * 2
	if b, ok := cache.parser.(interface{ Callers() int }); ok {
		// DuckDB's parser answers the calls waiting together in one
		// query: it wants more of them in flight.
		workers = max(workers, b.Callers())
	}
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range work {
				d := n.addDiags(r.parseNode(n, cache))
				if len(d) > 0 {
					mu.Lock()
					diags = append(diags, d...)
					mu.Unlock()
				}
			}
		}()
	}
	for _, id := range sortedKeys(r.Nodes) {
		if n := r.Nodes[id]; n.Kind != models.KindSource && n.Kind != models.KindOutput && !n.Broken() {
			work <- n
		}
	}
	close(work)
	wg.Wait()
	sortDiags(diags)
	return diags
}

func (r *Result) parseNode(n *Node, cache parseCache) hcl.Diagnostics {
	if n.Script != nil {
		return r.digestScript(n)
	}
	if n.Seed != nil {
		// Only a regular file inside the project (a FIFO would block).
		f, _, err := models.OpenFile(r.Project.Dir, n.Seed.Path)
		digest := ""
		if err == nil {
			f.Close()
			digest, err = fileDigest(filepath.Join(r.Project.Dir, n.Seed.Path))
		}
		if err != nil {
			rng := hcl.Range{Filename: n.Seed.Path, Start: hcl.InitialPos, End: hcl.InitialPos}
			return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read seed", Detail: err.Error(), Subject: &rng}}
		}
		n.seedDigest = digest
		return nil
	}
	data := r.TemplateData(n)
	diags := r.renderAndParse(n, data, cache)
	if diags.HasErrors() {
		return diags
	}
	if n.Materialized != models.MatIncremental {
		return append(diags, r.digestInputs(n)...)
	}
	data.IsIncremental = true
	v := &Node{ID: n.ID, Model: n.Model, Kind: n.Kind, Materialized: n.Materialized}
	d := r.renderAndParse(v, data, cache)
	n.Macros = mergeSorted(n.Macros, v.Macros)
	if !d.HasErrors() && v.Rendered != n.Rendered {
		n.variant = v
	} else {
		diags = append(diags, d...)
	}
	if !diags.HasErrors() {
		diags = append(diags, r.digestInputs(n)...)
	}
	return diags
}

// renderAndParse renders n's template with data and finds its references.
func (r *Result) renderAndParse(n *Node, data TemplateData, cache parseCache) hcl.Diagnostics {
	rendered, diags := r.render(n, data)
	if diags.HasErrors() {
		return diags
	}
	n.Rendered = rendered
	res, err := cache.parse(rendered)
	if err != nil && opaqueOK(n, err) {
		n.opaque = true
		return diags
	}
	if err != nil {
		return append(diags, r.parseDiag(n, err))
	}
	if d := shapeDiag(n, res); d != nil {
		return append(diags, d)
	}
	if d := n.setRefs(res); d != nil {
		return append(diags, d)
	}
	n.files = res.Files
	return diags
}

// opaqueOK reports whether a model the parser refused may still build:
// it lists its parents in depends_on (the escape hatch for SQL the parser
// does not know), and the text is a query, or what the parser could not
// read at all. A statement that is not a query (DROP, INSERT) never is.
func opaqueOK(n *Node, err error) bool {
	if len(n.Model.Config.DependsOn) == 0 {
		return false
	}
	var ns *sqlparse.NotSelectError
	if errors.As(err, &ns) {
		return ns.Kind == "PIVOT" || ns.Kind == "UNPIVOT"
	}
	var se *sqlparse.SyntaxError
	return errors.As(err, &se)
}

// setRefs records the parser's references of n.Rendered as n's Refs: the
// tables read, and the schema-qualified table names in front of columns
// (Qualifier set), in text order. A reference the parser could not place
// in the text is an error: weir could not rewrite it.
func (n *Node) setRefs(res *sqlparse.Result) *hcl.Diagnostic {
	n.parsedRefs = append(slices.Clip(res.Refs), res.Qualified...)
	n.Refs = make([]Ref, len(n.parsedRefs))
	for i, pr := range n.parsedRefs {
		if pr.Offset < 0 || pr.Length == 0 {
			rng := n.sqlRange(0, 1)
			return &hcl.Diagnostic{
				Severity: hcl.DiagError, Summary: "Cannot locate table reference " + pr.Schema + "." + pr.Name,
				Detail:  "The parser found the reference but not where it is written, so weir cannot point it at its physical table. Write the name plainly (schema.table) and report this case.",
				Subject: &rng,
			}
		}
		n.Refs[i] = Ref{Written: n.Rendered[pr.Offset : pr.Offset+pr.Length], Offset: pr.Offset, Length: pr.Length, Alias: pr.Alias,
			Qualifier: i >= len(res.Refs)}
	}
	// Both lists are in text order; so is their merge (stable, so that
	// parsedRefs and Refs stay parallel).
	sort.Stable(byOffset{n.Refs, n.parsedRefs})
	return nil
}

// byOffset sorts Refs and their parsed twins together.
type byOffset struct {
	refs   []Ref
	parsed []sqlparse.Ref
}

func (b byOffset) Len() int           { return len(b.refs) }
func (b byOffset) Less(i, j int) bool { return b.refs[i].Offset < b.refs[j].Offset }
func (b byOffset) Swap(i, j int) {
	b.refs[i], b.refs[j] = b.refs[j], b.refs[i]
	b.parsed[i], b.parsed[j] = b.parsed[j], b.parsed[i]
}

// shapeDiag refuses a model that holds no statement or more than one.
func shapeDiag(n *Node, res *sqlparse.Result) *hcl.Diagnostic {
	rng := n.sqlRange(0, 1)
	if res.Statements == 0 {
		return &hcl.Diagnostic{
			Severity: hcl.DiagError, Summary: "Empty model",
			Detail:  fmt.Sprintf("%s has no SQL statement; write a SELECT, or delete the file if the model is gone.", n.Path),
			Subject: &rng,
		}
	}
	if res.Statements == 1 {
		return nil
	}
	return &hcl.Diagnostic{
		Severity: hcl.DiagError, Summary: "A model must be a single SELECT",
		Detail:  fmt.Sprintf("%s holds %d statements. Keep one SELECT per model file; move the others to models of their own.", n.Path, res.Statements),
		Subject: &rng,
	}
}

func (r *Result) parseDiag(n *Node, err error) *hcl.Diagnostic {
	var se *sqlparse.SyntaxError
	if errors.As(err, &se) {
		off := max(se.Offset, 0)
		rng := n.sqlRange(off, 1)
		return &hcl.Diagnostic{
			Severity: hcl.DiagError, Summary: "SQL syntax error in " + n.ID,
			Detail:  se.Msg + "\nFix the SQL. If it is valid for your warehouse and weir cannot parse it, list the model's parents in depends_on and write each reference as {{ ref \"schema.name\" }}: the model then builds as written (and please report it).",
			Subject: &rng,
		}
	}
	var ns *sqlparse.NotSelectError
	if errors.As(err, &ns) {
		rng := n.sqlRange(max(ns.Offset, 0), len(ns.Kind))
		return &hcl.Diagnostic{
			Severity: hcl.DiagError, Summary: "A model must be a single SELECT",
			Detail:  fmt.Sprintf("%s holds %s %s statement. weir creates the table or view itself; write only the SELECT that produces its rows.", n.Path, article(ns.Kind), ns.Kind),
			Subject: &rng,
		}
	}
	rng := n.Model.DeclRange
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot parse " + n.ID, Detail: err.Error(), Subject: &rng}
}

// sqlRange maps a byte range of the rendered SQL into the model file. When
// templating changed the text, positions are mapped by line and column of
// the rendered text, which is exact for templates that keep line breaks.
func (n *Node) sqlRange(offset, length int) hcl.Range {
	m := n.Model
	if n.Rendered == m.Body || n.Rendered == "" {
		return m.RangeAt(offset, length)
	}
	tmp := &models.Model{Body: n.Rendered, BodyStart: m.BodyStart, Path: m.Path}
	return tmp.RangeAt(offset, length)
}

func thisName(r *Result, n *Node) string {
	if n.Relation.Name == "" {
		return r.Dialect.QuoteIdent(EphemeralPrefix + n.Model.Schema + "_" + n.Name)
	}
	return quoteRel(r, n)
}

// parseCache keeps parse results by the SHA-256 of the rendered SQL and
// the parser that parsed it.
type parseCache struct {
	*gobcache.Cache[*sqlparse.Result]
	parser Parser
	key    string // parserKey(parser)
}

// parseCacheVersion changes when what a parser answers changes shape, so
// that results cached by an older weir are parsed again.
const parseCacheVersion = "3"

// loadCache reads the parse cache at path for results of parser p.
func loadCache(path string, p Parser) parseCache {
	return parseCache{Cache: gobcache.Load[*sqlparse.Result](path, "parse-"+parseCacheVersion)}.with(p)
}

// with is c for results of parser p (the same entries).
func (c parseCache) with(p Parser) parseCache {
	return parseCache{c.Cache, p, parserKey(p)}
}

// parserKey tells parsers apart in the cache: by type, and by mode for a
// parser with modes (CacheKey).
func parserKey(p Parser) string {
	if k, ok := p.(interface{ CacheKey() string }); ok {
		return k.CacheKey()
	}
	return fmt.Sprintf("%T", p)
}

// parse returns the cached result for sql, or parses it.
func (c parseCache) parse(sql string) (*sqlparse.Result, error) {
	// The parser's key is part of the cache's: one text parses
	// differently in another dialect's grammar.
	h := sha256.New()
	io.WriteString(h, c.key)
	h.Write([]byte{0})
	io.WriteString(h, sql)
	var sum [sha256.Size]byte
	return c.Get(string(h.Sum(sum[:0])), func() (*sqlparse.Result, error) { return c.parser.Parse(sql) })
}

// lazyParser is the DuckDB parser opened at its first use: a compile
// whose every model is in the parse cache starts no DuckDB.
type lazyParser struct {
	mu     sync.Mutex
	opened bool
	p      Parser
	err    error // from opening
}

// CacheKey is the key of the parser it opens (TestLazyParserKey).
func (l *lazyParser) CacheKey() string { return duckdbParserKey }

// Callers is how many goroutines should call Parse at once: DuckDB's
// parser answers the calls waiting together in one query.
func (l *lazyParser) Callers() int { return sqlparse.Callers() }

// duckdbParserKey is parserKey of a *sqlparse.Parser.
var duckdbParserKey = fmt.Sprintf("%T", (*sqlparse.Parser)(nil))

// open opens the parser the first time.
func (l *lazyParser) open() (Parser, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.opened {
		l.opened = true
		var p *sqlparse.Parser
		if p, l.err = sqlparse.New(); l.err == nil {
			l.p = p
		}
	}
	return l.p, l.err
}

// Parse opens the parser if need be and parses sql.
func (l *lazyParser) Parse(sql string) (*sqlparse.Result, error) {
	p, err := l.open()
	if err != nil {
		return nil, err
	}
	return p.Parse(sql)
}

// failed is the error of opening the parser, if it was opened and failed.
func (l *lazyParser) failed() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}

// Close closes the parser if it was opened.
func (l *lazyParser) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.p == nil {
		return nil
	}
	return l.p.Close()
}
