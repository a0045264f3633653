package datatests

import (
	"strings"
)

// typeSynonyms maps the names warehouses and drivers give SQL types to
// one name per type. "float" is missing: it is single precision on
// DuckDB and double on Postgres (see canonicalType).
var typeSynonyms = map[string]string{
	"int": "integer", "int4": "integer", "integer": "integer", "signed": "integer", "serial": "integer", "serial4": "integer",
	"bigint": "bigint", "int8": "bigint", "long": "bigint", "bigserial": "bigint", "serial8": "bigint",
	"smallint": "smallint", "int2": "smallint", "short": "smallint",
	"tinyint": "tinyint", "int1": "tinyint",
	"hugeint": "hugeint", "int128": "hugeint",
	"text": "text", "varchar": "text", "string": "text", "character varying": "text", "char varying": "text",
	"bpchar": "text", "name": "text", "unknown": "text",
	"char": "char", "character": "char",
	"double": "double", "float8": "double", "double precision": "double",
	"real": "real", "float4": "real",
	"numeric": "decimal", "decimal": "decimal",
	"bool": "boolean", "boolean": "boolean", "logical": "boolean",
	"timestamp": "timestamp", "datetime": "timestamp", "timestamp without time zone": "timestamp",
	"timestamptz": "timestamptz", "timestamp with time zone": "timestamptz",
	"time": "time", "time without time zone": "time",
	"timetz": "timetz", "time with time zone": "timetz",
	"blob": "blob", "bytea": "blob", "binary": "blob", "varbinary": "blob",
}

// canonicalType splits a type into its canonical name and its parameters
// ("DECIMAL(10, 2)" → "decimal", "10,2"). Arrays keep a "[]" suffix; the
// Postgres driver's "_INT4" is "integer[]".
func canonicalType(dialect, t string) (name, params string) {
	t = strings.Join(strings.Fields(strings.ToLower(t)), " ")
	if open := strings.IndexByte(t, '('); open >= 0 && strings.HasSuffix(t, ")") && !strings.Contains(t, "[]") {
		params = strings.ReplaceAll(t[open+1:len(t)-1], " ", "")
		t = strings.TrimSpace(t[:open])
	}
	if inner, ok := strings.CutSuffix(t, "[]"); ok {
		n, _ := canonicalType(dialect, inner)
		return n + "[]", ""
	}
	if inner, ok := strings.CutPrefix(t, "_"); ok && dialect == "postgres" {
		n, _ := canonicalType(dialect, inner)
		return n + "[]", ""
	}
	if t == "float" {
		if dialect == "postgres" {
			return "double", params
		}
		return "real", params
	}
	if s, ok := typeSynonyms[t]; ok {
		return s, params
	}
	return t, params
}

// sameType reports whether a declared type and one the warehouse reports
// are the same, comparing parameters only when both sides give them.
func sameType(dialect, declared, got string) bool {
	dn, dp := canonicalType(dialect, declared)
	gn, gp := canonicalType(dialect, got)
	if dn != gn {
		return false
	}
	return dp == "" || gp == "" || dp == gp
}
