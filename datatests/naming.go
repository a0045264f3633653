package datatests

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/models"
)

// FailureSchemaName is the schema, after the target's schema prefix, that
// holds the failing rows of tests with store_failures = true: one table
// per test, named after the test.
const FailureSchemaName = "weir_test_failures"

// maxIdent is the longest identifier Postgres keeps (NAMEDATALEN-1).
const maxIdent = 63

// FailureRelation is the table a test's failing rows are stored in on
// target t: <schema_prefix>weir_test_failures.<test name>, the name cut
// to 63 bytes with a hash when it is longer.
func FailureRelation(t *models.Target, testName string) adapters.Relation {
	return adapters.Relation{Schema: t.SchemaPrefix + FailureSchemaName, Name: shorten(testName)}
}

// shorten keeps a name within maxIdent bytes, replacing its tail with a
// hash of the whole so that two long names stay distinct.
func shorten(name string) string {
	if len(name) <= maxIdent {
		return name
	}
	return name[:maxIdent-9] + "_" + hash8(name)
}

// identPart turns s into a lower-case name part of letters, digits and _.
func identPart(s string) string {
	var b strings.Builder
	under := false
	for _, r := range strings.ToLower(s) {
		ok := r >= 'a' && r <= 'z' || r >= '0' && r <= '9'
		switch {
		case ok:
			b.WriteRune(r)
			under = false
		case !under && b.Len() > 0:
			b.WriteByte('_')
			under = true
		}
	}
	return strings.TrimSuffix(b.String(), "_")
}

// joinName joins non-empty name parts with "_".
func joinName(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = identPart(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "_")
}

func hash8(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(h[:])[:8]
}
