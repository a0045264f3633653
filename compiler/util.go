package compiler

import (
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/weir-sh/weir/adapters"
)

// article is "an" before a word that starts with a vowel (an INSERT, an
// UPDATE) and "a" before the rest (a DROP).
func article(word string) string {
	if word != "" && strings.ContainsRune("AEIOUaeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// sortDiags orders diagnostics by file and position so output is stable
// whatever order the parallel parsers finished in.
func sortDiags(d hcl.Diagnostics) {
	sort.SliceStable(d, func(i, j int) bool {
		a, b := d[i].Subject, d[j].Subject
		if a == nil || b == nil {
			return a != nil
		}
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		return a.Start.Byte < b.Start.Byte
	})
}

func quoteRel(r *Result, n *Node) string { return adapters.QuoteRelation(r.Dialect, n.Relation) }

func addAll(set map[string]bool, ids []string) {
	for _, id := range ids {
		set[id] = true
	}
}
