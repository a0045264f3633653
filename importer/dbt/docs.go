package dbt

import (
	"fmt"
	"regexp"
	"strings"
)

var (
	docsBlock = regexp.MustCompile(`(?s)\{%-?\s*docs\s+(\w+)\s*-?%\}(.*?)\{%-?\s*enddocs\s*-?%\}`)
	docCall   = regexp.MustCompile(`\{\{\s*doc\(\s*['"](\w+)['"]\s*\)\s*\}\}`)
)

// readDocs reads the {% docs NAME %} blocks of the .md files in the
// model folders and docs-paths, which descriptions name as
// {{ doc('NAME') }}.
func (c *converter) readDocs() {
	c.docs = map[string]string{}
	roots := append(append([]string{}, c.p.ModelPaths...), c.p.DocsPaths...)
	for _, f := range c.p.files(roots, ".md") {
		src, err := c.p.read(f)
		if err != nil {
			continue
		}
		for _, m := range docsBlock.FindAllStringSubmatch(src, -1) {
			c.docs[m[1]] = strings.TrimSpace(m[2])
		}
	}
}

// writeDescription writes description = …, its {{ doc('x') }} replaced
// by the docs block x.
func (c *converter) writeDescription(w *hclWriter, desc, from string) {
	desc = docCall.ReplaceAllStringFunc(desc, func(call string) string {
		name := docCall.FindStringSubmatch(call)[1]
		text, ok := c.docs[name]
		if !ok {
			c.report.note(from, fmt.Sprintf("%s names no {%% docs %s %%} block: kept as written", call, name))
			return call
		}
		return text
	})
	if desc = strings.TrimSpace(desc); desc != "" {
		w.attr("description", desc)
	}
}
