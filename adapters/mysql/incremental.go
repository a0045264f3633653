package mysql

import (
	"fmt"
	"strings"

	"github.com/weir-sh/weir/adapters"
)

// StageSteps stage an incremental run's rows in a TEMPORARY table: MySQL
// creates and drops those without committing, so the rows the run writes
// and its state record commit together, and a crash records neither.
func (d Dialect) StageSteps(rel adapters.Relation, sql string) []adapters.Step {
	staged := rel
	staged.Name = adapters.NewRowsName(rel.Name)
	q := adapters.QuoteRelation(d, staged)
	return []adapters.Step{
		{SQL: "DROP TEMPORARY TABLE IF EXISTS " + q},
		{SQL: fmt.Sprintf("CREATE TEMPORARY TABLE %s AS\n%s", q, sql)},
	}
}

// ApplySteps write the staged rows into the table by the spec's strategy
// and drop the staging table. MySQL has no UPDATE … FROM, and a single
// table DELETE takes no alias in MariaDB: merge updates through a join and
// inserts the keys that are new, delete+insert deletes through EXISTS. No
// unique index is needed (a table built by weir has none).
func (d Dialect) ApplySteps(s adapters.IncrementalSpec) ([]adapters.Step, error) {
	target, staged := adapters.QuoteRelation(d, s.Relation), adapters.QuoteRelation(d, s.Staged())
	insert := func(where string) adapters.Step {
		return adapters.Step{SQL: fmt.Sprintf("INSERT INTO %s (%s)\nSELECT %s FROM %s AS n%s",
			target, adapters.QuoteAll(d, s.Columns), adapters.Prefixed("n", d, s.Columns), staged, where), Counts: true}
	}
	match := adapters.KeyMatch(d, s.UniqueKey)
	var steps []adapters.Step
	switch s.Strategy {
	case "append":
		steps = []adapters.Step{insert("")}
	case "delete+insert":
		steps = []adapters.Step{
			{SQL: fmt.Sprintf("DELETE t FROM %s AS t\nWHERE EXISTS (SELECT 1 FROM %s AS n WHERE %s)", target, staged, match)},
			insert(""),
		}
	case "merge":
		var sets []string
		for _, c := range s.Columns {
			if !adapters.Contains(s.UniqueKey, c) {
				sets = append(sets, fmt.Sprintf("t.%s = n.%s", d.QuoteIdent(c), d.QuoteIdent(c)))
			}
		}
		if len(sets) > 0 {
			steps = append(steps, adapters.Step{SQL: fmt.Sprintf("UPDATE %s AS t JOIN %s AS n ON %s\nSET %s",
				target, staged, match, strings.Join(sets, ", ")), Counts: true})
		}
		steps = append(steps, insert(fmt.Sprintf("\nWHERE NOT EXISTS (SELECT 1 FROM %s AS t WHERE %s)", target, match)))
	case "time_range":
		col := d.QuoteIdent(s.TimeColumn)
		rng := fmt.Sprintf("%s >= %s AND %s < %s", col, s.Start, col, s.End)
		steps = []adapters.Step{
			{SQL: fmt.Sprintf("DELETE FROM %s WHERE %s", target, rng)},
			insert("\nWHERE n." + rng),
		}
	default:
		return nil, fmt.Errorf("incremental strategy %q has no SQL builder", s.Strategy)
	}
	return append(steps, adapters.Step{SQL: "DROP TEMPORARY TABLE " + staged}), nil
}

var _ adapters.IncrementalDialect = Dialect{}
