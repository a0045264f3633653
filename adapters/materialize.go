package adapters

import (
	"context"
	"fmt"
	"strings"
)

// Spec describes one relation to build.
type Spec struct {
	Relation     Relation
	Materialized string // "table" or "view"
	SQL          string // the model's compiled SELECT
	// Existing is the kind of the relation already at Relation ("" when
	// none), so a rebuild can replace a view with a table and back.
	Existing string
}

// Step is one statement of a materialization.
type Step struct {
	SQL string
	// Counts marks the statement whose affected-row count is the number of
	// rows the model produced.
	Counts bool
}

// TempName is the name a table is built under before it is swapped in.
func TempName(name string) string { return "__weir_tmp_" + name }

// Steps returns the statements that build s, to be run in one transaction.
// A table that exists is built under a temporary name and swapped in, so a
// failed build leaves the old table readable and a reader never sees a
// half-built one.
func Steps(d Dialect, s Spec) ([]Step, error) {
	rel := QuoteRelation(d, s.Relation)
	// Without transactional DDL, a Swapper builds a new relation aside
	// too: a statement killed or crashed half way never leaves a partial
	// table under the model's name.
	if sw, ok := d.(Swapper); ok && (s.Existing != "" || !d.SupportsTransactionalDDL()) {
		return swapperSteps(d, sw, s)
	}
	switch s.Materialized {
	case KindView:
		steps := dropSteps(d, s.Relation, s.Existing)
		return append(steps, Step{SQL: fmt.Sprintf("CREATE VIEW %s AS\n%s", rel, s.SQL)}), nil
	case KindTable:
		if s.Existing == "" {
			return []Step{{SQL: fmt.Sprintf("CREATE TABLE %s AS\n%s", rel, s.SQL), Counts: true}}, nil
		}
		tmp := s.Relation
		tmp.Name = TempName(s.Relation.Name)
		qtmp := QuoteRelation(d, tmp)
		steps := []Step{
			{SQL: fmt.Sprintf("DROP TABLE IF EXISTS %s", qtmp)},
			{SQL: fmt.Sprintf("CREATE TABLE %s AS\n%s", qtmp, s.SQL), Counts: true},
		}
		return append(steps, SwapSteps(d, s.Relation, s.Existing)...), nil
	}
	return nil, fmt.Errorf("materialization %q has no SQL builder", s.Materialized)
}

// SwapSteps replace the relation at rel (of kind existing) with the table
// built under TempName.
func SwapSteps(d Dialect, rel Relation, existing string) []Step {
	if sw, ok := d.(Swapper); ok {
		return sw.SwapSteps(rel, existing, KindTable)
	}
	tmp := rel
	tmp.Name = TempName(rel.Name)
	steps := dropSteps(d, rel, existing)
	return append(steps, Step{SQL: fmt.Sprintf("ALTER TABLE %s RENAME TO %s", QuoteRelation(d, tmp), d.QuoteIdent(rel.Name))})
}

// Swapper is implemented by dialects that replace an existing relation in
// their own way rather than by DROP and RENAME: on Postgres a DROP takes the
// views that read the relation with it, so its swap recreates them. With a
// Swapper, Steps builds a table or a view that replaces another relation
// under TempName and then runs SwapSteps, all in one transaction.
type Swapper interface {
	// SwapSteps replace the relation at rel, of kind existing, with the
	// relation of kind built that was created as TempName(rel.Name) in the
	// same schema.
	SwapSteps(rel Relation, existing, built string) []Step
}

// swapperSteps builds s under the temporary name and swaps it in with sw.
func swapperSteps(d Dialect, sw Swapper, s Spec) ([]Step, error) {
	tmp := s.Relation
	tmp.Name = TempName(s.Relation.Name)
	qtmp := QuoteRelation(d, tmp)
	var steps []Step
	switch s.Materialized {
	case KindView:
		steps = []Step{
			{SQL: fmt.Sprintf("DROP VIEW IF EXISTS %s", qtmp)},
			{SQL: fmt.Sprintf("CREATE VIEW %s AS\n%s", qtmp, s.SQL)},
		}
	case KindTable:
		steps = []Step{
			{SQL: fmt.Sprintf("DROP TABLE IF EXISTS %s", qtmp)},
			{SQL: fmt.Sprintf("CREATE TABLE %s AS\n%s", qtmp, s.SQL), Counts: true},
		}
	default:
		return nil, fmt.Errorf("materialization %q has no SQL builder", s.Materialized)
	}
	return append(steps, sw.SwapSteps(s.Relation, s.Existing, s.Materialized)...), nil
}

func dropSteps(d Dialect, rel Relation, existing string) []Step {
	if q := DropSQL(d, rel, existing); q != "" {
		return []Step{{SQL: q}}
	}
	return nil
}

// DropSQL drops rel, a relation of the given kind (KindTable or
// KindView); "" for another kind.
func DropSQL(d Dialect, rel Relation, kind string) string {
	switch kind {
	case KindTable:
		return fmt.Sprintf("DROP TABLE %s%s", QuoteRelation(d, rel), d.DropCascade())
	case KindView:
		return fmt.Sprintf("DROP VIEW %s%s", QuoteRelation(d, rel), d.DropCascade())
	}
	return ""
}

// Batcher is implemented by dialects whose Exec runs several statements,
// each ended by a semicolon, in one round trip to the warehouse and
// reports the row count of the last (Postgres's simple query protocol).
type Batcher interface {
	// BatchesStatements marks the dialect; it does nothing.
	BatchesStatements()
}

// WithStatement returns steps with stmt sent in the same round trip as
// the last step, when d batches statements (Batcher), and ok false (steps
// unchanged) when it does not or there are no steps. stmt runs before a
// last step that counts rows, so that the round trip reports that step's
// count, and after one that does not.
func WithStatement(d Dialect, steps []Step, stmt string) (out []Step, ok bool) {
	if _, batches := d.(Batcher); !batches || len(steps) == 0 {
		return steps, false
	}
	out = append([]Step(nil), steps...)
	last := &out[len(out)-1]
	if last.Counts {
		last.SQL = stmt + ";\n" + last.SQL
	} else {
		// The newline ends a comment the step's SQL may end with.
		last.SQL = last.SQL + "\n;\n" + stmt
	}
	return out, true
}

// Batched returns the statements to send for stmts: all of them in one,
// each ended by a semicolon, when d batches statements (Batcher), and
// stmts one by one otherwise.
func Batched(d Dialect, stmts []string) []string {
	if _, batches := d.(Batcher); !batches || len(stmts) < 2 {
		return stmts
	}
	return []string{strings.Join(stmts, ";\n")}
}

// StepError is the failure of one materialization statement, with the
// statement, so errors can be placed in the model's file.
type StepError struct {
	SQL string
	Err error
}

// Error is the warehouse's message.
func (e *StepError) Error() string { return e.Err.Error() }

// Unwrap returns the warehouse's error.
func (e *StepError) Unwrap() error { return e.Err }

// Run executes steps with x and returns the sum of the counting steps'
// row counts (-1 when none counts).
func Run(ctx context.Context, x Execer, steps []Step) (int64, error) {
	rows := int64(-1)
	for _, s := range steps {
		n, err := x.Exec(ctx, s.SQL)
		if err != nil {
			return rows, &StepError{SQL: s.SQL, Err: err}
		}
		if s.Counts && n >= 0 {
			rows = max(rows, 0) + n
		}
	}
	return rows, nil
}
