package runner

import "github.com/weir-sh/weir/compiler"

// Deferred is a node a run read from another target's relation instead of
// building it (weir build --defer): its state in this target is untouched.
type Deferred struct {
	Name     string `json:"name"`
	Target   string `json:"target"`
	Relation string `json:"relation"`
}

// DeferredNodes lists the compiled nodes read from target's relations, in
// dependency order; nil when none is.
func DeferredNodes(c *compiler.Result, target string) []Deferred {
	var out []Deferred
	for _, n := range c.Sorted() {
		if n.Deferred() {
			out = append(out, Deferred{Name: n.ID, Target: target, Relation: n.DeferredTo.String()})
		}
	}
	return out
}
