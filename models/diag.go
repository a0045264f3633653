package models

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// nodeExtra marks a diagnostic as belonging to one node (a model that
// does not load or compile), wrapping whatever Extra it had.
type nodeExtra struct {
	id    string
	inner any
}

// UnwrapDiagnosticExtra gives hcl.DiagnosticExtra the Extra it wraps.
func (x nodeExtra) UnwrapDiagnosticExtra() any { return x.inner }

// MarkNode records on each diagnostic that it belongs to node id: an error
// in it breaks that node alone, not the whole project. It returns diags.
func MarkNode(diags hcl.Diagnostics, id string) hcl.Diagnostics {
	for _, d := range diags {
		if DiagNode(d) == "" {
			d.Extra = nodeExtra{id: id, inner: d.Extra}
		}
	}
	return diags
}

// DiagNode is the ID of the node a diagnostic belongs to, or "" for a
// problem of the whole project (weir.hcl, a cycle, a duplicate name).
func DiagNode(d *hcl.Diagnostic) string {
	if x, ok := hcl.DiagnosticExtra[nodeExtra](d); ok {
		return x.id
	}
	return ""
}

// ProjectErrors are the errors in diags that belong to no single node:
// after them nothing can be built.
func ProjectErrors(diags hcl.Diagnostics) hcl.Diagnostics {
	var out hcl.Diagnostics
	for _, d := range diags {
		if d.Severity == hcl.DiagError && DiagNode(d) == "" {
			out = append(out, d)
		}
	}
	return out
}

// DiagString is one line for a diagnostic: "file:line:col: summary: detail"
// (the detail's first line), for run results and logs.
func DiagString(d *hcl.Diagnostic) string {
	s := d.Summary
	if d.Detail != "" {
		first, _, _ := strings.Cut(d.Detail, "\n")
		s += ": " + first
	}
	if d.Subject == nil {
		return s
	}
	return fmt.Sprintf("%s:%d:%d: %s", d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column, s)
}
