package planner

import (
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/graph"
	"github.com/weir-sh/weir/models"
)

// Criteria are a selection's expressions and what its state: and result:
// methods compare with.
type Criteria struct {
	Include, Exclude []string
	// State is the baseline of state: and result:; nil makes them an
	// error that says which flag to add.
	State *Baseline
}

// ChooseWith evaluates --select and --exclude expressions (dbt's grammar,
// see graph.Select) against a compiled project. Methods:
//
//	(none)           as dbt: a value with "/" or a file extension is a path;
//	                 otherwise a glob on "schema.name", on the bare name, or
//	                 on the node's folders ("marts", "marts.finance")
//	name             glob on "schema.name" or on the bare name
//	fqn              glob on the folders and name, as "marts.finance.x"
//	path             glob, file or folder of the node's file ("models/marts")
//	file             glob on the node's file name, with or without extension
//	tag              a model's tag
//	source           a source, by "schema.name" glob or by schema
//	kind             model, seed or source (also resource_type)
//	materialized     table, view, incremental, ephemeral (also config.materialized)
//	state            new, modified, modified.body, modified.config,
//	                 modified.upstream: compared with crit.State
//	result           error, skipped, success (the node's last outcome),
//	                 fail, warn (its data tests'), in crit.State
//
// A part that matches no node is an error naming the nearest names, and so
// is a --select that selects nothing; but a state: or result: part may match
// nothing (a pull request that changed nothing selects nothing), and a
// selection using them may be empty. IDs is nil (everything) when both
// lists are empty.
func ChooseWith(c *compiler.Result, crit Criteria) (graph.Selection, error) {
	include, exclude := crit.Include, crit.Exclude
	if len(include) == 0 && len(exclude) == 0 {
		return graph.Selection{}, nil
	}
	sel, err := graph.SelectWith(c.Graph, include, exclude, func(method, value, id string) (bool, error) {
		switch method {
		case "state":
			return crit.State.matchState(c, c.Nodes[id], strings.ToLower(value))
		case "result":
			return crit.State.matchResult(c.Nodes[id], strings.ToLower(value))
		}
		return matches(c.Nodes[id], method, value)
	}, isStateMethod)
	if nm := (*graph.NoMatchError)(nil); errors.As(err, &nm) {
		return sel, noMatch(c, nm)
	}
	if err != nil {
		return sel, err
	}
	if len(sel.IDs) == 0 && len(strings.Fields(strings.Join(include, " "))) > 0 && !usesState(include) {
		return sel, emptySelection(include, exclude)
	}
	if sel.IDs == nil {
		sel.IDs = []string{}
	}
	return sel, nil
}

// emptySelection explains a selection whose every part matched some node
// but that selects none.
func emptySelection(include, exclude []string) error {
	if len(exclude) > 0 {
		return fmt.Errorf("--select %q with --exclude %q leaves no node", strings.Join(include, " "), strings.Join(exclude, " "))
	}
	return fmt.Errorf("--select %q selects no node: the comma-separated parts of a term intersect, and these have no node in common (separate them with spaces to select either)", strings.Join(include, " "))
}

// matches reports whether node n matches one selector part.
func matches(n *compiler.Node, method, value string) (bool, error) {
	value = strings.ToLower(value)
	switch method {
	case "":
		if looksLikePath(value) {
			return matchPath(n, value), nil
		}
		return matchName(n, value) || matchFQN(n, value), nil
	case "name":
		return matchName(n, value), nil
	case "fqn":
		return matchFQN(n, value), nil
	case "path":
		return matchPath(n, value), nil
	case "file":
		file := strings.ToLower(path.Base(n.Path))
		return n.Path != "" && (glob(value, file) || glob(value, strings.TrimSuffix(file, path.Ext(file)))), nil
	case "tag":
		for _, t := range tags(n) {
			if glob(value, strings.ToLower(t)) {
				return true, nil
			}
		}
		return false, nil
	case "source":
		return n.Kind == models.KindSource && (glob(value, strings.ToLower(n.ID)) || glob(value, strings.ToLower(n.Relation.Schema))), nil
	case "kind", "resource_type":
		return n.Kind == value, nil
	case "materialized", "config.materialized":
		return n.Materialized == value, nil
	}
	return false, fmt.Errorf("unknown selector method %q; use name, fqn, path, file, tag, source, kind, materialized, state or result", method)
}

// isStateMethod reports the methods that compare with a baseline, whose
// parts may match nothing.
func isStateMethod(method string) bool { return method == "state" || method == "result" }

// usesState reports a selection with a state: or result: part: it may
// select nothing.
func usesState(exprs []string) bool {
	for _, f := range strings.FieldsFunc(strings.Join(exprs, " "), func(r rune) bool { return r == ' ' || r == ',' }) {
		f = strings.TrimLeft(f, "@+0123456789")
		if strings.HasPrefix(f, "state:") || strings.HasPrefix(f, "result:") {
			return true
		}
	}
	return false
}

// looksLikePath reports whether a selector value without a method is a
// path, as dbt decides: it holds a "/" or ends in a file extension.
func looksLikePath(value string) bool {
	return strings.Contains(value, "/") || strings.HasSuffix(value, ".sql") || strings.HasSuffix(value, ".csv")
}

func matchName(n *compiler.Node, value string) bool {
	return glob(value, strings.ToLower(n.ID)) || glob(value, strings.ToLower(n.Name))
}

// matchFQN matches value's dot-separated parts, each a glob, against the
// first parts of the node's fully qualified name.
func matchFQN(n *compiler.Node, value string) bool {
	want, have := strings.Split(value, "."), fqn(n)
	if len(want) > len(have) {
		return false
	}
	for i, w := range want {
		if !glob(w, strings.ToLower(have[i])) {
			return false
		}
	}
	return true
}

// fqn is a node's fully qualified name: the folders of its file below
// models/ or seeds/ and its name ("marts", "finance", "x"); a source's is
// its schema and name.
func fqn(n *compiler.Node) []string {
	if n.Path == "" {
		return strings.Split(n.ID, ".")
	}
	parts := strings.Split(strings.TrimSuffix(n.Path, path.Ext(n.Path)), "/")
	if len(parts) > 1 {
		parts = parts[1:]
	}
	return parts
}

// matchPath matches a path relative to the project: a glob, a file, or a
// folder holding the node's file.
func matchPath(n *compiler.Node, value string) bool {
	p := strings.ToLower(n.Path)
	value = strings.TrimPrefix(value, "./")
	return p != "" && (glob(value, p) || strings.HasPrefix(p, strings.TrimSuffix(value, "/")+"/"))
}

func tags(n *compiler.Node) []string {
	if n.Model == nil {
		return nil
	}
	return n.Model.Config.Tags
}

func glob(pattern, s string) bool {
	ok, err := path.Match(pattern, s)
	return err == nil && ok
}
