// Package notify tells people about runs: the notify blocks of weir.hcl
// get a message for each event of a finished run they listen for, as a
// webhook POST (JSON, or Slack's format) and/or a command reading the
// message as JSON on its standard input. A notifier that fails is logged
// and never fails the run.
//
// The API, for whatever finishes a run (weir build and retry, the
// scheduler of weir serve):
//
//	msgs := notify.ForRun(project, results, before)   // failure, recovery, warn
//	notify.Send(ctx, project, msgs, logf)               // deliver; never fails
//
// before is the state recorded before the run (planner.Input.State): a node
// whose last attempt failed there and that succeeds now has recovered.
// A scheduler that finds models or sources late sends its own message:
//
//	notify.Send(ctx, project, []notify.Message{{Event: models.EventStale, RunID: …, Target: …, Nodes: late}}, logf)
//
// Send delivers each message to every notifier listening for its event,
// one after the other, each delivery bounded by Timeout.
package notify
