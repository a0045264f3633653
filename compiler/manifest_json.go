package compiler

import (
	"encoding/json"
	"runtime"
	"strconv"

	"github.com/weir-sh/weir/internal/par"
)

// manifestJSON writes m as json.MarshalIndent(m, "", "  ") does, byte
// for byte (TestManifestJSONAsEncodingJSON), at a fraction of its cost:
// the manifest of 10,000 models took 90 ms through reflection, most of a
// warm compile's budget.
func manifestJSON(m *Manifest) []byte {
	var b []byte
	writeManifestJSON(m, func(p []byte) error {
		b = append(b, p...)
		return nil
	})
	return b
}

// writeManifestJSON hands manifestJSON's text to out in pieces, in order,
// and stops at out's first error. Out may keep no piece: their buffers
// are reused. At most two pieces a core are held at once, so a
// manifest of 100,000 models (60 MB of text) is written and compared with
// the file on disk without holding it in memory.
func writeManifestJSON(m *Manifest, out func([]byte) error) error {
	w := jsonWriter{b: make([]byte, 0, 1024)}
	w.open('{')
	w.key("manifest_version")
	w.b = strconv.AppendInt(w.b, int64(m.Version), 10)
	w.field("project", m.Project)
	w.field("target", m.Target)
	w.field("adapter", m.Adapter)
	w.key("nodes")
	if m.Nodes == nil {
		w.b = append(w.b, "null"...)
	} else {
		w.open('[')
		if err := out(w.b); err != nil {
			return err
		}
		w.b = w.b[:0]
		if err := w.entries(m.Nodes, out); err != nil {
			return err
		}
		w.close(']')
	}
	w.key("tests")
	if m.Tests == nil {
		w.b = append(w.b, "null"...)
	} else {
		w.open('[')
		for i := range m.Tests {
			w.elem()
			w.test(&m.Tests[i])
		}
		w.close(']')
	}
	w.close('}')
	return out(w.b)
}

// entries writes the nodes of the manifest as array elements to out, in
// chunks written on every core, two chunks a core at a time.
func (w *jsonWriter) entries(nodes []ManifestEntry, out func([]byte) error) error {
	const chunk = 500
	n := (len(nodes) + chunk - 1) / chunk
	parts := make([][]byte, min(2*runtime.GOMAXPROCS(0), n))
	for start := 0; start < n; start += len(parts) {
		k := min(len(parts), n-start)
		par.For(k, func(j int) {
			// Each chunk goes on where the previous one stops: within the
			// array, after an element unless it is the first.
			i := start + j
			lo, hi := i*chunk, min((i+1)*chunk, len(nodes))
			cw := jsonWriter{depth: w.depth, first: w.first && i == 0, b: parts[j][:0]}
			if cap(cw.b) == 0 {
				cw.b = make([]byte, 0, entriesSize(nodes[lo:hi]))
			}
			for j := lo; j < hi; j++ {
				cw.elem()
				cw.entry(&nodes[j])
			}
			parts[j] = cw.b
		})
		for _, p := range parts[:k] {
			if err := out(p); err != nil {
				return err
			}
		}
	}
	if len(nodes) > 0 {
		w.first = false
	}
	return nil
}

// entriesSize is about what the entries take written, a little more
// for most, so that their buffer seldom grows.
func entriesSize(nodes []ManifestEntry) int {
	size := 0
	for i := range nodes {
		e := &nodes[i]
		size += 640 + len(e.CompiledSQL) + len(e.CompiledSQL)/8 + len(e.Description) + 48*(len(e.DependsOn)+len(e.Columns))
	}
	return size
}

func (w *jsonWriter) entry(e *ManifestEntry) {
	w.open('{')
	w.field("name", e.Name)
	w.field("kind", e.Kind)
	w.fieldOmit("path", e.Path)
	w.fieldOmit("materialized", e.Materialized)
	w.fieldOmit("relation", e.Relation)
	w.key("depends_on")
	w.strings(e.DependsOn)
	w.fieldOmit("description", e.Description)
	if len(e.Tags) > 0 {
		w.key("tags")
		w.strings(e.Tags)
	}
	if len(e.Columns) > 0 {
		w.key("columns")
		w.open('[')
		for _, c := range e.Columns {
			w.elem()
			w.open('{')
			w.field("name", c.Name)
			w.fieldOmit("type", c.Type)
			w.fieldOmit("description", c.Description)
			w.close('}')
		}
		w.close(']')
	}
	w.fieldOmit("fingerprint", e.Fingerprint)
	w.fieldOmit("code_hash", e.CodeHash)
	w.fieldOmit("body_hash", e.BodyHash)
	w.fieldOmit("config_hash", e.ConfigHash)
	w.fieldOmit("compiled_sql", e.CompiledSQL)
	if len(e.Command) > 0 {
		w.key("command")
		w.strings(e.Command)
	}
	if len(e.Macros) > 0 {
		w.key("macros")
		w.strings(e.Macros)
	}
	w.close('}')
}

func (w *jsonWriter) test(t *ManifestTest) {
	w.open('{')
	w.field("name", t.Name)
	w.field("kind", t.Kind)
	w.fieldOmit("node", t.Node)
	w.fieldOmit("column", t.Column)
	w.field("severity", t.Severity)
	w.key("depends_on")
	w.strings(t.DependsOn)
	w.fieldOmit("path", t.Path)
	w.close('}')
}

// jsonWriter appends indented JSON (two spaces a level, as MarshalIndent).
type jsonWriter struct {
	b     []byte
	depth int
	// first is true right after an opening bracket: the next member or
	// element takes no comma.
	first bool
}

func (w *jsonWriter) newline() {
	w.b = append(w.b, '\n')
	for range w.depth {
		w.b = append(w.b, ' ', ' ')
	}
}

// open starts an object or array; close ends it ({} or [] when empty).
func (w *jsonWriter) open(c byte) {
	w.b = append(w.b, c)
	w.depth++
	w.first = true
}

func (w *jsonWriter) close(c byte) {
	w.depth--
	if !w.first {
		w.newline()
	}
	w.first = false
	w.b = append(w.b, c)
}

// elem starts an array element.
func (w *jsonWriter) elem() {
	if !w.first {
		w.b = append(w.b, ',')
	}
	w.first = false
	w.newline()
}

// key starts an object member.
func (w *jsonWriter) key(k string) {
	w.elem()
	w.str(k)
	w.b = append(w.b, ':', ' ')
}

func (w *jsonWriter) field(k, v string) {
	w.key(k)
	w.str(v)
}

// fieldOmit is field for a member tagged omitempty.
func (w *jsonWriter) fieldOmit(k, v string) {
	if v != "" {
		w.field(k, v)
	}
}

// strings writes a list of strings; nil is null.
func (w *jsonWriter) strings(list []string) {
	if list == nil {
		w.b = append(w.b, "null"...)
		return
	}
	w.open('[')
	for _, s := range list {
		w.elem()
		w.str(s)
	}
	w.close(']')
}

// str writes a JSON string as encoding/json escapes it (HTML characters
// included). Printable ASCII, newlines and tabs are written here; a
// string with any other byte goes through encoding/json.
func (w *jsonWriter) str(s string) {
	start := len(w.b)
	w.b = append(w.b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			w.b = append(w.b, '\\', c)
		case c == '\n':
			w.b = append(w.b, '\\', 'n')
		case c == '\r':
			w.b = append(w.b, '\\', 'r')
		case c == '\t':
			w.b = append(w.b, '\\', 't')
		case c == '<' || c == '>' || c == '&':
			w.b = append(w.b, `\u00`...)
			w.b = append(w.b, hexDigits[c>>4], hexDigits[c&0xf])
		case c < 0x20 || c >= 0x80:
			q, _ := json.Marshal(s) // a string always marshals
			w.b = append(w.b[:start], q...)
			return
		default:
			w.b = append(w.b, c)
		}
	}
	w.b = append(w.b, '"')
}

const hexDigits = "0123456789abcdef"
