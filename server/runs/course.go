package runs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"descent/mnist"
	"descent/server/protocol"
	"descent/server/store"
)

// A run's Course is what the landscape needs of it: its current weights,
// their step and its path. A live run that trains copies its weights for a
// page at its next step (pathStep answers the request); one that is paused
// or paced slowly answers with the last weights it kept; a stored run reads
// them from the store.

// captureWait bounds how long Course waits for a training run's next step
// to copy its weights; a run that takes no step in this time (paused, or
// paced slowly) answers with the last weights it kept.
const captureWait = 300 * time.Millisecond

// Course is what the landscape needs of a run: where its weights are, after
// which step, and the path they took (nil when the run kept none).
type Course struct {
	Model *mnist.Model
	Step  int
	Path  *mnist.Path
}

// Course returns the run's current weights and its path: for a run that
// trains, the weights after its next step (or, paused or slow, its latest
// kept weights: its path's last point or its last epoch's end); for one that
// ended, its final weights; for one queued, those it will start from.
func (r *Live) Course(ctx context.Context) (Course, error) {
	path, err := r.livePath(ctx)
	if err != nil {
		return Course{}, err
	}
	res, _, state := r.outcome()
	switch {
	case res != nil && res.Status == protocol.StatusDiverged: // its last weights are not finite
		c := r.lastKept(path)
		c.Path = path
		return c, nil
	case res != nil: // Run has returned: its weights are final and still
		return Course{Model: &mnist.Model{Arch: r.cfg.Arch, Params: r.trainer.Weights(nil)}, Step: r.trainer.Progress(), Path: path}, nil
	case state == protocol.StatusQueued:
		return Course{Model: r.trainer.Snapshot(), Step: r.trainer.Progress(), Path: path}, nil
	}
	if !r.trainer.Paused() {
		if c, ok := r.capture(ctx); ok {
			c.Path = path
			return c, nil
		}
	}
	c := r.lastKept(path)
	c.Path = path
	return c, ctx.Err()
}

// livePath returns the path in memory, or the store's once released.
func (r *Live) livePath(ctx context.Context) (*mnist.Path, error) {
	if p := r.path.p.Load(); p != nil || !r.path.released.Load() {
		return p, nil
	}
	ctx, cancel := context.WithTimeout(ctx, storeTimeout)
	defer cancel()
	if err := r.m.st.Flush(ctx); err != nil {
		return nil, fmt.Errorf("server: the path of run %s: %w", r.id, err)
	}
	return storedPath(ctx, r.m.st, r.storeID, r.id)
}

// capture waits for the training goroutine to copy the weights after its
// next step, sharing a request that another page already made.
func (r *Live) capture(ctx context.Context) (Course, bool) {
	q := &weightsReq{done: make(chan struct{})}
	for !r.path.want.CompareAndSwap(nil, q) {
		if cur := r.path.want.Load(); cur != nil {
			q = cur
			break
		}
	}
	t := time.NewTimer(captureWait)
	defer t.Stop()
	select {
	case <-q.done:
		return q.pos, true
	case <-t.C:
	case <-ctx.Done():
	case <-r.ctx.Done():
	}
	return Course{}, false
}

// lastKept is the latest weights the run kept: its path's last point or
// the snapshot of its last epoch, whichever is later.
func (r *Live) lastKept(path *mnist.Path) Course {
	c := Course{Model: r.trainer.Snapshot()}
	if e := r.epochsFrom(max(0, r.EpochsDone()-1)); len(e) > 0 {
		c.Step = e[len(e)-1].v.Step
	}
	if path == nil {
		return c
	}
	if snaps := path.Snapshots(); len(snaps) > 0 && snaps[len(snaps)-1].Step > c.Step {
		last := snaps[len(snaps)-1]
		c.Model, c.Step = &mnist.Model{Arch: r.cfg.Arch, Params: last.Weights(path.Arch(), path.Origin())}, last.Step
	}
	return c
}

// EpochsDone is the number of epochs the run has finished.
func (r *Live) EpochsDone() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.epochs)
}

// restorePath gives a restarted run the path the store kept up to its
// checkpoint (store.Resume dropped the later points); a run without one
// starts a new path.
func (r *Live) restorePath(ctx context.Context) error {
	p, err := r.m.st.Path(ctx, r.storeID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	r.path.p.Store(p)
	return nil
}

// Course reads the run's path and latest weights from the store: its last
// checkpoint's, or its path's last point when that is later.
func (r *Stored) Course(ctx context.Context) (Course, error) {
	ctx, cancel := context.WithTimeout(ctx, storeTimeout)
	defer cancel()
	path, err := storedPath(ctx, r.m.st, r.storeID, r.id)
	if err != nil && !IsNoPath(err) {
		return Course{}, err
	}
	c := Course{Path: path}
	ck, err := r.m.st.LatestCheckpoint(ctx, r.storeID)
	switch {
	case err == nil:
		m, perr := mnist.ParseModel(ck.Model)
		if perr != nil {
			return Course{}, fmt.Errorf("server: run %s's checkpoint: %w", r.id, perr)
		}
		c.Model, c.Step = m, ck.Step
	case !errors.Is(err, store.ErrNotFound):
		return Course{}, fmt.Errorf("server: %w", err)
	}
	if path != nil {
		snaps := path.Snapshots()
		if n := len(snaps); n > 0 && (c.Model == nil || snaps[n-1].Step > c.Step) {
			c.Model, c.Step = &mnist.Model{Arch: path.Arch(), Params: snaps[n-1].Weights(path.Arch(), path.Origin())}, snaps[n-1].Step
		}
		if c.Model == nil {
			c.Model = &mnist.Model{Arch: path.Arch(), Params: path.Origin()}
		}
	}
	if c.Model == nil {
		return Course{}, protocol.Refuse(protocol.CodeInvalid, "run", "a run that kept its weights or its path",
			"run %s has no saved weights and no path", r.id).With(r.id)
	}
	return c, nil
}

// storedPath reads a run's path from the store; a run without one is a
// refusal that says so.
func storedPath(ctx context.Context, st *store.Store, storeID int64, id string) (*mnist.Path, error) {
	p, err := st.Path(ctx, storeID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNoPath(id)
	}
	if err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	return p, nil
}

// noPath is the refusal of a run without a path; it unwraps to its
// *protocol.FieldError, which the page gets.
type noPath struct{ fe *protocol.FieldError }

func (e noPath) Error() string { return e.fe.Error() }
func (e noPath) Unwrap() error { return e.fe }

// ErrNoPath refuses a landscape of run id, which kept no training path.
func ErrNoPath(id string) error {
	return noPath{protocol.Refuse(protocol.CodeInvalid, "run", "a run trained with its path kept",
		"run %s has no training path (it was trained before descent kept paths, or its network is too large for a path of %d MiB)", id, mnist.DefaultPathBudget>>20).With(id)}
}

// IsNoPath reports whether err says that a run kept no path.
func IsNoPath(err error) bool { return errors.As(err, new(noPath)) }
