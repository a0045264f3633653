package dbt

import (
	"fmt"
	"path"
	"strings"
)

// model translates one model file: its SQL rendered (models.go's
// translateSQL), a config header from config(…), schema.yml and
// dbt_project.yml.
func (c *converter) model(f file) {
	name := strings.TrimSuffix(path.Base(f.Rel), ".sql")
	id := c.ids[name]
	src, err := c.p.read(f)
	if err != nil {
		c.report.skip("model", id, f.Path(), err.Error())
		return
	}
	sql, r, err := c.translateSQL(f.Path(), src, false)
	if err != nil {
		c.report.skip("model", id, f.Path(), err.Error())
		return
	}
	props := c.props.Models[name]
	cfg := c.p.folderConfig(c.p.Models, f.Rel)
	if props != nil {
		for k, v := range props.Config {
			cfg[k] = v
		}
	}
	for k, v := range r.config {
		cfg[k] = v
	}
	if cfg["materialized"] == "incremental" {
		if sql, r, err = c.translateSQL(f.Path(), src, true); err != nil {
			c.report.skip("model", id, f.Path(), err.Error())
			return
		}
	}
	header := c.modelHeader(id, cfg, props)
	c.report.note(f.Path(), r.notes...)
	c.files[weirPath("models/", f)] = []byte(header + strings.TrimLeft(sql, "\n"))
	c.report.models++
}

// modelHeader is the /* config */ header of model id.
func (c *converter) modelHeader(id string, cfg map[string]any, props *nodeProps) string {
	var w hclWriter
	mat := "view" // dbt's default
	if s, ok := cfg["materialized"].(string); ok {
		mat = s
	}
	switch mat {
	case "view", "table", "ephemeral", "incremental":
	default:
		c.report.note(c.where[id], fmt.Sprintf("materialized = %q has no weir equivalent: built as a table", mat))
		mat = "table"
	}
	w.attr("materialized", mat)
	if props != nil {
		c.writeDescription(&w, props.Description, props.From)
	}
	for _, k := range sortedKeys(cfg) {
		v := cfg[k]
		switch k {
		case "materialized", "schema", "docs", "persist_docs":
		case "tags":
			w.attr("tags", stringList(toValue(v)))
		case "enabled":
			w.attr("enabled", v)
		case "unique_key":
			if mat == "incremental" {
				w.attr("unique_key", stringList(toValue(v)))
			}
		case "on_schema_change":
			if s := fmt.Sprint(v); s != "ignore" {
				w.attr("on_schema_change", s)
			}
		case "incremental_strategy":
		default:
			c.report.note(c.where[id], fmt.Sprintf("config %s = %v is not translated", k, v))
		}
	}
	if mat == "incremental" {
		w.attr("strategy", c.strategy(id, cfg))
	}
	if props != nil {
		c.writeTests(&w, id, "", props.From, allTests(props.Tests, props.DataTests))
		c.writeColumns(&w, id, props.From, props.Columns)
	}
	return "/* config\n" + w.String() + "*/\n"
}

// strategy is the weir strategy of an incremental model: dbt's, or its
// default (delete+insert with a unique_key, else append).
func (c *converter) strategy(id string, cfg map[string]any) string {
	s, _ := cfg["incremental_strategy"].(string)
	switch s {
	case "append", "merge", "delete+insert":
		return s
	case "":
		if cfg["unique_key"] != nil {
			return "delete+insert"
		}
		return "append"
	}
	c.report.note(c.where[id], fmt.Sprintf("incremental_strategy %q has no weir equivalent: append", s))
	return "append"
}
