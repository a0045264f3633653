package models

import (
	"fmt"
	"path"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Kinds of the nodes a script file adds to the DAG.
const (
	// KindCommand is a command node: a program weir runs like a model.
	KindCommand = "command"
	// KindOutput is a table a command node writes, which models read.
	KindOutput = "output"
)

// ScriptSchema is the schema of command node names: scripts/train.hcl is
// the node scripts.train.
const ScriptSchema = "scripts"

// Script is a command node, declared by scripts/NAME.hcl: a program for
// what SQL cannot do (train a model, export a file), run in the DAG
// after its inputs and before the models that read its outputs.
type Script struct {
	Name string
	Path string // scripts/NAME.hcl
	// Command is the program and its arguments, run in the project folder.
	Command []string
	// Inputs are the nodes it reads ("marts.customers"), its parents.
	Inputs []string
	// Outputs are the tables (schema.name) it writes.
	Outputs []string
	// OutputFiles are the files it writes (relative to the project folder).
	OutputFiles []string
	// Files are more files whose content is in its fingerprint, besides
	// those its command names.
	Files       []string
	Description string
	Retry       RetryPolicy
	DeclRange   hcl.Range
	InputsRange hcl.Range
	// Diags are the errors in the file; a script with errors is not run.
	Diags hcl.Diagnostics
}

// ID is the node name "scripts.NAME".
func (s *Script) ID() string { return ScriptSchema + "." + s.Name }

type scriptFile struct {
	Command      []string  `hcl:"command"`
	Inputs       []string  `hcl:"inputs,optional"`
	Outputs      []string  `hcl:"outputs,optional"`
	Files        []string  `hcl:"files,optional"`
	Description  string    `hcl:"description,optional"`
	InputsRange  hcl.Range `hcl:"inputs,attr_range"`
	OutputsRange hcl.Range `hcl:"outputs,attr_range"`
	CommandRange hcl.Range `hcl:"command,attr_range"`
	Rest         hcl.Body  `hcl:",remain"`
}

// loadScripts reads scripts/*.hcl.
func (p *Project) loadScripts() hcl.Diagnostics {
	files, err := p.walkFiles(ScriptSchema, ".hcl")
	if err != nil {
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot list scripts", Detail: err.Error()}}
	}
	var diags hcl.Diagnostics
	for _, rel := range files {
		if strings.Count(rel, "/") != 1 {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Script in a subfolder",
				Detail: rel + ": script files sit directly in scripts/ (scripts/NAME.hcl); move it up.", Subject: fileStart(rel)})
			continue
		}
		s, d := p.loadScript(rel)
		diags = append(diags, d...)
		p.Scripts = append(p.Scripts, s)
	}
	return diags
}

// loadScript reads one script file. A script with errors is returned with
// them in Diags, so it fails alone.
func (p *Project) loadScript(rel string) (*Script, hcl.Diagnostics) {
	name := strings.TrimSuffix(path.Base(rel), path.Ext(rel))
	s := &Script{Name: name, Path: rel, DeclRange: *fileStart(rel), Retry: DefaultRetryPolicy()}
	diags := checkIdent(fmt.Sprintf("The name of %s (its file name)", rel), name, s.DeclRange)
	src, err := ReadFile(p.Dir, rel)
	if err != nil {
		s.Diags = MarkNode(append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot read script",
			Detail: err.Error(), Subject: s.DeclRange.Ptr()}), s.ID())
		return s, s.Diags
	}
	p.Files[rel] = &hcl.File{Bytes: src}
	f, d := hclsyntax.ParseConfig(src, rel, hcl.InitialPos)
	if diags = append(diags, d...); !d.HasErrors() {
		var sf scriptFile
		if d := decodeBody(f.Body, &sf); d.HasErrors() {
			diags = append(diags, d...)
		} else {
			diags = append(diags, s.decode(sf)...)
		}
	}
	s.Diags = MarkNode(diags, s.ID())
	return s, s.Diags
}

// decode fills s from its file, checking each setting.
func (s *Script) decode(sf scriptFile) hcl.Diagnostics {
	var diags hcl.Diagnostics
	bad := func(summary, detail string, rng hcl.Range) {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: rng.Ptr()})
	}
	s.Command, s.Inputs, s.Files, s.Description, s.InputsRange = sf.Command, sf.Inputs, sf.Files, sf.Description, sf.InputsRange
	if len(s.Command) == 0 || s.Command[0] == "" {
		bad("Empty command", `command lists the program and its arguments: command = ["sh", "scripts/train.sh"].`, sf.CommandRange)
	}
	for _, in := range s.Inputs {
		if strings.Count(in, ".") != 1 {
			bad("Bad input", fmt.Sprintf("inputs = [%q]: name a model, seed, source or command output as schema.name.", in), sf.InputsRange)
		}
	}
	for _, out := range sf.Outputs {
		parts := strings.Split(out, ".")
		switch {
		case strings.Contains(out, "/"):
			s.OutputFiles = append(s.OutputFiles, out)
		case len(parts) == 2 && plainIdent(parts[0]) && plainIdent(parts[1]):
			s.Outputs = append(s.Outputs, out)
		default:
			bad("Bad output", fmt.Sprintf("outputs = [%q]: a table is schema.name (plain names), a file a path with a / (target/model.json).", out), sf.OutputsRange)
		}
	}
	retry, rd := decodeRetry(sf.Rest, &sf)
	retry.over(&s.Retry)
	return append(diags, rd...)
}
