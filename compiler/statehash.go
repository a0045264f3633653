package compiler

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"

	"github.com/hashicorp/hcl/v2"
)

// bodyHash hashes what a node holds apart from its settings: a model's
// rendered SQL, normalized (comments and layout do not count), with the
// files it reads; a seed's
// data, a source's relation.
func bodyHash(n *Node) string {
	switch {
	case n.Model != nil:
		return shortHash(Normalize(n.Rendered) + "\x00" + n.inputDigest)
	case n.Seed != nil:
		return shortHash(n.seedDigest)
	}
	return shortHash(n.Relation.String())
}

// configHash hashes a node's settings that a reviewer would call its
// config: kind, materialization, tags, depends_on, contract, timeout,
// incremental settings and declared column types; a seed's column types;
// a source's loaded_at column. Descriptions do not count.
func configHash(n *Node) string {
	parts := []any{n.Kind, n.Materialized}
	switch {
	case n.Model != nil:
		c := n.Model.Config
		inc := c.Incremental
		inc.DeclRange = hcl.Range{}
		tags := slices.Clone(c.Tags)
		slices.Sort(tags)
		var cols []string
		for _, col := range c.Columns {
			cols = append(cols, col.Name+" "+col.Type)
		}
		parts = append(parts, tags, c.DependsOn, c.Contract, c.Timeout, fmt.Sprintf("%+v", inc), cols)
	case n.Seed != nil:
		parts = append(parts, sortedPairs(n.Seed.ColumnTypes))
	case n.Source != nil:
		parts = append(parts, n.Source.LoadedAt)
	}
	return shortHash(fmt.Sprintf("%#v", parts))
}

// shortHash is the first 16 hex digits of s's SHA-256.
func shortHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])[:16]
}
