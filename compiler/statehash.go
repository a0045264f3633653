package compiler

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"

	"github.com/hashicorp/hcl/v2"
)

// bodyHash hashes what a node holds apart from its settings: a model's
// rendered SQL, normalized (comments and layout do not count; norm is
// Normalize(n.Rendered), which the caller has at hand), with the files it
// reads; a seed's data, a source's relation.
func bodyHash(n *Node, norm string) string {
	switch {
	case n.Model != nil:
		return shortHash(norm + "\x00" + n.inputDigest)
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

// shortHash is the first 16 hex digits of s's SHA-256.
func shortHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])[:16]
}
