package store

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"descent/mnist"
)

// pathCrashEnv tells the test binary to act as the child that records a
// path until it is killed.
const pathCrashEnv = "DESCENT_STORE_PATH_CRASH_DIR"

// TestPathCrashSafety records a path in a child process, kills it with
// SIGKILL while points are being committed and thinned, and checks what a
// restart finds, twice (the second child going on from the first one's
// path): the file passes integrity_check, every point the child saw
// committed is there (the last kept step up to it, or a later one), the points follow the path's rule for
// the stored interval, and they fit the budget.
func TestPathCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	dir := t.TempDir()
	ctx := context.Background()
	committed := 0
	for round := 1; round <= 2; round++ {
		committed = killPathChild(t, dir, committed+600)
		s := reopen(t, dir, round)
		p, err := s.Path(ctx, 1)
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		snaps := p.Snapshots()
		if last := snaps[len(snaps)-1].Step; last <= committed-p.Every() {
			t.Errorf("round %d: the path ends at step %d, more than %d steps before the %d committed",
				round, last, p.Every(), committed)
		}
		for _, x := range snaps {
			if !mnist.Keeps(x.Step, p.Every(), p.Early()) {
				t.Errorf("round %d: step %d is stored but interval %d drops it", round, x.Step, p.Every())
			}
		}
		if info, _ := s.PathInfo(ctx, 1); info.Bytes > info.Budget {
			t.Errorf("round %d: %d bytes on disk, over the budget of %d", round, info.Bytes, info.Budget)
		}
		t.Logf("round %d: after kill -9, %d points every %d steps, child reported step %d", round, len(snaps), p.Every(), committed)
		s.Close()
	}
}

// killPathChild starts the child, waits until it reports step `steps`
// committed, lets it run a little, kills it, and returns the last step it
// reported.
func killPathChild(t *testing.T, dir string, steps int) int {
	t.Helper()
	return killChild(t, "TestPathCrashChild", pathCrashEnv, dir, "committed step ", steps, 9*time.Millisecond)
}

// TestPathCrashChild is the child of TestPathCrashSafety and does nothing
// in a normal test run. It goes on with run 1's path (or starts it) and
// records points until it is killed, printing every 50th step once Flush has
// committed it.
func TestPathCrashChild(t *testing.T) {
	dir := os.Getenv(pathCrashEnv)
	if dir == "" {
		t.Skip("only run by TestPathCrashSafety")
	}
	o := defaultOptions()
	o.flushEvery = 5 * time.Millisecond
	s, err := open(context.Background(), dir, o)
	if err == nil {
		err = pathCrashChild(s)
	}
	fmt.Fprintln(os.Stderr, "child:", err)
	os.Exit(2)
}

func pathCrashChild(s *Store) error {
	ctx := context.Background()
	p, err := s.Path(ctx, 1)
	if err != nil {
		r, err := s.CreateRun(ctx, Run{Config: testConfig(), Status: StatusRunning})
		if err != nil {
			return err
		}
		theta0 := make([]float32, pathTestArch.NumParams())
		if p, err = mnist.NewPath(pathTestArch, theta0, pathBudget); err != nil {
			return err
		}
		if err := s.AddPathStart(r.ID, p); err != nil {
			return err
		}
	}
	snaps := p.Snapshots()
	theta, from := p.Origin(), 1
	if len(snaps) > 0 {
		theta, from = snaps[len(snaps)-1].Weights(pathTestArch, p.Origin()), snaps[len(snaps)-1].Step+1
	}
	for k := from; ; k++ {
		theta[k%len(theta)] += 0.01
		if snap := p.Add(k, theta); snap != nil {
			if err := s.AddPathPoint(1, snap, p.Every()); err != nil {
				return err
			}
		}
		time.Sleep(20 * time.Microsecond)
		if k%50 == 0 {
			if err := s.Flush(ctx); err != nil {
				return err
			}
			fmt.Printf("committed step %d\n", k)
		}
	}
}
