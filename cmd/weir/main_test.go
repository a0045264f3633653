package main

import (
	"flag"
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

var update = flag.Bool("update", false, "rewrite the expected output in testdata/script/*.txtar")

func TestMain(m *testing.M) {
	// Tests that need a real weir process (to kill it, say) run this test
	// binary with WEIR_TEST_RUN_MAIN=1.
	if os.Getenv("WEIR_TEST_RUN_MAIN") == "1" {
		os.Exit(run(os.Args[1:]))
	}
	testscript.Main(m, map[string]func(){
		"weir": func() { os.Exit(run(os.Args[1:])) },
	})
}

// TestScripts runs the CLI sessions in testdata/script: whole sessions of
// weir commands against real project folders and a real DuckDB file.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		UpdateScripts:       *update,
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			env.Setenv("NO_COLOR", "1")
			return nil
		},
	})
}
