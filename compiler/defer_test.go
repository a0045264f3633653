package compiler_test

import (
	"strings"
	"testing"

	"github.com/weir-sh/weir/adapters"
)

// TestDeferRewritesReferences points staging.orders at another target's
// relation: the models reading it (through an inlined ephemeral model too)
// read that relation, and no fingerprint changes.
func TestDeferRewritesReferences(t *testing.T) {
	res := adhocProject(t)
	summary := res.Nodes["marts.summary"]
	fp, sql := summary.Fingerprint, summary.SQL
	if !strings.Contains(sql, `"dev_staging"."orders"`) {
		t.Fatalf("before Defer, marts.summary reads:\n%s", sql)
	}
	res.Defer(map[string]adapters.Relation{"staging.orders": {Database: "__weir_defer", Schema: "prod_staging", Name: "orders"}})
	if got := res.Nodes["marts.summary"].SQL; !strings.Contains(got, `"__weir_defer"."prod_staging"."orders"`) || strings.Contains(got, `"dev_staging"."orders"`) {
		t.Errorf("after Defer, marts.summary reads:\n%s", got)
	}
	if summary.Fingerprint != fp {
		t.Errorf("Defer changed the fingerprint: %s → %s", fp, summary.Fingerprint)
	}
	if n := res.Nodes["staging.orders"]; !n.Deferred() || n.Relation.Schema != "dev_staging" {
		t.Errorf("staging.orders: deferred %v, relation %s (its own must stay)", n.Deferred(), n.Relation)
	}
}
