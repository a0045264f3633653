package sqlparse

import (
	"context"
	"errors"
	"fmt"
	"runtime"
)

// Calls of Parse that wait at the same time are answered together: one
// DuckDB query serializes a list of texts (batchQuery). Most of the cost
// of one json_serialize_sql query of a short model is the query, not the
// parse, so a batch of 64 models costs about a third of 64 queries.
//
// Each of p.servers goroutines takes a waiting call, lets the goroutines
// ready to run go first (those about to call Parse), then takes every
// other call waiting by then (up to maxBatch) and answers them with one
// query, on a connection of its own. A call that finds no other waiting is
// a batch of one, asked as before: nothing waits for a batch to fill.

// maxBatch is the most texts asked in one query.
const maxBatch = 64

const batchQuery = `SELECT list_transform($1::VARCHAR[], x -> json_serialize_sql(x)::VARCHAR)`

// request is one text waiting for its answer.
type request struct {
	ctx  context.Context
	text string
	js   string
	err  error
	done chan struct{}
}

var errClosed = errors.New("sqlparse: parser is closed")

// ask returns json_serialize_sql's answer for sql, in a batch with the
// calls waiting at the same time.
func (p *Parser) ask(ctx context.Context, sql string) (string, error) {
	r := &request{ctx: ctx, text: sql, done: make(chan struct{})}
	select {
	case p.requests <- r:
	case <-p.quit:
		return "", errClosed
	case <-ctx.Done():
		return "", fmt.Errorf("sqlparse: json_serialize_sql: %w", ctx.Err())
	}
	<-r.done
	return r.js, r.err
}

// Callers is how many goroutines calling Parse at once keep a Parser
// busiest: enough for every server to find a full batch waiting.
func Callers() int { return servers() * maxBatch }

// servers is the number of goroutines answering calls, each with a
// connection: one per core (at most 8), as parsing is all CPU.
func servers() int { return min(max(runtime.GOMAXPROCS(0), 1), 8) }

// Callers is the package's Callers, for a caller holding a Parser.
func (p *Parser) Callers() int { return Callers() }

// serve answers requests until the parser is closed.
func (p *Parser) serve() {
	defer p.wg.Done()
	batch := make([]*request, 0, maxBatch)
	texts := make([]string, 0, maxBatch)
	for {
		select {
		case r := <-p.requests:
			batch = append(batch[:0], r)
		case <-p.quit:
			return
		}
		// Without this yield, a server that is quicker to come back
		// than the callers finds one call each time.
		runtime.Gosched()
	gather:
		for len(batch) < maxBatch {
			select {
			case r := <-p.requests:
				batch = append(batch, r)
			default:
				break gather
			}
		}
		if len(batch) > 1 {
			texts = texts[:0]
			for _, r := range batch {
				texts = append(texts, r.text)
			}
			if answers, err := p.serializeBatch(texts); err == nil {
				p.batched.Add(int64(len(batch)))
				for i, r := range batch {
					r.js = answers[i]
					close(r.done)
				}
				clear(batch)
				continue
			}
			// A query error (none is known: json_serialize_sql answers
			// errors in its JSON) is each text's own: ask them one by one.
		}
		for _, r := range batch {
			r.js, r.err = p.serializeOne(r.ctx, r.text)
			close(r.done)
		}
		clear(batch)
	}
}

// serializeBatch returns json_serialize_sql's answer for each of texts, in
// order.
func (p *Parser) serializeBatch(texts []string) ([]string, error) {
	var out any
	if err := p.batch.QueryRow(texts).Scan(&out); err != nil {
		return nil, fmt.Errorf("sqlparse: json_serialize_sql: %w", err)
	}
	list, ok := out.([]any)
	if !ok || len(list) != len(texts) {
		return nil, fmt.Errorf("sqlparse: json_serialize_sql: %d answers for %d texts", len(list), len(texts))
	}
	answers := make([]string, len(list))
	for i, v := range list {
		if answers[i], ok = v.(string); !ok {
			return nil, fmt.Errorf("sqlparse: json_serialize_sql: answer %d is %T", i, v)
		}
	}
	return answers, nil
}
