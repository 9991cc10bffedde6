package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"descent/mnist"
	"descent/server/protocol"
)

// The statuses of a run, the protocol's. A run is queued until it starts,
// running or paused while its trainer lives, and then done, stopped,
// diverged or interrupted. Interrupted means the process ended while the run
// was alive; such a run can be resumed from its last checkpoint.
const (
	StatusQueued, StatusRunning, StatusPaused = protocol.StatusQueued, protocol.StatusRunning, protocol.StatusPaused
	StatusDone, StatusStopped, StatusDiverged = protocol.StatusDone, protocol.StatusStopped, protocol.StatusDiverged
	StatusInterrupted                         = protocol.StatusInterrupted
)

// The kinds of run.
const (
	KindTrain       = "train"        // one run that someone started
	KindSweepMember = "sweep-member" // one run of a sweep
	KindLRRange     = "lrrange"      // an LR range test
)

var statuses = map[string]bool{
	StatusQueued: true, StatusRunning: true, StatusPaused: true, StatusDone: true,
	StatusStopped: true, StatusDiverged: true, StatusInterrupted: true,
}

// Run is one training run as stored. Fields after Created are kept up to date
// by the store as metrics are committed.
type Run struct {
	ID         int64
	Name       string
	Kind       string // KindTrain if empty when created
	SweepID    int64  // 0 when the run is not in a sweep
	Config     mnist.Config
	Status     string // StatusQueued if empty when created
	StatusText string // what the page shows, such as "diverged at step 812"
	Created    time.Time
	Updated    time.Time

	Steps         int     // the last step written
	StepsPerEpoch int     // from the steps written, 0 before the first
	EpochsDone    int     // epochs evaluated
	TestAccuracy  float64 // after the last epoch; NaN before the first
	TestLoss      float64 // after the last epoch; NaN before the first
	BestAccuracy  float64 // over the epochs; NaN before the first

	// SharpnessExamples is the probe set of the run's sharpness tracking,
	// 0 when it is not tracked (set when created).
	SharpnessExamples int
}

const runColumns = `id, name, kind, coalesce(sweep_id, 0), config, status, status_text, created, updated,
	steps, steps_per_epoch, epochs_done, test_accuracy, test_loss, best_accuracy, sharpness_examples`

// CreateRun stores a new run and returns it with its id and times. An empty
// Name becomes a description of the config, such as "sgd α=0.1 batch 64".
func (s *Store) CreateRun(ctx context.Context, r Run) (Run, error) {
	r.Kind = orDefault(r.Kind, KindTrain)
	r.Status = orDefault(r.Status, StatusQueued)
	r.Name = orDefault(r.Name, describe(r.Config))
	if !statuses[r.Status] {
		return Run{}, fmt.Errorf("store: unknown run status %q", r.Status)
	}
	config, err := json.Marshal(r.Config)
	if err != nil {
		return Run{}, fmt.Errorf("store: run config: %w", err)
	}
	now := time.Now()
	r.Created, r.Updated = now.Truncate(time.Millisecond), now.Truncate(time.Millisecond)
	r.TestAccuracy, r.TestLoss, r.BestAccuracy = math.NaN(), math.NaN(), math.NaN()
	err = s.writeTx(ctx, "creating a run in", func(tx *sql.Tx) error {
		if r.SweepID != 0 {
			if err := mustExist(ctx, tx, "sweeps", r.SweepID); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO runs (name, kind, sweep_id, config, status, status_text, created, updated, sharpness_examples)
			VALUES (?, ?, nullif(?, 0), ?, ?, ?, ?, ?, ?)`,
			r.Name, r.Kind, r.SweepID, string(config), r.Status, r.StatusText, now.UnixMilli(), now.UnixMilli(), r.SharpnessExamples)
		if err != nil {
			return err
		}
		r.ID, err = res.LastInsertId()
		return err
	})
	return r, err
}

// GetRun returns one run, or an error wrapping ErrNotFound.
func (s *Store) GetRun(ctx context.Context, id int64) (Run, error) {
	runs, err := s.queryRuns(ctx, "WHERE id = ?", id)
	if err != nil {
		return Run{}, err
	}
	if len(runs) == 0 {
		return Run{}, notFound("run", id)
	}
	return runs[0], nil
}

// ListRuns returns every run, oldest first. Runs of a sweep carry its SweepID;
// ListSweeps gives the groups.
func (s *Store) ListRuns(ctx context.Context) ([]Run, error) {
	return s.queryRuns(ctx, "ORDER BY id")
}

func (s *Store) queryRuns(ctx context.Context, tail string, args ...any) ([]Run, error) {
	rows, err := s.rdb.QueryContext(ctx, "SELECT "+runColumns+" FROM runs "+tail, args...)
	if err != nil {
		return nil, explain(err, "reading", s.path)
	}
	defer rows.Close()
	var runs []Run
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, explain(err, "reading", s.path)
		}
		runs = append(runs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, explain(err, "reading", s.path)
	}
	return runs, nil
}

func scanRun(rows *sql.Rows) (Run, error) {
	var r Run
	var config string
	var created, updated int64
	var acc, loss, best sql.NullFloat64
	err := rows.Scan(&r.ID, &r.Name, &r.Kind, &r.SweepID, &config, &r.Status, &r.StatusText,
		&created, &updated, &r.Steps, &r.StepsPerEpoch, &r.EpochsDone, &acc, &loss, &best, &r.SharpnessExamples)
	if err != nil {
		return r, err
	}
	if err := json.Unmarshal([]byte(config), &r.Config); err != nil {
		return r, fmt.Errorf("run %d's config: %w", r.ID, err)
	}
	r.Created, r.Updated = time.UnixMilli(created), time.UnixMilli(updated)
	r.TestAccuracy, r.TestLoss, r.BestAccuracy = orNaN(acc), orNaN(loss), orNaN(best)
	return r, nil
}

// UpdateStatus sets a run's status and the text the page shows with it.
func (s *Store) UpdateStatus(ctx context.Context, id int64, status, text string) error {
	if !statuses[status] {
		return fmt.Errorf("store: unknown run status %q", status)
	}
	return s.updateRun(ctx, id, "status = ?, status_text = ?", status, text)
}

// Finish commits the run's waiting metrics, then records how it ended: its
// status ("done", "stopped", "diverged" with "diverged at step k") and totals.
func (s *Store) Finish(ctx context.Context, id int64, res mnist.Result) error {
	if err := s.Flush(ctx); err != nil {
		return err
	}
	return s.updateRun(ctx, id, "status = ?, status_text = ?, steps = ?, epochs_done = ?",
		res.Status, res.StatusText(), res.Steps, res.Epochs)
}

// Rename gives a run a new name.
func (s *Store) Rename(ctx context.Context, id int64, name string) error {
	return s.updateRun(ctx, id, "name = ?", name)
}

func (s *Store) updateRun(ctx context.Context, id int64, set string, args ...any) error {
	args = append(args, time.Now().UnixMilli(), id)
	return s.writeTx(ctx, "updating a run in", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE runs SET "+set+", updated = ? WHERE id = ?", args...)
		return oneRow(res, err, "run", id)
	})
}

// Delete removes a run with its steps, epochs and checkpoints, and drops any
// of its metrics still waiting to be written. The file's freed pages go back
// to the file system. It takes about 3 s per million steps, during which the
// metrics writer waits (training does not).
func (s *Store) Delete(ctx context.Context, id int64) error {
	s.w.forget(id)
	err := s.writeTx(ctx, "deleting a run from", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM runs WHERE id = ?", id)
		return oneRow(res, err, "run", id)
	})
	if err == nil {
		s.vacuum(ctx)
	}
	return err
}

// MarkInterrupted marks every run that was queued, running or paused as
// interrupted: call it at start, when no run of this process is alive yet.
// It returns how many runs it marked.
func (s *Store) MarkInterrupted(ctx context.Context) (int, error) {
	var n int64
	err := s.writeTx(ctx, "marking interrupted runs in", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE runs SET status = ?,
			status_text = 'interrupted in epoch ' || (epochs_done + 1) || ' (was ' || status || ')', updated = ?
			WHERE status IN (?, ?, ?)`,
			StatusInterrupted, time.Now().UnixMilli(), StatusQueued, StatusRunning, StatusPaused)
		if err == nil {
			n, err = res.RowsAffected()
		}
		return err
	})
	return int(n), err
}

// Resume prepares a run to go on from its latest checkpoint: it deletes the
// steps, epochs, path points and sharpness measurements recorded after it, sets the run's progress back to it and
// its status to running, and returns it. Without a checkpoint it clears the
// run's metrics and returns a nil checkpoint: start from the beginning.
func (s *Store) Resume(ctx context.Context, id int64) (*Checkpoint, error) {
	ck, err := s.LatestCheckpoint(ctx, id)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	epoch, step := 0, 0
	if ck != nil {
		epoch, step = ck.Epoch, ck.Step
	}
	s.w.forget(id)
	err = s.writeTx(ctx, "resuming a run in", func(tx *sql.Tx) error {
		if err := mustExist(ctx, tx, "runs", id); err != nil {
			return err
		}
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{"DELETE FROM steps WHERE run_id = ? AND step > ?", []any{id, step}},
			{"DELETE FROM epochs WHERE run_id = ? AND epoch > ?", []any{id, epoch}},
			{"DELETE FROM checkpoints WHERE run_id = ? AND epoch > ?", []any{id, epoch}},
			{"DELETE FROM path_points WHERE run_id = ? AND step > ?", []any{id, step}},
			{"DELETE FROM sharpness WHERE run_id = ? AND step > ?", []any{id, step}},
			{`UPDATE runs SET steps = ?3, epochs_done = ?2, status = 'running', status_text = '',
			 test_accuracy = (SELECT test_accuracy FROM epochs WHERE run_id = ?1 AND epoch = ?2),
			 test_loss = (SELECT test_loss FROM epochs WHERE run_id = ?1 AND epoch = ?2),
			 best_accuracy = (SELECT max(test_accuracy) FROM epochs WHERE run_id = ?1),
			 updated = ?4 WHERE id = ?1`, []any{id, epoch, step, time.Now().UnixMilli()}},
		} {
			if _, err := tx.ExecContext(ctx, q.sql, q.args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ck, nil
}

// vacuum gives freed pages back to the file system. It is best effort: a
// failure only leaves the file larger than it needs to be.
func (s *Store) vacuum(ctx context.Context) {
	s.wdb.ExecContext(ctx, "PRAGMA incremental_vacuum")
}

// describe names a run after its settings.
func describe(c mnist.Config) string {
	return fmt.Sprintf("%s α=%g batch %d", orDefault(c.Optimizer, "?"), c.LR, c.Batch)
}

func orDefault(s, dflt string) string {
	if s == "" {
		return dflt
	}
	return s
}

func orNaN(f sql.NullFloat64) float64 {
	if !f.Valid {
		return math.NaN()
	}
	return f.Float64
}

func notFound(what string, id int64) error {
	return newError(ErrNotFound, nil, "no %s %d", what, id)
}

// mustExist returns an ErrNotFound error when table has no row with id.
func mustExist(ctx context.Context, tx *sql.Tx, table string, id int64) error {
	var one int
	err := tx.QueryRowContext(ctx, "SELECT 1 FROM "+table+" WHERE id = ?", id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound(table[:len(table)-1], id)
	}
	return err
}

// oneRow turns an Exec's result into an ErrNotFound error when it changed no
// row.
func oneRow(res sql.Result, err error, what string, id int64) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err == nil && n == 0 {
		return notFound(what, id)
	}
	return err
}
