// Package docs generates weir's documentation site: a static folder
// (target/docs/, entry index.html) describing every model, seed, source
// and test of a compiled project, with search, the lineage graph of the
// whole project and of each node's neighbourhood, column lineage, tests
// with their last results and the run history recorded in the warehouse.
//
// The site works opened from disk (file://) and from any static host:
// its data ships as scripts beside the page (data/index.js for search and
// the graph, one script per node and per run loaded on demand), since
// browsers refuse fetch() of local files. The front end (assets/) is
// embedded in the binary: no Node and no network at run time.
//
// Handler serves a generated folder; `weir docs serve`, `weir watch` and
// `weir serve` mount it on internal/webserver.
//
// The user guides live in docs/guide/.
package docs
