package graph

import (
	"fmt"
	"testing"
)

func TestAddNodeAndEdgeAreIdempotent(t *testing.T) {
	g := New()
	g.AddNode("a")
	g.AddNode("a")
	g.AddEdge("a", "b")
	g.AddEdge("a", "b")
	g.AddEdge("c", "b")
	assertEqual(t, "Nodes", g.Nodes(), []string{"a", "b", "c"})
	assertEqual(t, "Parents(b)", g.Parents("b"), []string{"a", "c"})
	assertEqual(t, "Children(a)", g.Children("a"), []string{"b"})
	if !g.Has("c") || g.Has("z") {
		t.Error("Has is wrong")
	}
	if !g.HasEdge("a", "b") || g.HasEdge("b", "a") {
		t.Error("HasEdge is wrong")
	}
	if g.Len() != 3 {
		t.Errorf("Len = %d, want 3", g.Len())
	}
}

// TestHubEdges: the edges of a node with many parents and many children
// (HasEdge then looks through the other end's shorter list) are each
// added once, whichever end is the shorter, and a self-edge is one edge.
func TestHubEdges(t *testing.T) {
	g := New()
	var ins, outs []string
	for i := range 50 {
		ins, outs = append(ins, fmt.Sprintf("in%02d", i)), append(outs, fmt.Sprintf("out%02d", i))
	}
	for range 2 {
		for i := range 50 {
			g.AddEdge(ins[i], "hub")
			g.AddEdge("hub", outs[i])
		}
	}
	g.AddEdge("hub", "hub")
	g.AddEdge("hub", "hub")
	assertEqual(t, "Parents(hub)", g.Parents("hub"), append(append([]string{}, "hub"), ins...))
	assertEqual(t, "Children(hub)", g.Children("hub"), append(append([]string{}, "hub"), outs...))
	assertEqual(t, "Children(in07)", g.Children("in07"), []string{"hub"})
	assertEqual(t, "Parents(out07)", g.Parents("out07"), []string{"hub"})
	for i := range 50 {
		if !g.HasEdge(ins[i], "hub") || !g.HasEdge("hub", outs[i]) || g.HasEdge("hub", ins[i]) || g.HasEdge(outs[i], "hub") {
			t.Fatalf("HasEdge is wrong around the hub and %s, %s", ins[i], outs[i])
		}
	}
	if !g.HasEdge("hub", "hub") {
		t.Error("the self-edge is missing")
	}
}

func TestAncestorsDescendants(t *testing.T) {
	g := build(t, "a>b", "a>c", "b>d", "c>d", "d>e", "x>c", "lone")
	assertEqual(t, "Ancestors(d)", g.Ancestors("d"), []string{"a", "b", "c", "x"})
	assertEqual(t, "Descendants(a)", g.Descendants("a"), []string{"b", "c", "d", "e"})
	assertEqual(t, "Descendants(e)", g.Descendants("e"), nil)
	assertEqual(t, "Ancestors(lone)", g.Ancestors("lone"), nil)
	assertEqual(t, "Ancestors(missing)", g.Ancestors("missing"), nil)

	cyc := build(t, "a>b", "b>a")
	assertEqual(t, "Ancestors on a cycle", cyc.Ancestors("a"), []string{"b"})
}

func TestDepthAndLevels(t *testing.T) {
	g := build(t, "a>b", "b>c", "a>c", "x>c", "c>d", "lone")
	for id, want := range map[string]int{"a": 0, "x": 0, "lone": 0, "b": 1, "c": 2, "d": 3} {
		if got := g.Depth(id); got != want {
			t.Errorf("Depth(%s) = %d, want %d", id, got, want)
		}
	}
	got := g.Levels()
	want := [][]string{{"a", "lone", "x"}, {"b"}, {"c"}, {"d"}}
	assertEqual(t, "Levels", got, want)
}

func TestSubgraphIsInduced(t *testing.T) {
	g := build(t, "a>b", "b>c", "a>c", "c>d")
	sub := g.Subgraph([]string{"a", "c", "d", "missing"})
	assertEqual(t, "Nodes", sub.Nodes(), []string{"a", "c", "d"})
	assertEqual(t, "Children(a)", sub.Children("a"), []string{"c"})
	assertEqual(t, "Parents(c)", sub.Parents("c"), []string{"a"})
	assertEqual(t, "Children(c)", sub.Children("c"), []string{"d"})
	if g.HasEdge("a", "b") != true || len(g.Nodes()) != 4 {
		t.Error("Subgraph modified the original")
	}
}
