package dbt

import (
	"fmt"
	"regexp"
	"strings"
)

// testDecl is one dbt test of a schema.yml, read: its name and arguments.
type testDecl struct {
	Name string
	Args map[string]any
}

// readTest reads a test entry: "unique", or {accepted_values: {…}}.
func readTest(entry any) (testDecl, error) {
	switch e := entry.(type) {
	case string:
		return testDecl{Name: e, Args: map[string]any{}}, nil
	case map[string]any:
		if len(e) != 1 {
			return testDecl{}, fmt.Errorf("a test entry with %d keys", len(e))
		}
		for name, v := range e {
			args, _ := v.(map[string]any)
			if args == nil {
				args = map[string]any{}
			}
			if more, ok := args["arguments"].(map[string]any); ok { // dbt 1.10
				for k, v := range more {
					args[k] = v
				}
				delete(args, "arguments")
			}
			return testDecl{Name: name, Args: args}, nil
		}
	}
	return testDecl{}, fmt.Errorf("a test entry of an unknown shape: %v", entry)
}

var (
	refArg    = regexp.MustCompile(`^\s*ref\(\s*['"]([^'"]+)['"]\s*\)\s*$`)
	sourceArg = regexp.MustCompile(`^\s*source\(\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]+)['"]\s*\)\s*$`)
)

// writeTests writes the weir test blocks of dbt tests on node (a column
// when column is set); a test weir has no equivalent for is reported.
func (c *converter) writeTests(w *hclWriter, node, column, from string, tests []any) {
	for _, entry := range tests {
		t, err := readTest(entry)
		if err == nil {
			err = c.writeTest(w, column, t)
		}
		if err != nil {
			what := node
			if column != "" {
				what += "." + column
			}
			c.report.skip("test", what+" "+t.Name, from, err.Error())
		}
	}
}

// writeTest writes one test block.
func (c *converter) writeTest(w *hclWriter, column string, t testDecl) error {
	settings := map[string]any{}
	if cfg, ok := t.Args["config"].(map[string]any); ok {
		for k, v := range cfg {
			settings[k] = v
		}
	}
	for _, k := range []string{"severity", "where", "error_if", "warn_if", "store_failures", "name"} {
		if v, ok := t.Args[k]; ok {
			settings[k] = v
		}
	}
	if s, ok := settings["severity"].(string); ok {
		settings["severity"] = strings.ToLower(s)
	}
	args := map[string]any{}
	name := t.Name
	switch t.Name {
	case "unique", "not_null":
	case "accepted_values":
		args["values"] = t.Args["values"]
		if q, ok := t.Args["quote"]; ok {
			args["quote"] = q
		}
	case "relationships":
		to, err := c.relationName(fmt.Sprint(t.Args["to"]))
		if err != nil {
			return err
		}
		args["to"], args["field"] = to, t.Args["field"]
	case "dbt_utils.expression_is_true":
		expr := fmt.Sprint(t.Args["expression"])
		if column != "" {
			expr = column + " " + expr
		}
		name, args["expression"] = "expression", expr
	case "dbt_utils.unique_combination_of_columns":
		name, args["columns"] = "unique_combination", t.Args["combination_of_columns"]
	default:
		return fmt.Errorf("test %s has no weir equivalent", t.Name)
	}
	w.block("test", name, func() {
		for _, k := range sortedKeys(args) {
			w.attr(k, args[k])
		}
		for _, k := range sortedKeys(settings) {
			if !settingKeys[k] {
				continue
			}
			w.attr(k, settings[k])
		}
	})
	c.report.tests++
	return nil
}

// settingKeys are the settings every weir data test takes.
var settingKeys = map[string]bool{"severity": true, "where": true, "error_if": true, "warn_if": true, "store_failures": true, "name": true}

// relationName is the weir name of ref('x') or source('s', 't').
func (c *converter) relationName(s string) (string, error) {
	if m := refArg.FindStringSubmatch(s); m != nil {
		if id, ok := c.ids[m[1]]; ok {
			return id, nil
		}
		return "", fmt.Errorf("%s: the project has no model or seed %s", s, m[1])
	}
	if m := sourceArg.FindStringSubmatch(s); m != nil && c.hasSource(m[1], m[2]) {
		return m[1] + "." + m[2], nil
	}
	return "", fmt.Errorf("relationships to %s: write to as ref('…') or source('…', '…')", s)
}

// writeColumns writes column blocks with their descriptions, types and
// tests.
func (c *converter) writeColumns(w *hclWriter, node, from string, cols []*columnProps) {
	for _, col := range cols {
		w.block("column", col.Name, func() {
			c.writeDescription(w, col.Description, from)
			c.writeTests(w, node, col.Name, from, allTests(col.Tests, col.DataTests))
		})
	}
}
