package models

import (
	"fmt"
	"path"
	"strings"
	"unicode"

	"github.com/hashicorp/hcl/v2"
)

// plainIdent reports a name made of letters, digits and underscores that
// does not start with a digit: one that SQL can write unquoted and that is
// safe in a file path (no "/", "..", spaces or quotes).
func plainIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if r != '_' && !unicode.IsLetter(r) && (i == 0 || !unicode.IsDigit(r)) {
			return false
		}
	}
	return true
}

// checkIdent refuses a name that is not a plain identifier, at rng. what
// says what the name is ("default_schema", "the schema folder of …").
func checkIdent(what, name string, rng hcl.Range) hcl.Diagnostics {
	if plainIdent(name) {
		return nil
	}
	return hcl.Diagnostics{{
		Severity: hcl.DiagError, Summary: "Not a plain name: " + fmt.Sprintf("%q", name),
		Detail:  fmt.Sprintf("%s is %q. weir uses it in SQL and in file paths under target/, so it must be letters, digits and underscores, not starting with a digit; rename it.", what, name),
		Subject: rng.Ptr(),
	}}
}

// checkPrefix refuses a schema prefix that would make schema names that
// are not plain identifiers.
func checkPrefix(prefix string, rng hcl.Range) hcl.Diagnostics {
	if prefix == "" || plainIdent("x"+prefix) {
		return nil
	}
	return checkIdent("schema_prefix", prefix, rng)
}

// schemaAndName derives a node's schema and name from its path:
// root/<schema>/[sub/…/]<name>.ext, or root/<name>.ext in the default
// schema. Either that is not a plain identifier is an error.
func (p *Project) schemaAndName(rel string) (string, string, hcl.Diagnostics) {
	parts := strings.Split(rel, "/")
	name := strings.TrimSuffix(parts[len(parts)-1], path.Ext(rel))
	schema := p.DefaultSchema
	var diags hcl.Diagnostics
	// The checks' messages are written only for a name that fails them.
	if len(parts) > 2 {
		schema = parts[1]
		if !plainIdent(schema) {
			diags = checkIdent(fmt.Sprintf("The schema of %s (its folder under %s/)", rel, parts[0]), schema, *fileStart(rel))
		}
	}
	if !plainIdent(name) {
		diags = append(diags, checkIdent(fmt.Sprintf("The name of %s (its file name)", rel), name, *fileStart(rel))...)
	}
	return schema, name, diags
}
