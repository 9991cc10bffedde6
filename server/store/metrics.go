package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"

	"descent/mnist"
)

// Steps returns up to limit of a run's steps from fromStep on, in order; limit
// 0 means all. Steps still in the writer's memory (at most about a second's)
// are not included. StepsPerEpoch comes from the run.
func (s *Store) Steps(ctx context.Context, runID int64, fromStep, limit int) ([]mnist.StepEvent, error) {
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	return s.querySteps(ctx, runID, "SELECT "+fmt.Sprintf(stepColumns, "loss")+
		" FROM steps WHERE run_id = ? AND step >= ? ORDER BY step LIMIT ?", runID, fromStep, limit)
}

// StepsDownsampled returns at most maxPoints of a run's steps (4 at least)
// that draw the same loss curve as all of them: the steps are cut into
// (maxPoints-2)/2 equal buckets, and from each the steps of lowest and of
// highest loss are kept, with the run's first and last steps, in order. Spikes
// survive, which an average or every k-th step would smooth away, and so does
// a diverged run's last, non-finite step. The other metrics are those of the
// chosen steps. A run with at most maxPoints steps is returned whole.
//
// Each bucket is two range scans of the primary key, so the cost is two reads
// of the run's rows inside SQLite and two small queries per bucket, about half
// a second for a million steps (17 epochs at batch 1); handing every row to Go
// instead takes several seconds. Cache the result for a finished run.
func (s *Store) StepsDownsampled(ctx context.Context, runID int64, maxPoints int) ([]mnist.StepEvent, error) {
	maxPoints = max(maxPoints, 4)
	var first, last, n sql.NullInt64
	err := s.rdb.QueryRowContext(ctx, "SELECT min(step), max(step), count(*) FROM steps WHERE run_id = ?", runID).
		Scan(&first, &last, &n)
	if err != nil {
		return nil, explain(err, "reading", s.path)
	}
	if n.Int64 <= int64(maxPoints) {
		return s.Steps(ctx, runID, 0, 0)
	}
	perEpoch, err := s.stepsPerEpoch(ctx, runID)
	if err != nil {
		return nil, err
	}
	tx, err := s.rdb.BeginTx(ctx, &sql.TxOptions{ReadOnly: true}) // one snapshot for every bucket
	if err != nil {
		return nil, explain(err, "reading", s.path)
	}
	defer tx.Rollback()
	buckets := int64(maxPoints-2) / 2
	width := (last.Int64 - first.Int64 + buckets) / buckets // ⌈span/buckets⌉
	// SQLite takes the bare columns of a min() or max() query from the row
	// that holds the extreme, which is what picks the whole step.
	var extremes []*sql.Stmt
	for _, agg := range []string{"min(loss)", "max(loss)"} {
		st, err := tx.PrepareContext(ctx, "SELECT "+fmt.Sprintf(stepColumns, agg)+
			" FROM steps WHERE run_id = ? AND step >= ? AND step < ?")
		if err != nil {
			return nil, explain(err, "reading", s.path)
		}
		defer st.Close()
		extremes = append(extremes, st)
	}
	list, err := scanSteps(tx.QueryContext(ctx, "SELECT "+fmt.Sprintf(stepColumns, "loss")+
		" FROM steps WHERE run_id = ? AND step IN (?, ?)", runID, first.Int64, last.Int64))
	if err != nil {
		return nil, explain(err, "reading", s.path)
	}
	for lo := first.Int64; lo <= last.Int64; lo += width {
		for _, st := range extremes {
			e, ok, err := scanStep(st.QueryRowContext(ctx, runID, lo, lo+width))
			if err != nil {
				return nil, explain(err, "reading", s.path)
			}
			if ok {
				list = append(list, e)
			}
		}
	}
	slices.SortFunc(list, func(a, b mnist.StepEvent) int { return cmp.Compare(a.Step, b.Step) })
	list = slices.CompactFunc(list, func(a, b mnist.StepEvent) bool { return a.Step == b.Step })
	for i := range list {
		list[i].StepsPerEpoch = perEpoch
	}
	return list, nil
}

// stepColumns are a step row's columns, with the loss's left to fill in.
const stepColumns = "step, epoch, batch, %s, grad_norm, update_ratio, lr, samples_per_sec"

// scanStep reads one step; ok is false for the all-NULL row that an aggregate
// over an empty range gives.
func scanStep(row interface{ Scan(...any) error }) (e mnist.StepEvent, ok bool, err error) {
	var step, epoch, batch sql.NullInt64
	var f [5]sql.NullFloat64
	if err := row.Scan(&step, &epoch, &batch, &f[0], &f[1], &f[2], &f[3], &f[4]); err != nil {
		return e, false, err
	}
	e = mnist.StepEvent{Step: int(step.Int64), Epoch: int(epoch.Int64), Batch: int(batch.Int64),
		Loss: orNaN(f[0]), GradNorm: orNaN(f[1]), UpdateRatio: orNaN(f[2]), LR: orNaN(f[3]), SamplesPerSec: orNaN(f[4])}
	return e, step.Valid, nil
}

func (s *Store) stepsPerEpoch(ctx context.Context, runID int64) (int, error) {
	var n int
	err := s.rdb.QueryRowContext(ctx, "SELECT steps_per_epoch FROM runs WHERE id = ?", runID).Scan(&n)
	if err == sql.ErrNoRows {
		return 0, notFound("run", runID)
	}
	if err != nil {
		return 0, explain(err, "reading", s.path)
	}
	return n, nil
}

func (s *Store) querySteps(ctx context.Context, runID int64, query string, args ...any) ([]mnist.StepEvent, error) {
	perEpoch, err := s.stepsPerEpoch(ctx, runID)
	if err != nil {
		return nil, err
	}
	list, err := scanSteps(s.rdb.QueryContext(ctx, query, args...))
	if err != nil {
		return nil, explain(err, "reading", s.path)
	}
	for i := range list {
		list[i].StepsPerEpoch = perEpoch
	}
	return list, nil
}

// scanSteps reads every row of a steps query and closes it.
func scanSteps(rows *sql.Rows, err error) ([]mnist.StepEvent, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []mnist.StepEvent
	for rows.Next() {
		e, _, err := scanStep(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, e)
	}
	return list, rows.Err()
}

// Epochs returns a run's evaluated epochs, in order.
func (s *Store) Epochs(ctx context.Context, runID int64) ([]mnist.EpochEvent, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT epoch, step, train_loss, test_loss, test_accuracy,
		confusion, seconds FROM epochs WHERE run_id = ? ORDER BY epoch`, runID)
	if err != nil {
		return nil, explain(err, "reading", s.path)
	}
	defer rows.Close()
	var list []mnist.EpochEvent
	for rows.Next() {
		var e mnist.EpochEvent
		var f [4]sql.NullFloat64
		var confusion string
		if err := rows.Scan(&e.Epoch, &e.Step, &f[0], &f[1], &f[2], &confusion, &f[3]); err != nil {
			return nil, explain(err, "reading", s.path)
		}
		if err := json.Unmarshal([]byte(confusion), &e.Confusion); err != nil {
			return nil, newError(ErrCorrupt, err, "run %d epoch %d: confusion matrix: %v", runID, e.Epoch, err)
		}
		e.TrainLoss, e.TestLoss, e.TestAccuracy, e.Seconds = orNaN(f[0]), orNaN(f[1]), orNaN(f[2]), orNaN(f[3])
		list = append(list, e)
	}
	if err := rows.Err(); err != nil {
		return nil, explain(err, "reading", s.path)
	}
	return list, nil
}
