package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"descent/mnist"
)

// A run's training path (mnist.Path) is kept for `descent landscape --run`
// and the page's landscape: θ₀ once, then each snapshot the path keeps.
// Both go through the metrics writer like steps, so the training goroutine
// only appends a pointer: the encoding and the disk happen on the writer's
// goroutine. Every point carries the path's interval after it; the commit
// that inserts it also deletes the points that interval no longer keeps
// (mnist.Keeps), so the store holds exactly the points of the run's Path
// and stays within the same budget (the encoding takes no more than the
// memory mnist.Path counts).

// pathRecord is a queued path start (origin set) or point (snap set).
type pathRecord struct {
	origin *mnist.Path
	snap   *mnist.Snapshot
	every  int
}

func pathSize(recs []pathRecord) int64 {
	var n int64
	for _, r := range recs {
		if r.snap != nil {
			n += int64(r.snap.Size())
		} else {
			n += int64(4 * len(r.origin.Origin()))
		}
	}
	return n
}

// AddPathStart queues the start of a run's path: θ₀ and the path's budget
// and rule. It replaces any earlier path of the run, points included (a run
// started again from the beginning). Call it before the run's first
// AddPathPoint; it returns at once, as AddStep does.
func (s *Store) AddPathStart(runID int64, p *mnist.Path) error {
	return s.w.add(runID, int64(4*len(p.Origin())), func(b *batch) {
		b.path = append(b.path, pathRecord{origin: p})
	})
}

// AddPathPoint queues one snapshot of a run's path and the path's interval
// after it (what mnist.Trainer.RecordPath hands over). It returns at once,
// as AddStep does; a point of a run without a path start is dropped.
func (s *Store) AddPathPoint(runID int64, snap *mnist.Snapshot, every int) error {
	return s.w.add(runID, int64(snap.Size()), func(b *batch) {
		b.path = append(b.path, pathRecord{snap: snap, every: every})
	})
}

// writePath writes a run's queued path records in order, then thins the
// run's points by the last interval. A queued point that the last interval
// no longer keeps is not written at all: the thinning would delete it in the
// same transaction, and in a run's first steps, when the path keeps every
// step and halves itself every hundred, most points are such (a commit's
// worth of the report's network is otherwise tens of megabytes of blobs
// written to be deleted).
func (b *batchTx) writePath(ctx context.Context, run int64, recs []pathRecord) error {
	every, early := 0, -1
	for _, r := range recs {
		if r.origin != nil {
			early = r.origin.Early()
		} else {
			every = r.every
		}
	}
	if every > 0 && early < 0 {
		err := b.tx.QueryRowContext(ctx, `SELECT early FROM path_origins WHERE run_id = ?`, run).Scan(&early)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // no path start: its points are dropped
		}
		if err != nil {
			return err
		}
	}
	for _, r := range recs {
		var err error
		switch {
		case r.origin != nil:
			err = b.writePathStart(ctx, run, r.origin)
		case mnist.Keeps(r.snap.Step, every, early):
			err = b.writePathPoint(ctx, run, r.snap)
		}
		if err != nil {
			return err
		}
	}
	if every == 0 {
		return nil
	}
	if _, err := b.tx.ExecContext(ctx, `UPDATE path_origins SET every = ?2 WHERE run_id = ?1`, run, every); err != nil {
		return err
	}
	_, err := b.tx.ExecContext(ctx, `DELETE FROM path_points WHERE run_id = ?1 AND step % ?2 != 0
		AND NOT (step < (SELECT early FROM path_origins WHERE run_id = ?1) AND (step & (step - 1)) = 0)`, run, every)
	return err
}

func (b *batchTx) writePathStart(ctx context.Context, run int64, p *mnist.Path) error {
	origin, err := ModelBytes(&mnist.Model{Arch: p.Arch(), Params: p.Origin()})
	if err != nil {
		return err
	}
	if _, err := b.tx.ExecContext(ctx, `DELETE FROM path_origins WHERE run_id = ?`, run); err != nil {
		return err
	}
	_, err = b.tx.ExecContext(ctx, `INSERT INTO path_origins (run_id, origin, budget, early, every, created)
		VALUES (?, ?, ?, ?, ?, ?)`, run, origin, p.Budget(), p.Early(), p.Every(), b.now)
	return err
}

func (b *batchTx) writePathPoint(ctx context.Context, run int64, snap *mnist.Snapshot) error {
	data, err := snap.MarshalBinary()
	if err != nil {
		return err
	}
	_, err = b.tx.ExecContext(ctx, `INSERT OR REPLACE INTO path_points (run_id, step, data)
		SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM path_origins WHERE run_id = ?1)`, run, snap.Step, data)
	return err
}

// PathInfo describes a run's stored path without loading its points.
type PathInfo struct {
	Points        int // snapshots kept
	Every         int // the interval between them
	FirstStep     int
	LastStep      int
	Bytes, Budget int // what the origin and the points take, and the budget
	Created       time.Time
}

// PathInfo returns what a run's path holds, or an error wrapping ErrNotFound
// when the run has no path.
func (s *Store) PathInfo(ctx context.Context, runID int64) (PathInfo, error) {
	var pi PathInfo
	var created int64
	var originBytes, pointBytes int
	var first, last sql.NullInt64
	err := s.rdb.QueryRowContext(ctx, `SELECT o.budget, o.every, o.created, length(o.origin),
		count(p.step), coalesce(sum(length(p.data)), 0), min(p.step), max(p.step)
		FROM path_origins o LEFT JOIN path_points p ON p.run_id = o.run_id
		WHERE o.run_id = ? GROUP BY o.run_id`, runID).
		Scan(&pi.Budget, &pi.Every, &created, &originBytes, &pi.Points, &pointBytes, &first, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return pi, noPath(runID)
	}
	if err != nil {
		return pi, explain(err, "reading", s.path)
	}
	pi.Bytes = originBytes + pointBytes
	pi.FirstStep, pi.LastStep, pi.Created = int(first.Int64), int(last.Int64), time.UnixMilli(created)
	return pi, nil
}

func noPath(runID int64) error {
	return newError(ErrNotFound, nil, "run %d has no path (it was trained before descent kept paths, or without them)", runID)
}

// Path returns a run's stored path as an mnist.Path, ready to project on a
// plane or to go on recording after a resume, or an error wrapping
// ErrNotFound when the run has no path.
func (s *Store) Path(ctx context.Context, runID int64) (*mnist.Path, error) {
	var blob []byte
	var budget, every int
	err := s.rdb.QueryRowContext(ctx, `SELECT origin, budget, every FROM path_origins WHERE run_id = ?`, runID).
		Scan(&blob, &budget, &every)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, noPath(runID)
	}
	if err != nil {
		return nil, explain(err, "reading", s.path)
	}
	origin, err := mnist.ParseModel(blob)
	if err != nil {
		return nil, fmt.Errorf("store: run %d's path origin: %w", runID, err)
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT step, data FROM path_points WHERE run_id = ? ORDER BY step`, runID)
	if err != nil {
		return nil, explain(err, "reading", s.path)
	}
	defer rows.Close()
	var snaps []*mnist.Snapshot
	for rows.Next() {
		var step int
		var data []byte
		if err := rows.Scan(&step, &data); err != nil {
			return nil, explain(err, "reading", s.path)
		}
		snap, err := mnist.ParseSnapshot(origin.Arch, data)
		if err != nil || snap.Step != step {
			return nil, fmt.Errorf("store: run %d's path point at step %d: %v", runID, step, err)
		}
		snaps = append(snaps, snap)
	}
	if err := rows.Err(); err != nil {
		return nil, explain(err, "reading", s.path)
	}
	return mnist.RestorePath(origin.Arch, origin.Params, budget, every, snaps)
}
