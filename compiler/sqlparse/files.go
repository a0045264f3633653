package sqlparse

import (
	"strings"

	"github.com/weir-sh/weir/compiler/sqllex"
)

// File is a file the SQL reads: a string in FROM (FROM 'data/x.csv', which
// DuckDB scans as a file), a quoted name that DuckDB scans as a file
// (FROM "x.parquet"), or a path given as a string to a file-reading table
// function (read_csv('data/x.csv'), read_parquet(['a.parquet', 'b.parquet'])).
type File struct {
	// Path is the path as DuckDB reads it (unquoted): relative, absolute,
	// a glob (data/*.csv) or a URL (s3://…).
	Path string
	// Offset and Length locate the literal or quoted name in the text.
	Offset, Length int
}

// fileFuncs are DuckDB's table functions whose first argument names the
// files they read (a string, or a list of strings).
var fileFuncs = map[string]bool{
	"read_csv": true, "read_csv_auto": true, "sniff_csv": true,
	"read_parquet": true, "parquet_scan": true,
	"read_json": true, "read_json_auto": true, "read_json_objects": true, "read_json_objects_auto": true,
	"read_ndjson": true, "read_ndjson_auto": true, "read_ndjson_objects": true,
	"read_text": true, "read_blob": true, "read_xlsx": true,
}

// fileExts are the endings (after an optional .gz or .zst) of a quoted
// name DuckDB replaces with a scan of that file when no table has the name.
var fileExts = []string{".csv", ".tsv", ".parquet", ".json", ".jsonl", ".ndjson"}

// isFileName reports whether a one-part quoted table name reads as a file.
func isFileName(name string) bool {
	n := strings.ToLower(name)
	n = strings.TrimSuffix(strings.TrimSuffix(n, ".gz"), ".zst")
	for _, ext := range fileExts {
		if strings.HasSuffix(n, ext) {
			return true
		}
	}
	return false
}

// fileTable returns the file a BASE_TABLE node r reads, if it is a file
// scan: a string literal in FROM, or a one-part quoted name with a file
// ending.
func (w *walker) fileTable(r Ref) (File, bool) {
	if r.Offset < 0 || r.Catalog != "" || r.Schema != "" || r.Offset >= len(w.src) {
		return File{}, false
	}
	t := sqllex.Next(w.src, r.Offset)
	switch {
	case t.Kind == sqllex.String && w.src[t.Start] == '\'':
	case t.Kind == sqllex.QuotedIdent && w.src[t.Start] == '"' && isFileName(r.Name):
	default:
		return File{}, false
	}
	return File{Path: strings.Clone(r.Name), Offset: t.Start, Length: t.End - t.Start}, true
}

// functionFiles records the paths a file-reading table function fn (its
// FUNCTION node) is given as string constants in its first argument.
func (w *walker) functionFiles(fn int) {
	d := w.d
	if d.str(d.get(fn, "schema")) != "" || !fileFuncs[strings.ToLower(d.str(d.get(fn, "function_name")))] {
		return
	}
	args := d.get(fn, "children")
	arg := d.first(args)
	if arg < 0 || !d.is(args, jArray) {
		return
	}
	if d.str(d.get(arg, "function_name")) == "list_value" {
		if items := d.get(arg, "children"); d.is(items, jArray) {
			for it := d.first(items); it >= 0; it = d.next(items, it) {
				w.constantFile(it)
			}
		}
		return
	}
	w.constantFile(arg)
}

// constantFile records v as a file if it is a VARCHAR constant written as
// a string literal.
func (w *walker) constantFile(v int) {
	d := w.d
	if d.str(d.get(v, "class")) != "CONSTANT" {
		return
	}
	val := d.get(d.get(v, "value"), "value")
	off := w.location(d.get(v, "query_location"))
	if !d.is(val, jString) || off < 0 || off >= len(w.src) {
		return
	}
	t := sqllex.Next(w.src, off)
	if t.Kind != sqllex.String {
		return
	}
	w.files = append(w.files, File{Path: strings.Clone(d.str(val)), Offset: t.Start, Length: t.End - t.Start})
}
