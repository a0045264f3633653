package dbt

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// hclWriter writes the HCL of weir.hcl and config headers.
type hclWriter struct {
	b      strings.Builder
	indent int
}

// attr writes name = value.
func (w *hclWriter) attr(name string, v any) {
	fmt.Fprintf(&w.b, "%s%s = %s\n", strings.Repeat("  ", w.indent), name, hclValue(v))
}

// block writes type "label" { … } with body inside.
func (w *hclWriter) block(typ, label string, body func()) {
	pad := strings.Repeat("  ", w.indent)
	fmt.Fprintf(&w.b, "%s%s %s {", pad, typ, hclString(label))
	mark := w.b.Len()
	w.b.WriteString("\n")
	w.indent++
	body()
	w.indent--
	if w.b.Len() == mark+1 { // nothing inside: {}
		s := w.b.String()[:mark]
		w.b.Reset()
		w.b.WriteString(s + "}\n")
		return
	}
	w.b.WriteString(pad + "}\n")
}

func (w *hclWriter) String() string { return w.b.String() }

// hclString quotes s for HCL: Go's escapes, and ${ and %{ doubled so
// that they stay text.
func hclString(s string) string {
	q := strconv.Quote(s)
	q = strings.ReplaceAll(q, "${", "$${")
	return strings.ReplaceAll(q, "%{", "%%{")
}

// hclValue writes a YAML value (string, number, bool, list, map) as HCL.
func hclValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return hclString(x)
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case []string:
		parts := make([]string, len(x))
		for i, s := range x {
			parts[i] = hclString(s)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = hclValue(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = hclKey(k) + " = " + hclValue(x[k])
		}
		return "{ " + strings.Join(parts, ", ") + " }"
	}
	return hclString(fmt.Sprint(v))
}

// hclKey writes a map key: bare when it is an identifier.
func hclKey(k string) string {
	for i, r := range k {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && (r >= '0' && r <= '9' || r == '-')) {
			return hclString(k)
		}
	}
	return k
}
