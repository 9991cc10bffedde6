package store

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"descent/mnist"
)

// crashDirEnv tells the test binary to act as the child that gets killed.
const crashDirEnv = "DESCENT_STORE_CRASH_DIR"

// TestCrashSafety trains (in fake) in a child process, kills it with SIGKILL in
// the middle of an epoch, and checks what a restart finds: the lock is free,
// the file passes integrity_check, every epoch that the child saw committed is
// there with its checkpoint, the steps are a gap-free prefix, and the run is
// marked interrupted and resumes from its last checkpoint. Three rounds, each
// child resuming where the last one died.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	dir := t.TempDir()
	committed := 0
	for round := 1; round <= 3; round++ {
		committed = killChildAfter(t, dir, committed+4)
		s := reopen(t, dir, round)
		checkSurvivors(t, s, committed)
		s.Close()
	}
}

// killChildAfter starts the child, waits until it reports epoch `epochs`
// committed, lets it run a few milliseconds into the next epoch, kills it and
// returns the last epoch it reported.
func killChildAfter(t *testing.T, dir string, epochs int) int {
	t.Helper()
	return killChild(t, "TestCrashChild", crashDirEnv, dir, "committed epoch ", epochs, 7*time.Millisecond)
}

// killChild runs test child of this binary with env set to dir, reads the
// numbers it prints after prefix until one reaches want, waits pause (the
// child mid-way through its work, a commit likely under way), kills it with
// SIGKILL and returns the last number it printed.
func killChild(t *testing.T, child, env, dir, prefix string, want int, pause time.Duration) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+child+"$")
	cmd.Env = append(os.Environ(), env+"="+dir)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	last := 0
	lines := bufio.NewScanner(out)
	for last < want && lines.Scan() {
		if n, ok := strings.CutPrefix(lines.Text(), prefix); ok {
			last, _ = strconv.Atoi(n)
		}
	}
	time.Sleep(pause)
	cmd.Process.Kill()
	cmd.Wait()
	if last < want {
		t.Fatalf("%s stopped after %s%d, before %d", child, prefix, last, want)
	}
	return last
}

// reopen opens the store in dir after a child was killed and checks its
// integrity.
func reopen(t *testing.T, dir string, round int) *Store {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, dir)
	if err != nil {
		t.Fatalf("round %d: reopening after kill -9: %v", round, err)
	}
	if err := s.IntegrityCheck(ctx); err != nil {
		t.Errorf("round %d: %v", round, err)
	}
	return s
}

func checkSurvivors(t *testing.T, s *Store, committed int) {
	t.Helper()
	ctx := context.Background()
	runs, _ := s.ListRuns(ctx)
	if len(runs) != 1 {
		t.Fatalf("%d runs after the crash, want 1", len(runs))
	}
	id := runs[0].ID
	epochs, _ := s.Epochs(ctx, id)
	if len(epochs) < committed {
		t.Fatalf("%d epochs survived, want at least the %d committed", len(epochs), committed)
	}
	for i, e := range epochs {
		if e != epochEvent(i+1) {
			t.Fatalf("epoch %d reads %+v, want %+v", i+1, e, epochEvent(i+1))
		}
		if _, err := s.CheckpointAt(ctx, id, i+1); err != nil {
			t.Errorf("epoch %d has no checkpoint: %v", i+1, err)
		}
	}
	steps, _ := s.Steps(ctx, id, 0, 0)
	if len(steps) < 100*committed {
		t.Errorf("%d steps survived, want at least %d", len(steps), 100*committed)
	}
	for i, st := range steps {
		if st.Step != i+1 {
			t.Fatalf("steps have a gap: row %d is step %d", i, st.Step)
		}
	}
	if n, err := s.MarkInterrupted(ctx); n != 1 || err != nil {
		t.Errorf("MarkInterrupted = %d, %v; want the running run", n, err)
	}
	t.Logf("after kill -9: %d epochs, %d steps; child reported %d epochs", len(epochs), len(steps), committed)
}

// TestCrashChild is the child of TestCrashSafety, and does nothing in a normal
// test run. It resumes the store's one run (or starts it) and writes epochs of
// 100 steps with full-size checkpoints until it is killed, printing each epoch
// once Flush has committed it.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv(crashDirEnv)
	if dir == "" {
		t.Skip("only run by TestCrashSafety")
	}
	o := defaultOptions()
	o.flushEvery = 10 * time.Millisecond // many commits, so that the kill lands in one
	s, err := open(context.Background(), dir, o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(2)
	}
	if err := crashChild(s); err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(2)
	}
}

func crashChild(s *Store) error {
	ctx := context.Background()
	runs, err := s.ListRuns(ctx)
	if err != nil {
		return err
	}
	var id int64
	if len(runs) == 0 {
		r, err := s.CreateRun(ctx, Run{Config: mnist.DefaultConfig(), Status: StatusRunning})
		if err != nil {
			return err
		}
		id = r.ID
	} else {
		id = runs[0].ID
	}
	ck, err := s.Resume(ctx, id)
	if err != nil {
		return err
	}
	start := 1
	if ck != nil {
		start = ck.Epoch + 1
	}
	model := defaultModelBytes()
	for e := start; ; e++ {
		for k := 100*(e-1) + 1; k <= 100*e; k++ {
			if err := s.AddStep(id, stepEvent(k)); err != nil {
				return err
			}
			time.Sleep(50 * time.Microsecond)
		}
		ck := &Checkpoint{Model: model, Optimizer: model[:1000], State: []byte("rng")}
		if err := s.AddEpoch(id, epochEvent(e), ck); err != nil {
			return err
		}
		if err := s.Flush(ctx); err != nil {
			return err
		}
		fmt.Printf("committed epoch %d\n", e)
	}
}

// defaultModelBytes is a checkpoint the size of the report's network, 318 KB.
func defaultModelBytes() []byte {
	a := mnist.DefaultArch()
	b, err := ModelBytes(&mnist.Model{Arch: a, Params: make([]float32, a.NumParams())})
	if err != nil {
		panic(err)
	}
	return b
}
