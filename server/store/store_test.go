package store

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"

	"descent/mnist"
	"descent/server/steps"
)

// openTest opens a store in a fresh folder, closed when the test ends.
func openTest(t *testing.T) (*Store, string) {
	t.Helper()
	dir := t.TempDir()
	return openDir(t, dir, defaultOptions()), dir
}

func openDir(t *testing.T, dir string, o options) *Store {
	t.Helper()
	s, err := open(context.Background(), dir, o)
	if err != nil {
		t.Fatalf("open %s: %v", dir, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func testConfig() mnist.Config {
	c := mnist.DefaultConfig()
	c.Arch = mnist.Arch{Hidden: []int{3}, Activation: mnist.Sigmoid}
	c.Epochs = 3
	return c
}

func newRun(t *testing.T, s *Store, r Run) Run {
	t.Helper()
	if r.Config.Batch == 0 {
		r.Config = testConfig()
	}
	r, err := s.CreateRun(context.Background(), r)
	if err != nil {
		t.Fatalf("CreateRun: %v", err)
	}
	return r
}

// stepEvent makes step k of an epoch of 100 steps with metrics derived from k.
func stepEvent(k int) mnist.StepEvent {
	return mnist.StepEvent{
		Epoch: (k-1)/100 + 1, Step: k, Batch: (k-1)%100 + 1, StepsPerEpoch: 100,
		Loss: 2.3 / float64(k), GradNorm: float64(k), UpdateRatio: 1e-3, LR: 0.1, SamplesPerSec: 5000,
	}
}

func epochEvent(epoch int) mnist.EpochEvent {
	e := mnist.EpochEvent{Epoch: epoch, Step: 100 * epoch, TrainLoss: 1.0 / float64(epoch),
		TestLoss: 1.1 / float64(epoch), TestAccuracy: 0.8 + 0.05*float64(epoch), Seconds: 1.5}
	for i := range 10 {
		e.Confusion[i][i] = 900 + epoch
		e.Confusion[i][(i+1)%10] = i
	}
	return e
}

func testModel(t *testing.T, fill float32) []byte {
	t.Helper()
	a := mnist.Arch{Hidden: []int{3}, Activation: mnist.Sigmoid}
	m := &mnist.Model{Arch: a, Params: make([]float32, a.NumParams())}
	for i := range m.Params {
		m.Params[i] = fill
	}
	b, err := ModelBytes(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func testCheckpoint(t *testing.T, epoch int) *Checkpoint {
	return &Checkpoint{Model: testModel(t, float32(epoch)), Optimizer: []byte{1, 2, byte(epoch)}, State: []byte("rng")}
}

// addEpochs adds epochs 1…n of 100 steps each, with checkpoints, and flushes.
func addEpochs(t *testing.T, s *Store, run int64, n int) {
	t.Helper()
	for e := 1; e <= n; e++ {
		for k := 100*(e-1) + 1; k <= 100*e; k++ {
			if err := s.AddStep(run, stepEvent(k)); err != nil {
				t.Fatalf("AddStep %d: %v", k, err)
			}
		}
		if err := s.AddEpoch(run, epochEvent(e), testCheckpoint(t, e)); err != nil {
			t.Fatalf("AddEpoch %d: %v", e, err)
		}
	}
	if err := s.Flush(context.Background()); err != nil {
		t.Fatalf("Flush: %v", err)
	}
}

func sameFloat(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }

func TestRunRoundTrip(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	cfg := testConfig()
	cfg.Optimizer, cfg.LR, cfg.Hyper = "adam", 1e-3, map[string]float64{"beta1": 0.9}
	made := newRun(t, s, Run{Config: cfg})
	if made.ID == 0 || made.Name != "adam α=0.001 batch 64" || made.Kind != KindTrain || made.Status != StatusQueued {
		t.Fatalf("CreateRun = %+v, want an id, a name from the config, kind train, status queued", made)
	}
	got, err := s.GetRun(ctx, made.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Config.Optimizer != "adam" || got.Config.Hyper["beta1"] != 0.9 || got.Config.Arch.Hidden[0] != 3 {
		t.Errorf("config read back as %+v, want %+v", got.Config, cfg)
	}
	if !got.Created.Equal(made.Created) || !math.IsNaN(got.BestAccuracy) || got.Steps != 0 {
		t.Errorf("GetRun = %+v, want created %v, no accuracy, no steps", got, made.Created)
	}
	if err := s.UpdateStatus(ctx, made.ID, StatusRunning, "epoch 1"); err != nil {
		t.Fatal(err)
	}
	if err := s.Rename(ctx, made.ID, "first try"); err != nil {
		t.Fatal(err)
	}
	got, _ = s.GetRun(ctx, made.ID)
	if got.Name != "first try" || got.Status != StatusRunning || got.StatusText != "epoch 1" {
		t.Errorf("after UpdateStatus and Rename: %q %q %q", got.Name, got.Status, got.StatusText)
	}
	if err := s.UpdateStatus(ctx, made.ID, "bogus", ""); err == nil {
		t.Error("UpdateStatus accepted an unknown status")
	}
	if err := s.Rename(ctx, 999, "x"); !isNotFound(err) {
		t.Errorf("Rename(999) = %v, want ErrNotFound", err)
	}
	if _, err := s.GetRun(ctx, 999); !isNotFound(err) {
		t.Errorf("GetRun(999) = %v, want ErrNotFound", err)
	}
}

func TestMetricsRoundTrip(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	run := newRun(t, s, Run{})
	addEpochs(t, s, run.ID, 2)
	// a diverged step: NaN is stored as NULL and must come back as NaN
	bad := stepEvent(201)
	bad.Loss, bad.GradNorm = math.NaN(), math.Inf(1)
	if err := s.AddStep(run.ID, bad); err != nil {
		t.Fatal(err)
	}
	if err := s.Finish(ctx, run.ID, mnist.Result{Status: mnist.StatusDiverged, DivergedAt: 201, Epochs: 2, Steps: 201}); err != nil {
		t.Fatal(err)
	}

	steps, err := s.Steps(ctx, run.ID, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) != 201 {
		t.Fatalf("Steps returned %d steps, want 201", len(steps))
	}
	for i, got := range steps[:200] {
		if want := stepEvent(i + 1); got != want {
			t.Fatalf("step %d = %+v, want %+v", i+1, got, want)
		}
	}
	if last := steps[200]; !math.IsNaN(last.Loss) || !math.IsInf(last.GradNorm, 1) {
		t.Errorf("diverged step read back with loss %g, grad norm %g; want NaN, +Inf", last.Loss, last.GradNorm)
	}
	page, _ := s.Steps(ctx, run.ID, 150, 10)
	if len(page) != 10 || page[0].Step != 150 || page[9].Step != 159 {
		t.Errorf("Steps(from 150, limit 10) = %d steps from %d", len(page), page[0].Step)
	}

	epochs, err := s.Epochs(ctx, run.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(epochs) != 2 || epochs[0] != epochEvent(1) || epochs[1] != epochEvent(2) {
		t.Errorf("Epochs = %+v, want epochs 1 and 2 as written", epochs)
	}
	got, _ := s.GetRun(ctx, run.ID)
	if got.Status != StatusDiverged || got.StatusText != "diverged at step 201" || got.Steps != 201 ||
		got.EpochsDone != 2 || got.StepsPerEpoch != 100 || !sameFloat(got.BestAccuracy, epochEvent(2).TestAccuracy) {
		t.Errorf("run after Finish = %+v", got)
	}
}

// TestStepColumns thins a stored run by the rule that live runs follow
// (package steps): the same groups, means and extremes as steps.Thin on the
// same steps, the spike kept as a group's highest, the NaN last step kept.
func TestStepColumns(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	run := newRun(t, s, Run{})
	const n = 10000
	var live steps.Columns
	for k := 1; k <= n; k++ {
		e := stepEvent(k)
		if k == 4321 {
			e.Loss = 50 // a spike that any averaging would hide
		}
		if k == n {
			e.Loss = math.NaN()
		}
		s.AddStep(run.ID, e)
		live.Add(k, point(e))
	}
	if err := s.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := s.StepColumns(ctx, run.ID, 200)
	if err != nil {
		t.Fatal(err)
	}
	want := live.Thin(200)
	if got.Len() != want.Len() || got.Len() > 200 {
		t.Fatalf("StepColumns(200) returned %d points, steps.Thin %d", got.Len(), want.Len())
	}
	near := func(a, b float32) bool {
		return a == b || math.Abs(float64(a-b)) <= 1e-6*math.Abs(float64(b)) || (a != a && b != b)
	}
	for i := range got.Len() {
		if got.Step[i] != want.Step[i] || !near(got.Loss[i], want.Loss[i]) || !near(got.LossMin[i], want.LossMin[i]) ||
			!near(got.LossMax[i], want.LossMax[i]) || !near(got.GradNorm[i], want.GradNorm[i]) || got.LR[i] != want.LR[i] {
			t.Fatalf("point %d: step %d loss %g [%g, %g] ‖∇J‖ %g; the rule gives step %d loss %g [%g, %g] ‖∇J‖ %g", i,
				got.Step[i], got.Loss[i], got.LossMin[i], got.LossMax[i], got.GradNorm[i],
				want.Step[i], want.Loss[i], want.LossMin[i], want.LossMax[i], want.GradNorm[i])
		}
	}
	last := got.Len() - 1
	if got.Step[last] != n || !math.IsNaN(float64(got.Loss[last])) || slices.Max(got.LossMax[:last]) != 50 {
		t.Errorf("the curve lost its NaN last step or the spike at 4321")
	}
	all, _ := s.StepColumns(ctx, run.ID, 0)
	if all.Len() != n || all.LossMin != nil || all.Loss[9] != float32(2.3/10.0) {
		t.Errorf("StepColumns(0) of %d steps = %d points, want every step whole", n, all.Len())
	}
}

func TestCheckpoints(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	run := newRun(t, s, Run{})
	if _, err := s.LatestCheckpoint(ctx, run.ID); !isNotFound(err) {
		t.Fatalf("LatestCheckpoint of a new run = %v, want ErrNotFound", err)
	}
	addEpochs(t, s, run.ID, 3)
	ck, err := s.LatestCheckpoint(ctx, run.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := testCheckpoint(t, 3)
	if ck.Epoch != 3 || ck.Step != 300 || string(ck.Model) != string(want.Model) ||
		string(ck.Optimizer) != string(want.Optimizer) || string(ck.State) != "rng" || ck.Created.IsZero() {
		t.Errorf("LatestCheckpoint = epoch %d step %d, %d model bytes, optimizer %v", ck.Epoch, ck.Step, len(ck.Model), ck.Optimizer)
	}
	m, err := s.Model(ctx, run.ID, 2)
	if err != nil {
		t.Fatal(err)
	}
	if m.Params[0] != 2 || m.Arch.Hidden[0] != 3 {
		t.Errorf("Model(epoch 2) has params[0] = %g, arch %v; want 2, 784-3-10", m.Params[0], m.Arch)
	}
	if m, _ := s.Model(ctx, run.ID, 0); m == nil || m.Params[0] != 3 {
		t.Errorf("Model(latest) is not epoch 3's")
	}
	if err := s.PruneCheckpoints(ctx, run.ID, 1); err != nil {
		t.Fatal(err)
	}
	list, _ := s.Checkpoints(ctx, run.ID)
	if len(list) != 1 || list[0].Epoch != 3 || list[0].ModelBytes != len(want.Model) || list[0].OptimizerBytes != 3 {
		t.Errorf("after PruneCheckpoints(1): %+v", list)
	}
	direct := Checkpoint{RunID: run.ID, Epoch: 7, Step: 700, Model: testModel(t, 7)}
	if err := s.SaveCheckpoint(ctx, direct); err != nil {
		t.Fatal(err)
	}
	if ck, _ := s.CheckpointAt(ctx, run.ID, 7); ck == nil || ck.Step != 700 || ck.Optimizer != nil {
		t.Errorf("CheckpointAt(7) = %+v", ck)
	}
	if err := s.SaveCheckpoint(ctx, Checkpoint{RunID: 999, Model: []byte{1}}); !isNotFound(err) {
		t.Errorf("SaveCheckpoint for a missing run = %v, want ErrNotFound", err)
	}
}

func TestSweeps(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	sw, err := s.CreateSweep(ctx, Sweep{Name: "lr sweep", Kind: SweepLR, Config: []byte(`{"lr":[0.01,0.1,1]}`)})
	if err != nil {
		t.Fatal(err)
	}
	alone := newRun(t, s, Run{})
	var members []int64
	for range 3 {
		r := newRun(t, s, Run{Kind: KindSweepMember, SweepID: sw.ID})
		members = append(members, r.ID)
		addEpochs(t, s, r.ID, 1)
	}
	list, err := s.ListSweeps(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Name != "lr sweep" || list[0].Kind != SweepLR ||
		string(list[0].Config) != `{"lr":[0.01,0.1,1]}` || len(list[0].RunIDs) != 3 || list[0].RunIDs[2] != members[2] {
		t.Fatalf("ListSweeps = %+v", list)
	}
	runs, _ := s.ListRuns(ctx)
	if len(runs) != 4 || runs[0].ID != alone.ID || runs[0].SweepID != 0 || runs[1].SweepID != sw.ID {
		t.Errorf("ListRuns does not show the grouping: %+v", runs)
	}
	if err := s.RenameSweep(ctx, sw.ID, "α grid"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateSweep(ctx, Sweep{Kind: "colour"}); err == nil {
		t.Error("CreateSweep accepted kind colour")
	}
	if _, err := s.CreateRun(ctx, Run{Config: testConfig(), SweepID: 999}); !isNotFound(err) {
		t.Errorf("CreateRun in a missing sweep = %v, want ErrNotFound", err)
	}
	if err := s.DeleteSweep(ctx, sw.ID); err != nil {
		t.Fatal(err)
	}
	runs, _ = s.ListRuns(ctx)
	if len(runs) != 1 || runs[0].ID != alone.ID {
		t.Errorf("after DeleteSweep, runs = %+v, want only the lone run", runs)
	}
	assertEmpty(t, s, members[0])
}

func TestDeleteCascades(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	run := newRun(t, s, Run{})
	keep := newRun(t, s, Run{})
	addEpochs(t, s, run.ID, 2)
	addEpochs(t, s, keep.ID, 1)
	s.AddStep(run.ID, stepEvent(201)) // still waiting when the run goes
	if err := s.Delete(ctx, run.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.Flush(ctx); err != nil {
		t.Fatalf("Flush after Delete: %v", err)
	}
	assertEmpty(t, s, run.ID)
	if steps, _ := s.Steps(ctx, keep.ID, 0, 0); len(steps) != 100 {
		t.Errorf("the other run has %d steps after Delete, want 100", len(steps))
	}
	if err := s.Delete(ctx, run.ID); !isNotFound(err) {
		t.Errorf("second Delete = %v, want ErrNotFound", err)
	}
	if err := s.IntegrityCheck(ctx); err != nil {
		t.Error(err)
	}
}

// assertEmpty checks that nothing of run is left in any table.
func assertEmpty(t *testing.T, s *Store, run int64) {
	t.Helper()
	for _, table := range []string{"steps", "epochs", "checkpoints"} {
		var n int
		s.rdb.QueryRow("SELECT count(*) FROM "+table+" WHERE run_id = ?", run).Scan(&n)
		if n != 0 {
			t.Errorf("%d rows of deleted run %d left in %s", n, run, table)
		}
	}
}

func TestMarkInterruptedAndResume(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	status := map[string]int64{}
	for _, st := range []string{StatusQueued, StatusRunning, StatusPaused, StatusDone, StatusStopped} {
		status[st] = newRun(t, s, Run{Status: st}).ID
	}
	running := status[StatusRunning]
	addEpochs(t, s, running, 2)
	for k := 201; k <= 250; k++ { // half of epoch 3, then the process dies
		s.AddStep(running, stepEvent(k))
	}
	s.Flush(ctx)

	n, err := s.MarkInterrupted(ctx)
	if err != nil || n != 3 {
		t.Fatalf("MarkInterrupted = %d, %v; want 3 runs", n, err)
	}
	for st, id := range status {
		r, _ := s.GetRun(ctx, id)
		want := st
		if st == StatusQueued || st == StatusRunning || st == StatusPaused {
			want = StatusInterrupted
		}
		if r.Status != want {
			t.Errorf("a %s run became %s, want %s", st, r.Status, want)
		}
	}
	if r, _ := s.GetRun(ctx, running); r.StatusText != "interrupted in epoch 3 (was running)" {
		t.Errorf("status text = %q", r.StatusText)
	}

	ck, err := s.Resume(ctx, running)
	if err != nil {
		t.Fatal(err)
	}
	if ck == nil || ck.Epoch != 2 || ck.Step != 200 {
		t.Fatalf("Resume returned %+v, want epoch 2's checkpoint", ck)
	}
	r, _ := s.GetRun(ctx, running)
	steps, _ := s.Steps(ctx, running, 0, 0)
	if r.Status != StatusRunning || r.Steps != 200 || r.EpochsDone != 2 || len(steps) != 200 {
		t.Errorf("after Resume: status %s, steps %d (%d rows), epochs %d; want running, 200, 2", r.Status, r.Steps, len(steps), r.EpochsDone)
	}
	ck, err = s.Resume(ctx, status[StatusQueued])
	if err != nil || ck != nil {
		t.Errorf("Resume of a run without checkpoint = %v, %v; want nil, nil", ck, err)
	}
}

func TestSummaries(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	run := newRun(t, s, Run{Name: "report"})
	addEpochs(t, s, run.ID, 2)
	sums, err := s.Summaries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := Summary{ID: run.ID, Name: "report", Status: StatusQueued, Optimizer: "sgd", LR: 0.1, Batch: 64,
		EpochsDone: 2, Epochs: 3, BestAccuracy: epochEvent(2).TestAccuracy, Created: run.Created}
	if len(sums) != 1 || sums[0] != want {
		t.Errorf("Summaries = %+v, want %+v", sums, want)
	}
}

func TestDefaultDir(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", "/xdg")
	if d, err := DefaultDir(); err != nil || d != "/xdg/descent" {
		t.Errorf("DefaultDir with XDG_DATA_HOME=/xdg = %q, %v", d, err)
	}
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("HOME", "/home/ada")
	if d, _ := DefaultDir(); d != "/home/ada/.local/share/descent" && d != "/home/ada/Library/Application Support/descent" {
		t.Errorf("DefaultDir = %q", d)
	}
}

func isNotFound(err error) bool { return errors.Is(err, ErrNotFound) }
