package dbt

import (
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/nikolalohinski/gonja/v2/exec"

	"github.com/weir-sh/weir/models"
)

// macro is one {% macro %} of the project's macro files.
type macro struct {
	Name     string
	File     file
	Params   []string
	Defaults map[string]any
	Source   string // the whole {% macro %}…{% endmacro %}
	// weir is the weir macro file it becomes when its Jinja is
	// mechanical (the body only prints its parameters); "" when it is
	// rendered into each caller at import instead.
	weir   string
	reason string // why it is not a weir macro
	body   string
	// variants are the weir files of NAME.ADAPTER.sql by adapter, for a
	// macro that dispatches on the adapter (dispatch.go).
	variants map[string]string
	// variantOf is set on ADAPTER__NAME when it became a variant of NAME.
	variantOf bool
}

var (
	macroDef = regexp.MustCompile(`(?s)\{%-?\s*(macro|test|materialization)\s+(\w+)\s*\((.*?)\)\s*-?%\}(.*?)\{%-?\s*end(?:macro|test|materialization)\s*-?%\}`)
	printed  = regexp.MustCompile(`\{\{(-?)\s*(.*?)\s*(-?)\}\}`)
)

// readMacros reads the project's macros. Custom generic tests and
// materializations are reported: weir has its own.
func (c *converter) readMacros() {
	for _, f := range c.p.files(c.p.MacroPaths, ".sql") {
		src, err := c.p.read(f)
		if err != nil {
			c.report.skip("macro", f.Path(), f.Path(), err.Error())
			continue
		}
		for _, sub := range macroDef.FindAllStringSubmatch(src, -1) {
			kind, name := sub[1], sub[2]
			if kind != "macro" {
				c.report.skip(kind, name, f.Path(), fmt.Sprintf("custom %ss are not translated; weir has its own (docs/tests.md, materialized = …)", kind))
				continue
			}
			m := &macro{Name: name, File: f, Source: sub[0], body: sub[4]}
			m.parseParams(sub[3])
			m.translate(sub[4])
			c.macros[name] = m
		}
	}
	c.resolveDispatch()
	for _, name := range sortedKeys(c.macros) {
		if m := c.macros[name]; m.weir == "" && !m.variantOf {
			// Definitions back to back print nothing before the
			// caller's own text.
			c.inlineMacros += m.Source
		}
	}
}

// parseParams reads "a, b=2, c='x'". A default weir cannot write makes
// the macro one to render into its callers.
func (m *macro) parseParams(list string) {
	m.Defaults = map[string]any{}
	for _, p := range strings.Split(list, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		name, def, hasDef := strings.Cut(p, "=")
		name = strings.TrimSpace(name)
		m.Params = append(m.Params, name)
		if !hasDef {
			continue
		}
		v, ok := literal(strings.TrimSpace(def))
		if !ok {
			m.reason = fmt.Sprintf("its default %s is not a plain value", strings.TrimSpace(def))
			continue
		}
		m.Defaults[name] = v
	}
}

// literal reads a Jinja string, number or boolean.
func literal(s string) (any, bool) {
	if len(s) >= 2 && (s[0] == '\'' || s[0] == '"') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1], true
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, true
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return f, true
	}
	switch s {
	case "true", "True":
		return true, true
	case "false", "False":
		return false, true
	}
	return nil, false
}

// translate makes the weir macro when the body only prints parameters
// ({{ column_name }}); anything else (statements, calls, filters) is
// rendered by Jinja in each caller at import.
func (m *macro) translate(body string) {
	switch {
	case m.reason != "":
		return
	case models.ReservedTemplateNames[m.Name]:
		m.reason = "its name is a weir template function"
		return
	case strings.Contains(body, "{%"):
		m.reason = "its body has Jinja statements ({% … %})"
		return
	}
	isParam := map[string]bool{}
	for _, p := range m.Params {
		isParam[p] = true
	}
	bad := ""
	out := printed.ReplaceAllStringFunc(body, func(s string) string {
		sub := printed.FindStringSubmatch(s)
		if !isParam[sub[2]] {
			bad = sub[2]
			return s
		}
		return "{{" + sub[1] + " ." + sub[2] + " " + sub[3] + "}}"
	})
	if bad != "" {
		m.reason = fmt.Sprintf("its body prints %s, not only its parameters", bad)
		return
	}
	var w hclWriter
	w.attr("params", m.Params)
	if len(m.Defaults) > 0 {
		w.attr("defaults", m.Defaults)
	}
	m.weir = "/* config\n" + w.String() + "*/\n" + strings.TrimSpace(out) + "\n"
}

// weirPath is where the weir macro goes: its dbt file's folder under
// macros/, named after the macro.
func (m *macro) weirPath(adapter string) string {
	name := m.Name
	if adapter != "" {
		name += "." + adapter
	}
	return path.Join("macros", path.Dir(m.File.Rel), name+".sql")
}

// macroCall is the Jinja function standing for a weir macro: it writes
// {{ name "arg" … }} with the call's arguments in the macro's order.
func (r *rendering) macroCall(m *macro) func(*exec.VarArgs) (string, error) {
	return func(va *exec.VarArgs) (string, error) {
		args := make([]any, len(m.Params))
		given := make([]bool, len(m.Params))
		for i, a := range va.Args {
			if i >= len(m.Params) {
				return "", fmt.Errorf("macro %s takes %d arguments, got %d", m.Name, len(m.Params), len(va.Args))
			}
			args[i], given[i] = a.ToGoSimpleType(false), true
		}
		for i, p := range m.Params {
			if v, ok := va.KwArgs[p]; ok {
				args[i], given[i] = v.ToGoSimpleType(false), true
			}
		}
		last := -1
		for i := range args {
			if given[i] {
				last = i
			}
		}
		var parts []string
		for i := 0; i <= last; i++ {
			v := args[i]
			if !given[i] {
				d, ok := m.Defaults[m.Params[i]]
				if !ok {
					return "", fmt.Errorf("macro %s: no value for %s", m.Name, m.Params[i])
				}
				v = d
			}
			s, err := goTemplateArg(v)
			if err != nil {
				return "", fmt.Errorf("macro %s: %w", m.Name, err)
			}
			parts = append(parts, s)
		}
		r.c.usedMacros[m.Name] = true
		return "{{ " + strings.Join(append([]string{m.Name}, parts...), " ") + " }}", nil
	}
}

// goTemplateArg writes a Jinja value as a Go template argument.
func goTemplateArg(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x), nil
	case bool:
		return strconv.FormatBool(x), nil
	case int, int64, float64:
		return fmt.Sprint(x), nil
	}
	return "", fmt.Errorf("an argument %v that a weir macro cannot take (strings, numbers and booleans only)", v)
}
