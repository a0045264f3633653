package docs

import (
	"time"

	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/compiler/lineage"
)

// Input is everything a site is generated from. Only Result is required:
// without a warehouse (nothing built yet) the site says "not built".
type Input struct {
	// Result is the compiled project, with its tests (Result.Tests).
	Result *compiler.Result
	// Warehouse is what was read from the target's warehouse; nil when it
	// could not be read.
	Warehouse *Warehouse
	// WarehouseNote says why Warehouse is nil or partial ("not built", an
	// error), shown on the pages.
	WarehouseNote string
	// Runs are the recent runs recorded in the state, newest first.
	Runs []Run
	// Tests are the last results of the data tests, by test name.
	Tests map[string]TestResult
	// Lineage is the project's column lineage (compiler/lineage); nil
	// when it was not worked out.
	Lineage *lineage.Graph
	// Generated is the time shown as the site's date (default: now).
	Generated time.Time
}

// Warehouse is what the warehouse knows of the project's nodes.
type Warehouse struct {
	// Columns of each node's relation as it exists, by node ID.
	Columns map[string][]Column
	// State is the recorded state of each node, by node ID.
	State map[string]NodeState
	// Freshness is the newest loaded_at of each source declaring one, by
	// node ID.
	Freshness map[string]time.Time
}

// Column is one column of a relation in the warehouse.
type Column struct {
	Name, Type string
}

// NodeState is the recorded outcome of a node's last builds.
type NodeState struct {
	// BuiltAt is the end of the last successful build (zero when never).
	BuiltAt time.Time
	// LastStatus (success, error, skipped) and LastMessage are of the last
	// attempt.
	LastStatus, LastMessage string
}

// Run is one recorded run and the outcome of its nodes.
type Run struct {
	ID, Command, Status string
	StartedAt, EndedAt  time.Time
	Nodes               []RunNode
}

// RunNode is one node's outcome in a run.
type RunNode struct {
	Name, Status, Message string
	DurationMS            float64
	Rows                  int64
}

// TestResult is the last result of a data test.
type TestResult struct {
	Status   string // pass, fail, warn, error
	Failures int64
	Message  string
	At       time.Time // the run's start (zero when unknown)
}
