package runs

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"descent/mnist"
	"descent/server/internal/priority"
	"descent/server/protocol"
	"descent/server/store"
)

// Every run keeps its training path (mnist.Path) for the loss landscape:
// θ₀ and the weights every few steps, thinned by halving within
// mnist.DefaultPathBudget (16 MiB). Nothing of it slows training: at a kept
// step the step hook only copies the weights into an idle buffer (a
// memmove, about a tenth of a step of the report's network) and hands it to
// the run's recorder goroutine, which makes the 16-bit snapshot (mnist.Path.Add)
// and, with a store, hands it to the store's writer (AddPathPoint returns at
// once). When no buffer is idle, because the recorder is behind in the first
// steps when the path keeps every one, the step is left out of the path
// rather than waited for. The recorder runs at training's priority, so
// that it never takes a core from another run before the pages.
//
// The path is in memory while the run trains; once it has ended with a
// store, the store's copy serves (memory is then taken by the runs that
// train, not by every run kept). A restarted run goes on with the path the
// store kept up to its checkpoint; a stored run reads its path from the
// store.

// recorderBuffers bounds the weight copies waiting for the recorder, and
// recorderBytes their memory.
const (
	recorderBuffers = 4
	recorderBytes   = 4 << 20
)

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

// livePath is a live run's path and the pages' requests for its weights.
type livePath struct {
	p        atomic.Pointer[mnist.Path] // nil before the run starts, without a path, or once the store holds it
	released atomic.Bool                // the path was handed to the store
	rec      *recorder                  // training goroutine only
	want     atomic.Pointer[weightsReq] // a page waits for the weights of the next step
}

// weightsReq asks the training goroutine for a copy of the weights after
// its next step.
type weightsReq struct {
	done chan struct{}
	pos  Course
}

// recorder makes a run's snapshots off its training goroutine.
type recorder struct {
	p       *mnist.Path
	then    func(*mnist.Snapshot, int) // the store's AddPathPoint, or nil
	free    chan []float32             // idle buffers
	work    chan kept                  // as large as free: a send never waits
	done    chan struct{}
	skipped int                   // steps left out for want of a buffer; training goroutine only
	failed  atomic.Pointer[error] // the store's refusal of a point
}

type kept struct {
	step  int
	theta []float32
}

// startPath begins the run's path, or goes on with the one restored after
// a restart, and starts its recorder; it runs on the training goroutine
// before the first step. A network too large for the budget keeps no path.
func (r *Live) startPath() {
	if r.m.noPaths {
		return
	}
	p := r.path.p.Load()
	if p == nil {
		var err error
		if p, err = mnist.NewPath(r.cfg.Arch, r.trainer.InitialWeights(), 0); err != nil {
			r.m.log.Warn("server: the run keeps no training path", "run", r.id, "err", err)
			return
		}
		if r.storeID != 0 && !r.st.deleted.Load() {
			r.storeFailed(r.m.st.AddPathStart(r.storeID, p))
		}
		r.path.p.Store(p)
	}
	n := max(1, min(recorderBuffers, recorderBytes/(4*len(p.Origin()))))
	rec := &recorder{p: p, free: make(chan []float32, n), work: make(chan kept, n), done: make(chan struct{})}
	for range n {
		rec.free <- nil
	}
	if r.storeID != 0 {
		rec.then = func(s *mnist.Snapshot, every int) {
			if r.st.deleted.Load() || rec.failed.Load() != nil {
				return
			}
			if err := r.m.st.AddPathPoint(r.storeID, s, every); err != nil {
				rec.failed.Store(&err)
				r.cancel() // stopPath reports it, on the training goroutine
			}
		}
	}
	r.path.rec = rec
	go rec.loop()
}

// loop makes the snapshots of the copies it is handed, in step order.
func (rec *recorder) loop() {
	defer close(rec.done)
	priority.Lower(priority.Training)
	for k := range rec.work {
		if s := rec.p.Add(k.step, k.theta); s != nil && rec.then != nil {
			rec.then(s, rec.p.Every())
		}
		rec.free <- k.theta
	}
}

// stopPath waits for the recorder to finish the copies handed to it, so
// that the path is whole when the run's end is recorded; it runs on the
// training goroutine after the last step.
func (r *Live) stopPath() {
	rec := r.path.rec
	if rec == nil {
		return
	}
	close(rec.work)
	<-rec.done
	if e := rec.failed.Load(); e != nil {
		r.storeFailed(*e)
	}
	if rec.skipped > 0 {
		r.m.log.Debug("server: steps left out of the path while its recorder was busy", "run", r.id, "steps", rec.skipped)
	}
}

// pathStep hands a kept step's weights to the recorder, never waiting for
// it, and answers a page waiting for the weights; it runs in the step hook.
func (r *Live) pathStep(ev mnist.StepEvent) {
	if rec := r.path.rec; rec != nil && rec.p.Due(ev.Step) {
		select {
		case buf := <-rec.free:
			rec.work <- kept{ev.Step, r.trainer.Weights(buf)}
		default:
			rec.skipped++
		}
	}
	if r.path.want.Load() == nil {
		return
	}
	if q := r.path.want.Swap(nil); q != nil {
		q.pos = Course{Model: &mnist.Model{Arch: r.cfg.Arch, Params: r.trainer.Weights(nil)}, Step: ev.Step}
		close(q.done)
	}
}

// releasePath leaves a run that ended to the store's copy of its path.
func (r *Live) releasePath() {
	if r.storeID != 0 && r.st.failed == nil && !r.st.deleted.Load() && r.path.p.Load() != nil {
		r.path.released.Store(true)
		r.path.p.Store(nil)
	}
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
		"run %s has no training path (it was trained before descent kept paths)", id).With(id)}
}

// IsNoPath reports whether err says that a run kept no path.
func IsNoPath(err error) bool { return errors.As(err, new(noPath)) }
