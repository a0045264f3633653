package postgres

import (
	"net/url"
	"strings"
	"testing"

	"github.com/weir-sh/weir/tests/conformance"
)

// TestConformance runs the adapter conformance suite on Postgres, each
// test in schemas of its own (a unique schema_prefix, dropped afterwards).
func TestConformance(t *testing.T) {
	server.Admin(t)
	conformance.Run(t, harness())
}

// nonStandardStringsDSN is the test DSN with standard_conforming_strings
// off for every session it opens, so that a backslash in '…' escapes the
// next character, as on servers configured the pre-9.1 way.
func nonStandardStringsDSN() string {
	sep := "?"
	if strings.Contains(server.DSN(), "?") {
		sep = "&"
	}
	return server.DSN() + sep + "options=" + url.QueryEscape("-c standard_conforming_strings=off")
}

// TestQuotingWithNonStandardStrings runs the conformance quoting tests on
// sessions with standard_conforming_strings off: hostile strings must
// round-trip, and a crafted value or file name must not end a literal.
func TestQuotingWithNonStandardStrings(t *testing.T) {
	server.Admin(t)
	h := harness()
	h.Target = func(t testing.TB) map[string]string {
		return map[string]string{"dsn": nonStandardStringsDSN(), "schema_prefix": uniquePrefix(t)}
	}
	p := conformance.NewProject(t, h)
	conformance.EqualRows(t, "standard_conforming_strings", p.Strings("SHOW standard_conforming_strings"), conformance.Rows("off"))
	conformance.RunQuoting(t, h)
}

// BenchmarkRunHistory times retention and weir retry's lookup on a long
// run history, without and with the history's indexes.
func BenchmarkRunHistory(b *testing.B) {
	server.Admin(b)
	conformance.BenchRunHistory(b, harness())
}
