// Package datatests holds weir's data tests, unit tests and contracts.
//
// Data tests are queries that return the rows breaking a rule; the number
// of rows is the test's failure count. They come in three forms: generic
// tests declared on a model's, seed's or source's columns in its config
// (built in, or custom templates in tests/generic/<name>.sql), and
// singular tests, one SELECT a file in tests/. Collect compiles them all
// against a compiled project with the compiler's own reference
// resolution, so a test reading a model depends on it like a model would.
//
// Unit tests (tests/unit/*.hcl) run one model's SQL on fixed input rows,
// substituted for its inputs at the parser's offsets, and compare the
// output with expected rows, ignoring order. Contracts compare the columns
// and types a model's query yields with those it declares, before the
// model's relation is replaced.
//
// Everything here runs on any adapter: the SQL is standard and every
// identifier is quoted by the adapter's Dialect. docs/guide/tests.md describes
// the configuration.
package datatests
