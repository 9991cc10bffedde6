// Package traj is the surface explorer on the server: trajectory sets, each
// a page's optimizers stepping in lockstep on a 2-D function of optim, their
// player, and the surface images with their cache. Errors say "server:", as
// the server's own do.
package traj

import (
	"math"
	"strconv"
	"sync"
	"time"

	"descent/optim"
	"descent/server/protocol"
)

// A trajectory set runs in its own goroutine, owned by its page. It
// steps an optim.Runner at the page's rate and appends the iterates to a
// pending batch; the page's writer takes the whole batch when it
// flushes (woken at most every trajBatchPeriod), so a fast run sends few
// large frames rather than many small ones. A slow page leaves its batch
// unsent: once it holds maxPendingIterates the set takes no more steps until
// the writer has taken them, so memory stays bounded, nothing is lost, and
// no other page or set waits.
const (
	// trajBatchPeriod is the pace of batches (and of the ticks of fast rates).
	trajBatchPeriod = 50 * time.Millisecond
	// maxPendingIterates bounds a set's unsent iterates.
	maxPendingIterates = 4000
	// maxFrameIterates bounds the iterates of one TrajPoints frame.
	maxFrameIterates = 1000
	// fastStepBudget is the time "as fast as possible" spends stepping per
	// tick, so that controls are answered quickly.
	fastStepBudget = 20 * time.Millisecond
)

// set is one TrajStart of one page.
type set struct {
	id      string
	sets    *Sets
	created protocol.TrajCreated
	rate    *float64 // TrajStart's: play at once
	fn      optim.Function
	configs []optim.Config
	ctl     chan protocol.TrajControl // from the reader; buffered
	quit    chan struct{}             // closed by Delete
	once    sync.Once

	mu          sync.Mutex // guards what the writer takes:
	createdSent bool
	pending     []optim.Iterate
	status      *protocol.TrajStatus // not yet sent
}

// Sets are one page's trajectory sets, shared by its reader (Start,
// Control, Delete) and its writer (Flush). A set's goroutine ends when it is
// deleted or when done is closed (the page went).
type Sets struct {
	wake func()          // asks the page's writer to flush soon, without waiting
	done <-chan struct{} // closed when the page goes
	wg   *sync.WaitGroup // counts the sets' goroutines

	mu    sync.Mutex
	sets  []*set
	count int // sets ever created, for ids
}

// NewSets returns the sets of a page whose writer wake wakes.
func NewSets(wake func(), done <-chan struct{}, wg *sync.WaitGroup) *Sets {
	return &Sets{wake: wake, done: done, wg: wg}
}

func (ts *Sets) add(t *set) bool {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if len(ts.sets) >= protocol.MaxTrajSets {
		return false
	}
	ts.count++
	t.id = "t" + strconv.Itoa(ts.count)
	ts.sets = append(ts.sets, t)
	return true
}

func (ts *Sets) get(id string) *set {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	for _, t := range ts.sets {
		if t.id == id {
			return t
		}
	}
	return nil
}

func (ts *Sets) remove(id string) *set {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	for i, t := range ts.sets {
		if t.id == id {
			ts.sets = append(ts.sets[:i], ts.sets[i+1:]...)
			return t
		}
	}
	return nil
}

func (ts *Sets) list() []*set {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]*set(nil), ts.sets...)
}

// take hands the writer everything not yet sent, in order.
func (t *set) take() (created *protocol.TrajCreated, points []optim.Iterate, status *protocol.TrajStatus) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.createdSent {
		t.createdSent = true
		created = &t.created
	}
	points, t.pending = t.pending, nil
	status, t.status = t.status, nil
	return created, points, status
}

// room returns how many more iterates the pending batch can take.
func (t *set) room() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return maxPendingIterates - len(t.pending)
}

func (t *set) emit(its []optim.Iterate, fresh bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if fresh {
		t.pending = t.pending[:0]
	}
	for _, it := range its {
		t.pending = append(t.pending, cleanIterate(it))
	}
}

func (t *set) report(state string, rate float64, last []optim.Iterate) {
	st := &protocol.TrajStatus{Type: protocol.EvTrajStatus, Traj: t.id, State: state, Rate: rate, Trajs: make([]protocol.TrajSummary, len(last))}
	for i, it := range last {
		it = cleanIterate(it)
		st.Trajs[i] = protocol.TrajSummary{Step: it.Step, Status: it.Status, Reason: it.Reason, X: it.X, F: it.F,
			FEvals: it.FEvals, GEvals: it.GEvals, HEvals: it.HEvals}
	}
	t.mu.Lock()
	t.status = st
	t.mu.Unlock()
	t.sets.wake()
}

// stop ends the set's goroutine; it may be called more than once.
func (t *set) stop() { t.once.Do(func() { close(t.quit) }) }

// cleanIterate replaces what JSON cannot carry: non-finite numbers.
func cleanIterate(it optim.Iterate) optim.Iterate {
	for _, p := range []*[2]float64{&it.X, &it.Grad, &it.Delta} {
		p[0], p[1] = clampFinite(p[0]), clampFinite(p[1])
	}
	it.F, it.LR, it.Lambda = clampFinite(it.F), clampFinite(it.LR), clampFinite(it.Lambda)
	if len(it.Internals) > 0 {
		m := make(map[string][2]float64, len(it.Internals))
		for k, v := range it.Internals {
			if protocol.Finite(v[0]) && protocol.Finite(v[1]) {
				m[k] = v
			}
		}
		it.Internals = m
	}
	if h := it.Hessian; h != nil && !(protocol.Finite(h[0]) && protocol.Finite(h[1]) && protocol.Finite(h[2])) {
		it.Hessian = nil
	}
	if e := it.Eigen; e != nil && !(protocol.Finite(e[0]) && protocol.Finite(e[1])) {
		it.Eigen = nil
	}
	return it
}

// clampFinite maps ±Inf to ±MaxFloat64 and NaN to 0.
func clampFinite(v float64) float64 {
	switch {
	case math.IsNaN(v):
		return 0
	case math.IsInf(v, 1):
		return math.MaxFloat64
	case math.IsInf(v, -1):
		return -math.MaxFloat64
	}
	return v
}
