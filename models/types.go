package models

import (
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Node kinds, as written to the manifest.
const (
	KindModel  = "model"
	KindSeed   = "seed"
	KindSource = "source"
)

// Materializations a model may declare.
const (
	MatTable       = "table"
	MatView        = "view"
	MatEphemeral   = "ephemeral"
	MatIncremental = "incremental"
)

// DefaultMaterialization is used when neither the model nor its folder says
// otherwise. Tables, not views: DuckDB re-binds a view's whole upstream on
// every CREATE VIEW, which explodes on deep layered projects (DESIGN.md §9).
const DefaultMaterialization = MatTable

// Project is a loaded weir project: its configuration and every node.
type Project struct {
	Name          string
	Dir           string // absolute path of the folder holding weir.hcl
	DefaultTarget string
	Targets       map[string]*Target
	Vars          map[string]cty.Value
	Sources       []*Source
	Seeds         []*Seed
	Models        []*Model
	Folders       []*FolderDefaults
	// Selectors are the named selections (selector blocks), by name.
	Selectors map[string]*Selector
	// Notifiers are the notify blocks: who hears of a run's failures.
	Notifiers []*Notifier
	// SingularTests, GenericTests and UnitTests are found under tests/
	// (see models/tests.go).
	SingularTests []*SingularTest
	GenericTests  []*GenericTestDef
	UnitTests     []*UnitTest
	// Scripts are the command nodes under scripts/ (models/scripts.go).
	Scripts []*Script
	// Macros are the template functions under macros/ (models/macros.go).
	Macros []*Macro
	// DefaultSchema holds models and seeds placed directly in models/ or
	// seeds/ rather than in a schema folder.
	DefaultSchema string
	// Timezone is where the cron schedules are read (weir.hcl timezone,
	// an IANA name); UTC when not given.
	Timezone      *time.Location
	TimezoneRange hcl.Range
	// HistoryDays is how many days of run history (runs, their nodes'
	// outcomes and attempts) a build keeps: weir.hcl's history { keep_days },
	// DefaultHistoryDays when not given, 0 to keep all.
	HistoryDays int
	// Files holds the text of every file loaded, keyed by the path used in
	// diagnostics (relative to Dir), for printing source snippets.
	Files     map[string]*hcl.File
	DeclRange hcl.Range
}

// DefaultThreads and MaxThreads bound a target's threads: the models built
// at once.
const (
	DefaultThreads = 4
	MaxThreads     = 1024
)

// Target is one warehouse a project can build into.
type Target struct {
	Name    string
	Adapter string // "duckdb", "postgres", ...
	// Path is the database file for file-based adapters, relative to the
	// project folder unless absolute. ":memory:" keeps everything in memory.
	// Empty is the adapter's default (DuckDB: warehouse.duckdb).
	Path string
	// DSN is the connection string for server adapters. It may hold a secret
	// and must never be printed: use RedactedDSN.
	DSN string
	// SchemaPrefix is prepended to every model and seed schema, e.g. "dev_"
	// builds staging.orders as dev_staging.orders.
	SchemaPrefix string
	Threads      int
	// ANSIQuotes makes "x" an identifier on a MySQL-family target (its
	// sessions run with sql_mode ANSI_QUOTES); other adapters ignore it.
	ANSIQuotes bool
	// BlockSize is the block size in bytes of a DuckDB file weir creates
	// for the target (block_size); 0 leaves DuckDB's default. A file keeps
	// the block size it was created with.
	BlockSize      int
	BlockSizeRange hcl.Range // where block_size is set, for warnings
	DeclRange      hcl.Range
	// Diags are the errors evaluating the target's settings (env("X")
	// with X unset): reported only by the commands that use the target.
	Diags hcl.Diagnostics
}

// Source is a table that exists already in the warehouse.
type Source struct {
	Schema      string // logical schema used in SQL references
	Name        string
	Database    string // physical catalog, "" for the default
	Physical    string // physical schema, defaults to Schema
	Identifier  string // physical table name, defaults to Name
	Description string
	LoadedAt    string // optional column holding the load time of each row
	// TriggerPath is a glob of files, relative to the project folder
	// (e.g. "landing/orders/*.csv"), whose arrival starts a run of the
	// models downstream of the source under weir serve.
	TriggerPath  string
	TriggerRange hcl.Range
	Columns      []Column
	Tests        []TestDecl // table-level data tests
	DeclRange    hcl.Range
}

// ID is the node name "schema.name".
func (s *Source) ID() string { return s.Schema + "." + s.Name }

// Seed is a CSV file loaded as a table as is.
type Seed struct {
	Schema      string
	Name        string
	Path        string            // relative to the project folder
	ColumnTypes map[string]string // column name -> SQL type overrides
	Description string
	Columns     []Column
	Tests       []TestDecl // table-level data tests
	DeclRange   hcl.Range
}

// ID is the node name "schema.name".
func (s *Seed) ID() string { return s.Schema + "." + s.Name }

// Model is one .sql file under models/.
type Model struct {
	Schema string
	Name   string
	Path   string // relative to the project folder, slash-separated
	// Body is the SQL after the header comment, exactly as written.
	Body string
	// BodyStart is where Body begins in the file, for mapping SQL positions
	// back to file positions.
	BodyStart hcl.Pos
	Config    ModelConfig
	DeclRange hcl.Range // the whole file's first line
	// Diags are the errors in the model's file (it cannot be read, its
	// header is wrong); a model with errors is not built.
	Diags hcl.Diagnostics
}

// ID is the node name "schema.name".
func (m *Model) ID() string { return m.Schema + "." + m.Name }

// ModelConfig is a model's own configuration, from its header comment,
// merged over the defaults of its folders.
type ModelConfig struct {
	Materialized string
	Description  string
	Tags         []string
	DependsOn    []string
	Enabled      bool
	Columns      []Column
	// Tests are the model-level data tests; column tests sit on Columns.
	Tests []TestDecl
	// Contract makes the build fail, before the old relation is replaced,
	// when the query's columns or their types differ from Columns.
	Contract      bool
	ContractRange hcl.Range
	// Retry says how often a transient failure is retried and how long
	// one attempt may take (retries, retry_backoff, timeout).
	Retry RetryPolicy
	// Cron is the model's schedule, a standard five-field cron expression
	// ("" when it has none); CronRange is where it was written (the model
	// header or its folder block).
	Cron      string
	CronRange hcl.Range

	// Incremental settings (materialized = "incremental").
	Incremental Incremental

	// Ranges of individual settings, for diagnostics.
	MaterializedRange hcl.Range
	DependsOnRange    hcl.Range
}

// Incremental strategies.
const (
	StrategyAppend       = "append"
	StrategyMerge        = "merge"
	StrategyDeleteInsert = "delete+insert"
	StrategyTimeRange    = "time_range"
)

// Schema change policies of incremental models.
const (
	SchemaChangeFail   = "fail"
	SchemaChangeAppend = "append_new_columns"
	SchemaChangeSync   = "sync_all_columns"
)

// Incremental configures how an incremental model adds new rows to the
// table it already built.
type Incremental struct {
	Strategy  string   // append, merge, delete+insert or time_range
	UniqueKey []string // for merge and delete+insert
	// TimeColumn, Interval ("hour", "day", "week", "month"), Start (first
	// interval, e.g. "2024-01-01"), Lookback (intervals redone for late
	// data) and BatchSize (intervals per query) configure time_range.
	TimeColumn     string
	Interval       string
	Start          string
	Lookback       int
	BatchSize      int
	OnSchemaChange string // fail (default), append_new_columns, sync_all_columns
	DeclRange      hcl.Range
}

// Column documents one column of a model, seed or source.
type Column struct {
	Name        string
	Description string
	Type        string
	Tests       []TestDecl
	DeclRange   hcl.Range
	TypeRange   hcl.Range // of type = "…", when given
}

// FolderDefaults are settings applied to every model under a folder of
// models/, e.g. folder "staging" { materialized = "view" }.
type FolderDefaults struct {
	Path         string // relative to models/, slash-separated
	Materialized string
	Tags         []string
	// retry holds the retry settings the folder block writes.
	retry retrySet
	// Cron is the schedule of the models under the folder, "" for none.
	Cron      string
	CronRange hcl.Range
	DeclRange hcl.Range
}
