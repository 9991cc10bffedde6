// Package analysis runs the pages' heavy requests, such as a network's
// Hessian spectrum or its loss landscape, so that none of them can starve
// training or the other pages: at most Limit run at once (a flag of descent
// serve), each page has at most one of each kind at a time (a new one
// replaces, and cancels, the one it had: its answer would be stale), pages
// take turns for the free slots in the order they asked, every job's context
// ends when its page goes, and a job's goroutine runs on its own thread below
// training's priority.
package analysis

import (
	"context"
	"sync"

	"descent/server/internal/priority"
)

// Scheduler runs jobs within its limit.
type Scheduler struct {
	slots chan struct{} // one token per job running
	wg    sync.WaitGroup

	mu   sync.Mutex
	jobs map[key]*job // each page's job of each kind, waiting or running
}

type key struct {
	page any
	kind string
}

type job struct {
	cancel context.CancelFunc
	done   chan struct{}
}

// New returns a scheduler that runs at most limit jobs at once (at least 1).
func New(limit int) *Scheduler {
	return &Scheduler{slots: make(chan struct{}, max(limit, 1)), jobs: map[key]*job{}}
}

// Go runs work for page as its job of kind, once a slot is free, on a
// goroutine of its own below training's priority. A job of the same page and
// kind that is still waiting or running is cancelled first. ctx should end
// when the page goes; work must return soon after its context ends. Go
// returns at once.
func (s *Scheduler) Go(ctx context.Context, page any, kind string, work func(ctx context.Context)) {
	ctx, cancel := context.WithCancel(ctx)
	j := &job{cancel: cancel, done: make(chan struct{})}
	k := key{page, kind}
	s.mu.Lock()
	if old := s.jobs[k]; old != nil {
		old.cancel()
	}
	s.jobs[k] = j
	s.mu.Unlock()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer close(j.done)
		defer s.forget(k, j)
		defer cancel()
		select {
		case s.slots <- struct{}{}:
		case <-ctx.Done():
			return
		}
		defer func() { <-s.slots }()
		if ctx.Err() != nil {
			return
		}
		priority.Lower(priority.Analysis) // the thread ends with this goroutine
		work(ctx)
	}()
}

// forget drops j if it is still the page's job of its kind.
func (s *Scheduler) forget(k key, j *job) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.jobs[k] == j {
		delete(s.jobs, k)
	}
}

// Cancel cancels page's job of kind, if any.
func (s *Scheduler) Cancel(page any, kind string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if j := s.jobs[key{page, kind}]; j != nil {
		j.cancel()
	}
}

// Running is the number of jobs that hold a slot.
func (s *Scheduler) Running() int { return len(s.slots) }

// Close cancels every job and waits for their goroutines.
func (s *Scheduler) Close() {
	s.mu.Lock()
	for _, j := range s.jobs {
		j.cancel()
	}
	s.mu.Unlock()
	s.wg.Wait()
}
