package dbt

import (
	"fmt"
	"regexp"
	"strings"
)

// dispatchBody is a macro that only hands over to its per-adapter
// implementations: {{ return(adapter.dispatch('NAME', …)(args)) }}.
var dispatchBody = regexp.MustCompile(`^\s*\{\{-?\s*return\(\s*adapter\.dispatch\(\s*['"](\w+)['"][^)]*\)\s*\([^)]*\)\s*\)\s*-?\}\}\s*$`)

// weirAdapters are the adapters a variant NAME.ADAPTER.sql may name.
var weirAdapters = map[string]bool{"duckdb": true, "postgres": true, "mysql": true}

// resolveDispatch turns a macro that dispatches on the adapter into a
// weir macro with per-adapter variants: default__NAME becomes NAME.sql,
// postgres__NAME becomes NAME.postgres.sql, and so on, when each of them
// is mechanical and takes the dispatcher's parameters.
func (c *converter) resolveDispatch() {
	for _, name := range sortedKeys(c.macros) {
		m := c.macros[name]
		sub := dispatchBody.FindStringSubmatch(m.body)
		if sub == nil || sub[1] != name {
			continue
		}
		def := c.macros["default__"+name]
		if def == nil {
			m.reason = "it dispatches on the adapter but the project has no default__" + name
			continue
		}
		impls := map[string]*macro{"": def}
		for _, other := range sortedKeys(c.macros) {
			adapter, ok := strings.CutSuffix(other, "__"+name)
			if ok && adapter != "default" {
				if !weirAdapters[adapter] {
					c.report.note(c.macros[other].File.Path(), fmt.Sprintf("macro %s is for %s, an adapter weir does not build on: left out", other, adapter))
					c.macros[other].variantOf = true
					continue
				}
				impls[adapter] = c.macros[other]
			}
		}
		if reason := dispatchable(m, impls); reason != "" {
			m.reason = reason
			continue
		}
		m.weir, m.variants = def.weir, map[string]string{}
		for adapter, impl := range impls {
			impl.variantOf = true
			if adapter != "" {
				m.variants[adapter] = impl.weir
			}
		}
	}
}

// dispatchable says why impls cannot be m's weir variants, or "".
func dispatchable(m *macro, impls map[string]*macro) string {
	for _, adapter := range sortedKeys(impls) {
		impl := impls[adapter]
		switch {
		case impl.weir == "":
			return fmt.Sprintf("it dispatches to %s, which weir cannot write as a macro (%s)", impl.Name, impl.reason)
		case len(impl.Params) != len(m.Params):
			return fmt.Sprintf("it dispatches to %s, which takes %d parameters, not %d", impl.Name, len(impl.Params), len(m.Params))
		}
	}
	return ""
}
