package mysql

import (
	"strings"
	"testing"

	"github.com/weir-sh/weir/adapters"
)

func TestQuoting(t *testing.T) {
	d := Dialect{}
	for in, want := range map[string]string{"plain": "`plain`", "a`b": "`a``b`", `x"y`: "`x\"y`"} {
		if got := d.QuoteIdent(in); got != want {
			t.Errorf("QuoteIdent(%q) = %s, want %s", in, got, want)
		}
	}
	for in, want := range map[string]string{"it's": `'it''s'`, `a\b`: `'a\\b'`, `\'`: `'\\'''`} {
		if got := d.QuoteLiteral(in); got != want {
			t.Errorf("QuoteLiteral(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestStepsGolden pins the statements of each materialization on MySQL:
// no CREATE OR REPLACE; every build under a temporary name, renamed into
// place, a rebuild swapped in with one RENAME TABLE.
func TestStepsGolden(t *testing.T) {
	rel := adapters.Relation{Schema: "dev_mart", Name: "orders"}
	for _, c := range []struct {
		name string
		spec adapters.Spec
		want string
	}{
		{"new table", adapters.Spec{Relation: rel, Materialized: "table", SQL: "SELECT 1 AS x"}, strings.Join([]string{
			"DROP TABLE IF EXISTS `dev_mart`.`__weir_tmp_orders`",
			"CREATE TABLE `dev_mart`.`__weir_tmp_orders` AS\nSELECT 1 AS x",
			"RENAME TABLE `dev_mart`.`__weir_tmp_orders` TO `dev_mart`.`orders`",
		}, ";\n")},
		{"new view", adapters.Spec{Relation: rel, Materialized: "view", SQL: "SELECT 1 AS x"}, strings.Join([]string{
			"DROP VIEW IF EXISTS `dev_mart`.`__weir_tmp_orders`",
			"CREATE VIEW `dev_mart`.`__weir_tmp_orders` AS\nSELECT 1 AS x",
			"RENAME TABLE `dev_mart`.`__weir_tmp_orders` TO `dev_mart`.`orders`",
		}, ";\n")},
		{"table over a view", adapters.Spec{Relation: rel, Materialized: "table", SQL: "SELECT 1 AS x", Existing: "view"}, strings.Join([]string{
			"DROP TABLE IF EXISTS `dev_mart`.`__weir_tmp_orders`",
			"CREATE TABLE `dev_mart`.`__weir_tmp_orders` AS\nSELECT 1 AS x",
			"DROP TABLE IF EXISTS `dev_mart`.`__weir_old_orders`",
			"DROP VIEW IF EXISTS `dev_mart`.`__weir_old_orders`",
			"RENAME TABLE `dev_mart`.`orders` TO `dev_mart`.`__weir_old_orders`, `dev_mart`.`__weir_tmp_orders` TO `dev_mart`.`orders`",
			"DROP VIEW `dev_mart`.`__weir_old_orders`",
		}, ";\n")},
		{"view over a table", adapters.Spec{Relation: rel, Materialized: "view", SQL: "SELECT 1 AS x", Existing: "table"}, strings.Join([]string{
			"DROP VIEW IF EXISTS `dev_mart`.`__weir_tmp_orders`",
			"CREATE VIEW `dev_mart`.`__weir_tmp_orders` AS\nSELECT 1 AS x",
			"DROP TABLE IF EXISTS `dev_mart`.`__weir_old_orders`",
			"DROP VIEW IF EXISTS `dev_mart`.`__weir_old_orders`",
			"RENAME TABLE `dev_mart`.`orders` TO `dev_mart`.`__weir_old_orders`, `dev_mart`.`__weir_tmp_orders` TO `dev_mart`.`orders`",
			"DROP TABLE `dev_mart`.`__weir_old_orders`",
		}, ";\n")},
	} {
		steps, err := adapters.Steps(Dialect{}, c.spec)
		if err != nil {
			t.Fatal(err)
		}
		if got := joinSteps(steps); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
	}
}

func TestIncrementalGolden(t *testing.T) {
	spec := adapters.IncrementalSpec{
		Relation: adapters.Relation{Schema: "s", Name: "t"}, Strategy: "merge",
		UniqueKey: []string{"id"}, Columns: []string{"id", "v"},
	}
	steps, err := adapters.ApplySteps(Dialect{}, spec)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		"UPDATE `s`.`t` AS t JOIN `s`.`__weir_new_t` AS n ON t.`id` = n.`id`\nSET t.`v` = n.`v`",
		"INSERT INTO `s`.`t` (`id`, `v`)\nSELECT n.`id`, n.`v` FROM `s`.`__weir_new_t` AS n\nWHERE NOT EXISTS (SELECT 1 FROM `s`.`t` AS t WHERE t.`id` = n.`id`)",
		"DROP TEMPORARY TABLE `s`.`__weir_new_t`",
	}, ";\n")
	if got := joinSteps(steps); got != want {
		t.Errorf("merge:\n got %s\nwant %s", got, want)
	}
	stage := joinSteps(adapters.StageSteps(Dialect{}, spec.Relation, "SELECT 1"))
	if want := "DROP TEMPORARY TABLE IF EXISTS `s`.`__weir_new_t`;\nCREATE TEMPORARY TABLE `s`.`__weir_new_t` AS\nSELECT 1"; stage != want {
		t.Errorf("stage:\n got %s\nwant %s", stage, want)
	}
}

func TestStateDialect(t *testing.T) {
	got := adapters.OnConflictUpdate(Dialect{}, []string{"key"}, []string{"value"})
	if want := "ON DUPLICATE KEY UPDATE `value` = VALUES(`value`)"; got != want {
		t.Errorf("OnConflictUpdate = %s, want %s", got, want)
	}
}

func joinSteps(steps []adapters.Step) string {
	s := make([]string, len(steps))
	for i, st := range steps {
		s[i] = st.SQL
	}
	return strings.Join(s, ";\n")
}
