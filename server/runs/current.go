package runs

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"descent/mnist"
)

// current hands a live run's weights to the Hessian panel: a request asks
// for them, and the next Step hook (on the training goroutine, between two
// steps, the only place the weights may be read) copies them once for every
// request waiting.
type current struct {
	want    atomic.Bool
	mu      sync.Mutex
	waiting []chan Weights
}

// Weights are a run's weights after a step.
type Weights struct {
	Model *mnist.Model
	Step  int // the steps they have taken
}

// offer copies the weights after step for the requests waiting; it runs in
// the Step hook and costs one atomic load when none waits.
func (c *current) offer(t *mnist.Trainer, step int) {
	if !c.want.Load() {
		return
	}
	c.mu.Lock()
	waiting := c.waiting
	c.waiting = nil
	c.want.Store(false)
	c.mu.Unlock()
	w := Weights{Model: t.CurrentModel(), Step: step}
	for _, ch := range waiting {
		ch <- w // buffered: never waits
	}
}

// CurrentWeights returns the run's weights as they are now, taken between
// two steps. ok is false when no step came within wait (the run is paused,
// queued or finished) or ctx ended: then use Snapshot.
func (r *Live) CurrentWeights(ctx context.Context, wait time.Duration) (w Weights, ok bool) {
	if r.Finished() {
		return Weights{}, false
	}
	ch := make(chan Weights, 1)
	c := &r.current
	c.mu.Lock()
	c.waiting = append(c.waiting, ch)
	c.want.Store(true)
	c.mu.Unlock()
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case w = <-ch:
		return w, true
	case <-t.C:
	case <-ctx.Done():
	case <-r.ctx.Done():
	}
	c.mu.Lock()
	for i, x := range c.waiting {
		if x == ch {
			c.waiting = append(c.waiting[:i], c.waiting[i+1:]...)
			break
		}
	}
	c.want.Store(len(c.waiting) > 0)
	c.mu.Unlock()
	select {
	case w = <-ch: // it came while we gave up
		return w, true
	default:
		return Weights{}, false
	}
}
