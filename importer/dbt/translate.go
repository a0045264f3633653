package dbt

import (
	"fmt"
	"strings"
)

// translateSQL renders a dbt SQL file into weir SQL. Where the output
// with weir's actions standing in for var, target and env_var is the
// output with dbt's values, the actions stay; otherwise the Jinja used
// them in its logic, and the file is rendered with dbt's values (noted).
// With incremental, the renderings with is_incremental false and true
// meet in one {{ if is_incremental }}.
func (c *converter) translateSQL(name, src string, incremental bool) (string, *rendering, error) {
	full, r, err := c.renderBoth(name, src, false)
	if err != nil || !incremental {
		return full, r, err
	}
	inc, ri, err := c.renderBoth(name, src, true)
	if err != nil {
		return "", nil, err
	}
	r.notes = append(r.notes, ri.notes...)
	return combineIncremental(full, inc), r, nil
}

// renderBoth renders src with weir's actions, and checks it against the
// rendering with dbt's values.
func (c *converter) renderBoth(name, src string, incremental bool) (string, *rendering, error) {
	out, r, err := c.renderJinja(name, src, mode{incremental: incremental})
	if err != nil {
		return "", nil, err
	}
	if targetInLogic.MatchString(c.inlineMacros + src) {
		r.notes = append(r.notes, "its Jinja decides on target at import, as for target dev on DuckDB; check this file before building on another warehouse")
	}
	for key, action := range targetActions {
		if strings.Contains(out, action) {
			r.stand[action] = targetValues[key]
		}
	}
	if len(r.stand) == 0 {
		return out, r, nil
	}
	vals, _, err := c.renderJinja(name, src, mode{values: true, incremental: incremental})
	if err != nil {
		return "", nil, err
	}
	var pairs, actions []string
	for _, a := range sortedKeys(r.stand) {
		pairs = append(pairs, a, r.stand[a])
		actions = append(actions, a)
	}
	var decided []string
	for _, a := range actions {
		if !strings.Contains(out, a) {
			decided = append(decided, a)
		}
	}
	same := strings.NewReplacer(pairs...).Replace(out) == vals
	if same && len(decided) == 0 {
		return out, r, nil
	}
	if same {
		r.notes = append(r.notes, fmt.Sprintf("its Jinja decides on %s at import, with the values of dbt_project.yml; changing them in weir does not change this file", strings.Join(decided, ", ")))
		return out, r, nil
	}
	r.notes = append(r.notes, fmt.Sprintf("its Jinja decides on %s: rendered with the values at import (vars of dbt_project.yml, target dev on DuckDB), so changing them in weir does not change this file", strings.Join(actions, ", ")))
	return vals, r, nil
}

// combineIncremental joins the renderings of a model for a full build
// and for an incremental one: the lines where they differ go in
// {{ if is_incremental }} … {{ else }} … {{ end }}, each on a line of its
// own.
func combineIncremental(full, inc string) string {
	if full == inc {
		return full
	}
	a, b := strings.Split(full, "\n"), strings.Split(inc, "\n")
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	out := append([]string{}, a[:pre]...)
	out = append(out, "{{ if is_incremental }}")
	out = append(out, trimBlankLines(b[pre:len(b)-suf])...)
	if mid := trimBlankLines(a[pre : len(a)-suf]); len(mid) > 0 {
		out = append(append(out, "{{ else }}"), mid...)
	}
	out = append(out, "{{ end }}")
	return strings.Join(append(out, a[len(a)-suf:]...), "\n")
}

// trimBlankLines drops the blank lines at both ends of lines.
func trimBlankLines(lines []string) []string {
	for len(lines) > 0 && strings.TrimSpace(lines[0]) == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}
