package dbt

import (
	"fmt"

	"github.com/nikolalohinski/gonja/v2/exec"
)

// dbtUtils maps the dbt_utils macros weir's standard library covers to
// calls of it; any other dbt_utils macro is an error naming it, so the
// file is reported as not translated.
func (r *rendering) dbtUtils() map[string]any {
	out := map[string]any{
		"star":                   r.star,
		"union_relations":        r.unionRelations,
		"pivot":                  r.pivot,
		"generate_surrogate_key": r.surrogateKey,
		"surrogate_key":          r.surrogateKey,
		"date_spine":             r.dateSpine,
	}
	for name, fn := range r.crossDB() { // dbt_utils had them before dbt
		out[name] = fn
	}
	for _, name := range []string{"get_column_values", "get_relations_by_pattern", "get_relations_by_prefix",
		"get_query_results_as_dict", "get_filtered_columns_in_relation", "get_single_value", "unpivot",
		"deduplicate", "group_by", "safe_add", "safe_divide", "haversine_distance", "width_bucket",
		"generate_series", "get_url_parameter", "get_url_host", "get_url_path", "nullcheck", "nullcheck_table"} {
		out[name] = unsupported("dbt_utils." + name)
	}
	return out
}

// unsupported is a function that fails, naming what weir lacks.
func unsupported(name string) func(*exec.VarArgs) (string, error) {
	return func(*exec.VarArgs) (string, error) {
		return "", fmt.Errorf("%s has no weir equivalent", name)
	}
}

// arg is the argument named name, or at position pos, or nil.
func arg(va *exec.VarArgs, pos int, name string) *exec.Value {
	if v, ok := va.KwArgs[name]; ok {
		return v
	}
	if pos < len(va.Args) {
		return va.Args[pos]
	}
	return nil
}

// strings of a list (or one string) argument.
func stringList(v *exec.Value) []string {
	if v == nil || v.IsNil() {
		return nil
	}
	if v.IsString() {
		return []string{v.String()}
	}
	var out []string
	for i := 0; i < v.Len(); i++ {
		out = append(out, v.Index(i).String())
	}
	return out
}

// onlyArgs refuses the arguments weir's macro has no equivalent for.
func onlyArgs(fn string, va *exec.VarArgs, allowed ...string) error {
	ok := map[string]bool{}
	for _, a := range allowed {
		ok[a] = true
	}
	for _, k := range sortedKeys(va.KwArgs) {
		if !ok[k] {
			return fmt.Errorf("dbt_utils.%s(%s=…) has no weir equivalent", fn, k)
		}
	}
	return nil
}

// star: dbt_utils.star(from, except=[], relation_alias=…).
func (r *rendering) star(va *exec.VarArgs) (string, error) {
	if err := onlyArgs("star", va, "from", "except", "relation_alias"); err != nil {
		return "", err
	}
	from := arg(va, 0, "from")
	if from == nil {
		return "", fmt.Errorf("dbt_utils.star needs from=")
	}
	except := stringList(arg(va, 1, "except"))
	alias := arg(va, 2, "relation_alias")
	r.notes = append(r.notes, fmt.Sprintf("dbt_utils.star of %s lists the columns %s declares (schema.yml, or a seed's header)", from.String(), from.String()))
	if (alias == nil || alias.IsNil()) && len(except) > 0 {
		return weirCall("star", append([]string{from.String()}, except...)...), nil
	}
	prefix := ""
	if alias != nil && !alias.IsNil() {
		prefix = alias.String() + "."
	}
	return fmt.Sprintf("{{ range $i, $c := columns %s }}{{ if $i }}, {{ end }}%s{{ $c.Ident }}{{ end }}",
		templateArgs(append([]string{from.String()}, except...)...), prefix), nil
}

// unionRelations: dbt_utils.union_relations(relations=[…]).
func (r *rendering) unionRelations(va *exec.VarArgs) (string, error) {
	if err := onlyArgs("union_relations", va, "relations"); err != nil {
		return "", err
	}
	rels := stringList(arg(va, 0, "relations"))
	if len(rels) == 0 {
		return "", fmt.Errorf("dbt_utils.union_relations needs relations=[…]")
	}
	r.notes = append(r.notes, "dbt_utils.union_relations: the column naming each row's relation is _weir_source_relation (dbt: _dbt_source_relation), holding schema.name")
	return weirCall("union_relations", rels...), nil
}

// pivot: dbt_utils.pivot(column, values, then_value=…) with dbt's other
// defaults (sum, =, else 0, no prefix or suffix).
func (r *rendering) pivot(va *exec.VarArgs) (string, error) {
	if err := onlyArgs("pivot", va, "column", "values", "then_value", "alias", "quote_identifiers"); err != nil {
		return "", err
	}
	col, vals := arg(va, 0, "column"), stringList(arg(va, 1, "values"))
	if col == nil || len(vals) == 0 {
		return "", fmt.Errorf("dbt_utils.pivot needs a column and a list of values")
	}
	then := "1"
	if v := arg(va, 7, "then_value"); v != nil {
		then = v.String()
	}
	return weirCall("pivot", append([]string{col.String(), then}, vals...)...), nil
}

// surrogateKey: dbt_utils.generate_surrogate_key([cols]).
func (r *rendering) surrogateKey(va *exec.VarArgs) (string, error) {
	var cols []string
	for _, a := range va.Args {
		cols = append(cols, stringList(a)...)
	}
	if v, ok := va.KwArgs["field_list"]; ok {
		cols = append(cols, stringList(v)...)
	}
	if len(cols) == 0 {
		return "", fmt.Errorf("dbt_utils.generate_surrogate_key needs a list of columns")
	}
	r.notes = append(r.notes, "dbt_utils.generate_surrogate_key is weir's surrogate_key: an md5 the same on every warehouse, but not the same text as dbt's (NULL is _weir_null_), so keys differ from those dbt wrote")
	return weirCall("surrogate_key", cols...), nil
}

// dateSpine: dbt_utils.date_spine(datepart, start_date, end_date).
func (r *rendering) dateSpine(va *exec.VarArgs) (string, error) {
	part, start, end := arg(va, 0, "datepart"), arg(va, 1, "start_date"), arg(va, 2, "end_date")
	if part == nil || start == nil || end == nil {
		return "", fmt.Errorf("dbt_utils.date_spine needs datepart, start_date and end_date")
	}
	return weirCall("date_spine", part.String(), start.String(), end.String()), nil
}

// toValue wraps a Go value (from YAML or config(…)) for stringList.
func toValue(v any) *exec.Value { return exec.AsValue(v) }
