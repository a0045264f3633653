package dbt

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

var snapshotBlock = regexp.MustCompile(`\{%-?\s*snapshot\s+(\w+)\s*-?%\}`)

// reportUnsupported reports what weir has no place for: snapshots,
// on-run hooks, and the packages a project installs (their macros are
// reported where they are called, unless weir's standard library has
// them).
func (c *converter) reportUnsupported() {
	for _, f := range c.p.files(c.p.SnapPaths, ".sql") {
		src, _ := c.p.read(f)
		for _, m := range snapshotBlock.FindAllStringSubmatch(src, -1) {
			c.report.skip("snapshot", m[1], f.Path(), "snapshots are not translated: weir has no snapshot materialization; an incremental model with strategy append can keep the history")
		}
	}
	for name, hook := range map[string]any{"on-run-start": c.p.OnRunStart, "on-run-end": c.p.OnRunEnd} {
		if hook != nil {
			c.report.skip("hook", name, "dbt_project.yml", "run hooks are not translated")
		}
	}
	for _, name := range []string{"packages.yml", "dependencies.yml"} {
		src, err := os.ReadFile(filepath.Join(c.p.Dir, name))
		if err != nil {
			continue
		}
		var pk struct {
			Packages []map[string]any `yaml:"packages"`
		}
		if yaml.Unmarshal(src, &pk) != nil {
			continue
		}
		var names []string
		for _, p := range pk.Packages {
			for _, k := range []string{"package", "git", "local"} {
				if v, ok := p[k]; ok {
					names = append(names, fmt.Sprint(v))
				}
			}
		}
		if len(names) > 0 {
			c.report.note(name, fmt.Sprintf("packages %s are not installed: dbt_utils star, union_relations, pivot, generate_surrogate_key and date_spine map to weir's standard macros; any other package macro is reported where it is called", strings.Join(names, ", ")))
		}
	}
}
