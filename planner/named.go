package planner

import (
	"fmt"
	"slices"
	"strings"

	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/models"
)

// NamedSelector returns the selector block of weir.hcl called name, or an
// error naming the nearest names declared.
func NamedSelector(p *models.Project, name string) (*models.Selector, error) {
	if s, ok := p.Selectors[name]; ok {
		return s, nil
	}
	var names []string
	for n := range p.Selectors {
		names = append(names, n)
	}
	slices.Sort(names)
	if len(names) == 0 {
		return nil, fmt.Errorf("--selector %q: %s declares no selector; add selector %q { select = [\"…\"] }", name, models.ConfigFile, name)
	}
	return nil, fmt.Errorf("--selector %q: no selector of that name in %s; nearest: %s", name, models.ConfigFile, strings.Join(nearest(name, names, 3), ", "))
}

// CheckSelector evaluates a selector block against the compiled project,
// as weir check does: an expression that does not parse, an unknown
// method, or a part that matches no node is an error. state: and result:
// parts are evaluated against an empty baseline (they cannot fail).
func CheckSelector(c *compiler.Result, s *models.Selector) error {
	empty := &Baseline{Origin: "check", Nodes: map[string]BaselineNode{}, Complete: true,
		Results: map[string]string{}, Tests: map[string][]string{}}
	_, err := ChooseWith(c, Criteria{Include: s.Select, Exclude: s.Exclude, State: empty})
	return err
}
