package graph

import (
	"errors"
	"math/rand"
	"testing"
)

func TestTopoSortRespectsEveryEdgeOnRandomDAGs(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for iter := range 200 {
		g := randomDAG(r, 1+r.Intn(60), r.Float64()*0.3)
		order, err := g.TopoSort()
		if err != nil {
			t.Fatalf("iter %d: %v", iter, err)
		}
		if len(order) != g.Len() {
			t.Fatalf("iter %d: order has %d nodes, graph %d", iter, len(order), g.Len())
		}
		pos := map[string]int{}
		for i, id := range order {
			if _, dup := pos[id]; dup {
				t.Fatalf("iter %d: %s listed twice", iter, id)
			}
			pos[id] = i
		}
		for _, p := range g.Nodes() {
			for _, c := range g.Children(p) {
				if pos[p] >= pos[c] {
					t.Fatalf("iter %d: edge %s -> %s violated", iter, p, c)
				}
			}
		}
	}
}

func TestTopoSortBreaksTiesByID(t *testing.T) {
	g := build(t, "c", "b>z", "a>y", "y>z")
	order, err := g.TopoSort()
	if err != nil {
		t.Fatal(err)
	}
	assertEqual(t, "order", order, []string{"a", "b", "c", "y", "z"})
}

func TestTopoSortReportsCycles(t *testing.T) {
	g := build(t, "root>b", "b>c", "c>d", "d>b", "e>e")
	_, err := g.TopoSort()
	if !errors.Is(err, ErrCycle) {
		t.Fatalf("err = %v, want ErrCycle", err)
	}
	var ce *CycleError
	if !errors.As(err, &ce) {
		t.Fatalf("err is %T, want *CycleError", err)
	}
	assertEqual(t, "cycles", ce.Cycles, [][]string{{"b", "c", "d"}, {"e"}})
	want := "dependency cycle: b -> c -> d -> b; e -> e"
	if err.Error() != want {
		t.Errorf("message = %q, want %q", err.Error(), want)
	}
}
