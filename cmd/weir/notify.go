package main

import (
	"context"
	"fmt"

	"github.com/weir-sh/weir/notify"
	"github.com/weir-sh/weir/runner"
)

// sendNotifications tells the project's notify blocks about a finished
// run. A delivery that fails is a warning on stderr, never a failed build;
// it runs with a context of its own, so an interrupted build still says so.
func sendNotifications(p *planned, results *runner.Results) {
	proj := p.c.Project
	if len(proj.Notifiers) == 0 {
		return
	}
	msgs := notify.ForRun(proj, results, p.before)
	notify.Send(context.Background(), proj, msgs, func(format string, args ...any) {
		fmt.Fprintf(p.s.diagOut, "Warning: "+format+"\n", args...)
	})
}
