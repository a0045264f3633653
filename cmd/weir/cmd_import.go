package main

import (
	"errors"
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/weir-sh/weir/importer/dbt"
)

func newImportCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import",
		Short: "Make a weir project from another tool's project",
	}
	cmd.AddCommand(newImportDbtCmd())
	return cmd
}

func newImportDbtCmd() *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "dbt DBT_PROJECT_DIR NEW_DIR",
		Short: "Translate a dbt project into a new weir project",
		Long: `import dbt reads the dbt project in DBT_PROJECT_DIR (dbt_project.yml, models,
schema.yml files, sources, seeds, macros, tests) and writes a weir project in
NEW_DIR: models with plain table names and config headers, tests, weir macros
where a macro's Jinja is mechanical, weir.hcl with a DuckDB target, and
IMPORT_REPORT.md listing what it could not translate and why. The Jinja is
rendered at import; var, this, is_incremental and target become weir's
template actions. NEW_DIR must be new or empty; --force writes the imported
files over files of the same names there and leaves the others alone. The dbt
project is only read.`,
		Example: `  weir import dbt ../jaffle_shop shop
  cd shop && weir build && weir test`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			out, err := dbt.Convert(args[0])
			if err != nil {
				return &exitError{code: exitUsage, msg: err.Error()}
			}
			if err := out.Write(args[1], force); err != nil {
				var ne *dbt.NotEmptyError
				if errors.As(err, &ne) {
					return &exitError{code: exitUsage, msg: err.Error()}
				}
				return err
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "Imported %s into %s: %s.\n", args[0], args[1], out.Report.Summary())
			for _, s := range out.Report.Skipped {
				fmt.Fprintf(w, "  not translated: %s %s (%s): %s\n", s.Kind, s.Name, s.File, s.Reason)
			}
			fmt.Fprintf(w, "See %s.\n", filepath.Join(args[1], "IMPORT_REPORT.md"))
			return nil
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "write into a folder that holds files, replacing the files the import writes")
	return cmd
}
