package state

import (
	"testing"

	"github.com/weir-sh/weir/adapters"
)

// mysqlTypes spells state types as the MySQL dialect does, without
// importing an adapter.
type mysqlTypes struct{ adapters.Dialect }

func (mysqlTypes) StateType(std string, key bool) string {
	switch {
	case std == "VARCHAR" && key:
		return "VARCHAR(380)"
	case std == "VARCHAR":
		return "MEDIUMTEXT"
	case std == "TIMESTAMP":
		return "DATETIME(6)"
	}
	return std
}

func (mysqlTypes) StateIndexColumn(col, std string, key bool) string {
	if std == "VARCHAR" && !key {
		return col + "(64)"
	}
	return col
}

// noIndexes leaves out every index, as the DuckDB dialect does.
type noIndexes struct{ adapters.Dialect }

func (noIndexes) StateIndexColumn(string, string, bool) string { return "" }

// TestSpellIndex: an index on a TEXT column (MySQL's spelling of a VARCHAR
// that is no key) lists a prefix of it; a dialect may leave indexes out;
// others get the statement as written.
func TestSpellIndex(t *testing.T) {
	for _, c := range []struct {
		d        adapters.Dialect
		in, want string
	}{
		{mysqlTypes{}, migrations[3][0], "CREATE INDEX runs_started ON {s}.runs (started_at)"},
		{mysqlTypes{}, migrations[3][1], "CREATE INDEX runs_command ON {s}.runs (command(64), started_at)"},
		{mysqlTypes{}, "CREATE INDEX x ON {s}.run_nodes (run_id, status)", "CREATE INDEX x ON {s}.run_nodes (run_id, status(64))"},
		{noIndexes{}, migrations[3][1], ""},
		{noIndexes{}, migrations[2][0], migrations[2][0]},
		{adapters.Dialect(nil), migrations[3][1], migrations[3][1]},
	} {
		if got := spell(c.d, c.in); got != c.want {
			t.Errorf("spell(%T, %q)\n got %q\nwant %q", c.d, c.in, got, c.want)
		}
	}
}

func TestSpellTypes(t *testing.T) {
	d := mysqlTypes{}
	for _, c := range []struct{ in, want string }{
		{"CREATE TABLE m (`key` VARCHAR PRIMARY KEY, `value` VARCHAR NOT NULL)",
			"CREATE TABLE m (`key` VARCHAR(380) PRIMARY KEY, `value` MEDIUMTEXT NOT NULL)"},
		{migrations[0][2], `CREATE TABLE {s}.run_nodes (
  run_id VARCHAR(380) NOT NULL, name VARCHAR(380) NOT NULL, status MEDIUMTEXT NOT NULL, reason MEDIUMTEXT,
  selector MEDIUMTEXT, duration_us BIGINT, row_count BIGINT, message MEDIUMTEXT,
  PRIMARY KEY (run_id, name))`},
		{migrations[0][3], `CREATE TABLE {s}.intervals (
  name VARCHAR(380) NOT NULL, start_ts DATETIME(6) NOT NULL, end_ts DATETIME(6) NOT NULL, run_id MEDIUMTEXT,
  PRIMARY KEY (name, start_ts))`},
		{"ALTER TABLE {s}.runs ADD COLUMN triggered_by VARCHAR", "ALTER TABLE {s}.runs ADD COLUMN triggered_by MEDIUMTEXT"},
	} {
		if got := spellTypes(d, c.in); got != c.want {
			t.Errorf("spellTypes(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
	}
	// A dialect without StateTyper gets the statement as written.
	if got := spellTypes(adapters.Dialect(nil), migrations[0][0]); got != migrations[0][0] {
		t.Errorf("spellTypes without StateTyper changed the statement: %q", got)
	}
}
