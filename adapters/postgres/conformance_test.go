package postgres

import (
	"testing"

	"github.com/weir-sh/weir/tests/conformance"
)

// TestConformance runs the adapter conformance suite on Postgres, each
// test in schemas of its own (a unique schema_prefix, dropped afterwards).
func TestConformance(t *testing.T) {
	adminDB(t)
	conformance.Run(t, harness())
}
