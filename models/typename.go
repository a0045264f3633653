package models

import (
	"fmt"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// CheckTypeName reports why s is not a SQL type name; nil when it is.
// weir writes the types a project declares (a column's type, a seed's
// column_types, a unit test's types) into CASTs and column definitions as
// they are, so it accepts only what a type name is made of: words, which
// may be dotted (myschema.mytype) or double-quoted, separated by spaces
// (double precision, timestamp with time zone); after a word, parameters
// in parentheses, each a number or a type ((10, 2), (a INT, b VARCHAR));
// and array brackets with an optional size ([] or [3]). Quotes, semicolons,
// comments and operators are refused, so a type cannot end the statement.
func CheckTypeName(s string) error {
	p := &typeParser{s: s}
	p.space()
	if p.done() {
		return fmt.Errorf("the type is empty")
	}
	if err := p.typ(); err != nil {
		return err
	}
	p.space()
	if !p.done() {
		return p.unexpected()
	}
	return nil
}

// typeParser reads a type name by recursive descent.
type typeParser struct {
	s     string
	i     int
	depth int
}

func (p *typeParser) done() bool { return p.i >= len(p.s) }

func (p *typeParser) peek() byte {
	if p.done() {
		return 0
	}
	return p.s[p.i]
}

func (p *typeParser) space() {
	for !p.done() && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == '\n' || p.s[p.i] == '\r') {
		p.i++
	}
}

func (p *typeParser) unexpected() error {
	if p.done() {
		return fmt.Errorf("it ends early")
	}
	return fmt.Errorf("unexpected %q at character %d", p.s[p.i:p.i+1], p.i+1)
}

// typ reads segments separated by spaces: timestamp(3) with time zone.
func (p *typeParser) typ() error {
	if err := p.segment(); err != nil {
		return err
	}
	for {
		save := p.i
		p.space()
		if !isIdentStart(p.peek()) && p.peek() != '"' {
			p.i = save
			return nil
		}
		if err := p.segment(); err != nil {
			return err
		}
	}
}

// segment is a dotted name with optional parameters and array brackets.
func (p *typeParser) segment() error {
	if err := p.name(); err != nil {
		return err
	}
	save := p.i
	p.space()
	if p.peek() == '(' {
		if err := p.params(); err != nil {
			return err
		}
	} else {
		p.i = save
	}
	for p.peek() == '[' {
		p.i++
		for isDigit(p.peek()) {
			p.i++
		}
		if p.peek() != ']' {
			return p.unexpected()
		}
		p.i++
	}
	return nil
}

func (p *typeParser) name() error {
	for {
		if err := p.ident(); err != nil {
			return err
		}
		if p.peek() != '.' {
			return nil
		}
		p.i++
	}
}

func (p *typeParser) ident() error {
	switch c := p.peek(); {
	case isIdentStart(c):
		for isIdentStart(p.peek()) || isDigit(p.peek()) || p.peek() == '$' {
			p.i++
		}
		return nil
	case c == '"':
		start := p.i
		p.i++
		for {
			if p.done() {
				p.i = start
				return fmt.Errorf("the quoted name at character %d is not closed", start+1)
			}
			if p.s[p.i] == '"' {
				if p.i+1 < len(p.s) && p.s[p.i+1] == '"' {
					p.i += 2
					continue
				}
				p.i++
				if p.i == start+2 {
					return fmt.Errorf("empty quoted name at character %d", start+1)
				}
				return nil
			}
			p.i++
		}
	}
	return p.unexpected()
}

// params reads (arg, …), each arg a number or a type.
func (p *typeParser) params() error {
	if p.depth++; p.depth > 8 {
		return fmt.Errorf("parameters nested too deep")
	}
	defer func() { p.depth-- }()
	p.i++ // (
	for {
		p.space()
		if isDigit(p.peek()) {
			for isDigit(p.peek()) {
				p.i++
			}
		} else if err := p.typ(); err != nil {
			return err
		}
		p.space()
		switch p.peek() {
		case ',':
			p.i++
		case ')':
			p.i++
			return nil
		default:
			return p.unexpected()
		}
	}
}

func isIdentStart(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// typeNameDiag is the diagnostic for a declared type that is not a type
// name, at rng; nil when it is one.
func typeNameDiag(what, typ string, rng hcl.Range) *hcl.Diagnostic {
	err := CheckTypeName(typ)
	if err == nil {
		return nil
	}
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Not a type name",
		Detail: fmt.Sprintf("%s is %q, which is not a SQL type name: %v. Write a type such as integer, varchar(20), decimal(10, 2), timestamp with time zone or text[].",
			what, typ, err),
		Subject: rng.Ptr()}
}

// decodeTypeMap decodes a map of column name to SQL type (a seed's
// column_types, a unit test's types) and checks every type, pointing a
// bad one at its value. A missing attribute gives nil.
func decodeTypeMap(expr hcl.Expression, attr string) (map[string]string, hcl.Diagnostics) {
	if expr == nil || isNullExpr(expr) {
		return nil, nil
	}
	var m map[string]string
	if diags := gohcl.DecodeExpression(expr, evalContext(), &m); diags.HasErrors() {
		return nil, diags
	}
	ranges := map[string]hcl.Range{}
	if oc, ok := expr.(*hclsyntax.ObjectConsExpr); ok {
		for _, it := range oc.Items {
			if k, d := it.KeyExpr.Value(evalContext()); !d.HasErrors() && k.Type() == cty.String && k.IsKnown() {
				ranges[k.AsString()] = it.ValueExpr.Range()
			}
		}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var diags hcl.Diagnostics
	for _, k := range keys {
		rng, ok := ranges[k]
		if !ok {
			rng = expr.Range()
		}
		if d := typeNameDiag(fmt.Sprintf("%s of column %q", attr, k), m[k], rng); d != nil {
			diags = append(diags, d)
		}
	}
	return m, diags
}

// checkColumnTypes checks the type of every documented column of the
// project's models, seeds and sources.
func (p *Project) checkColumnTypes() hcl.Diagnostics {
	var diags hcl.Diagnostics
	check := func(cols []Column) {
		for _, c := range cols {
			if c.Type == "" {
				continue
			}
			rng := c.TypeRange
			if rng.Filename == "" {
				rng = c.DeclRange
			}
			if d := typeNameDiag(fmt.Sprintf("the type of column %q", c.Name), c.Type, rng); d != nil {
				diags = append(diags, d)
			}
		}
	}
	for _, m := range p.Models {
		check(m.Config.Columns)
	}
	for _, s := range p.Seeds {
		check(s.Columns)
	}
	for _, s := range p.Sources {
		check(s.Columns)
	}
	return diags
}
