package runner

import (
	"fmt"

	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/models"
)

// missingParent names an upstream model or seed of n (direct, or through
// ephemeral models) that this run does not build and that is not in the
// warehouse, so n cannot be built; "" when there is none, or when the
// adapter cannot list relations. planned holds the nodes this run builds:
// those that failed skip n through the walk already.
func (r *Runner) missingParent(n *compiler.Node, planned map[string]bool) string {
	if !r.listed {
		return ""
	}
	for _, id := range n.DependsOn {
		p := r.c.Nodes[id]
		switch {
		case p.Materialized == models.MatEphemeral:
			if m := r.missingParent(p, planned); m != "" {
				return m
			}
		case p.Kind == models.KindOutput && !planned[p.Script.ID()] && r.existingKind(p.Relation) == "":
			return id
		case r.buildable(p) && p.Relation.Name != "" && !planned[id] && !p.Deferred() && r.existingKind(p.Relation) == "":
			return id
		}
	}
	return ""
}

// missingMessage says why node id is skipped: parent is missing from the
// warehouse (or was skipped for that reason, then via says which upstream
// is missing), and how to build it too.
func missingMessage(id, parent, via string) string {
	if via != "" {
		return fmt.Sprintf("upstream %s was skipped: its upstream %s is missing from the warehouse; build them too with `weir build --select +%s`", parent, via, id)
	}
	return fmt.Sprintf("upstream %s is missing from the warehouse (never built, and not in this build); build it too with `weir build --select +%s`", parent, id)
}

// errMissing fails a node in the walk, so that its descendants are
// skipped, when an upstream it needs is missing.
type errMissing struct{ parent string }

func (e errMissing) Error() string { return "upstream " + e.parent + " is missing" }
