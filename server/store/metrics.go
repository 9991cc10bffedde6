package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"descent/mnist"
	"descent/server/steps"
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

// StepColumns returns a run's steps in columns, every one when maxPoints is
// 0 or they fit, else thinned to at most maxPoints points by package steps'
// rule: groups of steps.Group(last step, maxPoints) consecutive steps, each
// with its mean loss, gradient norm and update ratio, its lowest and highest
// loss (a step that is not finite makes all three not finite, so a
// divergence shows), and its last rate and throughput, at its last step.
// The groups are made inside SQLite, one pass over the run's rows, about
// half a second for a million steps (17 epochs at batch 1); handing every
// row to Go instead takes several seconds. The sharpness measurements of
// the steps come with them, each group keeping its last (the same rule).
// Cache the result for a finished
// run. Values are float32, the precision the page shows, so that a run reads
// the same whether it is live or stored.
func (s *Store) StepColumns(ctx context.Context, runID int64, maxPoints int) (steps.Columns, error) {
	var last sql.NullInt64
	var n int
	err := s.rdb.QueryRowContext(ctx, "SELECT max(step), count(*) FROM steps WHERE run_id = ?", runID).Scan(&last, &n)
	if err != nil {
		return steps.Columns{}, explain(err, "reading", s.path)
	}
	if steps.Group(n, maxPoints) == 1 {
		evs, err := s.Steps(ctx, runID, 0, 0)
		if err != nil {
			return steps.Columns{}, err
		}
		out := steps.Make(len(evs), false)
		for _, e := range evs {
			out.Add(e.Step, point(e))
		}
		return out, s.addMarks(ctx, &out, runID, 1, int(last.Int64))
	}
	g := steps.Group(int(last.Int64), maxPoints)
	rows, err := s.rdb.QueryContext(ctx, groupedSteps, runID, g)
	if err != nil {
		return steps.Columns{}, explain(err, "reading", s.path)
	}
	defer rows.Close()
	out := steps.Make(maxPoints, true)
	for rows.Next() {
		var step int
		var f [7]sql.NullFloat64
		if err := rows.Scan(&step, &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6]); err != nil {
			return steps.Columns{}, explain(err, "reading", s.path)
		}
		out.Add(step, steps.Point{Loss: f32(f[0]), GradNorm: f32(f[3]), UpdateRatio: f32(f[4]), LR: f32(f[5]), SamplesPerSec: f32(f[6])})
		out.LossMin, out.LossMax = append(out.LossMin, f32(f[1])), append(out.LossMax, f32(f[2]))
	}
	if err := rows.Err(); err != nil {
		return steps.Columns{}, explain(err, "reading", s.path)
	}
	return out, s.addMarks(ctx, &out, runID, g, int(last.Int64))
}

// groupedSteps makes the groups of StepColumns: ?1 is the run, ?2 the steps
// per group. A NaN loss is stored as NULL, which makes its group's loss
// NULL (NaN) too.
const groupedSteps = `WITH g AS (
	SELECT max(step) AS last,
		CASE WHEN count(loss) < count(*) THEN NULL ELSE avg(loss) END AS loss,
		CASE WHEN count(loss) < count(*) THEN NULL ELSE min(loss) END AS lo,
		CASE WHEN count(loss) < count(*) THEN NULL ELSE max(loss) END AS hi,
		avg(grad_norm) AS gn, avg(update_ratio) AS ur
	FROM steps WHERE run_id = ?1 GROUP BY (step - 1) / ?2)
SELECT g.last, g.loss, g.lo, g.hi, g.gn, g.ur, s.lr, s.samples_per_sec
FROM g JOIN steps s ON s.run_id = ?1 AND s.step = g.last ORDER BY g.last`

// point is a step's metrics as the page shows them.
func point(e mnist.StepEvent) steps.Point {
	return steps.Point{Loss: float32(e.Loss), GradNorm: float32(e.GradNorm), UpdateRatio: float32(e.UpdateRatio),
		LR: float32(e.LR), SamplesPerSec: float32(e.SamplesPerSec)}
}

func f32(f sql.NullFloat64) float32 { return float32(orNaN(f)) }

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
