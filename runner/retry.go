package runner

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/weir-sh/weir/models"
	"github.com/weir-sh/weir/state"
)

// Attempt is one try of a node (state.Attempt, as the recorded state
// keeps it).
type Attempt = state.Attempt

// tryFunc is one attempt at a node; its ctx carries the attempt's
// timeout.
type tryFunc func(ctx context.Context) (int64, error)

// withRetries runs try until it succeeds, fails with an error transient
// does not accept, or has used p.Retries retries, waiting p.Delay between
// tries. Each attempt runs within p.Timeout. It returns the last try's
// rows and error and every attempt made.
func withRetries(ctx context.Context, p models.RetryPolicy, transient func(error) bool, try tryFunc) (int64, []Attempt, error) {
	var attempts []Attempt
	for n := 1; ; n++ {
		t0 := time.Now()
		rows, err := timed(ctx, p.Timeout, try)
		a := Attempt{Number: n, StartedAt: t0.UTC(), DurationMS: msSince(t0), Status: StatusSuccess}
		if err != nil {
			a.Status, a.Message, a.Transient = StatusError, err.Error(), ctx.Err() == nil && transient(err)
		}
		attempts = append(attempts, a)
		if !a.Transient || n > p.Retries {
			return rows, attempts, err
		}
		select {
		case <-time.After(p.Delay(n, rand.Float64())):
		case <-ctx.Done():
			return rows, attempts, err
		}
	}
}

// timed runs try within timeout (none when 0).
func timed(ctx context.Context, timeout time.Duration, try tryFunc) (int64, error) {
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	return try(ctx)
}

func msSince(t0 time.Time) float64 { return float64(time.Since(t0).Microseconds()) / 1000 }
