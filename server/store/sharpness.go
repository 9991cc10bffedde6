package store

import (
	"context"
	"database/sql"
	"unsafe"

	"descent/mnist"
	"descent/server/steps"
)

// Sharpness tracking in the store (schema version 3). A run that is tracked
// keeps the size of its probe set in runs.sharpness_examples (0: not
// tracked), and each measurement (mnist.SharpnessEvent) in the sharpness
// table, keyed as the steps are, by (run_id, step): the step whose starting
// weights were measured. Measurements arrive after their step (they are
// taken beside the training), so they are a table of their own rather than
// columns of steps, whose rows may be committed before them; a store of
// version 2 gains the empty table and a zero column, and its runs read as
// before, without sharpness.
const sharpnessSchema = `
ALTER TABLE runs ADD COLUMN sharpness_examples INTEGER NOT NULL DEFAULT 0;

CREATE TABLE sharpness (
	run_id    INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
	step      INTEGER NOT NULL,
	sharpness REAL,                           -- λmax (of P⁻¹H for Adam); NULL when it was NaN
	threshold REAL,                           -- the stability threshold of the step's α; NULL when none applies
	lr        REAL,                           -- the step's α
	hvps      INTEGER NOT NULL DEFAULT 0,     -- Hessian-vector products of the measurement
	seconds   REAL,                           -- its wall time
	PRIMARY KEY (run_id, step)
) STRICT, WITHOUT ROWID;
`

// sharpSize is the memory a waiting measurement takes, for the backlog.
const sharpSize = int64(unsafe.Sizeof(mnist.SharpnessEvent{}))

const insertSharpness = `INSERT OR REPLACE INTO sharpness
	(run_id, step, sharpness, threshold, lr, hvps, seconds) VALUES (?, ?, ?, ?, ?, ?, ?)`

// AddSharpness queues one measurement of run runID's sharpness and returns
// at once, as AddStep does; it is committed with the run's steps. A
// threshold of 0 (none applies) is stored as NULL.
func (s *Store) AddSharpness(runID int64, ev mnist.SharpnessEvent) error {
	return s.w.add(runID, sharpSize, func(b *batch) { b.sharp = append(b.sharp, ev) })
}

// writeSharpness writes a run's waiting measurements in the batch's
// transaction.
func (b *batchTx) writeSharpness(ctx context.Context, run int64, evs []mnist.SharpnessEvent) error {
	for _, e := range evs {
		var thr any
		if e.Threshold > 0 {
			thr = e.Threshold
		}
		if _, err := b.tx.ExecContext(ctx, insertSharpness, run, e.Step, e.Sharpness, thr, e.LR, e.HVPs, e.Seconds); err != nil {
			return err
		}
	}
	return nil
}

// Sharpness returns every measurement of a run, in step order, with
// Threshold 0 where none applies.
func (s *Store) Sharpness(ctx context.Context, runID int64) ([]mnist.SharpnessEvent, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT step, sharpness, threshold, lr, hvps, seconds
		FROM sharpness WHERE run_id = ? ORDER BY step`, runID)
	if err != nil {
		return nil, explain(err, "reading", s.path)
	}
	defer rows.Close()
	var out []mnist.SharpnessEvent
	for rows.Next() {
		var e mnist.SharpnessEvent
		var f [4]sql.NullFloat64
		if err := rows.Scan(&e.Step, &f[0], &f[1], &f[2], &e.HVPs, &f[3]); err != nil {
			return nil, explain(err, "reading", s.path)
		}
		e.Sharpness, e.Threshold, e.LR, e.Seconds = orNaN(f[0]), f[1].Float64, orNaN(f[2]), orNaN(f[3])
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, explain(err, "reading", s.path)
	}
	return out, nil
}

// groupedSharpness picks the marks of StepColumns: ?1 is the run, ?2 the
// steps per group (1: every mark), ?3 the last step; each group of steps
// keeps its last measurement, at its own step (package steps' rule).
const groupedSharpness = `SELECT s.step, s.sharpness, s.threshold, s.lr FROM sharpness s
JOIN (SELECT max(step) AS step FROM sharpness WHERE run_id = ?1 AND step >= 1 AND step <= ?3 GROUP BY (step - 1) / ?2) g
ON s.step = g.step WHERE s.run_id = ?1 ORDER BY s.step`

// addMarks adds to out the run's measurements of steps 1 to last, each
// group of g steps keeping its last one.
func (s *Store) addMarks(ctx context.Context, out *steps.Columns, runID int64, g, last int) error {
	rows, err := s.rdb.QueryContext(ctx, groupedSharpness, runID, max(g, 1), last)
	if err != nil {
		return explain(err, "reading", s.path)
	}
	defer rows.Close()
	for rows.Next() {
		var step int
		var f [3]sql.NullFloat64
		if err := rows.Scan(&step, &f[0], &f[1], &f[2]); err != nil {
			return explain(err, "reading", s.path)
		}
		out.AddMark(steps.MarkOf(step, orNaN(f[0]), f[1].Float64, orNaN(f[2])))
	}
	if err := rows.Err(); err != nil {
		return explain(err, "reading", s.path)
	}
	return nil
}
