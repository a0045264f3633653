package compiler

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"

	"github.com/weir-sh/weir/models"
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
	case n.Kind == models.KindCommand:
		return shortHash(n.scriptDigest)
	}
	return shortHash(n.Relation.String())
}

// configHash hashes a node's settings that a reviewer would call its
// config: kind, materialization, tags, depends_on, contract, timeout,
// incremental settings and declared column types; a seed's column types;
// a source's loaded_at column. Descriptions do not count.
//
// The bytes hashed are those fmt's %v (%+v for the incremental settings)
// wrote until 2026-12, built by hand because fmt cost 50 ms on 10,000
// models: hashes recorded then still match (TestConfigHashBytes).
func configHash(n *Node) string {
	return shortHashBytes(configHashBytes(n))
}

// configHashBytes is the text configHash hashes.
func configHashBytes(n *Node) []byte {
	b := make([]byte, 0, 256)
	part := func(s string) []byte { return append(append(b, s...), 0) }
	b = part(n.Kind)
	b = part(n.Materialized)
	switch {
	case n.Model != nil:
		c := n.Model.Config
		tags := slices.Clone(c.Tags)
		slices.Sort(tags)
		b = appendList(b, tags)
		b = appendList(b, c.DependsOn)
		b = part(strconv.FormatBool(c.Contract))
		b = part(c.Retry.Timeout.String())
		b = appendIncremental(b, c.Incremental)
		for _, col := range c.Columns {
			b = append(append(append(append(b, col.Name...), ' '), col.Type...), 1)
		}
	case n.Seed != nil:
		b = appendList(b, sortedPairs(n.Seed.ColumnTypes))
	case n.Source != nil:
		b = part(n.Source.LoadedAt)
	}
	return b
}

// appendList appends a list as %v prints it, "[a b]", and a NUL.
func appendList(b []byte, list []string) []byte {
	b = append(b, '[')
	for i, s := range list {
		if i > 0 {
			b = append(b, ' ')
		}
		b = append(b, s...)
	}
	return append(b, ']', 0)
}

// appendIncremental appends the incremental settings as %+v prints them
// with an empty DeclRange, and a NUL.
func appendIncremental(b []byte, inc models.Incremental) []byte {
	b = append(b, "{Strategy:"...)
	b = append(b, inc.Strategy...)
	b = append(b, " UniqueKey:"...)
	b = appendList(b, inc.UniqueKey)
	b = b[:len(b)-1]
	b = append(b, " TimeColumn:"...)
	b = append(b, inc.TimeColumn...)
	b = append(b, " Interval:"...)
	b = append(b, inc.Interval...)
	b = append(b, " Start:"...)
	b = append(b, inc.Start...)
	b = append(b, " Lookback:"...)
	b = strconv.AppendInt(b, int64(inc.Lookback), 10)
	b = append(b, " BatchSize:"...)
	b = strconv.AppendInt(b, int64(inc.BatchSize), 10)
	b = append(b, " OnSchemaChange:"...)
	b = append(b, inc.OnSchemaChange...)
	b = append(b, " DeclRange::0,0-0}"...)
	return append(b, 0)
}

// shortHash is the first 16 hex digits of s's SHA-256.
func shortHash(s string) string { return shortHashBytes([]byte(s)) }

// shortHashBytes is the first 16 hex digits of b's SHA-256.
func shortHashBytes(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:8])
}
