package store

import (
	"context"
	"database/sql"
	"encoding/json"

	"descent/mnist"
)

// Steps returns up to limit of a run's steps from fromStep on, in order; limit
// 0 means all. Steps still in the writer's memory (at most about a second's)
// are not included. StepsPerEpoch comes from the run.
func (s *Store) Steps(ctx context.Context, runID int64, fromStep, limit int) ([]mnist.StepEvent, error) {
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	return s.querySteps(ctx, runID, `SELECT step, epoch, batch, loss, grad_norm, update_ratio, lr, samples_per_sec
		FROM steps WHERE run_id = ? AND step >= ? ORDER BY step LIMIT ?`, runID, fromStep, limit)
}

// StepsDownsampled returns at most maxPoints of a run's steps (4 at least)
// that draw the same loss curve as all of them: the steps are cut into
// (maxPoints-2)/2 equal buckets, and from each the steps of lowest and of
// highest loss are kept, with the run's first and last steps, in order. Spikes
// survive, which an average or every k-th step would smooth away, and so does
// a diverged run's last, non-finite step. The other metrics are those of the
// chosen steps. A run with at most maxPoints steps is returned whole.
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
	buckets := int64(maxPoints-2) / 2
	width := (last.Int64 - first.Int64 + buckets) / buckets // ⌈span/buckets⌉
	// SQLite takes the bare columns of a min() or max() query from the row
	// that holds the extreme, which is what picks the whole step here.
	return s.querySteps(ctx, runID, `
		SELECT step, epoch, batch, min(loss), grad_norm, update_ratio, lr, samples_per_sec
			FROM steps WHERE run_id = ?1 GROUP BY (step - ?2) / ?3
		UNION
		SELECT step, epoch, batch, max(loss), grad_norm, update_ratio, lr, samples_per_sec
			FROM steps WHERE run_id = ?1 GROUP BY (step - ?2) / ?3
		UNION
		SELECT step, epoch, batch, loss, grad_norm, update_ratio, lr, samples_per_sec
			FROM steps WHERE run_id = ?1 AND step IN (?2, ?4)
		ORDER BY step`, runID, first.Int64, width, last.Int64)
}

func (s *Store) querySteps(ctx context.Context, runID int64, query string, args ...any) ([]mnist.StepEvent, error) {
	var perEpoch int
	err := s.rdb.QueryRowContext(ctx, "SELECT steps_per_epoch FROM runs WHERE id = ?", runID).Scan(&perEpoch)
	if err == sql.ErrNoRows {
		return nil, notFound("run", runID)
	}
	if err != nil {
		return nil, explain(err, "reading", s.path)
	}
	rows, err := s.rdb.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, explain(err, "reading", s.path)
	}
	defer rows.Close()
	var list []mnist.StepEvent
	for rows.Next() {
		e := mnist.StepEvent{StepsPerEpoch: perEpoch}
		var f [5]sql.NullFloat64
		if err := rows.Scan(&e.Step, &e.Epoch, &e.Batch, &f[0], &f[1], &f[2], &f[3], &f[4]); err != nil {
			return nil, explain(err, "reading", s.path)
		}
		e.Loss, e.GradNorm, e.UpdateRatio = orNaN(f[0]), orNaN(f[1]), orNaN(f[2])
		e.LR, e.SamplesPerSec = orNaN(f[3]), orNaN(f[4])
		list = append(list, e)
	}
	if err := rows.Err(); err != nil {
		return nil, explain(err, "reading", s.path)
	}
	return list, nil
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
