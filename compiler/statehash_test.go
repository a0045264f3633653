package compiler

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"

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
