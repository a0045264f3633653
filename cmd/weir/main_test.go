package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

var update = flag.Bool("update", false, "rewrite the expected output in testdata/script/*.txtar")

func TestMain(m *testing.M) {
	// Tests that need a real weir process (to kill it, say) run this test
	// binary with WEIR_TEST_RUN_MAIN=1.
	if os.Getenv("WEIR_TEST_COMMAND_NODE") == "1" && os.Getenv("WEIR_NODE") != "" {
		os.Exit(commandNodeHelper()) // the command of a command node
	}
	if os.Getenv("WEIR_TEST_RUN_MAIN") == "1" {
		os.Exit(runToExit(os.Args[1:]))
	}
	testscript.Main(m, map[string]func(){
		"weir": func() { os.Exit(runToExit(os.Args[1:])) },
	})
}

// TestScripts runs the CLI sessions in testdata/script: whole sessions of
// weir commands against real project folders and a real DuckDB file.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		UpdateScripts:       *update,
		RequireExplicitExec: true,
		Cmds:                map[string]func(ts *testscript.TestScript, neg bool, args []string){"jsonvalue": jsonValueCmd},
		Setup: func(env *testscript.Env) error {
			env.Setenv("NO_COLOR", "1")
			return nil
		},
	})
}

// jsonValueCmd is the script command "jsonvalue FILE": FILE (stdout, say)
// holds exactly one JSON value and nothing else.
func jsonValueCmd(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: jsonvalue FILE")
	}
	data := ts.ReadFile(args[0]) // also stdout and stderr
	dec := json.NewDecoder(strings.NewReader(data))
	var v any
	err := dec.Decode(&v)
	if err == nil {
		if _, extra := dec.Token(); extra != io.EOF {
			err = fmt.Errorf("more than one JSON value")
		}
	}
	if neg != (err != nil) {
		ts.Fatalf("%s is not exactly one JSON value (%v):\n%s", args[0], err, data)
	}
}
