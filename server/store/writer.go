package store

import (
	"context"
	"errors"
	"sync"
	"time"
	"unsafe"

	"descent/mnist"
)

// Memory that a waiting metric takes, for the backlog's bound.
const (
	stepSize  = int64(unsafe.Sizeof(mnist.StepEvent{}))
	epochSize = int64(unsafe.Sizeof(mnist.EpochEvent{}))
)

// writer holds the metrics that the training goroutines hand over and commits
// them from its own goroutine: every flushEvery, at once after an epoch (so
// that a checkpoint is on disk within milliseconds of the epoch's end), on
// Flush and on Close.
//
// Nothing on the training path waits for the disk. AddStep takes a mutex that
// the committing goroutine holds only to swap the buffer out, never while it
// writes. If the disk is slower than training, or fails (full, gone
// read-only), the waiting metrics grow in memory up to maxPending bytes and are
// retried at every tick. Past the bound a run's steps are refused with
// ErrBacklog, and so is every later step of that run, so the steps on disk are
// always a prefix of the run with no gaps. The caller should stop the run.
type writer struct {
	s          *Store
	flushEvery time.Duration
	maxPending int64

	mu      sync.Mutex
	pending map[int64]*batch            // by run id, not yet handed to a transaction
	bytes   int64                       // pending plus in flight
	lastErr error                       // the last commit's error, nil after a success
	refused map[int64]error             // runs past the backlog's bound
	spare   map[int64][]mnist.StepEvent // the last commit's buffers, reused for the next
	closed  bool
	stats   WriterStats

	kick chan struct{}   // an epoch arrived: commit now
	reqs chan chan error // Flush waiting for a commit
	quit chan struct{}
	done chan struct{}
	err  error // the final commit's error, set before done closes
}

// batch is one run's waiting metrics, in the order they arrived.
type batch struct {
	steps  []mnist.StepEvent
	epochs []epochRecord
	path   []pathRecord           // see paths.go
	sharp  []mnist.SharpnessEvent // see sharpness.go
}

type epochRecord struct {
	ev mnist.EpochEvent
	ck *Checkpoint // nil when the epoch has no checkpoint
}

// WriterStats describes the metrics writer, for a status line and for tests.
type WriterStats struct {
	Commits int64 // transactions committed
	Steps   int64 // step rows committed
	Epochs  int64 // epoch rows committed
	Pending int64 // bytes of metrics in memory, waiting or being written
	Err     error // the last commit's error; nil once a commit succeeds
}

func newWriter(s *Store, o options) *writer {
	w := &writer{
		s: s, flushEvery: o.flushEvery, maxPending: o.maxPending,
		pending: map[int64]*batch{}, refused: map[int64]error{},
		kick: make(chan struct{}, 1), reqs: make(chan chan error),
		quit: make(chan struct{}), done: make(chan struct{}),
	}
	go w.loop()
	return w
}

// AddStep queues one step of run runID and returns at once. It returns an
// error wrapping ErrBacklog once too much is waiting for the disk, and
// ErrClosed after Close. Steps become visible to Steps within about a second.
// A step number written twice keeps the later values.
func (s *Store) AddStep(runID int64, ev mnist.StepEvent) error {
	return s.w.add(runID, stepSize, func(b *batch) { b.steps = append(b.steps, ev) })
}

// AddEpoch queues the end of an epoch with its checkpoint (nil for none) and
// has them committed at once, after the run's steps queued before them. The
// checkpoint's Epoch and Step are taken from ev. The store keeps ck and its
// slices; do not change them afterwards.
func (s *Store) AddEpoch(runID int64, ev mnist.EpochEvent, ck *Checkpoint) error {
	size := epochSize
	if ck != nil && len(ck.Model) == 0 {
		return errors.New("store: a checkpoint needs the model's bytes")
	}
	if ck != nil {
		c := *ck
		c.RunID, c.Epoch, c.Step = runID, ev.Epoch, ev.Step
		ck, size = &c, size+int64(len(c.Model)+len(c.Optimizer)+len(c.State))
	}
	err := s.w.add(runID, size, func(b *batch) { b.epochs = append(b.epochs, epochRecord{ev, ck}) })
	if err == nil {
		s.w.nudge()
	}
	return err
}

// Flush commits everything queued before it was called and returns the
// commit's error.
func (s *Store) Flush(ctx context.Context) error {
	done := make(chan error, 1)
	select {
	case s.w.reqs <- done:
	case <-s.w.done:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// WriterStats returns the writer's counters.
func (s *Store) WriterStats() WriterStats {
	s.w.mu.Lock()
	defer s.w.mu.Unlock()
	st := s.w.stats
	st.Pending, st.Err = s.w.bytes, s.w.lastErr
	return st
}

func (w *writer) add(run, size int64, put func(*batch)) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return ErrClosed
	}
	if err := w.refused[run]; err != nil {
		return err
	}
	if w.bytes+size > w.maxPending {
		err := w.backlogError(run)
		w.refused[run] = err
		return err
	}
	b := w.pending[run]
	if b == nil {
		b = &batch{steps: w.spare[run]} // each spare is handed out once
		delete(w.spare, run)
		w.pending[run] = b
	}
	put(b)
	w.bytes += size
	return nil
}

func (w *writer) backlogError(run int64) error {
	why := "the disk is slower than training"
	if w.lastErr != nil {
		why = "the last write failed: " + w.lastErr.Error()
	}
	return newError(ErrBacklog, w.lastErr, "%d MB of metrics are waiting to be written to %s (%s); "+
		"run %d's metrics are refused from here on, so stop it", w.bytes>>20, w.s.path, why, run)
}

// forget drops a run's waiting metrics and its refusal, when it is deleted or
// resumed from a checkpoint.
func (w *writer) forget(run int64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if b := w.pending[run]; b != nil {
		w.bytes -= b.size()
		delete(w.pending, run)
	}
	delete(w.refused, run)
}

func (w *writer) nudge() {
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

func (w *writer) loop() {
	defer close(w.done)
	tick := time.NewTicker(w.flushEvery)
	defer tick.Stop()
	for {
		var waiting []chan error
		select {
		case <-tick.C:
		case <-w.kick:
		case r := <-w.reqs:
			waiting = append(waiting, r)
		case <-w.quit:
			w.err = w.commitPending()
			return
		}
		err := w.commitPending()
		for _, r := range waiting {
			r <- err
		}
	}
}

// commitPending writes everything waiting in one transaction. On failure the
// metrics go back in front of those that arrived meanwhile, to be retried.
func (w *writer) commitPending() error {
	w.mu.Lock()
	out := w.pending
	w.pending = map[int64]*batch{}
	w.mu.Unlock()
	if len(out) == 0 {
		return nil
	}
	n, err := w.s.commit(context.Background(), out)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.lastErr = err
	if err != nil {
		for run, b := range w.pending {
			out[run] = out[run].join(b)
		}
		w.pending = out
		return err
	}
	w.spare = map[int64][]mnist.StepEvent{}
	for run, b := range out {
		w.bytes -= b.size()
		w.spare[run] = b.steps[:0]
	}
	w.stats.Commits++
	w.stats.Steps += n.steps
	w.stats.Epochs += n.epochs
	return nil
}

// close stops the goroutine after a last commit, and reports what it lost.
func (w *writer) close() error {
	w.mu.Lock()
	w.closed = true
	w.mu.Unlock()
	close(w.quit)
	<-w.done
	if w.err == nil {
		return nil
	}
	return newError(kindOf(w.err), w.err, "closing %s: %d KB of metrics were not written: %v", w.s.path, w.bytes>>10, w.err)
}

func (b *batch) size() int64 {
	n := stepSize*int64(len(b.steps)) + pathSize(b.path) + sharpSize*int64(len(b.sharp))
	for _, e := range b.epochs {
		n += epochSize
		if e.ck != nil {
			n += int64(len(e.ck.Model) + len(e.ck.Optimizer) + len(e.ck.State))
		}
	}
	return n
}

// join returns b followed by later, either of which may be nil.
func (b *batch) join(later *batch) *batch {
	if b == nil {
		return later
	}
	if later != nil {
		b.steps = append(b.steps, later.steps...)
		b.epochs = append(b.epochs, later.epochs...)
		b.path = append(b.path, later.path...)
		b.sharp = append(b.sharp, later.sharp...)
	}
	return b
}
