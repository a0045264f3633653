package main

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/models"
)

// jsonDiag is one diagnostic in --format json output.
type jsonDiag struct {
	Severity string `json:"severity"`
	Summary  string `json:"summary"`
	Detail   string `json:"detail,omitempty"`
	File     string `json:"file,omitempty"`
	Line     int    `json:"line,omitempty"`
	Column   int    `json:"column,omitempty"`
	EndLine  int    `json:"end_line,omitempty"`
	EndCol   int    `json:"end_column,omitempty"`
	// Node is the model the problem belongs to; it fails alone.
	Node string `json:"node,omitempty"`
}

// printDiags writes diagnostics in the session's format: text with source
// snippets, one JSON object per line, or GitHub Actions annotations. Every
// line printed has its credentials masked (adapters.RedactText): a
// snippet of weir.hcl may quote a DSN with its password.
func (s *session) printDiags(diags hcl.Diagnostics) {
	if len(diags) == 0 {
		return
	}
	switch s.format {
	case "json":
		enc := json.NewEncoder(s.diagOut)
		for _, d := range diags {
			enc.Encode(toJSONDiag(d))
			if s.report != nil {
				s.report.diags = append(s.report.diags, toJSONDiag(d))
			}
		}
	case "github":
		for _, d := range diags {
			j := toJSONDiag(d)
			level := "error"
			if j.Severity == "warning" {
				level = "warning"
			}
			msg := strings.ReplaceAll(j.Summary+": "+j.Detail, "\n", "%0A")
			fmt.Fprintf(s.diagOut, "::%s file=%s,line=%d,col=%d::%s\n", level, s.repoPath(j.File), j.Line, j.Column, msg)
		}
	default:
		files := map[string]*hcl.File{}
		if s.project != nil {
			files = s.project.Files
		}
		width, color := 0, false
		if s.inv.terminal && s.diagOut == s.inv.stderr {
			width, color = s.inv.width, s.inv.getenv("NO_COLOR") == ""
		}
		var buf strings.Builder
		w := hcl.NewDiagnosticTextWriter(&buf, files, uint(width), color)
		w.WriteDiagnostics(diags)
		io.WriteString(s.diagOut, adapters.RedactText(buf.String()))
	}
}

func toJSONDiag(d *hcl.Diagnostic) jsonDiag {
	j := jsonDiag{Severity: "error", Summary: adapters.RedactText(d.Summary), Detail: adapters.RedactText(d.Detail)}
	if d.Severity == hcl.DiagWarning {
		j.Severity = "warning"
	}
	j.Node = models.DiagNode(d)
	if d.Subject != nil {
		j.File, j.Line, j.Column = d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column
		j.EndLine, j.EndCol = d.Subject.End.Line, d.Subject.End.Column
	}
	return j
}

// repoPath is a diagnostic's file relative to the repository checked out
// in GitHub Actions (GITHUB_WORKSPACE), where annotations must point; as
// given (relative to the project) elsewhere.
func (s *session) repoPath(file string) string {
	ws := s.inv.getenv("GITHUB_WORKSPACE")
	if ws == "" || file == "" || s.project == nil || filepath.IsAbs(file) {
		return file
	}
	rel, err := filepath.Rel(ws, filepath.Join(s.project.Dir, file))
	if err != nil || strings.HasPrefix(rel, "..") {
		return file
	}
	return filepath.ToSlash(rel)
}
