package draw

import (
	"fmt"
	"slices"
	"sync"

	"descent/server/protocol"
)

// Workers carry out the pages' heavy commands (learn steps with their
// 1,000-image accuracy, gradient checks, copies): a fixed number of
// goroutines that take the pages' queues in turn, one command of one page at
// a time, round robin, so that a page that sends many commands waits behind
// the others' and never holds a worker for more than one command. They never
// run on a page's reader or on a training goroutine, and at most n cores do
// this work at once.
type Workers struct {
	mu     sync.Mutex
	cond   *sync.Cond // a queue has work, a command ended, or Close
	ring   []*Queue   // queues with a command waiting and none running, in turn
	closed bool
	wg     sync.WaitGroup
}

// Queue is one page's commands for the workers, in order: at most one runs
// at a time, so they may share the page's state without locks; at most max
// wait.
type Queue struct {
	w       *Workers
	max     int
	jobs    []func()
	running bool
	closed  bool
}

// NewWorkers starts n workers (at least 1).
func NewWorkers(n int) *Workers {
	w := &Workers{}
	w.cond = sync.NewCond(&w.mu)
	for range max(n, 1) {
		w.wg.Go(w.work)
	}
	return w
}

// Queue returns a new page's queue, on which at most max commands wait.
func (w *Workers) Queue(max int) *Queue { return &Queue{w: w, max: max} }

// work runs the next command of the queue whose turn it is, until Close.
func (w *Workers) work() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for {
		for len(w.ring) == 0 && !w.closed {
			w.cond.Wait()
		}
		if w.closed {
			return
		}
		q := w.ring[0]
		w.ring = slices.Delete(w.ring, 0, 1)
		job := q.jobs[0]
		q.jobs = slices.Delete(q.jobs, 0, 1)
		q.running = true
		w.mu.Unlock()
		job()
		w.mu.Lock()
		q.running = false
		if len(q.jobs) > 0 {
			w.ring = append(w.ring, q) // its next turn comes after the others'
		}
		w.cond.Broadcast()
	}
}

// Close stops the workers once the commands that run have ended; the
// waiting ones are dropped.
func (w *Workers) Close() {
	w.mu.Lock()
	w.closed = true
	w.cond.Broadcast()
	w.mu.Unlock()
	w.wg.Wait()
}

// Submit queues job, or refuses it (code busy) when max commands of the page
// wait already, or the page has gone.
func (q *Queue) Submit(job func()) error {
	w := q.w
	w.mu.Lock()
	defer w.mu.Unlock()
	if q.closed || w.closed {
		return protocol.Refuse(protocol.CodeEnded, "", "", "the page's learn queue is closed")
	}
	if len(q.jobs) >= q.max {
		return protocol.Refuse(protocol.CodeBusy, "", fmt.Sprintf("at most %d learn commands and gradient checks waiting per page", q.max),
			"%d commands are waiting; try again when one is answered", len(q.jobs))
	}
	q.jobs = append(q.jobs, job)
	if len(q.jobs) == 1 && !q.running {
		w.ring = append(w.ring, q)
		w.cond.Broadcast()
	}
	return nil
}

// Close drops the page's waiting commands and waits for the one that runs,
// if any, to end: after it, no command of the page runs again.
func (q *Queue) Close() {
	w := q.w
	w.mu.Lock()
	defer w.mu.Unlock()
	q.closed = true
	q.jobs = nil
	w.ring = slices.DeleteFunc(w.ring, func(r *Queue) bool { return r == q })
	for q.running {
		w.cond.Wait()
	}
}

// Waiting returns the commands of the page that wait.
func (q *Queue) Waiting() int {
	q.w.mu.Lock()
	defer q.w.mu.Unlock()
	return len(q.jobs)
}
