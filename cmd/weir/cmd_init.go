package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/weir-sh/weir/models"
)

func newInitCmd(g *globals) *cobra.Command {
	opts := &initOptions{}
	cmd := &cobra.Command{
		Use:   "init [DIR]",
		Short: "Create weir.hcl (and an example model in an empty folder)",
		Long: `init writes a commented weir.hcl whose default target is an embedded DuckDB
file, warehouse.duckdb beside it (outside target/, which holds only
artifacts), and a .gitignore for target/ and DuckDB files (an existing
.gitignore only gets the lines it lacks). In an empty folder it also
writes a tiny example model. It never overwrites a file.

With --adapter postgres --dsn DSN the default target is that Postgres, with
--adapter mysql --dsn DSN that MySQL, MariaDB or TiDB; in a project that
has a weir.hcl already, init appends a target "pg" (or "mysql") to it and
changes nothing else.`,
		Example: `  weir init            # in the current folder
  weir init shop       # creates ./shop
  weir init shop --adapter postgres --dsn 'env("WEIR_PG_DSN")'
  weir init shop --adapter mysql --dsn 'env("WEIR_MYSQL_DSN")'`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			if err := opts.check(); err != nil {
				return err
			}
			return initProject(cmd, dir, opts)
		},
	}
	cmd.Flags().StringVar(&opts.adapter, "adapter", "", "warehouse of the default target: duckdb, postgres or mysql (default duckdb, postgres with --dsn)")
	cmd.Flags().StringVar(&opts.dsn, "dsn", "", `Postgres or MySQL DSN, or env("NAME") to read it from the environment`)
	return cmd
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9_]+`)

func initProject(cmd *cobra.Command, dir string, opts *initOptions) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return &exitError{code: exitUsage, msg: err.Error()}
	}
	abs, _ := filepath.Abs(dir)
	entries, _ := os.ReadDir(abs)
	empty := len(entries) == 0
	name := strings.Trim(unsafeName.ReplaceAllString(strings.ToLower(filepath.Base(abs)), "_"), "_")
	if name == "" {
		name = "project"
	}
	out := cmd.OutOrStdout()
	files := map[string]string{models.ConfigFile: fmt.Sprintf(weirHCLTemplate, name) + weirHCLCommon}
	sa, server := opts.server()
	if server {
		files[models.ConfigFile] = opts.serverHCL(sa, name) + weirHCLCommon
	}
	order := []string{models.ConfigFile}
	if empty {
		files["models/example/hello.sql"] = exampleModel
		order = append(order, "models/example/hello.sql")
	}
	for _, rel := range order {
		path := filepath.Join(abs, rel)
		if _, err := os.Stat(path); err == nil && rel == models.ConfigFile && server {
			if err := opts.addServerTarget(out, sa, path); err != nil {
				return err
			}
			continue
		} else if err == nil {
			fmt.Fprintf(out, "kept     %s (exists; not overwritten)\n", rel)
			continue
		} else if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return err
		}
		if _, err := f.WriteString(files[rel]); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		fmt.Fprintf(out, "created  %s\n", rel)
	}
	if err := addGitignore(out, filepath.Join(abs, ".gitignore")); err != nil {
		return err
	}
	opts.warn(out)
	fmt.Fprintf(out, "\nNext: cd %s && weir build%s\n", dir, opts.nextFlags)
	return nil
}

const weirHCLTemplate = `# weir project file. Docs: docs/guide/project.md
name = %q

# The target used when --target is not given.
default_target = "dev"

# An embedded DuckDB database file; nothing to install or run.
target "dev" {
  adapter = "duckdb"
  path    = "warehouse.duckdb"   # beside weir.hcl: deleting target/ loses no data
  threads = 4
  # schema_prefix = "dev_"   # build staging.orders as dev_staging.orders
}

# A Postgres target; the DSN can come from the environment:
# target "pg" {
#   adapter = "postgres"
#   dsn     = env("WEIR_PG_DSN")
# }

`

// weirHCLCommon is the part of a new weir.hcl after its targets.
const weirHCLCommon = `# Values for {{ var "name" }} in models.
# vars = {
#   start_date = "2024-01-01"
# }

# Tables that already exist in the warehouse, read by models as raw.events.
# source "raw" {
#   table "events" {
#     loaded_at = "inserted_at"
#   }
# }

# Defaults for every model under a folder of models/.
# folder "staging" {
#   materialized = "view"
# }
`

const exampleModel = `/* config
description = "A first model: edit it, or add more .sql files next to it."
*/
SELECT 42 AS answer, 'hello from weir' AS greeting
`
