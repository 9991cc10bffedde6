package draw

import (
	"sync"
	"time"

	"descent/server/protocol"
)

// Slot holds a page's latest drawing (a Drawing to predict, an
// ExplainQuery to explain) until the page's goroutine for it takes it: a
// newer one replaces an older one that waits, so a page that sends too fast
// gets answers to its latest drawings at PredictHz, never a backlog.
type Slot[T any] struct {
	once  sync.Once
	ready chan struct{} // a drawing is waiting
	mu    sync.Mutex
	next  *T
}

// Put leaves d for the loop, replacing a drawing that waits; on the first
// drawing it calls start, which must start Loop on its own goroutine.
func (s *Slot[T]) Put(d T, start func()) {
	s.once.Do(func() {
		s.ready = make(chan struct{}, 1)
		start()
	})
	s.mu.Lock()
	s.next = &d
	s.mu.Unlock()
	select {
	case s.ready <- struct{}{}:
	default:
	}
}

// Loop answers the page's drawings with answer, at most PredictHz a second,
// until done is closed.
func (s *Slot[T]) Loop(done <-chan struct{}, answer func(T)) {
	gap := time.Second / protocol.PredictHz
	var last time.Time
	for {
		select {
		case <-done:
			return
		case <-s.ready:
		}
		if wait := gap - time.Since(last); wait > 0 {
			select {
			case <-done:
				return
			case <-time.After(wait):
			}
		}
		s.mu.Lock()
		d := s.next
		s.next = nil
		s.mu.Unlock()
		if d != nil {
			last = time.Now()
			answer(*d)
		}
	}
}
