package runs

import (
	"context"
	"sync"
	"time"
)

// pacer keeps a run to its pace: an epoch in about epochSeconds, by sleeping
// on the training goroutine between steps. It never changes a result.
// Sleeps shorter than minSleep are saved up, so that a fast pace (a step
// every 0.2 ms at batch 1) costs a few sleeps a second, not one a step.
type pacer struct {
	mu           sync.Mutex
	epochSeconds float64
	changed      chan struct{} // closed when the pace changes

	due time.Time // when the next step may end; training goroutine only
}

// minSleep is the shortest sleep the pacer takes.
const minSleep = 2 * time.Millisecond

// set changes the pace; a sleeping run wakes to follow it.
func (p *pacer) set(epochSeconds float64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.epochSeconds = epochSeconds
	if p.changed != nil {
		close(p.changed)
	}
	p.changed = make(chan struct{})
}

// get returns the pace and the channel that a change closes.
func (p *pacer) get() (float64, chan struct{}) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.changed == nil {
		p.changed = make(chan struct{})
	}
	return p.epochSeconds, p.changed
}

// step waits, after a step, until the pace allows the next one. A run
// that fell behind (it was paused, or its steps are slower than the pace)
// carries on from now rather than rushing to catch up.
func (p *pacer) step(ctx context.Context, stepsPerEpoch int) {
	secs, changed := p.get()
	if secs <= 0 || stepsPerEpoch <= 0 {
		p.due = time.Time{}
		return
	}
	now := time.Now()
	if p.due.IsZero() || now.Sub(p.due) > time.Second {
		p.due = now
	}
	p.due = p.due.Add(time.Duration(secs / float64(stepsPerEpoch) * float64(time.Second)))
	wait := time.Until(p.due)
	if wait < minSleep {
		return
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	case <-changed:
		p.due = time.Time{}
	}
}
