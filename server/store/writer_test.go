package store

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

// slowFlush is an interval that a test never waits out: only Flush, an epoch
// or Close commit.
const slowFlush = time.Hour

func TestBatching(t *testing.T) {
	s, _ := openTest(t) // the real interval, one second
	run := newRun(t, s, Run{})
	start := time.Now()
	for k := 1; k <= 1000; k++ {
		if err := s.AddStep(run.ID, stepEvent(k)); err != nil {
			t.Fatal(err)
		}
	}
	if d := time.Since(start); d > 100*time.Millisecond {
		t.Errorf("adding 1,000 steps took %v; the training path must not wait for the disk", d)
	}
	if err := s.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	st := s.WriterStats()
	if st.Commits > 2 || st.Steps != 1000 || st.Pending != 0 || st.Err != nil {
		t.Errorf("1,000 steps took %d commits (want 1 or 2), wrote %d steps, %d bytes pending, err %v",
			st.Commits, st.Steps, st.Pending, st.Err)
	}
}

func TestTickCommits(t *testing.T) {
	o := defaultOptions()
	o.flushEvery = 20 * time.Millisecond
	s := openDir(t, t.TempDir(), o)
	run := newRun(t, s, Run{})
	s.AddStep(run.ID, stepEvent(1))
	deadline := time.Now().Add(5 * time.Second)
	for s.WriterStats().Steps == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no commit within 5 s of a step, without Flush")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestEpochCommitsAtOnce(t *testing.T) {
	o := defaultOptions()
	o.flushEvery = slowFlush
	s := openDir(t, t.TempDir(), o)
	run := newRun(t, s, Run{})
	s.AddStep(run.ID, stepEvent(1))
	s.AddEpoch(run.ID, epochEvent(1), testCheckpoint(t, 1))
	deadline := time.Now().Add(5 * time.Second)
	for s.WriterStats().Epochs == 0 {
		if time.Now().After(deadline) {
			t.Fatal("an epoch was not committed within 5 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := s.AddEpoch(run.ID, epochEvent(2), &Checkpoint{}); err == nil {
		t.Error("AddEpoch took a checkpoint without a model")
	}
}

func TestCloseFlushesAndReopenKeeps(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	o := defaultOptions()
	o.flushEvery = slowFlush
	s := openDir(t, dir, o)
	sw, _ := s.CreateSweep(ctx, Sweep{Name: "b", Kind: SweepBatch})
	run := newRun(t, s, Run{SweepID: sw.ID, Kind: KindSweepMember})
	for k := 1; k <= 150; k++ {
		s.AddStep(run.ID, stepEvent(k))
	}
	s.AddEpoch(run.ID, epochEvent(1), testCheckpoint(t, 1))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.AddStep(run.ID, stepEvent(151)); !errors.Is(err, ErrClosed) {
		t.Errorf("AddStep after Close = %v, want ErrClosed", err)
	}
	if err := s.Flush(ctx); !errors.Is(err, ErrClosed) {
		t.Errorf("Flush after Close = %v, want ErrClosed", err)
	}

	s = openDir(t, dir, o)
	steps, _ := s.Steps(ctx, run.ID, 0, 0)
	epochs, _ := s.Epochs(ctx, run.ID)
	ck, err := s.LatestCheckpoint(ctx, run.ID)
	sweeps, _ := s.ListSweeps(ctx)
	if len(steps) != 150 || len(epochs) != 1 || err != nil || ck.Epoch != 1 || len(sweeps) != 1 || sweeps[0].RunIDs[0] != run.ID {
		t.Errorf("after reopening: %d steps, %d epochs, checkpoint %v, sweeps %+v; want 150, 1, epoch 1, one sweep of the run",
			len(steps), len(epochs), err, sweeps)
	}
	if err := s.IntegrityCheck(ctx); err != nil {
		t.Error(err)
	}
}

func TestBacklogRefusesWithoutGaps(t *testing.T) {
	o := defaultOptions()
	o.flushEvery, o.maxPending = slowFlush, 100*stepSize
	s := openDir(t, t.TempDir(), o)
	ctx := context.Background()
	a, b := newRun(t, s, Run{}), newRun(t, s, Run{})
	for k := 1; k <= 100; k++ {
		if err := s.AddStep(a.ID, stepEvent(k)); err != nil {
			t.Fatalf("step %d: %v", k, err)
		}
	}
	err := s.AddStep(a.ID, stepEvent(101))
	if !errors.Is(err, ErrBacklog) || !strings.Contains(err.Error(), "stop it") {
		t.Fatalf("step 101 past the bound = %v, want ErrBacklog that says to stop the run", err)
	}
	t.Logf("refused: %v", err)
	if err := s.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.AddStep(a.ID, stepEvent(102)); !errors.Is(err, ErrBacklog) {
		t.Errorf("a refused run took a later step (%v): its steps on disk would have a gap", err)
	}
	if err := s.AddStep(b.ID, stepEvent(1)); err != nil {
		t.Errorf("another run was refused once the backlog was written: %v", err)
	}
	if steps, _ := s.Steps(ctx, a.ID, 0, 0); len(steps) != 100 {
		t.Errorf("%d steps on disk, want the 100 accepted", len(steps))
	}
	if _, err := s.Resume(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.AddStep(a.ID, stepEvent(1)); err != nil {
		t.Errorf("a resumed run is still refused: %v", err)
	}
}

// TestDiskFull fills the file with PRAGMA max_page_count, which makes SQLite
// fail exactly as on a full disk (SQLITE_FULL). A real full file system would
// need a small mount, which needs root; the error path is the same.
func TestDiskFull(t *testing.T) {
	o := defaultOptions()
	o.flushEvery = slowFlush
	s := openDir(t, t.TempDir(), o)
	ctx := context.Background()
	run := newRun(t, s, Run{})
	if _, err := s.wdb.Exec("PRAGMA max_page_count = 1"); err != nil { // clamps to the current size
		t.Fatal(err)
	}
	for k := 1; k <= 5000; k++ {
		s.AddStep(run.ID, stepEvent(k))
	}
	err := s.Flush(ctx)
	if !errors.Is(err, ErrDiskFull) || !strings.Contains(err.Error(), "disk full") || !strings.Contains(err.Error(), "free some space") {
		t.Fatalf("Flush on a full disk = %v, want ErrDiskFull that says to free space", err)
	}
	t.Logf("refused: %v", err)
	if st := s.WriterStats(); !errors.Is(st.Err, ErrDiskFull) || st.Pending != 5000*stepSize {
		t.Errorf("stats on a full disk: err %v, %d bytes pending; want ErrDiskFull and every step kept", st.Err, st.Pending)
	}
	s.AddStep(run.ID, stepEvent(5001)) // arrives while the disk is full
	if _, err := s.wdb.Exec("PRAGMA max_page_count = 1000000"); err != nil {
		t.Fatal(err)
	}
	if err := s.Flush(ctx); err != nil {
		t.Fatalf("Flush once space is free: %v", err)
	}
	steps, _ := s.Steps(ctx, run.ID, 0, 0)
	if len(steps) != 5001 || steps[5000] != stepEvent(5001) {
		t.Errorf("%d steps after the disk had room again, want all 5001 in order", len(steps))
	}
}

// TestConcurrentRuns is for -race: four trainers, a reader and a flusher at once.
func TestConcurrentRuns(t *testing.T) {
	o := defaultOptions()
	o.flushEvery = 5 * time.Millisecond
	s := openDir(t, t.TempDir(), o)
	ctx := context.Background()
	var wg sync.WaitGroup
	var ids []int64
	for range 4 {
		run := newRun(t, s, Run{})
		ids = append(ids, run.ID)
		wg.Go(func() {
			for k := 1; k <= 2000; k++ {
				if err := s.AddStep(run.ID, stepEvent(k)); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Go(func() {
		for range 20 {
			if _, err := s.Summaries(ctx); err != nil {
				t.Error(err)
			}
		}
	})
	wg.Wait()
	if err := s.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if r, _ := s.GetRun(ctx, id); r.Steps != 2000 {
			t.Errorf("run %d has %d steps, want 2000", id, r.Steps)
		}
	}
}
