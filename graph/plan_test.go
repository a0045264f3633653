package graph

import (
	"math/rand"
	"testing"
)

// TestDescendantCountsMatchDescendants checks the bitset shortcut used for
// Walk priorities against the plain traversal, on graphs wide enough to span
// several 64-bit words.
func TestDescendantCountsMatchDescendants(t *testing.T) {
	r := rand.New(rand.NewSource(8))
	for iter := range 40 {
		g := randomDAG(r, 1+r.Intn(400), r.Float64()*0.05)
		p := newWalkPlan(g)
		counts := p.descendantCounts(p.topoOrder())
		for i, id := range p.ids {
			if want := len(g.Descendants(id)); int(counts[i]) != want {
				t.Fatalf("iter %d: %s has %d descendants, counted %d", iter, id, want, counts[i])
			}
		}
		for i := 1; i < len(p.byRank); i++ {
			a, b := p.byRank[i-1], p.byRank[i]
			if counts[a] < counts[b] || counts[a] == counts[b] && p.ids[a] > p.ids[b] {
				t.Fatalf("iter %d: %s ranked before %s", iter, p.ids[a], p.ids[b])
			}
		}
	}
}
