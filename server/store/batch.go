package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"descent/mnist"
)

// The statements of a metrics transaction. INSERT OR REPLACE makes a retried
// commit harmless, and lets a resumed run write its steps again.
const (
	insertStep = `INSERT OR REPLACE INTO steps
		(run_id, step, epoch, batch, loss, grad_norm, update_ratio, lr, samples_per_sec) VALUES `
	stepValues  = `(?, ?, ?, ?, ?, ?, ?, ?, ?)`
	insertEpoch = `INSERT OR REPLACE INTO epochs
		(run_id, epoch, step, train_loss, test_loss, test_accuracy, confusion, seconds)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
	insertCheckpoint = `INSERT OR REPLACE INTO checkpoints
		(run_id, epoch, step, model, optimizer, state, created)
		VALUES (?, ?, ?, ?, ?, ?, ?)`
	stepProgress = `UPDATE runs SET steps = max(steps, ?1),
		steps_per_epoch = CASE WHEN ?2 > 0 THEN ?2 ELSE steps_per_epoch END, updated = ?3
		WHERE id = ?4`
	// ?3 is NULL when the accuracy was NaN; then the best stays as it was.
	epochProgress = `UPDATE runs SET epochs_done = max(epochs_done, ?1), steps = max(steps, ?2),
		test_accuracy = ?3, test_loss = ?4,
		best_accuracy = CASE WHEN ?3 > coalesce(best_accuracy, -1) THEN ?3 ELSE best_accuracy END,
		updated = ?5
		WHERE id = ?6`
)

// stepsPerInsert is how many step rows one INSERT writes. Each statement costs
// a round through database/sql and the driver, several times the cost of a
// row, so writing 64 rows at a time makes a commit about four times faster.
// 64 rows bind 576 parameters, far below SQLite's limit of 32766.
const stepsPerInsert = 64

// counts are the rows a commit wrote.
type counts struct{ steps, epochs int64 }

// batchTx is a metrics transaction with its statements prepared once.
type batchTx struct {
	tx                               *sql.Tx
	steps                            *sql.Stmt // writes stepsPerInsert rows
	step                             *sql.Stmt // writes one row
	epoch, ckpt, stepProg, epochProg *sql.Stmt
	args                             []any
	now                              int64
}

// commit writes the waiting metrics of every run in one transaction: for each
// run its steps, then its epochs with their checkpoints, then its progress in
// runs. A run deleted while its metrics waited is skipped.
func (s *Store) commit(ctx context.Context, out map[int64]*batch) (counts, error) {
	var n counts
	err := s.writeTx(ctx, "writing metrics to", func(tx *sql.Tx) error {
		b, err := prepareBatch(ctx, tx)
		if err != nil {
			return err
		}
		defer b.close()
		for run, rb := range out {
			var one int
			err := tx.QueryRowContext(ctx, "SELECT 1 FROM runs WHERE id = ?", run).Scan(&one)
			if errors.Is(err, sql.ErrNoRows) {
				continue
			}
			if err != nil {
				return err
			}
			if err := b.write(ctx, run, rb); err != nil {
				return err
			}
			n.steps += int64(len(rb.steps))
			n.epochs += int64(len(rb.epochs))
		}
		return nil
	})
	return n, err
}

// writeTx runs fn in a write transaction and explains a failure.
func (s *Store) writeTx(ctx context.Context, doing string, fn func(*sql.Tx) error) error {
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return explain(err, doing, s.path)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return explain(err, doing, s.path)
	}
	if err := tx.Commit(); err != nil {
		return explain(err, doing, s.path)
	}
	return nil
}

func prepareBatch(ctx context.Context, tx *sql.Tx) (*batchTx, error) {
	b := &batchTx{tx: tx, now: time.Now().UnixMilli()}
	for _, p := range []struct {
		stmt **sql.Stmt
		sql  string
	}{
		{&b.steps, insertStep + strings.Repeat(stepValues+", ", stepsPerInsert-1) + stepValues},
		{&b.step, insertStep + stepValues}, {&b.epoch, insertEpoch}, {&b.ckpt, insertCheckpoint},
		{&b.stepProg, stepProgress}, {&b.epochProg, epochProgress},
	} {
		st, err := tx.PrepareContext(ctx, p.sql)
		if err != nil {
			b.close()
			return nil, err
		}
		*p.stmt = st
	}
	return b, nil
}

func (b *batchTx) close() {
	for _, st := range []*sql.Stmt{b.steps, b.step, b.epoch, b.ckpt, b.stepProg, b.epochProg} {
		if st != nil {
			st.Close()
		}
	}
}

func (b *batchTx) write(ctx context.Context, run int64, rb *batch) error {
	if err := b.writePath(ctx, run, rb.path); err != nil {
		return err
	}
	rest := rb.steps
	for ; len(rest) >= stepsPerInsert; rest = rest[stepsPerInsert:] {
		if err := b.insertSteps(ctx, b.steps, run, rest[:stepsPerInsert]); err != nil {
			return err
		}
	}
	for i := range rest {
		if err := b.insertSteps(ctx, b.step, run, rest[i:i+1]); err != nil {
			return err
		}
	}
	if err := b.writeSharpness(ctx, run, rb.sharp); err != nil {
		return err
	}
	if k := len(rb.steps); k > 0 {
		last := rb.steps[k-1]
		if _, err := b.stepProg.ExecContext(ctx, last.Step, last.StepsPerEpoch, b.now, run); err != nil {
			return err
		}
	}
	for _, e := range rb.epochs {
		if err := b.writeEpoch(ctx, run, e); err != nil {
			return err
		}
	}
	return nil
}

// insertSteps writes steps with st, which has a row of placeholders for each.
func (b *batchTx) insertSteps(ctx context.Context, st *sql.Stmt, run int64, steps []mnist.StepEvent) error {
	b.args = b.args[:0]
	for _, e := range steps {
		b.args = append(b.args, run, e.Step, e.Epoch, e.Batch, e.Loss, e.GradNorm, e.UpdateRatio, e.LR, e.SamplesPerSec)
	}
	_, err := st.ExecContext(ctx, b.args...)
	return err
}

func (b *batchTx) writeEpoch(ctx context.Context, run int64, e epochRecord) error {
	ev := e.ev
	confusion, err := json.Marshal(ev.Confusion)
	if err != nil {
		return err
	}
	if _, err := b.epoch.ExecContext(ctx, run, ev.Epoch, ev.Step, ev.TrainLoss, ev.TestLoss,
		ev.TestAccuracy, string(confusion), ev.Seconds); err != nil {
		return err
	}
	if c := e.ck; c != nil {
		if _, err := b.ckpt.ExecContext(ctx, run, c.Epoch, c.Step, c.Model, c.Optimizer, c.State, b.now); err != nil {
			return err
		}
	}
	_, err = b.epochProg.ExecContext(ctx, ev.Epoch, ev.Step, ev.TestAccuracy, ev.TestLoss, b.now, run)
	return err
}
