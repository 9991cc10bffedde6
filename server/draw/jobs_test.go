package draw

import (
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"descent/server/protocol"
)

// TestWorkersTakeTurns: with one worker, a page that queues four commands
// waits behind a page that queues one after it, instead of running all of
// its own first.
func TestWorkersTakeTurns(t *testing.T) {
	w := NewWorkers(1)
	defer w.Close()
	a, b := w.Queue(8), w.Queue(8)
	var mu sync.Mutex
	var order []string
	gate := make(chan struct{})
	done := make(chan struct{}, 8)
	job := func(name string) func() {
		return func() {
			mu.Lock()
			order = append(order, name)
			mu.Unlock()
			done <- struct{}{}
		}
	}
	if err := a.Submit(func() { <-gate; job("a1")() }); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"a2", "a3", "a4"} {
		if err := a.Submit(job(n)); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Submit(job("b1")); err != nil {
		t.Fatal(err)
	}
	close(gate)
	for range 5 {
		<-done
	}
	if want := []string{"a1", "b1", "a2", "a3", "a4"}; !slices.Equal(order, want) {
		t.Errorf("order %v, want %v: page b's command after page a's first", order, want)
	}
}

// TestQueueOneAtATime: with several workers, the commands of one page never
// run at once, and run in order.
func TestQueueOneAtATime(t *testing.T) {
	w := NewWorkers(4)
	defer w.Close()
	q := w.Queue(100)
	var running, overlap atomic.Int32
	var got []int
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		if err := q.Submit(func() {
			defer wg.Done()
			if running.Add(1) > 1 {
				overlap.Add(1)
			}
			got = append(got, i) // safe only if the commands never overlap
			time.Sleep(100 * time.Microsecond)
			running.Add(-1)
		}); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	if overlap.Load() > 0 {
		t.Errorf("%d commands of one page ran beside another of it", overlap.Load())
	}
	if !slices.IsSorted(got) || len(got) != 50 {
		t.Errorf("commands ran in the order %v, want 0…49", got)
	}
}

// TestQueueBoundsAndClose: a full queue refuses with busy; Close drops what
// waits, waits for what runs, and refuses what comes after.
func TestQueueBoundsAndClose(t *testing.T) {
	w := NewWorkers(1)
	defer w.Close()
	q := w.Queue(2)
	started, release := make(chan struct{}), make(chan struct{})
	var ran atomic.Int32
	if err := q.Submit(func() { close(started); <-release; ran.Add(1) }); err != nil {
		t.Fatal(err)
	}
	<-started
	for range 2 {
		if err := q.Submit(func() { ran.Add(1) }); err != nil {
			t.Fatal(err)
		}
	}
	err := q.Submit(func() { ran.Add(1) })
	if fe, ok := err.(*protocol.FieldError); !ok || fe.Code != protocol.CodeBusy {
		t.Errorf("a third command waiting: %v, want a busy refusal", err)
	}
	if q.Waiting() != 2 {
		t.Errorf("%d waiting, want 2", q.Waiting())
	}
	closed := make(chan struct{})
	go func() { q.Close(); close(closed) }()
	select {
	case <-closed:
		t.Fatal("Close returned while a command ran")
	case <-time.After(20 * time.Millisecond):
	}
	close(release)
	<-closed
	if n := ran.Load(); n != 1 {
		t.Errorf("%d commands ran, want 1: Close drops the waiting ones", n)
	}
	if err := q.Submit(func() {}); err == nil {
		t.Error("Submit after Close: no error")
	}
	// The other pages are still served.
	other := w.Queue(1)
	doneOther := make(chan struct{})
	if err := other.Submit(func() { close(doneOther) }); err != nil {
		t.Fatal(err)
	}
	select {
	case <-doneOther:
	case <-time.After(5 * time.Second):
		t.Fatal("another page's command did not run after a page closed")
	}
}
