package duckdb

import (
	"context"
	"fmt"
)

// bulkCheckpointThreshold is DuckDB's checkpoint_threshold while a run
// builds: the size of write-ahead log at which a commit checkpoints.
// DuckDB's default, 16 MiB, is the log of about 20,000 of weir's table
// models, and a checkpoint costs more the more tables the file holds
// (DuckDB looks for free metadata space block by block: at 30,000
// tables of 16 KB blocks 83% of a checkpoint's CPU is that search), so
// a first build of N models paid for a checkpoint every 20,000 of them.
// 1 GiB leaves one checkpoint to the end of any run short of a million
// models, and bounds the log a crash leaves to replay, and the memory
// the uncheckpointed tables hold until then.
const bulkCheckpointThreshold = "1GiB"

// Bulk raises DuckDB's checkpoint_threshold for a run's writes
// (adapters.Bulker), so that a long build checkpoints once, at its end,
// instead of every 16 MiB of log. done sets the threshold back; the next
// commit over it (the run's own record) or closing the database then
// checkpoints, as DuckDB would have. A process killed in the middle
// loses nothing more: DuckDB replays the log when it opens the file.
func (a *Adapter) Bulk(ctx context.Context) (func(), error) {
	rows, err := a.Query(ctx, "SELECT current_setting('checkpoint_threshold')")
	if err != nil {
		return nil, err
	}
	was, ok := rows.Values[0][0].(string)
	if !ok {
		return nil, fmt.Errorf("checkpoint_threshold of %s: unexpected %T", a.path, rows.Values[0][0])
	}
	set := func(ctx context.Context, v string) error {
		_, err := a.Exec(ctx, "SET GLOBAL checkpoint_threshold = "+Dialect{}.QuoteLiteral(v))
		return err
	}
	if err := set(ctx, bulkCheckpointThreshold); err != nil {
		return nil, err
	}
	return func() { _ = set(context.Background(), was) }, nil
}
