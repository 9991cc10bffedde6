package runs

import (
	"sync/atomic"

	"descent/mnist"
	"descent/server/internal/priority"
)

// Every run keeps its training path (mnist.Path) for the loss landscape:
// θ₀ and the weights every few steps, thinned by halving within
// mnist.DefaultPathBudget (16 MiB). Nothing of it slows training: at a kept
// step the step hook only copies the weights into an idle buffer (a
// memmove, about a tenth of a step of the report's network) and hands it to
// the run's recorder goroutine, which makes the 16-bit snapshot (mnist.Path.Add)
// and, with a store, hands it to the store's writer (AddPathPoint returns at
// once). When no buffer is idle the step is left out of the path rather
// than waited for. The recorder runs at training's priority, so that it
// never takes a core from another run before the pages.
//
// A run offers its path only every stride-th step (and the early powers of
// two), the stride the largest power of two at most the run's length over
// the path's capacity: the path then fills about once and halves itself at
// most about once, instead of keeping every step at first and halving
// itself every hundred steps. The points it ends with are the same kind (the
// path's own rule), but a run makes about a hundred snapshots instead of
// four hundred (the report's network over 10 epochs), and the store writes
// as few: a snapshot costs about 0.3 ms to make and 1.2 ms of SQLite to keep,
// on the other core, which training would otherwise share.
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
	stride  int                        // a power of two: the steps offered besides the early ones
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
	rec := &recorder{p: p, stride: stride(r.trainer.TotalSteps(), p.Capacity()), free: make(chan []float32, n),
		work: make(chan kept, n), done: make(chan struct{})}
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

// stride is the largest power of two at most steps/capacity, at least 1.
func stride(steps, capacity int) int {
	s := 1
	for capacity > 0 && 2*s*capacity <= steps {
		s *= 2
	}
	return s
}

// offers reports whether the recorder takes step, if the path keeps it:
// every stride-th step and the early powers of two.
func (rec *recorder) offers(step int) bool {
	return step%rec.stride == 0 || step < rec.p.Early() && step&(step-1) == 0
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
	if rec := r.path.rec; rec != nil && rec.offers(ev.Step) && rec.p.Due(ev.Step) {
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
