package runs

import (
	"context"
	"slices"
	"testing"
	"time"

	"descent/mnist"
	"descent/server/store"
)

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func keptSteps(p *mnist.Path) []int {
	var out []int
	for _, s := range p.Snapshots() {
		out = append(out, s.Step)
	}
	return out
}

// TestLivePathIsRecordedAndStored: a run records its path while it trains
// (θ₀ its initial weights, the kept steps by the path's rule), within the
// budget; once it ends its Course gives its final weights, and the path
// that serves then is the store's, with the same points.
func TestLivePathIsRecordedAndStored(t *testing.T) {
	st := openStore(t)
	m := newManager(t, st)
	made, err := m.Create([]mnist.Config{smallConfig(3, 0.1)}, []string{"p"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	r := made[0]
	var during []int
	deadline := time.Now().Add(20 * time.Second)
	for !r.Finished() && time.Now().Before(deadline) {
		if p := r.path.p.Load(); p != nil && len(during) == 0 && len(p.Snapshots()) > 3 {
			during = keptSteps(p)
			if !slices.Equal(p.Origin(), r.trainer.InitialWeights()) || p.Size() > p.Budget() {
				t.Errorf("live path: θ₀ is not the initial weights, or %d bytes over a budget of %d", p.Size(), p.Budget())
			}
		}
		time.Sleep(time.Millisecond)
	}
	waitDone(t, r)
	if len(during) == 0 {
		t.Fatal("no path while the run trained")
	}
	for _, s := range during {
		if !mnist.Keeps(s, 1, 1<<16) {
			t.Fatalf("step %d kept", s)
		}
	}
	c, err := r.Course(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if r.path.p.Load() != nil || c.Path == nil {
		t.Fatal("the run that ended still holds its path in memory, or serves none")
	}
	total := r.trainer.TotalSteps()
	if c.Step != total || !slices.Equal(c.Model.Params, r.trainer.Snapshot().Params) {
		t.Errorf("course at step %d, want the final weights at step %d", c.Step, total)
	}
	got := keptSteps(c.Path)
	if len(got) < 4 || got[len(got)-1] > total || !slices.Equal(c.Path.Origin(), r.trainer.InitialWeights()) {
		t.Errorf("stored path: steps %v (run of %d steps)", got, total)
	}
	info, err := st.PathInfo(context.Background(), r.storeID)
	if err != nil || info.Points != len(got) || info.Bytes > info.Budget {
		t.Errorf("store's path: %+v (%v), want %d points within the budget", info, err, len(got))
	}
}

// TestCourseWhileTraining: a training run's course is its weights after a
// step it has just taken, already off its initial weights; without a
// store its path stays in memory after it ends.
func TestCourseWhileTraining(t *testing.T) {
	m := newManager(t, nil)
	cfg := smallConfig(200, 0.1)
	made, err := m.Create([]mnist.Config{cfg}, []string{"c"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	r := made[0]
	for r.trainer.Progress() < 10 {
		time.Sleep(time.Millisecond)
	}
	c, err := r.Course(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if c.Step < 10 || c.Step > r.trainer.Progress() || c.Path == nil || slices.Equal(c.Model.Params, c.Path.Origin()) {
		t.Errorf("course at step %d (progress %d), path %v", c.Step, r.trainer.Progress(), c.Path != nil)
	}
	if err := r.Pause(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(20 * time.Millisecond)
	c, err = r.Course(context.Background())
	if err != nil || c.Model == nil || c.Step > r.trainer.Progress() {
		t.Errorf("a paused run's course: step %d, %v", c.Step, err)
	}
	if err := r.Stop(); err != nil {
		t.Fatal(err)
	}
	waitDone(t, r)
	if c, err := r.Course(context.Background()); err != nil || c.Path == nil || c.Step != r.trainer.Progress() {
		t.Errorf("after the end without a store: path %v, step %d of %d (%v)", c.Path != nil, c.Step, r.trainer.Progress(), err)
	}
}

// TestRestartGoesOnWithThePath: a run stopped after its first epoch and
// restarted keeps the points before its checkpoint and records the rest;
// read back as a stored run after a new manager, its course is the final
// weights with that path.
func TestRestartGoesOnWithThePath(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	m := newManager(t, st)
	m.AfterEpoch = func(r *Live, epoch int) {
		if epoch == 1 && r.Info().Label == "first" {
			_ = r.Stop()
		}
	}
	made, err := m.Create([]mnist.Config{smallConfig(3, 0.1)}, []string{"first"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	waitDone(t, made[0])
	perEpoch := made[0].trainer.StepsPerEpoch()
	before, err := made[0].Course(ctx)
	if err != nil || before.Path == nil {
		t.Fatalf("no path after the stop: %v", err)
	}
	if err := m.Rename(made[0].ID(), "second"); err != nil {
		t.Fatal(err)
	}
	if err := m.Restart(made[0].ID()); err != nil {
		t.Fatal(err)
	}
	r, _ := m.Live(made[0].ID())
	waitDone(t, r)
	after, err := r.Course(ctx)
	if err != nil || after.Path == nil {
		t.Fatalf("no path after the restart: %v", err)
	}
	got := keptSteps(after.Path)
	if got[len(got)-1] <= perEpoch || !slices.Equal(after.Path.Origin(), before.Path.Origin()) {
		t.Errorf("restarted path: steps %v, want points after step %d from the same θ₀", got, perEpoch)
	}
	kept := 0
	for _, s := range keptSteps(before.Path) {
		if s <= perEpoch && slices.Contains(got, s) {
			kept++
		}
	}
	if kept == 0 {
		t.Errorf("restarted path %v lost every point up to the checkpoint at step %d", got, perEpoch)
	}
	m.Close()
	m2 := newManager(t, st)
	if err := m2.Restore(ctx); err != nil {
		t.Fatal(err)
	}
	sr, err := m2.Get(r.ID())
	if err != nil {
		t.Fatal(err)
	}
	c, err := sr.Course(ctx)
	if err != nil || c.Path == nil || c.Step != after.Step || !slices.Equal(c.Model.Params, after.Model.Params) {
		t.Errorf("stored course: step %d (want %d), path %v, %v", c.Step, after.Step, c.Path != nil, err)
	}
}
