package analysis

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestLimitAndReplace runs jobs of three pages on one slot: never more than
// one at a time, a page's new job cancels its old one, and a page that goes
// cancels its job.
func TestLimitAndReplace(t *testing.T) {
	s := New(1)
	defer s.Close()
	var running, peak atomic.Int32
	var mu sync.Mutex
	var finished []string
	work := func(name string) func(context.Context) {
		return func(ctx context.Context) {
			n := running.Add(1)
			for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
			}
			defer running.Add(-1)
			select {
			case <-ctx.Done():
			case <-time.After(50 * time.Millisecond):
				mu.Lock()
				finished = append(finished, name)
				mu.Unlock()
			}
		}
	}
	pageA, pageB, pageC := new(int), new(int), new(int)
	ctxC, leaveC := context.WithCancel(context.Background())
	s.Go(context.Background(), pageA, "hessian", work("a1"))
	s.Go(context.Background(), pageB, "hessian", work("b"))
	s.Go(ctxC, pageC, "hessian", work("c"))
	s.Go(context.Background(), pageA, "hessian", work("a2")) // replaces a1
	leaveC()                                                 // page C goes
	time.Sleep(400 * time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	if peak.Load() != 1 {
		t.Errorf("%d jobs ran at once on one slot", peak.Load())
	}
	has := map[string]bool{}
	for _, f := range finished {
		has[f] = true
	}
	if has["a1"] || has["c"] || !has["a2"] || !has["b"] {
		t.Errorf("finished %v, want b and a2 (a1 replaced, c's page gone)", finished)
	}
}

// TestKindsApart: a page's jobs of two kinds run side by side.
func TestKindsApart(t *testing.T) {
	s := New(2)
	defer s.Close()
	page := new(int)
	var wg sync.WaitGroup
	wg.Add(2)
	both := make(chan struct{})
	var n atomic.Int32
	for _, kind := range []string{"hessian", "landscape"} {
		s.Go(context.Background(), page, kind, func(ctx context.Context) {
			defer wg.Done()
			if n.Add(1) == 2 {
				close(both)
			}
			select {
			case <-both:
			case <-time.After(5 * time.Second):
				t.Error("the two kinds did not run side by side")
			}
		})
	}
	wg.Wait()
}
