// Package dbt reads a dbt project and writes the weir project it
// becomes (weir import dbt): models with plain table names and config
// headers, schema.yml columns and tests, sources, seeds, the project's
// macros as weir macros where their Jinja is mechanical, and
// IMPORT_REPORT.md listing what it could not translate and why.
//
// The Jinja is rendered at import time with gonja, dbt's functions
// standing in for what weir writes: ref and source give table names,
// var, this and is_incremental give weir template actions, dbt_utils
// calls give the standard macros. A model is rendered with is_incremental
// false and true and the two outputs meet in one {{ if is_incremental }}.
package dbt
