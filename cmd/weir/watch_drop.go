package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/compiler"
)

// dropper drops from the target the models and seeds whose files were
// deleted while weir watch ran, once nothing reads them any more.
type dropper struct {
	last map[string]builtNode // the previous compile's models and seeds
	gone map[string]builtNode // deleted, not dropped yet
}

// builtNode is what the dropper remembers of a node.
type builtNode struct {
	path    string // its file, relative to the project
	rel     adapters.Relation
	readers []string // the nodes that read it
}

func newDropper() *dropper { return &dropper{gone: map[string]builtNode{}} }

// note compares a new compile with the previous one: a node gone from
// the project whose file is gone too was deleted.
func (d *dropper) note(c *compiler.Result) {
	now := map[string]builtNode{}
	for id, n := range c.Nodes {
		if n.Path != "" && n.Relation.Name != "" {
			now[id] = builtNode{path: n.Path, rel: n.Relation}
		}
	}
	for id, n := range c.Nodes {
		for _, parent := range n.DependsOn {
			if b, ok := now[parent]; ok {
				b.readers = append(b.readers, id)
				now[parent] = b
			}
		}
	}
	for id, n := range d.last {
		if _, ok := now[id]; ok {
			continue
		}
		if _, err := os.Stat(filepath.Join(c.Project.Dir, n.path)); os.IsNotExist(err) {
			d.gone[id] = n
		}
	}
	for id := range d.gone {
		if _, back := now[id]; back {
			delete(d.gone, id)
		}
	}
	d.last = now
}

// drop drops the deleted nodes nothing reads any more, saying so; a
// deleted node that a model still reads is an error, left in place.
func (d *dropper) drop(ctx context.Context, p *planned, v *watchView) {
	ids := make([]string, 0, len(d.gone))
	for id := range d.gone {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		n := d.gone[id]
		var still []string
		for _, r := range n.readers {
			if cur := p.c.Nodes[r]; cur != nil && (cur.Broken() || slices.Contains(cur.DependsOn, id)) {
				still = append(still, r)
			}
		}
		if len(still) > 0 {
			v.say("error", id, fmt.Sprintf("%s was deleted (%s) but %s still reads it, so it stays in the target; change %[3]s, or restore the file", id, n.path, strings.Join(still, ", ")))
			continue
		}
		kind := catalogKind(p.catalog, n.rel)
		if kind != "" {
			v.say("dropped", id, fmt.Sprintf("Dropping %s %s from the target: %s was deleted", kind, n.rel, n.path))
			if _, err := p.a.Exec(ctx, adapters.DropSQL(p.a.Dialect(), n.rel, kind)); err != nil {
				v.say("error", id, fmt.Sprintf("dropping %s: %v", n.rel, err))
				continue
			}
		}
		delete(d.gone, id)
	}
}

// catalogKind is the kind of relation rel is in the warehouse, "" when it
// is not there.
func catalogKind(c map[adapters.Relation]string, rel adapters.Relation) string {
	if k, ok := c[rel]; ok {
		return k
	}
	rel.Database = ""
	return c[rel]
}

// nodeFiles maps each node to the files it reads, absolute: its own (a
// model's SQL, a script's .hcl), its input files and a script's files and
// command (folders and globs as written; not the project's folder, which
// would take every save for one of them).
func nodeFiles(c *compiler.Result) map[string][]string {
	out := make(map[string][]string, len(c.Nodes))
	for id, n := range c.Nodes {
		files := slices.DeleteFunc(nodeReads(n, c.Project.Dir), func(p string) bool { return holds(p, c.Project.Dir) })
		if n.Path != "" {
			files = append(files, filepath.Join(c.Project.Dir, filepath.FromSlash(n.Path)))
		}
		if len(files) > 0 {
			out[id] = files
		}
	}
	return out
}
