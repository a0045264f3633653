// Package models holds weir's domain types (Project, Model, Seed, Source,
// Target) and loads them from a project folder: weir.hcl, models/**/*.sql
// with their HCL header comments, and seeds/**/*.csv.
//
// Loading never talks to a warehouse and never parses SQL; every decoded
// value carries the source range it came from so that later stages can
// report errors at the right file, line and column.
package models
