// Package compiler turns a loaded project into compiled nodes: it renders
// each model's template, parses the SQL with the warehouse dialect's own
// parser, resolves every table reference to a model, seed or source,
// rewrites the references to physical names at the parser's byte offsets
// (the user's SQL otherwise reaches the warehouse as written), inlines
// ephemeral models, builds the DAG and fingerprints every node.
package compiler
