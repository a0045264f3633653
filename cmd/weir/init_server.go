package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/models"
)

// initOptions are the flags of weir init.
type initOptions struct {
	adapter string
	dsn     string
	// nextFlags are added to the "Next: weir build" hint.
	nextFlags string
}

// serverAdapter is what init writes for a warehouse reached by a DSN.
type serverAdapter struct {
	name   string // the adapter, as in adapter = "…"
	label  string // the warehouse, for comments
	target string // the name of the target init adds
	envVar string // the variable the advice reads the DSN from
	// example is a DSN to show, with a password.
	example string
}

// serverAdapters are the adapters init sets up with --dsn.
var serverAdapters = map[string]serverAdapter{
	"postgres": {name: "postgres", label: "Postgres", target: "pg", envVar: "WEIR_PG_DSN",
		example: "postgres://user:password@host:5432/db?sslmode=require"},
	"mysql": {name: "mysql", label: "MySQL, MariaDB or TiDB", target: "mysql", envVar: "WEIR_MYSQL_DSN",
		example: "user:password@tcp(host:3306)/db"},
}

func (o *initOptions) check() error {
	if o.adapter == "" && o.dsn != "" {
		o.adapter = "postgres"
	}
	if o.adapter == "" || o.adapter == "duckdb" {
		if o.dsn != "" {
			return &exitError{code: exitUsage, msg: "--dsn is for --adapter postgres or mysql; a DuckDB target has a path, not a DSN"}
		}
		return nil
	}
	sa, ok := serverAdapters[o.adapter]
	if !ok {
		return &exitError{code: exitUsage, msg: fmt.Sprintf("unknown --adapter %q; use duckdb, postgres or mysql", o.adapter)}
	}
	if strings.TrimSpace(o.dsn) == "" {
		return &exitError{code: exitUsage, msg: fmt.Sprintf(`--adapter %s needs --dsn: a DSN like %s, or env("%s") to read it from the environment`,
			sa.name, strings.Replace(sa.example, "user:password", "user", 1), sa.envVar)}
	}
	if _, err := o.dsnExpr(); err != nil {
		return &exitError{code: exitUsage, msg: err.Error()}
	}
	return nil
}

// server is the server adapter of the default target, ok false for DuckDB.
func (o *initOptions) server() (serverAdapter, bool) {
	sa, ok := serverAdapters[o.adapter]
	return sa, ok
}

// fromEnv reports whether the DSN is an expression such as env("…")
// rather than the DSN itself.
func (o *initOptions) fromEnv() bool {
	return strings.HasPrefix(strings.TrimSpace(o.dsn), "env(")
}

// dsnExpr is the DSN as an HCL expression: env("…") as given, anything
// else as a string.
func (o *initOptions) dsnExpr() (string, error) {
	dsn := strings.TrimSpace(o.dsn)
	if !o.fromEnv() {
		return hclQuote(o.dsn), nil
	}
	if _, diags := hclsyntax.ParseExpression([]byte(dsn), "--dsn", hcl.InitialPos); diags.HasErrors() {
		return "", fmt.Errorf("--dsn %s is not a valid expression: %s", dsn, diags.Error())
	}
	return dsn, nil
}

// hclQuote writes s as an HCL string literal.
func hclQuote(s string) string {
	return strings.NewReplacer("${", "$${", "%{", "%%{").Replace(strconv.Quote(s))
}

// targetBlock is a target of the server adapter sa named name.
func (o *initOptions) targetBlock(sa serverAdapter, name string) string {
	expr, _ := o.dsnExpr()
	return fmt.Sprintf(`target %q {
  adapter = %q
  dsn     = %s
  threads = 4
  # schema_prefix = "dev_"   # build staging.orders as dev_staging.orders
}
`, name, sa.name, expr)
}

// advice tells to keep the password in the environment.
func (sa serverAdapter) advice() string {
	return fmt.Sprintf(`# Keep passwords out of this file: write dsn = env(%q) and
# export %s=%q.
`, sa.envVar, sa.envVar, sa.example)
}

// serverHCL is the start of a new weir.hcl whose default target is the
// server of the DSN.
func (o *initOptions) serverHCL(sa serverAdapter, project string) string {
	return fmt.Sprintf(`# weir project file. Docs: docs/guide/project.md
name = %q

# The target used when --target is not given.
default_target = %q

# %s.
%s%s
# An embedded DuckDB database file, to work without a server:
# target "dev" {
#   adapter = "duckdb"
#   path    = "warehouse.duckdb"
# }

`, project, sa.target, sa.label, sa.advice(), o.targetBlock(sa, sa.target))
}

// addServerTarget appends a target of sa (named "pg" for Postgres,
// "mysql" for MySQL) to the existing weir.hcl at path, leaving every byte
// of it as it was; it refuses a file that does not parse, and one that
// has a target of that name already.
func (o *initOptions) addServerTarget(out io.Writer, sa serverAdapter, path string) error {
	pgTarget := sa.target
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	f, diags := hclsyntax.ParseConfig(src, models.ConfigFile, hcl.InitialPos)
	if diags.HasErrors() {
		return &exitError{code: exitUsage, msg: fmt.Sprintf("%s has errors, so init leaves it alone; fix it first:\n%s", models.ConfigFile, diags.Error())}
	}
	for _, b := range f.Body.(*hclsyntax.Body).Blocks {
		if b.Type == "target" && len(b.Labels) == 1 && b.Labels[0] == pgTarget {
			fmt.Fprintf(out, "kept     %s (it declares target %q already; not changed)\n", models.ConfigFile, pgTarget)
			o.nextFlags = " --target " + pgTarget
			return nil
		}
	}
	var add bytes.Buffer
	if len(src) > 0 && !bytes.HasSuffix(src, []byte("\n")) {
		add.WriteString("\n")
	}
	add.WriteString("\n# Added by weir init --adapter " + sa.name + ".\n" + sa.advice() + o.targetBlock(sa, pgTarget))
	w, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return err
	}
	if _, err := w.Write(add.Bytes()); err != nil {
		w.Close()
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	fmt.Fprintf(out, "added    target %q to %s\n", pgTarget, models.ConfigFile)
	o.nextFlags = " --target " + pgTarget
	return nil
}

// warn says when the DSN written into weir.hcl holds a password.
func (o *initOptions) warn(out io.Writer) {
	sa, ok := o.server()
	if ok && !o.fromEnv() && len(adapters.DSNSecrets(o.dsn)) > 0 {
		fmt.Fprintf(out, "\nNote: weir.hcl now holds the DSN's password (%s). Move it to the\nenvironment: dsn = env(%q), and export %s.\n", adapters.RedactedDSN(o.dsn), sa.envVar, sa.envVar)
	}
}
