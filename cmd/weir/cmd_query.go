package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/compiler/sqllex"
)

func newQueryCmd(g *globals) *cobra.Command {
	var format, file string
	cmd := &cobra.Command{
		Use:   `query "SQL" | query --file FILE`,
		Short: "Run SQL on the target and print the result",
		Long: `query runs SQL on the target's warehouse and prints the result of the
last statement. In a single SELECT, names of the project's models, seeds
and sources are rewritten to their tables on the target, as in a model
(staging.orders reads dev_staging.orders under schema_prefix = "dev_");
other SQL, such as a setup script, runs as written (with a note when it
names one of the project's tables by a name a SELECT would rewrite,
where a table goes: FROM staging.orders).

A script of several statements runs
  on DuckDB and MySQL/MariaDB: one statement at a time, in order, on one
    connection, each committing on its own; the first that fails stops the
    script and is named by its line, and the statements before it stay
    applied, but for a transaction the script began and did not end,
    which is rolled back;
  on Postgres: as one text, in one transaction: when a statement fails,
    none of the script stays applied (unless it holds its own COMMIT).
See docs/guide/query.md.`,
		Example: `  weir query "SELECT count(*) FROM marts.customers"
  weir query "SELECT * FROM staging.orders" --format csv > orders.csv
  weir query --file setup.sql`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			q, err := querySQL(cmd, args, file)
			if err != nil {
				return err
			}
			s, err := open(g, "text")
			if err != nil {
				return err
			}
			if q, err = rewriteQuery(s, q); err != nil {
				return err
			}
			return runQuery(cmd, s, q, format, g.inv.relPath(file))
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output format: table, csv or json")
	cmd.Flags().StringVarP(&file, "file", "f", "", "read the SQL from FILE (- for standard input)")
	return cmd
}

func newShowCmd(g *globals) *cobra.Command {
	var (
		limit   int
		format  string
		sqlOnly bool
	)
	cmd := &cobra.Command{
		Use:   "show MODEL",
		Short: "Print the first rows of a built model, seed or source (--sql: its compiled SQL)",
		Example: `  weir show marts.customers
  weir show customers --limit 5 --format json
  weir show --sql marts.customers   # the SQL that builds it; no warehouse needed`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, res, err := compileProject(g, "text")
			if err != nil {
				return err
			}
			if sqlOnly {
				defer res.Close()
				return printCompiledSQL(cmd, res, args, "weir show")
			}
			// Names resolve as table references in SQL do: a bare name
			// that several nodes share is an error listing them.
			n, bad := res.Lookup(args[0], "weir show", hcl.Range{})
			if bad != nil {
				return &exitError{code: exitUsage, msg: bad.Summary + ": " + bad.Detail}
			}
			if n.Relation.Name == "" {
				return &exitError{code: exitUsage, msg: fmt.Sprintf("%s is ephemeral: it is never created; weir show --sql %s prints its SQL", n.ID, n.ID)}
			}
			d, _ := adapters.DialectOf(s.target)
			q := fmt.Sprintf("SELECT * FROM %s LIMIT %d", adapters.QuoteRelation(d, n.Relation), limit)
			return runQuery(cmd, s, q, format, "")
		},
	}
	cmd.Flags().IntVar(&limit, "limit", 10, "rows to show")
	cmd.Flags().StringVar(&format, "format", "table", "output format: table, csv or json")
	cmd.Flags().BoolVar(&sqlOnly, "sql", false, "print the model's compiled SQL instead of its rows")
	return cmd
}

// querySQL takes the SQL from the argument or from --file.
func querySQL(cmd *cobra.Command, args []string, file string) (string, error) {
	switch {
	case file != "" && len(args) > 0:
		return "", &exitError{code: exitUsage, msg: "give the SQL as an argument or with --file, not both"}
	case len(args) == 1:
		return args[0], nil
	case file == "-":
		b, err := io.ReadAll(cmd.InOrStdin())
		return string(b), err
	case file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			return "", &exitError{code: exitUsage, msg: err.Error()}
		}
		return string(b), nil
	}
	return "", &exitError{code: exitUsage, msg: `no SQL given; write weir query "SELECT …" or weir query --file FILE`}
}

// rewriteQuery points the table names of a SELECT at the project's
// relations on the target, as in a model. SQL that is not a single SELECT,
// or a project that does not compile (notCompiled), leaves the query as
// written.
func rewriteQuery(s *session, q string) (string, error) {
	d, err := adapters.DialectOf(s.target)
	if err != nil {
		return q, nil // connecting reports the unknown adapter
	}
	res, diags := compiler.Compile(s.project, s.compileOptions(d))
	if res != nil {
		defer res.Close()
	}
	if res == nil || diags.HasErrors() || s.loadDiags.HasErrors() {
		notCompiled(s, res, q)
		return q, nil
	}
	out, rewritten, bad := res.RewriteQuery(q)
	if bad != nil {
		return "", &exitError{code: exitUsage, msg: bad.Summary + ": " + bad.Detail}
	}
	if !rewritten && s.target.SchemaPrefix != "" {
		// Only when it matters: the SQL names a node that a SELECT would
		// have read elsewhere (not the user's own tables).
		if name, n := res.RewritableName(out); n != nil {
			fmt.Fprintf(s.diagOut, "Note: only a single SELECT has its table names rewritten (schema_prefix %q); this SQL runs as written, so %s is not read as %s\n", s.target.SchemaPrefix, name, readAs(n))
		}
	}
	return out, nil
}

// notCompiled warns that q runs as written since the project does not
// compile, when that matters: the target has a schema_prefix, or q names
// one of the project's nodes by a name a SELECT would have rewritten (a
// bare orders for staging.orders). res is what compiled (nil if nothing).
func notCompiled(s *session, res *compiler.Result, q string) {
	msg := "Warning: the project does not compile (see `weir compile`), so the query's table names are not rewritten to the target's"
	var name string
	var n *compiler.Node
	if res != nil {
		name, n = res.RewritableName(q)
	}
	switch {
	case n != nil:
		fmt.Fprintf(s.diagOut, "%s: %s is not read as %s\n", msg, name, readAs(n))
	case s.target.SchemaPrefix != "":
		fmt.Fprintln(s.diagOut, msg)
	}
}

// readAs is what a SELECT reads for node n: its relation, or its SQL when
// it is ephemeral (inlined).
func readAs(n *compiler.Node) string {
	if rel := n.ReadRelation(); rel.Name != "" {
		return rel.String()
	}
	return "its SQL"
}

// runQuery runs q on the target and prints the rows of its last
// statement. file names where q came from, in errors ("" when not from a
// file).
func runQuery(cmd *cobra.Command, s *session, q, format, file string) error {
	a, err := s.connect()
	if err != nil {
		return err
	}
	defer a.Close()
	rows, err := queryScript(cmd.Context(), a, q, file)
	if err != nil {
		return &exitError{code: exitFailed, msg: err.Error()}
	}
	return printRows(cmd.OutOrStdout(), rows, format)
}

// queryScript runs q and returns the rows of its last statement. An
// adapters.Sessioner (MySQL, DuckDB) gets a script of several statements
// one at a time, in order, on one connection; the first that fails stops
// the script and is named by its number and line, and the statements
// before it stay applied (but for a transaction the script began and did
// not end, rolled back). Other adapters run q as one text, as their
// drivers do; an adapters.AtomicScripter (Postgres) runs it as one
// transaction, and its error names the statement where the warehouse
// points at one.
func queryScript(ctx context.Context, a adapters.Adapter, q, file string) (*adapters.Rows, error) {
	stmts := compiler.Statements(a.Dialect(), q)
	sess, ok := a.(adapters.Sessioner)
	if !ok || len(stmts) < 2 {
		rows, err := a.Query(ctx, q)
		if err != nil && len(stmts) > 1 {
			return nil, scriptError(a, q, file, stmts, err)
		}
		return rows, err
	}
	var rows *adapters.Rows
	err := sess.Session(ctx, func(x adapters.Execer) error {
		for i, sp := range stmts {
			var err error
			if rows, err = x.Query(ctx, q[sp.Start:sp.End]); err != nil {
				return statementError(q, file, stmts, i, a.Dialect(), err)
			}
		}
		return nil
	})
	return rows, err
}

// scriptError is the error of script q, of the statements stmts, that
// adapter a ran as one text: it names the statement the warehouse points
// at, if it does, by its number and line, and says what stays applied.
func scriptError(a adapters.Adapter, q, file string, stmts []sqllex.Span, err error) error {
	ran := "the statements before the failing one may stay applied"
	if at, ok := a.(adapters.AtomicScripter); ok && at.ScriptIsOneTransaction() {
		ran = "the script runs as one transaction: none of it stays applied"
		if controlsTransactions(q, stmts) {
			ran = "the script runs as one transaction but for its own: what a COMMIT before the failing statement ended stays applied, the rest does not"
		}
	}
	pe, ok := errors.AsType[*adapters.PositionError](err)
	if !ok || pe.Offset < 0 || pe.SQL != q {
		where := "the script"
		if file != "" && file != "-" {
			where = file
		}
		return fmt.Errorf("%s: one of its %d statements failed (%s): %w", where, len(stmts), ran, err)
	}
	i := 0
	for i < len(stmts)-1 && stmts[i].End <= pe.Offset {
		i++
	}
	return fmt.Errorf("%s: statement %d of %d failed (%s): %w", lineOf(q, file, pe.Offset), i+1, len(stmts), ran, err)
}

// controlsTransactions reports whether a statement of script q begins or
// ends a transaction of its own.
func controlsTransactions(q string, stmts []sqllex.Span) bool {
	for _, sp := range stmts {
		if transactionVerb(q, sp) != "" {
			return true
		}
	}
	return false
}

// transactionVerb is the first word of statement sp of script q when it
// begins or ends a transaction (BEGIN, START, COMMIT, END, ROLLBACK,
// ABORT), "" otherwise.
func transactionVerb(q string, sp sqllex.Span) string {
	switch w := strings.ToUpper(sqllex.Next(q, sp.Start).Text(q)); w {
	case "BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT":
		return w
	}
	return ""
}

// openTransaction is the index of the statement before stmts[i] that
// began the transaction still open when stmts[i] runs (a BEGIN with no
// COMMIT or ROLLBACK after it), -1 when none is.
func openTransaction(q string, stmts []sqllex.Span, i int) int {
	open := -1
	for j, sp := range stmts[:i] {
		switch transactionVerb(q, sp) {
		case "BEGIN", "START":
			open = j
		case "COMMIT", "END", "ROLLBACK", "ABORT":
			open = -1
		}
	}
	return open
}

// statementError names statement i (0-based) of script q, made of stmts
// and run one at a time on a warehouse of dialect d, by its line: the
// line of the place the warehouse points at, if it does. It says what
// stays applied: the statements before it, but those in a transaction
// the script began and did not end, which is rolled back (the DDL in it
// aside where d commits DDL at once).
func statementError(q, file string, stmts []sqllex.Span, i int, d adapters.Dialect, err error) error {
	off := stmts[i].Start
	if pe, ok := errors.AsType[*adapters.PositionError](err); ok && pe.Offset >= 0 {
		off += min(pe.Offset, len(pe.SQL))
	}
	applied := i
	if b := openTransaction(q, stmts, i); b >= 0 {
		applied = b
	}
	ran := "none before it ran"
	switch applied {
	case 0:
		if applied < i {
			ran = "none before it stays applied"
		}
	case 1:
		ran = "statement 1 ran and stays applied"
	default:
		ran = fmt.Sprintf("statements 1-%d ran and stay applied", applied)
	}
	if applied < i {
		ran += fmt.Sprintf("; statement %d began a transaction, rolled back with what ran in it", applied+1)
		if !d.SupportsTransactionalDDL() {
			ran += " but DDL (CREATE, ALTER, DROP), which commits at once"
		}
	}
	return fmt.Errorf("%s: statement %d of %d failed (%s): %w", lineOf(q, file, off), i+1, len(stmts), ran, err)
}

// lineOf names the line of byte off in script q: "FILE:N" when q came
// from a file, "line N" otherwise.
func lineOf(q, file string, off int) string {
	line := strings.Count(q[:off], "\n") + 1
	if file != "" && file != "-" {
		return fmt.Sprintf("%s:%d", file, line)
	}
	return fmt.Sprintf("line %d", line)
}

func printRows(w io.Writer, rows *adapters.Rows, format string) error {
	switch format {
	case "json":
		data, err := rowsJSON(rows)
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	case "csv":
		cw := csv.NewWriter(w)
		cw.Write(rows.Columns)
		for _, r := range rows.Values {
			rec := make([]string, len(r))
			for i, v := range r {
				rec[i] = cell(v, colType(rows, i), "")
			}
			cw.Write(rec)
		}
		cw.Flush()
		return cw.Error()
	case "table":
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, strings.Join(rows.Columns, "\t"))
		for _, r := range rows.Values {
			rec := make([]string, len(r))
			for i, v := range r {
				rec[i] = cell(v, colType(rows, i), "NULL")
			}
			fmt.Fprintln(tw, strings.Join(rec, "\t"))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		fmt.Fprintf(w, "(%s)\n", plural(len(rows.Values), "row"))
		return nil
	}
	return &exitError{code: exitUsage, msg: fmt.Sprintf("unknown --format %q; use table, csv or json", format)}
}
