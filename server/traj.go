package server

import (
	"math"
	"strconv"
	"sync"
	"time"

	"descent/optim"
)

// A trajectory set runs in its own goroutine, owned by its connection. It
// steps an optim.Runner at the page's rate and appends the iterates to a
// pending batch; the connection's writer takes the whole batch when it
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

// trajSet is one TrajStart of one connection.
type trajSet struct {
	id      string
	c       *conn
	created TrajCreated
	rate    *float64 // TrajStart's: play at once
	fn      optim.Function
	configs []optim.Config
	ctl     chan TrajControl // from the reader; buffered
	quit    chan struct{}    // closed by trajDelete
	once    sync.Once

	mu          sync.Mutex // guards what the writer takes:
	createdSent bool
	pending     []optim.Iterate
	status      *TrajStatus // not yet sent
}

// trajSets are a connection's sets, shared by its reader and writer.
type trajSets struct {
	mu    sync.Mutex
	sets  []*trajSet
	count int // sets ever created, for ids
}

func (ts *trajSets) add(t *trajSet) bool {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if len(ts.sets) >= MaxTrajSets {
		return false
	}
	ts.count++
	t.id = "t" + strconv.Itoa(ts.count)
	ts.sets = append(ts.sets, t)
	return true
}

func (ts *trajSets) get(id string) *trajSet {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	for _, t := range ts.sets {
		if t.id == id {
			return t
		}
	}
	return nil
}

func (ts *trajSets) remove(id string) *trajSet {
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

func (ts *trajSets) list() []*trajSet {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]*trajSet(nil), ts.sets...)
}

// take hands the writer everything not yet sent, in order.
func (t *trajSet) take() (created *TrajCreated, points []optim.Iterate, status *TrajStatus) {
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
func (t *trajSet) room() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return maxPendingIterates - len(t.pending)
}

func (t *trajSet) emit(its []optim.Iterate, fresh bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if fresh {
		t.pending = t.pending[:0]
	}
	for _, it := range its {
		t.pending = append(t.pending, cleanIterate(it))
	}
}

func (t *trajSet) report(state string, rate float64, last []optim.Iterate) {
	st := &TrajStatus{Type: EvTrajStatus, Traj: t.id, State: state, Rate: rate, Trajs: make([]TrajSummary, len(last))}
	for i, it := range last {
		it = cleanIterate(it)
		st.Trajs[i] = TrajSummary{Step: it.Step, Status: it.Status, Reason: it.Reason, X: it.X, F: it.F,
			FEvals: it.FEvals, GEvals: it.GEvals, HEvals: it.HEvals}
	}
	t.mu.Lock()
	t.status = st
	t.mu.Unlock()
	t.c.wakeWriter()
}

// stop ends the set's goroutine; it may be called more than once.
func (t *trajSet) stop() { t.once.Do(func() { close(t.quit) }) }

// cleanIterate replaces what JSON cannot carry: non-finite numbers.
func cleanIterate(it optim.Iterate) optim.Iterate {
	for _, p := range []*[2]float64{&it.X, &it.Grad, &it.Delta} {
		p[0], p[1] = clampFinite(p[0]), clampFinite(p[1])
	}
	it.F, it.LR, it.Lambda = clampFinite(it.F), clampFinite(it.LR), clampFinite(it.Lambda)
	if len(it.Internals) > 0 {
		m := make(map[string][2]float64, len(it.Internals))
		for k, v := range it.Internals {
			if finite(v[0]) && finite(v[1]) {
				m[k] = v
			}
		}
		it.Internals = m
	}
	if h := it.Hessian; h != nil && !(finite(h[0]) && finite(h[1]) && finite(h[2])) {
		it.Hessian = nil
	}
	if e := it.Eigen; e != nil && !(finite(e[0]) && finite(e[1])) {
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
