// Package schedule decides when models run without someone typing a
// command: cron schedules and the intervals due under them (cron.go,
// due.go), the files whose arrival triggers a run (trigger.go), and the
// one-run-at-a-time queue and loop of weir serve (queue.go, loop.go),
// driven by a Clock so tests can set the time.
//
// A model's schedule is a standard five-field cron expression (its header
// or its folder block: cron = "0 * * * *"), read in the project's
// timezone. A model is due when a tick of its schedule has passed since
// the last time a scheduled run processed it; the state package keeps that
// time in the warehouse, so a restarted scheduler neither repeats nor
// skips an interval.
package schedule
