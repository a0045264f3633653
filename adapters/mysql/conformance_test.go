package mysql

import (
	"testing"

	"github.com/weir-sh/weir/tests/conformance"
)

// TestConformance runs the adapter conformance suite on the MySQL-family
// server under test (MariaDB here), each test in databases of its own (a
// unique schema_prefix, dropped afterwards).
func TestConformance(t *testing.T) {
	server.Admin(t)
	conformance.Run(t, harness(false))
}

// TestConformanceANSIQuotes runs the suite again on targets with
// ansi_quotes = true, where "x" is an identifier, as the suite's SQL
// writes some.
func TestConformanceANSIQuotes(t *testing.T) {
	server.Admin(t)
	conformance.Run(t, harness(true))
}

// BenchmarkRunHistory times retention and weir retry's lookup on a long
// run history, without and with the history's indexes.
func BenchmarkRunHistory(b *testing.B) {
	server.Admin(b)
	conformance.BenchRunHistory(b, harness(false))
}
