package planner

import (
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/agext/levenshtein"

	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/graph"
	"github.com/weir-sh/weir/models"
)

// noMatch turns a selector part that matched nothing into a usage error
// that names the flag, the term and the nearest names the project has.
func noMatch(c *compiler.Result, nm *graph.NoMatchError) error {
	flag := "--select"
	if nm.Exclude {
		flag = "--exclude"
	}
	msg := fmt.Sprintf("%s %q matches no node", flag, nm.Term)
	if nm.Term != nm.Value && nm.Term != nm.Method+":"+nm.Value {
		msg = fmt.Sprintf("%s %q: %s", flag, nm.Term, nm.Error())
	}
	near := nearest(strings.ToLower(nm.Value), candidates(c, nm.Method, nm.Value), 3)
	if len(near) == 0 {
		return fmt.Errorf("%s; no node has any %s (`weir ls` lists every node)", msg, nm.Method)
	}
	prefix := ""
	if nm.Method != "" {
		prefix = nm.Method + ":"
	}
	for i := range near {
		near[i] = prefix + near[i]
	}
	return fmt.Errorf("%s; nearest: %s (`weir ls` lists every node)", msg, strings.Join(near, ", "))
}

// candidates lists the values a selector with this method could have
// meant, as it would be written.
func candidates(c *compiler.Result, method, value string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	if method == "" && looksLikePath(strings.ToLower(value)) {
		method = "path"
	}
	switch method {
	case "kind", "resource_type":
		return []string{models.KindModel, models.KindSeed, models.KindSource}
	case "materialized", "config.materialized":
		return []string{models.MatTable, models.MatView, models.MatIncremental, models.MatEphemeral}
	}
	ids := c.Order
	if len(ids) < len(c.Nodes) { // a project with a cycle has no order
		ids = slices.Sorted(maps.Keys(c.Nodes))
	}
	for _, id := range ids {
		n := c.Nodes[id]
		switch method {
		case "", "name", "fqn":
			if method != "fqn" {
				add(n.ID)
			}
			if f := fqn(n); method != "name" {
				for i := 1; i < len(f); i++ {
					add(strings.Join(f[:i], "."))
				}
				if method == "fqn" {
					add(strings.Join(f, "."))
				}
			}
		case "path":
			for p := n.Path; p != "" && p != "."; p = path.Dir(p) {
				add(p)
			}
		case "file":
			if n.Path != "" {
				add(path.Base(n.Path))
			}
		case "tag":
			for _, t := range tags(n) {
				add(t)
			}
		case "source":
			if n.Kind == models.KindSource {
				add(n.ID)
				add(n.Relation.Schema)
			}
		}
	}
	return out
}

// nearest returns up to limit candidates closest to word by edit distance,
// closest first.
func nearest(word string, cands []string, limit int) []string {
	dist := make(map[string]int, len(cands))
	for _, c := range cands {
		dist[c] = levenshtein.Distance(word, strings.ToLower(c), nil)
	}
	sorted := slices.Clone(cands)
	slices.SortFunc(sorted, func(a, b string) int {
		if d := dist[a] - dist[b]; d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	return sorted[:min(limit, len(sorted))]
}
