package runs

import (
	"context"
	"encoding/json"
	"sync"
	"sync/atomic"

	"descent/mnist"
	"descent/server/protocol"
	"descent/server/steps"
)

// Run is a run in the list: a Live one, trained by this server, or a Stored
// one, read back from the run store (a run of an earlier session, or one
// evicted from memory). The server, its pages and the exports use runs
// through this interface alone.
type Run interface {
	ID() string
	Sweep() string
	// Info describes the run for lists and status events.
	Info() protocol.RunInfo
	// Version counts the run's status changes.
	Version() int64
	// Finished reports whether the run has ended.
	Finished() bool
	// Subscribe opens a page's stream of the run: its history after step
	// from, then, for a live run, the steps, epochs and weights as they come.
	// A stored run reads its history here, on the caller's goroutine, so
	// that the page's writer never waits for the disk.
	Subscribe(ctx context.Context, req int64, from int, weights bool) (Subscription, error)
	// Steps returns every step, thinned to at most maxPoints when that is
	// above 0 (package steps' rule).
	Steps(ctx context.Context, maxPoints int) (steps.Columns, error)
	// Epochs returns the run's evaluated epochs, in order.
	Epochs(ctx context.Context) ([]mnist.EpochEvent, error)
	// Snapshot returns the weights that answer drawings and exports: those
	// after the last finished epoch, or the initial weights before the first.
	Snapshot(ctx context.Context) (Snapshot, error)
	// WeightsAt returns the Weights event, answering req, of the first
	// layer kept nearest at or before step, for replay.
	WeightsAt(ctx context.Context, req int64, step int) ([]byte, error)
	// Course returns the run's current weights, their step and its training
	// path (nil when it kept none), for the loss landscape. A stored run
	// reads them from the store, on the caller's goroutine.
	Course(ctx context.Context) (Course, error)

	core() *base
}

// Subscription is a page's cursor in one run. Only the page's writer uses
// it.
type Subscription interface {
	// Flush writes, with write, the encoded frames that are new since the
	// last call: on the first call the History.
	Flush(write func([]byte) error) error
}

// base is what every run has: its names, its settings and its status.
type base struct {
	id, sweep string
	cfg       mnist.Config
	storeID   int64 // the run's id in the store; 0 without one
	sharpness int   // the probe set of its sharpness tracking; 0 when not tracked
	// restarting is set while a restart replaces the run.
	restarting atomic.Bool

	mu      sync.Mutex
	label   string
	state   string // protocol.StatusQueued … StatusInterrupted
	result  *mnist.Result
	errText string
	version int64 // bumped on every status change
}

func (b *base) core() *base   { return b }
func (b *base) ID() string    { return b.id }
func (b *base) Sweep() string { return b.sweep }

// Version returns the counter of status changes.
func (b *base) Version() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.version
}

// Finished reports whether the run has ended.
func (b *base) Finished() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.result != nil
}

// outcome returns the run's result (nil while it trains), label and
// status.
func (b *base) outcome() (*mnist.Result, string, string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.result, b.label, b.state
}

// info fills what every run knows of itself; b.mu is held.
func (b *base) info() protocol.RunInfo {
	in := protocol.RunInfo{ID: b.id, Sweep: b.sweep, Label: b.label, Config: b.cfg, Status: b.state,
		StatusText: b.state, Error: b.errText}
	if b.sharpness > 0 {
		in.Sharpness = &protocol.SharpnessInfo{Examples: b.sharpness}
	}
	if b.result != nil {
		res := *b.result
		in.Result, in.StatusText, in.DivergedAt = &res, res.StatusText(), res.DivergedAt
	}
	return in
}

// endedErr refuses a command that needs an unfinished run.
func (b *base) endedErr(statusText string) error {
	return protocol.Refuse(protocol.CodeEnded, "run", "a queued, running or paused run",
		"run %s has already ended (%s)", b.id, statusText).With(b.id)
}

// prepared is a message encoded once for every page.
type prepared[T any] struct {
	v   T
	msg []byte
}

func prepare[T any](v T) (*prepared[T], error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return &prepared[T]{v: v, msg: b}, nil
}
