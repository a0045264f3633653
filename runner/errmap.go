package runner

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/compiler"
)

// duckdbLine finds the "LINE n:" DuckDB puts in its error messages.
var duckdbLine = regexp.MustCompile(`LINE (\d+):`)

// placeError prefixes a warehouse error with the model file and line it
// points at, when the warehouse gives a position inside the model's own
// SQL: "models/core/orders.sql:17: Binder Error: …".
func placeError(n *compiler.Node, err error) error {
	if n.Model == nil || err == nil {
		return err
	}
	var step *adapters.StepError
	if !errors.As(err, &step) {
		return err
	}
	line := 0
	var pos *adapters.PositionError
	if errors.As(err, &pos) && pos.Offset >= 0 && pos.Offset <= len(step.SQL) {
		line = strings.Count(step.SQL[:pos.Offset], "\n") + 1
	} else if m := duckdbLine.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
	}
	at := strings.Index(step.SQL, n.SQL)
	if line == 0 || at < 0 {
		return err
	}
	// Lines of the statement before the compiled SQL, then of the compiled
	// SQL before the model's own text.
	rendered := line - strings.Count(step.SQL[:at], "\n") - (n.BodyLine - 1)
	if rendered < 1 || rendered > strings.Count(n.SQL, "\n")+1 {
		return err
	}
	return fmt.Errorf("%s:%d: %w", n.Model.Path, n.Model.BodyStart.Line+rendered-1, err)
}
