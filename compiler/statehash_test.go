package compiler

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/models"
)

// fmtConfigHash is configHash as fmt wrote it until 2026-12: the hashes
// in recorded state and saved manifests were made this way.
func fmtConfigHash(n *Node) string {
	h := sha256.New()
	part := func(v any) { fmt.Fprintf(h, "%v\x00", v) }
	part(n.Kind)
	part(n.Materialized)
	switch {
	case n.Model != nil:
		c := n.Model.Config
		inc := c.Incremental
		inc.DeclRange = hcl.Range{}
		tags := slices.Clone(c.Tags)
		slices.Sort(tags)
		part(tags)
		part(c.DependsOn)
		part(c.Contract)
		part(c.Retry.Timeout)
		fmt.Fprintf(h, "%+v\x00", inc)
		for _, col := range c.Columns {
			fmt.Fprintf(h, "%s %s\x01", col.Name, col.Type)
		}
	case n.Seed != nil:
		part(sortedPairs(n.Seed.ColumnTypes))
	case n.Source != nil:
		part(n.Source.LoadedAt)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// TestConfigHashBytes: configHash gives the hashes fmt gave, so upgrading
// weir marks no model's config modified.
func TestConfigHashBytes(t *testing.T) {
	decl := hcl.Range{Filename: "models/a.sql", Start: hcl.Pos{Line: 2, Column: 1, Byte: 9}}
	nodes := []*Node{
		{Kind: "model", Materialized: "table", Model: &models.Model{}},
		{Kind: "model", Materialized: "incremental", Model: &models.Model{Config: models.ModelConfig{
			Tags: []string{"b", "a c"}, DependsOn: []string{"s.x", "s.y"}, Contract: true,
			Retry: models.RetryPolicy{Timeout: 90 * time.Second},
			Incremental: models.Incremental{Strategy: "merge", UniqueKey: []string{"id", "day"}, TimeColumn: "ts",
				Interval: "day", Start: "2024-01-01", Lookback: 2, BatchSize: -3, OnSchemaChange: "fail", DeclRange: decl},
			Columns: []models.Column{{Name: "id", Type: "INTEGER"}, {Name: "n"}},
		}}},
		{Kind: "model", Materialized: "view", Model: &models.Model{Config: models.ModelConfig{Tags: []string{}, DependsOn: []string{""}}}},
		{Kind: "seed", Materialized: "table", Seed: &models.Seed{ColumnTypes: map[string]string{"b": "INT", "a": "TEXT"}}},
		{Kind: "source", Source: &models.Source{LoadedAt: "updated_at"}},
	}
	for i, n := range nodes {
		if got, want := configHash(n), fmtConfigHash(n); got != want {
			t.Errorf("node %d: configHash %s, fmt wrote %s\n%q", i, got, want, configHashBytes(n))
		}
	}
}

// fmtCodeAndFingerprint are a node's CodeHash and Fingerprint as fmt wrote
// them until 2026-12.
func fmtCodeAndFingerprint(r *Result, n *Node, norm string) (code, fingerprint string) {
	c := sha256.New()
	fmt.Fprintf(c, "%s\x00%s\x00", n.Kind, n.Materialized)
	switch {
	case n.Model != nil:
		fmt.Fprintf(c, "%s\x00%+v\x00", norm, incrementalKey(n.Model))
	case n.Seed != nil:
		fmt.Fprintf(c, "%s\x00%v\x00", n.seedDigest, sortedPairs(n.Seed.ColumnTypes))
	case n.Kind == models.KindCommand:
		fmt.Fprintf(c, "%s\x00", n.scriptDigest)
	case n.Source != nil, n.Kind == models.KindOutput:
		fmt.Fprintf(c, "%s\x00", n.Relation)
	}
	code = hex.EncodeToString(c.Sum(nil))[:16]
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00", code)
	if n.inputDigest != "" {
		fmt.Fprintf(h, "files=%s\x00", n.inputDigest)
	}
	for _, p := range n.DependsOn {
		fmt.Fprintf(h, "%s=%s\x00", p, r.Nodes[p].Fingerprint)
	}
	return code, hex.EncodeToString(h.Sum(nil))[:16]
}

// TestHashBytesAsFmt: CodeHash and Fingerprint, built by hand, are the
// hashes fmt gave, so upgrading weir rebuilds nothing.
func TestHashBytesAsFmt(t *testing.T) {
	decl := hcl.Range{Filename: "models/a.sql", Start: hcl.Pos{Line: 2, Column: 1, Byte: 9}}
	parent := &Node{ID: "s.p", Fingerprint: "0123456789abcdef"}
	r := &Result{Nodes: map[string]*Node{"s.p": parent, "s.q": {ID: "s.q", Fingerprint: "fedcba9876543210"}}}
	nodes := []*Node{
		{Kind: "model", Materialized: "table", Model: &models.Model{}, DependsOn: []string{"s.p"}},
		{Kind: "model", Materialized: "incremental", inputDigest: "abc", DependsOn: []string{"s.p", "s.q"},
			Model: &models.Model{Config: models.ModelConfig{Incremental: models.Incremental{Strategy: "merge",
				UniqueKey: []string{"id", "day"}, TimeColumn: "ts", Interval: "day", Start: "2024-01-01",
				Lookback: 2, BatchSize: 5, OnSchemaChange: "fail", DeclRange: decl}}}},
		{Kind: "seed", Materialized: "table", seedDigest: "d1", Seed: &models.Seed{ColumnTypes: map[string]string{"b": "INT", "a": "TEXT"}}},
		{Kind: models.KindCommand, scriptDigest: "d2"},
		{Kind: "source", Source: &models.Source{}, Relation: adapters.Relation{Database: "db", Schema: "raw", Name: "t"}},
		{Kind: models.KindOutput, Relation: adapters.Relation{Schema: "s", Name: "out"}},
	}
	for i, n := range nodes {
		norm := fmt.Sprintf("SELECT %d FROM t", i)
		wantCode, wantFP := fmtCodeAndFingerprint(r, n, norm)
		n.CodeHash = shortHashBytes(codeHashBytes(n, norm))
		if n.CodeHash != wantCode {
			t.Errorf("node %d: CodeHash %s, fmt wrote %s\n%q", i, n.CodeHash, wantCode, codeHashBytes(n, norm))
		}
		if got := shortHashBytes(r.fingerprintBytes(n)); got != wantFP {
			t.Errorf("node %d: Fingerprint %s, fmt wrote %s", i, got, wantFP)
		}
	}
}
