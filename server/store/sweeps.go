package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// The kinds of sweep: which setting varies across its runs.
const (
	SweepLR        = "lr"
	SweepOptimizer = "optimizer"
	SweepBatch     = "batch"
)

// Sweep is a group of runs that differ in one setting. Its runs point to it
// with their SweepID and are deleted with it.
type Sweep struct {
	ID      int64
	Name    string
	Kind    string          // SweepLR, SweepOptimizer or SweepBatch
	Config  json.RawMessage // the sweep's grid, as the server describes it; {} if empty
	Created time.Time
	RunIDs  []int64 // its runs, oldest first; filled by GetSweep and ListSweeps
}

// CreateSweep stores a new, empty sweep; add runs with CreateRun and SweepID.
func (s *Store) CreateSweep(ctx context.Context, sw Sweep) (Sweep, error) {
	switch sw.Kind {
	case SweepLR, SweepOptimizer, SweepBatch:
	default:
		return Sweep{}, fmt.Errorf("store: unknown sweep kind %q (want lr, optimizer or batch)", sw.Kind)
	}
	if len(sw.Config) == 0 {
		sw.Config = json.RawMessage("{}")
	}
	if !json.Valid(sw.Config) {
		return Sweep{}, fmt.Errorf("store: sweep config is not JSON: %.40q", sw.Config)
	}
	now := time.Now()
	sw.Created, sw.RunIDs = now.Truncate(time.Millisecond), nil
	err := s.writeTx(ctx, "creating a sweep in", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "INSERT INTO sweeps (name, kind, config, created) VALUES (?, ?, ?, ?)",
			sw.Name, sw.Kind, string(sw.Config), now.UnixMilli())
		if err != nil {
			return err
		}
		sw.ID, err = res.LastInsertId()
		return err
	})
	return sw, err
}

// GetSweep returns one sweep with its runs' ids, or an error wrapping
// ErrNotFound.
func (s *Store) GetSweep(ctx context.Context, id int64) (Sweep, error) {
	list, err := s.querySweeps(ctx, "WHERE id = ?", id)
	if err != nil {
		return Sweep{}, err
	}
	if len(list) == 0 {
		return Sweep{}, notFound("sweep", id)
	}
	return list[0], nil
}

// ListSweeps returns every sweep with its runs' ids, oldest first.
func (s *Store) ListSweeps(ctx context.Context) ([]Sweep, error) {
	return s.querySweeps(ctx, "ORDER BY id")
}

func (s *Store) querySweeps(ctx context.Context, tail string, args ...any) ([]Sweep, error) {
	rows, err := s.rdb.QueryContext(ctx, "SELECT id, name, kind, config, created FROM sweeps "+tail, args...)
	if err != nil {
		return nil, explain(err, "reading", s.path)
	}
	defer rows.Close()
	var list []Sweep
	index := map[int64]int{}
	for rows.Next() {
		var sw Sweep
		var config string
		var created int64
		if err := rows.Scan(&sw.ID, &sw.Name, &sw.Kind, &config, &created); err != nil {
			return nil, explain(err, "reading", s.path)
		}
		sw.Config, sw.Created = json.RawMessage(config), time.UnixMilli(created)
		index[sw.ID] = len(list)
		list = append(list, sw)
	}
	if err := rows.Err(); err != nil {
		return nil, explain(err, "reading", s.path)
	}
	return list, s.addMembers(ctx, list, index)
}

// addMembers fills each sweep's RunIDs.
func (s *Store) addMembers(ctx context.Context, list []Sweep, index map[int64]int) error {
	if len(list) == 0 {
		return nil
	}
	rows, err := s.rdb.QueryContext(ctx, "SELECT sweep_id, id FROM runs WHERE sweep_id IS NOT NULL ORDER BY id")
	if err != nil {
		return explain(err, "reading", s.path)
	}
	defer rows.Close()
	for rows.Next() {
		var sweep, run int64
		if err := rows.Scan(&sweep, &run); err != nil {
			return explain(err, "reading", s.path)
		}
		if i, ok := index[sweep]; ok {
			list[i].RunIDs = append(list[i].RunIDs, run)
		}
	}
	return rows.Err()
}

// RenameSweep gives a sweep a new name.
func (s *Store) RenameSweep(ctx context.Context, id int64, name string) error {
	return s.writeTx(ctx, "renaming a sweep in", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE sweeps SET name = ? WHERE id = ?", name, id)
		return oneRow(res, err, "sweep", id)
	})
}

// DeleteSweep removes a sweep and all its runs.
func (s *Store) DeleteSweep(ctx context.Context, id int64) error {
	sw, err := s.GetSweep(ctx, id)
	if err != nil {
		return err
	}
	for _, run := range sw.RunIDs {
		s.w.forget(run)
	}
	err = s.writeTx(ctx, "deleting a sweep from", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM sweeps WHERE id = ?", id)
		return oneRow(res, err, "sweep", id)
	})
	if err == nil {
		s.vacuum(ctx)
	}
	return err
}
