package adapters

import (
	"fmt"
	"strings"
)

// NewRowsName is the name of the table an incremental run stages its new
// rows in before applying them.
func NewRowsName(name string) string { return "__weir_new_" + name }

// IncrementalSpec describes one incremental run of a model whose table
// exists. The new rows are staged in NewRowsName(Relation.Name) first.
type IncrementalSpec struct {
	Relation  Relation
	Strategy  string   // append, merge, delete+insert, time_range
	UniqueKey []string // merge and delete+insert
	// Columns of the staged rows, inserted by name.
	Columns []string
	// TimeColumn and the literal bounds Start and End (as SQL) of a
	// time_range run.
	TimeColumn, Start, End string
}

// Staged is the relation holding the staged rows of a spec.
func (s IncrementalSpec) Staged() Relation {
	r := s.Relation
	r.Name = NewRowsName(r.Name)
	return r
}

// IncrementalDialect is implemented by dialects that stage and apply an
// incremental run's rows their own way: MySQL stages them in a TEMPORARY
// table, whose CREATE and DROP do not commit, so that the rows written and
// the state record stay one transaction, and writes its own UPDATE and
// DELETE joins. StageSteps and ApplySteps call it when d has it.
type IncrementalDialect interface {
	StageSteps(rel Relation, sql string) []Step
	ApplySteps(s IncrementalSpec) ([]Step, error)
}

// StageSteps create the staging table from the model's SQL.
func StageSteps(d Dialect, rel Relation, sql string) []Step {
	if id, ok := d.(IncrementalDialect); ok {
		return id.StageSteps(rel, sql)
	}
	staged := rel
	staged.Name = NewRowsName(rel.Name)
	q := QuoteRelation(d, staged)
	return []Step{
		{SQL: "DROP TABLE IF EXISTS " + q},
		{SQL: fmt.Sprintf("CREATE TABLE %s AS\n%s", q, sql)},
	}
}

// NullKeySQL counts staged rows with a NULL in any unique_key column.
func NullKeySQL(d Dialect, s IncrementalSpec) string {
	conds := make([]string, len(s.UniqueKey))
	for i, k := range s.UniqueKey {
		conds[i] = d.QuoteIdent(k) + " IS NULL"
	}
	return fmt.Sprintf("SELECT count(*) FROM %s WHERE %s", QuoteRelation(d, s.Staged()), strings.Join(conds, " OR "))
}

// DuplicateKeySQL counts unique_key values that occur more than once in
// the staged rows (merge cannot tell which of them wins).
func DuplicateKeySQL(d Dialect, s IncrementalSpec) string {
	keys := QuoteAll(d, s.UniqueKey)
	return fmt.Sprintf("SELECT count(*) FROM (SELECT %s FROM %s GROUP BY %s HAVING count(*) > 1) AS dup",
		keys, QuoteRelation(d, s.Staged()), keys)
}

// ApplySteps write the staged rows into the table by the spec's strategy
// and drop the staging table. Counting steps sum to the rows written.
func ApplySteps(d Dialect, s IncrementalSpec) ([]Step, error) {
	if id, ok := d.(IncrementalDialect); ok {
		return id.ApplySteps(s)
	}
	target, staged := QuoteRelation(d, s.Relation), QuoteRelation(d, s.Staged())
	cols := QuoteAll(d, s.Columns)
	insert := func(where string) Step {
		return Step{SQL: fmt.Sprintf("INSERT INTO %s (%s)\nSELECT %s FROM %s AS n%s", target, cols, Prefixed("n", d, s.Columns), staged, where), Counts: true}
	}
	var steps []Step
	switch s.Strategy {
	case "append":
		steps = []Step{insert("")}
	case "delete+insert":
		steps = []Step{
			{SQL: fmt.Sprintf("DELETE FROM %s AS t\nWHERE EXISTS (SELECT 1 FROM %s AS n WHERE %s)", target, staged, KeyMatch(d, s.UniqueKey))},
			insert(""),
		}
	case "merge":
		var sets []string
		for _, c := range s.Columns {
			if !Contains(s.UniqueKey, c) {
				sets = append(sets, fmt.Sprintf("%s = n.%s", d.QuoteIdent(c), d.QuoteIdent(c)))
			}
		}
		if len(sets) > 0 {
			steps = append(steps, Step{SQL: fmt.Sprintf("UPDATE %s AS t SET %s\nFROM %s AS n\nWHERE %s", target, strings.Join(sets, ", "), staged, KeyMatch(d, s.UniqueKey)), Counts: true})
		}
		steps = append(steps, insert(fmt.Sprintf("\nWHERE NOT EXISTS (SELECT 1 FROM %s AS t WHERE %s)", target, KeyMatch(d, s.UniqueKey))))
	case "time_range":
		col := d.QuoteIdent(s.TimeColumn)
		rng := fmt.Sprintf("%s >= %s AND %s < %s", col, s.Start, col, s.End)
		steps = []Step{
			{SQL: fmt.Sprintf("DELETE FROM %s WHERE %s", target, rng)},
			insert("\nWHERE n." + rng),
		}
	default:
		return nil, fmt.Errorf("incremental strategy %q has no SQL builder", s.Strategy)
	}
	return append(steps, Step{SQL: "DROP TABLE " + staged}), nil
}

// KeyMatch is the join condition of target t and staged n on the key.
func KeyMatch(d Dialect, keys []string) string {
	conds := make([]string, len(keys))
	for i, k := range keys {
		q := d.QuoteIdent(k)
		conds[i] = fmt.Sprintf("t.%s = n.%s", q, q)
	}
	return strings.Join(conds, " AND ")
}

// QuoteAll quotes names with d and joins them with commas.
func QuoteAll(d Dialect, names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = d.QuoteIdent(n)
	}
	return strings.Join(q, ", ")
}

// Prefixed quotes names with d, each after alias and a dot, joined with
// commas.
func Prefixed(alias string, d Dialect, names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = alias + "." + d.QuoteIdent(n)
	}
	return strings.Join(q, ", ")
}

// Contains reports whether list holds s, case-insensitively.
func Contains(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// SchemaChange compares the columns of the existing table with those of
// the staged rows.
type SchemaChange struct {
	Added   []ColumnInfo // in the new rows only
	Removed []ColumnInfo // in the table only
	Changed []string     // same name, other type: "col: OLD → NEW"
}

// Empty reports whether the columns agree.
func (c SchemaChange) Empty() bool {
	return len(c.Added) == 0 && len(c.Removed) == 0 && len(c.Changed) == 0
}

// String lists the differences, for error messages.
func (c SchemaChange) String() string {
	var parts []string
	for _, a := range c.Added {
		parts = append(parts, "new column "+a.Name+" "+a.Type)
	}
	for _, r := range c.Removed {
		parts = append(parts, "column "+r.Name+" is gone")
	}
	for _, ch := range c.Changed {
		parts = append(parts, "type of "+ch)
	}
	return strings.Join(parts, "; ")
}

// CompareColumns works out the schema change from old to new.
func CompareColumns(old, new []ColumnInfo) SchemaChange {
	var c SchemaChange
	byName := map[string]ColumnInfo{}
	for _, o := range old {
		byName[strings.ToLower(o.Name)] = o
	}
	seen := map[string]bool{}
	for _, n := range new {
		key := strings.ToLower(n.Name)
		seen[key] = true
		o, ok := byName[key]
		switch {
		case !ok:
			c.Added = append(c.Added, n)
		case !strings.EqualFold(o.Type, n.Type):
			c.Changed = append(c.Changed, fmt.Sprintf("%s: %s → %s", n.Name, o.Type, n.Type))
		}
	}
	for _, o := range old {
		if !seen[strings.ToLower(o.Name)] {
			c.Removed = append(c.Removed, o)
		}
	}
	return c
}

// SchemaSteps alter the table for a schema change under a policy:
// append_new_columns adds columns, sync_all_columns also drops the ones
// that are gone. Type changes are refused; they need --full-refresh.
func SchemaSteps(d Dialect, rel Relation, c SchemaChange, policy string) ([]Step, error) {
	if c.Empty() {
		return nil, nil
	}
	if policy == "fail" || len(c.Changed) > 0 {
		return nil, fmt.Errorf("the model's columns changed (%s); set on_schema_change = \"append_new_columns\" or \"sync_all_columns\", or rebuild with --full-refresh", c)
	}
	target := QuoteRelation(d, rel)
	var steps []Step
	for _, a := range c.Added {
		steps = append(steps, Step{SQL: fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s %s", target, d.QuoteIdent(a.Name), a.Type)})
	}
	if policy == "sync_all_columns" {
		for _, r := range c.Removed {
			steps = append(steps, Step{SQL: fmt.Sprintf("ALTER TABLE %s DROP COLUMN %s", target, d.QuoteIdent(r.Name))})
		}
	}
	return steps, nil
}
