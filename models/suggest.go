package models

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/agext/levenshtein"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// DidYouMean is ` Did you mean "X"?` for the known name X nearest to a
// name written that is none of them: one it starts ("desc" for
// "description"), else one within two edits ("retrys", "retry_backof");
// "" when none is near. Every unknown-setting error ends with it.
func DidYouMean(name string, known []string) string {
	best, bestD := "", 3
	for _, k := range known {
		if len(name) >= 3 && strings.HasPrefix(k, name) {
			best, bestD = k, 0
			break
		}
		if d := levenshtein.Distance(name, k, nil); d < bestD {
			best, bestD = k, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" Did you mean %q?", best)
}

// decodeBody is gohcl.DecodeBody, but each attribute or block v does not
// take, in body or in a block nested in it, is an error suggesting the
// nearest setting that would be taken there (gohcl suggests only one
// within two edits, and knows nothing of what a ",remain" body holds).
func decodeBody(body hcl.Body, v any) hcl.Diagnostics {
	return decodeKnowing(body, v, nil)
}

// decodeRest decodes into v the settings left in rest, what a decode into
// outer kept for later (its ",remain" body): a setting that is neither
// outer's nor v's is an error suggesting the nearest of them all.
func decodeRest(rest hcl.Body, outer, v any) hcl.Diagnostics {
	s, _ := gohcl.ImpliedBodySchema(outer)
	return decodeKnowing(rest, v, schemaNames(s))
}

// decodeKnowing decodes body into v; the names in also are taken too (an
// outer decode took them).
func decodeKnowing(body hcl.Body, v any, also []string) hcl.Diagnostics {
	syntax, ok := body.(*hclsyntax.Body)
	if !ok {
		return gohcl.DecodeBody(body, evalContext(), v)
	}
	diags := unknownSettings(syntax, reflect.TypeOf(v), also)
	reported := map[hcl.Pos]bool{}
	for _, d := range diags {
		reported[d.Subject.Start] = true
	}
	for _, d := range gohcl.DecodeBody(body, evalContext(), v) {
		// gohcl's error at a setting reported above is left out, for the
		// better suggestion; one elsewhere is kept: a known name of the
		// wrong kind (vars { … } where vars = { … } goes) is only gohcl's.
		unsupported := d.Summary == "Unsupported argument" || d.Summary == "Unsupported block type"
		if !unsupported || d.Subject == nil || !reported[d.Subject.Start] {
			diags = append(diags, d)
		}
	}
	return diags
}

// unknownSettings reports the attributes and blocks of body that the
// gohcl struct t does not take, and those of its blocks, through their
// own structs. A struct with a ",remain" field takes any attribute and
// block, to be decoded later (decodeRest).
func unknownSettings(body *hclsyntax.Body, t reflect.Type, also []string) hcl.Diagnostics {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	schema, remain := gohcl.ImpliedBodySchema(reflect.New(t).Interface())
	known := append(schemaNames(schema), also...)
	nested := map[string]reflect.Type{}
	for i := range t.NumField() {
		name, kind, _ := strings.Cut(t.Field(i).Tag.Get("hcl"), ",")
		if kind == "block" {
			nested[name] = t.Field(i).Type
		}
	}
	var diags hcl.Diagnostics
	for name, a := range body.Attributes {
		if !remain && !slices.Contains(known, name) {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unsupported argument",
				Detail:  fmt.Sprintf("An argument named %q is not expected here.%s", name, DidYouMean(name, known)),
				Subject: a.NameRange.Ptr()})
		}
	}
	for _, b := range body.Blocks {
		if bt, ok := nested[b.Type]; ok {
			diags = append(diags, unknownSettings(b.Body, bt, nil)...)
		} else if !remain && !slices.Contains(known, b.Type) {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unsupported block type",
				Detail:  fmt.Sprintf("Blocks of type %q are not expected here.%s", b.Type, DidYouMean(b.Type, known)),
				Subject: b.TypeRange.Ptr()})
		}
	}
	slices.SortFunc(diags, func(a, b *hcl.Diagnostic) int { return a.Subject.Start.Byte - b.Subject.Start.Byte })
	return diags
}

// schemaNames are the attribute names and block types of s.
func schemaNames(s *hcl.BodySchema) []string {
	var out []string
	for _, a := range s.Attributes {
		out = append(out, a.Name)
	}
	for _, b := range s.Blocks {
		out = append(out, b.Type)
	}
	return out
}
