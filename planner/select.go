package planner

import (
	"fmt"
	"path"
	"strings"

	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/graph"
)

// Select evaluates --select and --exclude expressions (dbt's grammar, see
// graph.Select) against a compiled project. Methods:
//
//	name (default)   glob on "schema.name" or on the bare name
//	tag              a model's tag
//	path             glob or folder prefix of the node's file
//	kind             model, seed or source
//	materialized     table, view, incremental, ephemeral
//
// It returns nil (everything) when both lists are empty.
func Select(c *compiler.Result, include, exclude []string) ([]string, error) {
	if len(include) == 0 && len(exclude) == 0 {
		return nil, nil
	}
	ids, err := graph.Select(c.Graph, include, exclude, func(method, value, id string) (bool, error) {
		return matches(c.Nodes[id], method, value)
	})
	if err != nil {
		return nil, err
	}
	if ids == nil {
		ids = []string{}
	}
	return ids, nil
}

func matches(n *compiler.Node, method, value string) (bool, error) {
	value = strings.ToLower(value)
	switch method {
	case "name":
		return glob(value, strings.ToLower(n.ID)) || glob(value, strings.ToLower(n.Name)), nil
	case "tag":
		if n.Model == nil {
			return false, nil
		}
		for _, t := range n.Model.Config.Tags {
			if strings.EqualFold(t, value) {
				return true, nil
			}
		}
		return false, nil
	case "path":
		p := strings.ToLower(n.Path)
		value = strings.TrimPrefix(value, "./")
		return p != "" && (glob(value, p) || strings.HasPrefix(p, strings.TrimSuffix(value, "/")+"/")), nil
	case "kind", "resource_type":
		return n.Kind == value, nil
	case "materialized", "config.materialized":
		return n.Materialized == value, nil
	}
	return false, fmt.Errorf("unknown selector method %q; use name, tag, path, kind or materialized", method)
}

func glob(pattern, s string) bool {
	ok, err := path.Match(pattern, s)
	return err == nil && ok
}
