package state

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/weir-sh/weir/adapters"
)

// migrations bring the state schema from version i to i+1. Append only:
// never edit a migration that has shipped. "{s}" is the quoted schema.
var migrations = [][]string{
	{
		// Append-only, without an index, and narrow: one row per build or
		// attempt is written inside each model's transaction, where an
		// upsert on a keyed table cost DuckDB 3.6 ms a model, an append of
		// ten columns 0.75 ms and of four about 0.55 ms. detail is JSON
		// (kind, relation, materialized, fingerprint, code_hash, run_id,
		// message). Compact keeps it small.
		`CREATE TABLE {s}.node_log (
  name VARCHAR NOT NULL, status VARCHAR NOT NULL, recorded_at TIMESTAMP NOT NULL, detail VARCHAR)`,
		`CREATE TABLE {s}.runs (
  run_id VARCHAR PRIMARY KEY, command VARCHAR NOT NULL, args VARCHAR,
  started_at TIMESTAMP NOT NULL, ended_at TIMESTAMP, status VARCHAR NOT NULL)`,
		`CREATE TABLE {s}.run_nodes (
  run_id VARCHAR NOT NULL, name VARCHAR NOT NULL, status VARCHAR NOT NULL, reason VARCHAR,
  selector VARCHAR, duration_us BIGINT, row_count BIGINT, message VARCHAR,
  PRIMARY KEY (run_id, name))`,
		`CREATE TABLE {s}.intervals (
  name VARCHAR NOT NULL, start_ts TIMESTAMP NOT NULL, end_ts TIMESTAMP NOT NULL, run_id VARCHAR,
  PRIMARY KEY (name, start_ts))`,
	},
	{
		// Every try of a node in a run: a transient error retried shows
		// as several rows (see runner/retry.go).
		`CREATE TABLE {s}.attempts (
  run_id VARCHAR NOT NULL, name VARCHAR NOT NULL, attempt INTEGER NOT NULL, started_at TIMESTAMP NOT NULL,
  duration_us BIGINT, status VARCHAR NOT NULL, transient BOOLEAN NOT NULL, message VARCHAR,
  PRIMARY KEY (run_id, name, attempt))`,
	},
	{
		// What started each run (schedule, http, file or manual), and per
		// scheduled model the time a scheduled run last processed it: tick
		// is that run's time, prev the one before, which counts again when
		// the run was killed before it built the model.
		`ALTER TABLE {s}.runs ADD COLUMN triggered_by VARCHAR`,
		`CREATE TABLE {s}.schedule (
  name VARCHAR PRIMARY KEY, tick TIMESTAMP NOT NULL, prev_tick TIMESTAMP, run_id VARCHAR NOT NULL)`,
	},
	{
		// The run history by time and by command: retention's runs past
		// keep (looked for after every build), the latest finished run of
		// a command (weir retry reruns it, retention keeps it), the
		// monitor's recent runs. Without them each was a scan of runs on
		// Postgres (see docs/benchmarks.md).
		`CREATE INDEX runs_started ON {s}.runs (started_at)`,
		`CREATE INDEX runs_command ON {s}.runs (command, started_at)`,
	},
}

// Version is the state schema version this build of weir writes.
var Version = len(migrations)

// readable is the oldest state schema version Read takes as it is: the
// migrations after it add nothing Read's queries need (4 only indexes
// runs), so weir plan, weir diff or a build's --defer read a target whose
// state a newer weir's first build has not upgraded yet. A migration that
// adds a table or column readers query moves it to its own version.
const readable = 3

// migrate creates the schema and applies the migrations it lacks up to
// version to, each version in one transaction with the version bump.
func (s *Store) migrate(ctx context.Context, to int) error {
	meta := s.table("meta")
	// A state schema that is up to date is only read: no write here means
	// nothing for DuckDB to checkpoint when a build has nothing to do.
	current, err := s.version(ctx)
	if err != nil {
		if _, err := s.a.Exec(ctx, s.d.CreateSchema(s.schema)); err != nil {
			return err
		}
		create := fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s (%s VARCHAR PRIMARY KEY, %s VARCHAR NOT NULL)", meta, s.d.QuoteIdent("key"), s.d.QuoteIdent("value"))
		if _, err := s.a.Exec(ctx, spellTypes(s.d, create)); err != nil {
			return err
		}
		if current, err = s.version(ctx); err != nil {
			return err
		}
	}
	if current > Version {
		return tooNew(current)
	}
	schema := s.d.QuoteIdent(s.schema)
	for v := current; v < to; v++ {
		err := adapters.InTx(ctx, s.a, func(x adapters.Execer) error {
			for _, stmt := range migrations[v] {
				if stmt = spell(s.d, stmt); stmt == "" {
					continue
				}
				if _, err := x.Exec(ctx, replaceSchema(stmt, schema)); err != nil {
					return fmt.Errorf("migration %d: %w", v+1, err)
				}
			}
			_, err := x.Exec(ctx, fmt.Sprintf("INSERT INTO %s (%s, %s) VALUES ('schema_version', '%d')\n%s",
				meta, s.d.QuoteIdent("key"), s.d.QuoteIdent("value"), v+1, adapters.OnConflictUpdate(s.d, []string{"key"}, []string{"value"})))
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) version(ctx context.Context) (int, error) {
	rows, err := s.a.Query(ctx, fmt.Sprintf("SELECT %s FROM %s WHERE %s = 'schema_version'", s.d.QuoteIdent("value"), s.table("meta"), s.d.QuoteIdent("key")))
	if err != nil {
		return 0, err
	}
	if len(rows.Values) == 0 {
		return 0, nil
	}
	return strconv.Atoi(str(rows.Values[0][0]))
}

// tooNew is the error of a state schema at version current, past this
// weir's.
func tooNew(current int) error {
	return fmt.Errorf("at version %d, newer than this weir understands (%d): a newer weir has built this target; upgrade weir (weir --version prints this one's)", current, Version)
}

func replaceSchema(stmt, schema string) string { return strings.ReplaceAll(stmt, "{s}", schema) }
