package datatests

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/models"
)

// ContractError is a model whose query does not yield the columns its
// contract declares.
type ContractError struct {
	Model string
	// Differences name each column that is missing, extra, out of order or
	// of another type.
	Differences []string
}

// Error names the model and lists the differences, one a line.
func (e *ContractError) Error() string {
	return fmt.Sprintf("%s breaks its contract (%s); the previous relation was kept\n  - %s",
		e.Model, Plural(int64(len(e.Differences)), "difference"), strings.Join(e.Differences, "\n  - "))
}

// CheckContract compares the columns and types model n's query yields
// with the columns it declares, when it declares contract = true, and
// returns a *ContractError naming each difference. It builds nothing: it
// asks the warehouse for the shape of SELECT * FROM (query) LIMIT 0, so
// it runs before the model's relation is replaced and a violation leaves
// the previous relation intact. Declared types are compared after
// normalizing synonyms (int, integer, int4; text, varchar; …), and their
// parameters (decimal(10,2)) only when both sides give them.
func CheckContract(ctx context.Context, a adapters.Adapter, n *compiler.Node) error {
	if n.Model == nil || !n.Model.Config.Contract {
		return nil
	}
	d := a.Dialect()
	rows, err := a.Query(ctx, fmt.Sprintf("SELECT * FROM (\n%s\n) AS %s LIMIT 0", n.SQL, d.QuoteIdent("contract")))
	if err != nil {
		return fmt.Errorf("checking the contract of %s: %w", n.ID, err)
	}
	if diffs := compareContract(d.Name(), n.Model.Config.Columns, rows.Shape()); len(diffs) > 0 {
		return &ContractError{Model: n.ID, Differences: diffs}
	}
	return nil
}

// compareContract lists the differences between declared columns and
// those a query yields.
func compareContract(dialect string, declared []models.Column, got []adapters.ColumnInfo) []string {
	var diffs []string
	gotIdx := map[string]int{}
	for i, c := range got {
		gotIdx[strings.ToLower(c.Name)] = i
	}
	declIdx := map[string]bool{}
	var declOrder, gotOrder []string
	for _, c := range declared {
		key := strings.ToLower(c.Name)
		declIdx[key] = true
		i, ok := gotIdx[key]
		if !ok {
			diffs = append(diffs, fmt.Sprintf("column %q is declared (%s) but the query does not return it", c.Name, where(c.DeclRange)))
			continue
		}
		declOrder = append(declOrder, key)
		if c.Type != "" && !sameType(dialect, c.Type, got[i].Type) {
			diffs = append(diffs, fmt.Sprintf("column %q is %s in the query but %s in the contract", c.Name, got[i].Type, c.Type))
		}
	}
	for _, c := range got {
		key := strings.ToLower(c.Name)
		if !declIdx[key] {
			diffs = append(diffs, fmt.Sprintf("column %q (%s) is returned by the query but not declared", c.Name, c.Type))
			continue
		}
		gotOrder = append(gotOrder, key)
	}
	if strings.Join(declOrder, ",") != strings.Join(gotOrder, ",") {
		diffs = append(diffs, fmt.Sprintf("columns come in another order: the query gives %s; the contract says %s",
			strings.Join(gotOrder, ", "), strings.Join(declOrder, ", ")))
	}
	return diffs
}

// checkContractDecl reports a contract that declares no columns, or one
// column twice.
func checkContractDecl(m *models.Model) hcl.Diagnostics {
	if len(m.Config.Columns) == 0 {
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Contract without columns",
			Detail:  fmt.Sprintf("%s declares contract = true but no columns; declare each column the query returns, in order: column \"id\" { type = \"integer\" }.", m.ID()),
			Subject: m.Config.ContractRange.Ptr()}}
	}
	var diags hcl.Diagnostics
	seen := map[string]hcl.Range{}
	for _, c := range m.Config.Columns {
		key := strings.ToLower(c.Name)
		if prev, dup := seen[key]; dup {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Column declared twice",
				Detail:  fmt.Sprintf("column %q is declared at %s already; a contract lists each column once, in order. Merge the two blocks.", c.Name, where(prev)),
				Subject: c.DeclRange.Ptr()})
			continue
		}
		seen[key] = c.DeclRange
	}
	return diags
}
