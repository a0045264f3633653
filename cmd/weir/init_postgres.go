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

// pgTarget is the name of the target init adds to an existing project.
const pgTarget = "pg"

func (o *initOptions) check() error {
	if o.adapter == "" && o.dsn != "" {
		o.adapter = "postgres"
	}
	switch o.adapter {
	case "", "duckdb":
		if o.dsn != "" {
			return &exitError{code: exitUsage, msg: "--dsn is for --adapter postgres; a DuckDB target has a path, not a DSN"}
		}
	case "postgres":
		if strings.TrimSpace(o.dsn) == "" {
			return &exitError{code: exitUsage, msg: `--adapter postgres needs --dsn: a DSN like postgres://user@host:5432/db, or env("WEIR_PG_DSN") to read it from the environment`}
		}
		if _, err := o.dsnExpr(); err != nil {
			return &exitError{code: exitUsage, msg: err.Error()}
		}
	default:
		return &exitError{code: exitUsage, msg: fmt.Sprintf("unknown --adapter %q; use duckdb or postgres", o.adapter)}
	}
	return nil
}

func (o *initOptions) postgres() bool { return o.adapter == "postgres" }

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

// targetBlock is a Postgres target named name.
func (o *initOptions) targetBlock(name string) string {
	expr, _ := o.dsnExpr()
	return fmt.Sprintf(`target %q {
  adapter = "postgres"
  dsn     = %s
  threads = 4
  # schema_prefix = "dev_"   # build staging.orders as dev_staging.orders
}
`, name, expr)
}

const pgAdvice = `# Keep passwords out of this file: write dsn = env("WEIR_PG_DSN") and
# export WEIR_PG_DSN="postgres://user:password@host:5432/db?sslmode=require".
`

// postgresHCL is the start of a new weir.hcl whose default target is the
// Postgres of the DSN.
func (o *initOptions) postgresHCL(project string) string {
	return fmt.Sprintf(`# weir project file. Docs: docs/guide/project.md
name = %q

# The target used when --target is not given.
default_target = %q

# Postgres.
%s%s
# An embedded DuckDB database file, to work without a server:
# target "dev" {
#   adapter = "duckdb"
#   path    = "warehouse.duckdb"
# }

`, project, pgTarget, pgAdvice, o.targetBlock(pgTarget))
}

// addPostgresTarget appends a target "pg" to the existing weir.hcl at
// path, leaving every byte of it as it was; it refuses a file that does
// not parse, and one that has a target "pg" already.
func (o *initOptions) addPostgresTarget(out io.Writer, path string) error {
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
	add.WriteString("\n# Added by weir init --adapter postgres.\n" + pgAdvice + o.targetBlock(pgTarget))
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
	if o.postgres() && !o.fromEnv() && len(adapters.DSNSecrets(o.dsn)) > 0 {
		fmt.Fprintf(out, "\nNote: weir.hcl now holds the DSN's password (%s). Move it to the\nenvironment: dsn = env(\"WEIR_PG_DSN\"), and export WEIR_PG_DSN.\n", adapters.RedactedDSN(o.dsn))
	}
}
