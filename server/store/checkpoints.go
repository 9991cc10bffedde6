package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"descent/mnist"
)

// Checkpoint is what resuming a run needs, saved at the end of an epoch: the
// weights, the optimizer's state and the trainer's own position (its random
// generator, the schedule's step), the last two opaque to the store. The
// default network's weights take 318 KB, so the store keeps every epoch's
// checkpoint unless PruneCheckpoints is asked to drop the older ones.
type Checkpoint struct {
	RunID     int64
	Epoch     int    // the epoch that had just ended, 1-based
	Step      int    // steps done so far in the run
	Model     []byte // mnist.Model.WriteTo; required
	Optimizer []byte // the optimizer's state
	State     []byte // the trainer's RNG and position
	Created   time.Time
}

// CheckpointInfo describes a checkpoint without loading its blobs.
type CheckpointInfo struct {
	Epoch, Step                int
	ModelBytes, OptimizerBytes int
	StateBytes                 int
	Created                    time.Time
}

// ModelBytes serialises m the way checkpoints keep it.
func ModelBytes(m *mnist.Model) ([]byte, error) {
	var b bytes.Buffer
	if _, err := m.WriteTo(&b); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	return b.Bytes(), nil
}

// SaveCheckpoint writes ck at once, outside the metrics writer; use AddEpoch
// on the training path. It replaces a checkpoint of the same run and epoch.
func (s *Store) SaveCheckpoint(ctx context.Context, ck Checkpoint) error {
	if len(ck.Model) == 0 {
		return errors.New("store: a checkpoint needs the model's bytes")
	}
	return s.writeTx(ctx, "saving a checkpoint to", func(tx *sql.Tx) error {
		if err := mustExist(ctx, tx, "runs", ck.RunID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, insertCheckpoint, ck.RunID, ck.Epoch, ck.Step,
			ck.Model, ck.Optimizer, ck.State, time.Now().UnixMilli())
		return err
	})
}

// LatestCheckpoint returns the run's checkpoint of the highest epoch, or an
// error wrapping ErrNotFound when it has none.
func (s *Store) LatestCheckpoint(ctx context.Context, runID int64) (*Checkpoint, error) {
	return s.checkpoint(ctx, runID, "ORDER BY epoch DESC LIMIT 1")
}

// CheckpointAt returns the run's checkpoint saved at the end of epoch.
func (s *Store) CheckpointAt(ctx context.Context, runID int64, epoch int) (*Checkpoint, error) {
	return s.checkpoint(ctx, runID, "AND epoch = ?", epoch)
}

func (s *Store) checkpoint(ctx context.Context, runID int64, where string, args ...any) (*Checkpoint, error) {
	ck := &Checkpoint{RunID: runID}
	var created int64
	err := s.rdb.QueryRowContext(ctx, `SELECT epoch, step, model, optimizer, state, created
		FROM checkpoints WHERE run_id = ? `+where, append([]any{runID}, args...)...).
		Scan(&ck.Epoch, &ck.Step, &ck.Model, &ck.Optimizer, &ck.State, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, newError(ErrNotFound, nil, "run %d has no such checkpoint", runID)
	}
	if err != nil {
		return nil, explain(err, "reading", s.path)
	}
	ck.Created = time.UnixMilli(created)
	return ck, nil
}

// Checkpoints lists a run's checkpoints, oldest first, without their blobs.
func (s *Store) Checkpoints(ctx context.Context, runID int64) ([]CheckpointInfo, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT epoch, step, length(model),
		coalesce(length(optimizer), 0), coalesce(length(state), 0), created
		FROM checkpoints WHERE run_id = ? ORDER BY epoch`, runID)
	if err != nil {
		return nil, explain(err, "reading", s.path)
	}
	defer rows.Close()
	var list []CheckpointInfo
	for rows.Next() {
		var c CheckpointInfo
		var created int64
		if err := rows.Scan(&c.Epoch, &c.Step, &c.ModelBytes, &c.OptimizerBytes, &c.StateBytes, &created); err != nil {
			return nil, explain(err, "reading", s.path)
		}
		c.Created = time.UnixMilli(created)
		list = append(list, c)
	}
	if err := rows.Err(); err != nil {
		return nil, explain(err, "reading", s.path)
	}
	return list, nil
}

// Model returns the weights a run had at the end of epoch, or its latest
// weights when epoch is 0: what the drawing panel predicts with.
func (s *Store) Model(ctx context.Context, runID int64, epoch int) (*mnist.Model, error) {
	query, args := `SELECT model FROM checkpoints WHERE run_id = ? ORDER BY epoch DESC LIMIT 1`, []any{runID}
	if epoch > 0 {
		query, args = `SELECT model FROM checkpoints WHERE run_id = ? AND epoch = ?`, []any{runID, epoch}
	}
	var blob []byte
	err := s.rdb.QueryRowContext(ctx, query, args...).Scan(&blob)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, newError(ErrNotFound, nil, "run %d has no saved model for epoch %d", runID, epoch)
	}
	if err != nil {
		return nil, explain(err, "reading", s.path)
	}
	m, err := mnist.ParseModel(blob)
	if err != nil {
		return nil, fmt.Errorf("store: run %d's saved model: %w", runID, err)
	}
	return m, nil
}

// PruneCheckpoints deletes all but the keep latest checkpoints of a run; keep
// below 1 counts as 1, so the run can still be resumed and drawn with.
func (s *Store) PruneCheckpoints(ctx context.Context, runID int64, keep int) error {
	return s.writeTx(ctx, "pruning checkpoints in", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM checkpoints WHERE run_id = ?1 AND epoch NOT IN
			(SELECT epoch FROM checkpoints WHERE run_id = ?1 ORDER BY epoch DESC LIMIT ?2)`, runID, max(keep, 1))
		return err
	})
}
