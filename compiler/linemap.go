package compiler

import (
	"fmt"
	"strconv"
	"strings"
)

// lineMark is put at the start of a template's lines to find, in what the
// template renders, the line each rendered line came from.
const (
	lineMarkOpen  = "\x1eweir:"
	lineMarkClose = "\x1f"
)

// RanSQL is SQL a model ran as, and what maps its lines to the model's
// file.
type RanSQL struct {
	// SQL is the compiled statement; BodyLine its line where the model's
	// own text starts (after inlined ephemeral parents).
	SQL      string
	BodyLine int
	node     *Node
	data     TemplateData
}

// variantRun is a variant of a model as Variant rendered it.
type variantRun struct {
	node *Node
	data TemplateData
}

// RanAs lists the SQL model n may have run as: its compiled SQL, then the
// variant last rendered for it (an incremental or time_range run).
func (r *Result) RanAs(n *Node) []RanSQL {
	out := []RanSQL{{SQL: n.SQL, BodyLine: n.BodyLine, node: n, data: r.TemplateData(n)}}
	if v, ok := r.variants.Load(n.ID); ok {
		vr := v.(variantRun)
		out = append(out, RanSQL{SQL: vr.node.SQL, BodyLine: vr.node.BodyLine, node: vr.node, data: vr.data})
	}
	return out
}

// FileLine maps a line of s's rendered model text (1-based, counted from
// BodyLine) to the line of the model's file. Templating that adds or
// removes lines (a multi-line action, {{- trimming, a range) is accounted
// for: the template is rendered again with a mark at the start of each of
// its lines.
func (r *Result) FileLine(s RanSQL, renderedLine int) int {
	n := s.node
	m := n.Model
	first := m.BodyStart.Line
	if n.Rendered == m.Body || !strings.Contains(m.Body, "{{") {
		return first + renderedLine - 1
	}
	lines := r.renderedLines(n, s.data)
	if renderedLine < 1 || renderedLine > len(lines) {
		return first + renderedLine - 1
	}
	return first + lines[renderedLine-1] - 1
}

// renderedLines renders n's template with data and line marks and
// returns, for each line of n.Rendered, the line of the body it came from;
// nil when the marked rendering does not reproduce n.Rendered.
func (r *Result) renderedLines(n *Node, data TemplateData) []int {
	marked := *n.Model
	marked.Body = markLines(n.Model.Body)
	cp := *n // render records what {{ ref }} names on the node
	cp.Model, cp.templateRefs = &marked, nil
	out, diags := r.render(&cp, data)
	if diags.HasErrors() {
		return nil
	}
	var (
		plain strings.Builder
		lines []int
		cur   = 1
		start = true // at the start of a rendered line
	)
	for len(out) > 0 {
		if strings.HasPrefix(out, lineMarkOpen) {
			end := strings.Index(out, lineMarkClose)
			if end < 0 {
				return nil
			}
			cur, _ = strconv.Atoi(out[len(lineMarkOpen):end])
			out = out[end+len(lineMarkClose):]
			continue
		}
		if start {
			lines = append(lines, cur)
			start = false
		}
		c := out[0]
		plain.WriteByte(c)
		out = out[1:]
		if c == '\n' {
			start = true
		}
	}
	if start {
		lines = append(lines, cur)
	}
	if plain.String() != n.Rendered {
		return nil
	}
	return lines
}

// markLines puts a line mark at the start of each line of a template body
// that is outside actions and out of reach of whitespace trimming ({{- and
// -}}), so that rendering it gives the same text with marks in it.
func markLines(body string) string {
	var b strings.Builder
	inAction, line := false, 0
	for i := 0; i < len(body); i++ {
		if i == 0 || body[i-1] == '\n' {
			line++
			if !inAction && !nearTrim(body, i) {
				fmt.Fprintf(&b, "%s%d%s", lineMarkOpen, line, lineMarkClose)
			}
		}
		switch {
		case !inAction && strings.HasPrefix(body[i:], "{{"):
			inAction = true
		case inAction && strings.HasPrefix(body[i:], "}}"):
			inAction = false
			b.WriteString("}}")
			i++
			continue
		}
		b.WriteByte(body[i])
	}
	return b.String()
}

// nearTrim reports whether the whitespace around position i touches a
// trim marker, which would trim across a mark put there.
func nearTrim(body string, i int) bool {
	a, z := i, i
	for a > 0 && isSpace(body[a-1]) {
		a--
	}
	for z < len(body) && isSpace(body[z]) {
		z++
	}
	left := strings.HasPrefix(body[z:], "{{-") && z+3 < len(body) && isSpace(body[z+3])
	right := strings.HasSuffix(body[:a], "-}}") && a >= 4 && isSpace(body[a-4])
	return left || right
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
