package datatests

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"

	"github.com/weir-sh/weir/models"
)

// Kinds of test other than the generic ones, whose Kind is the test's
// name (not_null, unique, …, or a custom test's).
const (
	KindSingular = "singular"
	KindUnit     = "unit"
	KindContract = "contract"
)

// Statuses of a test result.
const (
	StatusPass    = "pass"
	StatusWarn    = "warn"
	StatusFail    = "fail"
	StatusError   = "error"   // the test's query itself failed
	StatusSkipped = "skipped" // not run: what it tests was not built
)

// Test is a data test compiled to one SELECT that returns the rows
// breaking its rule.
type Test struct {
	Name   string
	Kind   string // the generic test's name, or KindSingular
	Node   string // the node it is declared on; "" for a singular test
	Column string // the column it is declared on, if any
	Config models.TestConfig
	// SQL is the compiled query returning the failing rows.
	SQL string
	// DependsOn lists the nodes the SQL reads, sorted.
	DependsOn []string
	// Requires lists the nodes a build must have built before the test
	// can run: DependsOn with ephemeral models replaced by what they read
	// and sources left out. Sources lists the sources it reads.
	Requires []string
	Sources  []string
	// DeclRange is where the test is declared: its test block, or its file.
	DeclRange hcl.Range
	// Broken holds the errors of a test that did not compile: it runs as
	// an error (a warning at severity warn) that names the first.
	Broken hcl.Diagnostics

	defaultName bool   // Name was generated, not given
	key         string // the declaration's arguments, for disambiguation
}

// Location is the test's declaration as "file:line", for messages and
// reports.
func (t *Test) Location() string { return where(t.DeclRange) }

func where(r hcl.Range) string {
	if r.Filename == "" {
		return ""
	}
	return fmt.Sprintf("%s:%d", r.Filename, r.Start.Line)
}

// Result is the outcome of one test, as written to run_results.json.
type Result struct {
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	Node   string `json:"node,omitempty"`
	Column string `json:"column,omitempty"`
	Status string `json:"status"`
	// Severity is the declared severity: error or warn.
	Severity string `json:"severity,omitempty"`
	// Failures is the number of failing rows (for a unit test, of rows
	// that differ; for a contract, of differences).
	Failures int64  `json:"failures"`
	Message  string `json:"message,omitempty"`
	// Sample holds the first few failing rows.
	Sample *Sample `json:"sample,omitempty"`
	// StoredIn is the table holding every failing row, with store_failures.
	StoredIn   string  `json:"stored_in,omitempty"`
	File       string  `json:"file,omitempty"` // declaration, "path:line"
	DurationMS float64 `json:"duration_ms"`
}

// Failed reports whether the result should fail what it tests: a
// failing or erroring test. Warnings do not.
func (r Result) Failed() bool { return r.Status == StatusFail || r.Status == StatusError }

// Sample is a few rows of a query result, every cell printed as text.
type Sample struct {
	Columns []string   `json:"columns"`
	Rows    [][]string `json:"rows"`
}

// statusFor decides a test's status from its number of failing rows, as
// dbt does: with severity error, error_if holding fails it; otherwise
// warn_if holding makes it a warning.
func statusFor(cfg models.TestConfig, n int64) string {
	if cfg.Severity != models.SeverityWarn && cfg.ErrorIf.Holds(n) {
		return StatusFail
	}
	if cfg.WarnIf.Holds(n) {
		return StatusWarn
	}
	return StatusPass
}

// describe explains a status in words.
func describe(cfg models.TestConfig, n int64, status string) string {
	rows := Plural(n, "failing row")
	switch status {
	case StatusFail:
		if cfg.ErrorIf != models.DefaultThreshold {
			return fmt.Sprintf("%s (error_if %s)", rows, cfg.ErrorIf)
		}
	case StatusWarn:
		if cfg.WarnIf != models.DefaultThreshold {
			return fmt.Sprintf("%s (warn_if %s)", rows, cfg.WarnIf)
		}
	case StatusPass:
		if n > 0 {
			return fmt.Sprintf("%s, within warn_if %s and error_if %s", rows, cfg.WarnIf, cfg.ErrorIf)
		}
	}
	return rows
}

// Plural writes a count of things: "1 failing row", "3 failing rows".
func Plural(n int64, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
