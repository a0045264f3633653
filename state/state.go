// Package state keeps weir's record of what it built, in the target
// warehouse itself (a "<prefix>weir" schema): per node the fingerprint and
// time of its last good build and the status of its last attempt, per run
// its command and results, per time_range model the intervals done.
//
// A node's record is written in the same transaction as its data where the
// warehouse allows, so a crash loses at most the nodes in flight and never
// records a node as built when its data is not. The schema is versioned and
// migrated forward on open.
package state

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/weir-sh/weir/adapters"
)

// Node is the recorded state of one node.
type Node struct {
	Name         string
	Kind         string
	Relation     string
	Materialized string
	// Fingerprint covers the node's SQL, config and its parents'
	// fingerprints; CodeHash only its own SQL and config.
	Fingerprint string
	CodeHash    string
	// BodyHash and ConfigHash split CodeHash into the SQL and the config
	// (empty in records written before weir kept them).
	BodyHash, ConfigHash string
	// BuiltAt is when the last successful build recorded itself (zero
	// when never): its end, or where the record goes to the warehouse
	// with the build's last statement (adapters.Batcher), the start of
	// the build's statements.
	BuiltAt  time.Time
	BuiltRun string
	// LastStatus is success, error or skipped for the last attempt.
	LastStatus  string
	LastRun     string
	LastMessage string
}

// Interval is a half-open time range [Start, End) a time_range model has
// processed.
type Interval struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// Run is one recorded invocation.
type Run struct {
	ID        string
	Command   string
	Args      string // JSON of the selection and flags, for `weir retry`
	StartedAt time.Time
	EndedAt   time.Time
	Status    string // running, success, error, interrupted, aborted (killed while running)
	// Trigger is what started the run: schedule, http, file or manual.
	Trigger string
}

// RunNode is one node's outcome in a recorded run.
type RunNode struct {
	Name, Status, Reason, Message string
	DurationMS                    float64
	Rows                          int64
	// Attempts are the node's tries (none for a node the run skipped).
	Attempts []Attempt
}

// Attempt is one try of a node in a run, kept in the attempts table.
type Attempt struct {
	// Number counts from 1.
	Number     int       `json:"attempt"`
	StartedAt  time.Time `json:"started_at"`
	DurationMS float64   `json:"duration_ms"`
	// Status is success or error.
	Status  string `json:"status"`
	Message string `json:"message,omitempty"`
	// Transient marks an error the adapter called transient: retried
	// while retries remain.
	Transient bool `json:"transient,omitempty"`
}

// Store reads and writes the state of one target.
type Store struct {
	a      adapters.Adapter
	d      adapters.Dialect
	schema string
	// database qualifies the state tables of a target read from another
	// database (ReadIn); "" for the adapter's own.
	database string
	// absent is set by Read when no state is recorded yet: reads find
	// nothing.
	absent bool
}

// SchemaName is the state schema of a target with the given prefix.
func SchemaName(prefix string) string { return prefix + "weir" }

// Open migrates the state schema of a target to the current version and
// returns its store.
func Open(ctx context.Context, a adapters.Adapter, prefix string) (*Store, error) {
	return OpenAt(ctx, a, prefix, Version)
}

// OpenAt is Open that migrates the state schema only as far as version (1
// to Version), for a test that a later migration keeps what an older
// schema holds. A schema already past version is left as it is.
func OpenAt(ctx context.Context, a adapters.Adapter, prefix string, version int) (*Store, error) {
	if version < 1 || version > Version {
		return nil, fmt.Errorf("state schema version %d: this weir knows versions 1 to %d", version, Version)
	}
	s := &Store{a: a, d: a.Dialect(), schema: SchemaName(prefix)}
	if err := s.migrate(ctx, version); err != nil {
		return nil, fmt.Errorf("state schema %s: %w", s.schema, err)
	}
	return s, nil
}

// Read opens a target's state for reading only: it creates and migrates
// nothing, and where no state schema exists yet the store reads as empty.
// A state schema older than this weir's reads as it is when no migration
// since changed what is read (readable), else it is an error asking for a
// build.
// weir plan uses it, so planning writes nothing to the warehouse.
func Read(ctx context.Context, a adapters.Adapter, prefix string) (*Store, error) {
	return ReadIn(ctx, a, "", prefix)
}

// ReadIn is Read of another target's state, in database (the name an
// attached target's relations are qualified with, see
// adapters.AttachTarget; "" for a's own database) under prefix.
func ReadIn(ctx context.Context, a adapters.Adapter, database, prefix string) (*Store, error) {
	s := &Store{a: a, d: a.Dialect(), schema: SchemaName(prefix), database: database}
	current, err := s.version(ctx)
	switch {
	case err != nil || current == 0:
		s.absent = true
	case current > Version:
		return nil, fmt.Errorf("state schema %s: %w", s.schema, tooNew(current))
	case current < readable:
		return nil, fmt.Errorf("state schema %s is at version %d; the next weir build upgrades it to %d", s.schema, current, Version)
	}
	return s, nil
}

func (s *Store) table(name string) string {
	return adapters.QuoteRelation(s.d, adapters.Relation{Database: s.database, Schema: s.schema, Name: name})
}

// logDetail is the JSON of a node_log row's detail column. The log keeps
// four columns: DuckDB's cost of a row inside each model's transaction
// grows with the column count (ten columns 0.75 ms, three 0.5 ms).
type logDetail struct {
	Kind         string `json:"kind,omitempty"`
	Relation     string `json:"relation,omitempty"`
	Materialized string `json:"materialized,omitempty"`
	Fingerprint  string `json:"fingerprint,omitempty"`
	CodeHash     string `json:"code_hash,omitempty"`
	BodyHash     string `json:"body_hash,omitempty"`
	ConfigHash   string `json:"config_hash,omitempty"`
	Run          string `json:"run_id,omitempty"`
	Message      string `json:"message,omitempty"`
}

func (d logDetail) literal(dia adapters.Dialect) string {
	b, _ := json.Marshal(d)
	return dia.QuoteLiteral(string(b))
}

// parseDetail decodes a node_log row's detail. What weir writes there
// (json.Marshal of a logDetail: string values, no spaces) is read by
// readDetail, several times faster than encoding/json on the 10,000 rows
// a build of 10,000 models reads before it can plan; anything else (an
// escaped or non-ASCII character, a key readDetail does not know) goes
// through encoding/json.
func parseDetail(v any) logDetail {
	s := str(v)
	if d, ok := readDetail(s); ok {
		return d
	}
	var d logDetail
	json.Unmarshal([]byte(s), &d)
	return d
}

// readDetail reads s as a JSON object of logDetail's keys with plain
// string values (no escapes, ASCII), as encoding/json would; ok is false
// when s is anything else.
func readDetail(s string) (d logDetail, ok bool) {
	if len(s) < 2 || s[0] != '{' {
		return d, false
	}
	i := 1
	if s[i] == '}' {
		return d, i == len(s)-1
	}
	for {
		key, next, ok := plainString(s, i)
		if !ok || next >= len(s) || s[next] != ':' {
			return d, false
		}
		val, next, ok := plainString(s, next+1)
		if !ok || next >= len(s) {
			return d, false
		}
		field := d.field(key)
		if field == nil {
			return d, false
		}
		*field = val
		switch {
		case s[next] == '}':
			return d, next == len(s)-1
		case s[next] != ',':
			return d, false
		}
		i = next + 1
	}
}

// field is the field of d that the JSON key names, nil for another key.
func (d *logDetail) field(key string) *string {
	switch key {
	case "kind":
		return &d.Kind
	case "relation":
		return &d.Relation
	case "materialized":
		return &d.Materialized
	case "fingerprint":
		return &d.Fingerprint
	case "code_hash":
		return &d.CodeHash
	case "body_hash":
		return &d.BodyHash
	case "config_hash":
		return &d.ConfigHash
	case "run_id":
		return &d.Run
	case "message":
		return &d.Message
	}
	return nil
}

// plainString reads the JSON string at s[i:] when it holds printable
// ASCII without escapes: its text and the index after its closing quote.
func plainString(s string, i int) (string, int, bool) {
	if i >= len(s) || s[i] != '"' {
		return "", 0, false
	}
	for j := i + 1; j < len(s); j++ {
		switch c := s[j]; {
		case c == '"':
			return s[i+1 : j], j + 1, true
		case c == '\\' || c < 0x20 || c >= 0x7f:
			return "", 0, false
		}
	}
	return "", 0, false
}

// Nodes returns every node's recorded state by name: its last attempt
// and its last good build, picked from the log here rather than with
// window functions, which took DuckDB 140 ms on 10,000 nodes.
func (s *Store) Nodes(ctx context.Context) (map[string]Node, error) {
	if s.absent {
		return map[string]Node{}, nil
	}
	rows, err := s.a.Query(ctx, "SELECT name, status, recorded_at, detail FROM "+s.table("node_log"))
	if err != nil {
		return nil, err
	}
	type latest struct {
		at, goodAt         time.Time
		status             string
		detail, goodDetail any
	}
	by := make(map[string]*latest, len(rows.Values))
	for _, r := range rows.Values {
		name, status, at := str(r[0]), str(r[1]), tm(r[2])
		l := by[name]
		if l == nil {
			l = &latest{}
			by[name] = l
		}
		if l.detail == nil || at.After(l.at) {
			l.at, l.status, l.detail = at, status, r[3]
		}
		if status == "success" && (l.goodDetail == nil || at.After(l.goodAt)) {
			l.goodAt, l.goodDetail = at, r[3]
		}
	}
	out := make(map[string]Node, len(by))
	for name, l := range by {
		last := parseDetail(l.detail)
		good := last
		if l.goodAt != l.at || l.status != "success" {
			good = parseDetail(l.goodDetail)
		}
		out[name] = Node{
			Name: name, Kind: last.Kind, LastStatus: l.status, LastRun: last.Run, LastMessage: last.Message,
			Relation: good.Relation, Materialized: good.Materialized, Fingerprint: good.Fingerprint,
			CodeHash: good.CodeHash, BodyHash: good.BodyHash, ConfigHash: good.ConfigHash, BuiltAt: l.goodAt, BuiltRun: good.Run,
		}
	}
	return out, nil
}

// RecordBuilt marks a node built by run at time at. Call it with the
// Execer of the transaction that built the node's data.
func (s *Store) RecordBuilt(ctx context.Context, x adapters.Execer, n Node, run string, at time.Time) error {
	_, err := x.Exec(ctx, s.BuiltStatement(n, run, at))
	return err
}

// BuiltStatement is the statement RecordBuilt runs, for a caller that
// sends it together with the statements that built the node, in one round
// trip of the same transaction (adapters.Batcher).
func (s *Store) BuiltStatement(n Node, run string, at time.Time) string {
	d := logDetail{Kind: n.Kind, Relation: n.Relation, Materialized: n.Materialized, Fingerprint: n.Fingerprint, CodeHash: n.CodeHash,
		BodyHash: n.BodyHash, ConfigHash: n.ConfigHash, Run: run}
	return fmt.Sprintf("INSERT INTO %s (name, status, recorded_at, detail) VALUES (%s, 'success', %s, %s)",
		s.table("node_log"), s.lit(n.Name), ts(at), d.literal(s.d))
}

// RecordAttempt records a failed or skipped attempt without touching the
// record of the last good build.
func (s *Store) RecordAttempt(ctx context.Context, name, kind, status, message, run string) error {
	d := logDetail{Kind: kind, Run: run, Message: truncate(message, 2000)}
	_, err := s.a.Exec(ctx, fmt.Sprintf("INSERT INTO %s (name, status, recorded_at, detail) VALUES (%s, %s, %s, %s)",
		s.table("node_log"), s.lit(name), s.lit(status), ts(time.Now()), d.literal(s.d)))
	return err
}

// Compact rewrites the node log to the rows Nodes reads (each node's last
// attempt and last good build) once it holds more than twice that many.
func (s *Store) Compact(ctx context.Context) error {
	log := s.table("node_log")
	rows, err := s.a.Query(ctx, "SELECT count(*), count(DISTINCT name) FROM "+log)
	if err != nil {
		return err
	}
	if len(rows.Values) == 1 && num(rows.Values[0][0]) <= 2*num(rows.Values[0][1])+100 {
		return nil
	}
	logRel := adapters.Relation{Schema: s.schema, Name: "node_log"}
	fresh := adapters.Relation{Schema: s.schema, Name: adapters.TempName("node_log")}
	qfresh := adapters.QuoteRelation(s.d, fresh)
	return adapters.InTx(ctx, s.a, func(x adapters.Execer) error {
		for _, stmt := range []string{
			"DROP TABLE IF EXISTS " + qfresh,
			fmt.Sprintf(`CREATE TABLE %s AS
SELECT name, status, recorded_at, detail
FROM (SELECT *, row_number() OVER (PARTITION BY name ORDER BY recorded_at DESC) AS last_rank,
        row_number() OVER (PARTITION BY name, status ORDER BY recorded_at DESC) AS status_rank FROM %s) AS r
WHERE last_rank = 1 OR (status = 'success' AND status_rank = 1)`, qfresh, log),
		} {
			if _, err := x.Exec(ctx, stmt); err != nil {
				return fmt.Errorf("compacting the node log: %w", err)
			}
		}
		// The swap of a model's table, so that a warehouse that renames in
		// its own way (MySQL's RENAME TABLE) keeps the log in its schema.
		if _, err := adapters.Run(ctx, x, adapters.SwapSteps(s.d, logRel, adapters.KindTable)); err != nil {
			return fmt.Errorf("compacting the node log: %w", err)
		}
		return nil
	})
}

// ForgetIntervals drops the interval records of a model (a full rebuild
// records its intervals afresh), in the rebuild's transaction.
func (s *Store) ForgetIntervals(ctx context.Context, x adapters.Execer, name string) error {
	_, err := x.Exec(ctx, fmt.Sprintf("DELETE FROM %s WHERE name = %s", s.table("intervals"), s.lit(name)))
	return err
}

// Intervals returns the intervals each time_range model has done, sorted.
func (s *Store) Intervals(ctx context.Context) (map[string][]Interval, error) {
	if s.absent {
		return map[string][]Interval{}, nil
	}
	rows, err := s.a.Query(ctx, "SELECT name, start_ts, end_ts FROM "+s.table("intervals")+" ORDER BY name, start_ts")
	if err != nil {
		return nil, err
	}
	out := map[string][]Interval{}
	for _, r := range rows.Values {
		out[str(r[0])] = append(out[str(r[0])], Interval{Start: tm(r[1]), End: tm(r[2])})
	}
	return out, nil
}

// RecordIntervals marks intervals of a model done, in the transaction
// that wrote their rows.
func (s *Store) RecordIntervals(ctx context.Context, x adapters.Execer, name, run string, ivs []Interval) error {
	if len(ivs) == 0 {
		return nil
	}
	vals := make([]string, len(ivs))
	for i, iv := range ivs {
		vals[i] = fmt.Sprintf("(%s, %s, %s, %s)", s.lit(name), ts(iv.Start), ts(iv.End), s.lit(run))
	}
	_, err := x.Exec(ctx, fmt.Sprintf("INSERT INTO %s (name, start_ts, end_ts, run_id) VALUES %s\n%s",
		s.table("intervals"), strings.Join(vals, ", "),
		adapters.OnConflictUpdate(s.d, []string{"name", "start_ts"}, []string{"end_ts", "run_id"})))
	return err
}

// StartRun records the start of a run.
func (s *Store) StartRun(ctx context.Context, r Run) error {
	trigger := r.Trigger
	if trigger == "" {
		trigger = TriggerManual
	}
	_, err := s.a.Exec(ctx, fmt.Sprintf("INSERT INTO %s (run_id, command, args, started_at, status, triggered_by) VALUES (%s, %s, %s, %s, 'running', %s)",
		s.table("runs"), s.lit(r.ID), s.lit(r.Command), s.lit(r.Args), ts(r.StartedAt), s.lit(trigger)))
	return err
}

// AbortStale marks as aborted every run still recorded as running, and
// returns their IDs. Call it holding the target's build lock, before
// StartRun: a run then still "running" was killed before it could record
// its end. Its ended_at stays empty, as no one saw it end.
func (s *Store) AbortStale(ctx context.Context) ([]string, error) {
	rows, err := s.a.Query(ctx, fmt.Sprintf("SELECT run_id FROM %s WHERE status = 'running' ORDER BY started_at", s.table("runs")))
	if err != nil || len(rows.Values) == 0 {
		return nil, err
	}
	ids := make([]string, len(rows.Values))
	quoted := make([]string, len(rows.Values))
	for i, r := range rows.Values {
		ids[i] = str(r[0])
		quoted[i] = s.lit(ids[i])
	}
	_, err = s.a.Exec(ctx, fmt.Sprintf("UPDATE %s SET status = 'aborted' WHERE run_id IN (%s)", s.table("runs"), strings.Join(quoted, ", ")))
	return ids, err
}

// FinishRun records a run's end and the outcome of each node.
func (s *Store) FinishRun(ctx context.Context, id, status string, ended time.Time, nodes []RunNode) error {
	for start := 0; start < len(nodes); start += 500 {
		batch := nodes[start:min(start+500, len(nodes))]
		vals := make([]string, len(batch))
		for i, n := range batch {
			vals[i] = fmt.Sprintf("(%s, %s, %s, %s, %s, %d, %d, %s)", s.lit(id), s.lit(n.Name), s.lit(n.Status), s.lit(n.Reason),
				s.lit(""), int64(n.DurationMS*1000), n.Rows, s.lit(truncate(n.Message, 2000)))
		}
		if _, err := s.a.Exec(ctx, fmt.Sprintf("INSERT INTO %s (run_id, name, status, reason, selector, duration_us, row_count, message) VALUES %s",
			s.table("run_nodes"), strings.Join(vals, ", "))); err != nil {
			return err
		}
	}
	if err := s.recordAttempts(ctx, id, nodes); err != nil {
		return err
	}
	if _, err := s.a.Exec(ctx, fmt.Sprintf("UPDATE %s SET ended_at = %s, status = %s WHERE run_id = %s",
		s.table("runs"), ts(ended), s.lit(status), s.lit(id))); err != nil {
		return err
	}
	return s.Compact(ctx)
}

// LastRun returns the most recent finished run of one of the given
// commands, and its node outcomes; ok is false when there is none.
func (s *Store) LastRun(ctx context.Context, commands ...string) (Run, []RunNode, bool, error) {
	latest, err := s.latestRuns(ctx, commands)
	if err != nil || len(latest) == 0 {
		return Run{}, nil, false, err
	}
	run := latest[0]
	for _, r := range latest[1:] {
		if r.StartedAt.After(run.StartedAt) {
			run = r
		}
	}
	rows, err := s.a.Query(ctx, fmt.Sprintf("SELECT name, status, reason, duration_us, row_count, message FROM %s WHERE run_id = %s ORDER BY name",
		s.table("run_nodes"), s.lit(run.ID)))
	if err != nil {
		return run, nil, true, err
	}
	var nodes []RunNode
	for _, r := range rows.Values {
		nodes = append(nodes, runNodeFromRow(r))
	}
	return run, nodes, true, nil
}

// latestRuns returns the most recent finished run of each of commands
// that has one, in one query of one indexed lookup a command (with
// "command IN (…)" Postgres sorted every run of those commands).
func (s *Store) latestRuns(ctx context.Context, commands []string) ([]Run, error) {
	if len(commands) == 0 {
		return nil, nil
	}
	parts := make([]string, len(commands))
	for i, c := range commands {
		parts[i] = fmt.Sprintf("(SELECT run_id, command, args, started_at, ended_at, status FROM %s WHERE command = %s AND status <> 'running' ORDER BY started_at DESC LIMIT 1)",
			s.table("runs"), s.lit(c))
	}
	rows, err := s.a.Query(ctx, strings.Join(parts, "\nUNION ALL "))
	if err != nil {
		return nil, err
	}
	runs := make([]Run, len(rows.Values))
	for i, r := range rows.Values {
		runs[i] = runFromRow(r)
	}
	return runs, nil
}

// ts writes t as a UTC timestamp literal.
func ts(t time.Time) string {
	return "TIMESTAMP '" + t.UTC().Format("2006-01-02 15:04:05.999999") + "'"
}

func str(v any) string {
	if v == nil {
		return ""
	}
	if s, ok := v.(string); ok {
		return s
	}
	return fmt.Sprint(v)
}

func tm(v any) time.Time {
	if t, ok := v.(time.Time); ok {
		return t.UTC()
	}
	return time.Time{}
}

// num reads a count or duration, whatever integer type the driver gives.
func num(v any) int64 {
	n, _ := adapters.Int64(v)
	return n
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// lit writes v as a string literal of the target's dialect.
func (s *Store) lit(v string) string { return s.d.QuoteLiteral(v) }
