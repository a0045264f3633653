package compiler

import "github.com/weir-sh/weir/compiler/sqllex"

// Normalize returns sql without comments and with every run of whitespace
// outside literals turned into one space, so that edits to comments or
// layout do not change a model's fingerprint. See sqllex.Normalize.
func Normalize(sql string) string { return sqllex.Normalize(sql) }

// TrimStatement cuts trailing whitespace, comments and semicolons from a
// single statement so it can be embedded in CREATE … AS or a CTE. See
// sqllex.Trim.
func TrimStatement(sql string) string { return sqllex.Trim(sql) }
