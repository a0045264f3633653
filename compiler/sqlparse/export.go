package sqlparse

import (
	"encoding/json"
	"strings"
)

// Helpers for parsers of other dialects (compiler/pgparse) that return
// this package's Result and errors and measure names the same way.

// MeasureName measures the reference written at text[off] that names
// catalog.schema.name (empty parts omitted), quoted or not, with any
// space or comments around the dots. It returns the length in bytes and
// the parts as written (unquoted, original case), or 0 when the text there
// does not spell the name. Unquoted words match case-insensitively.
func MeasureName(text string, off int, catalog, schema, name string) (int, [3]string) {
	return measureName(text, text, off, catalog, schema, name)
}

// CheckText returns a *SyntaxError for text no parser reached through a C
// string can read faithfully: one holding a NUL byte or invalid UTF-8.
func CheckText(s string) error { return checkText(s) }

// RuneToByteOffset converts a count of code points from the start of s
// into a byte offset.
func RuneToByteOffset(s string, n int) int { return runeToByteOffset(s, n) }

// DecodeJSON reads the JSON text js (one value) into the values
// encoding/json's Decoder gives with UseNumber: map[string]any, []any,
// string, json.Number, bool and nil. It is the reader Parse uses, for a
// caller that walks a whole parse tree as maps (compiler/lineage), and
// quicker than encoding/json. Strings and numbers are copies, so keeping
// them does not keep js; map keys are slices of js.
func DecodeJSON(js string) (any, error) {
	buf := valsPool.Get().(*[]jval)
	defer valsPool.Put(buf)
	d, err := parseDoc(js, *buf)
	if err != nil {
		return nil, err
	}
	*buf = d.vals[:0]
	return d.toAny(0), nil
}

// toAny builds value v.
func (d *doc) toAny(v int) any {
	switch d.vals[v].kind {
	case jObject:
		m := make(map[string]any, d.len(v))
		for c := d.first(v); c >= 0; c = d.next(v, c) {
			m[d.vals[c].key] = d.toAny(c)
		}
		return m
	case jArray:
		l := make([]any, 0, d.len(v))
		for c := d.first(v); c >= 0; c = d.next(v, c) {
			l = append(l, d.toAny(c))
		}
		return l
	case jString:
		return strings.Clone(d.vals[v].text)
	case jNumber:
		return json.Number(strings.Clone(d.vals[v].text))
	case jTrue:
		return true
	case jFalse:
		return false
	}
	return nil
}
