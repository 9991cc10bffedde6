package runs

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"descent/mnist"
	"descent/server/internal/fake"
	"descent/server/protocol"
	"descent/server/store"
)

func smallConfig(epochs int, lr float64) mnist.Config {
	c := mnist.DefaultConfig()
	c.Arch.Hidden, c.Batch, c.Epochs, c.LR = []int{8}, 16, epochs, lr
	return c
}

func newManager(t *testing.T, st *store.Store) *Manager {
	t.Helper()
	m := New(Config{Train: fake.Data(320, 1), Test: fake.Data(100, 2), Concurrent: 2, Logger: fake.Quiet(), Store: st})
	t.Cleanup(m.Close)
	return m
}

func waitDone(t *testing.T, rs ...Run) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for _, r := range rs {
		for !r.Finished() {
			if time.Now().After(deadline) {
				t.Fatalf("run %s did not finish", r.ID())
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
}

// frames collects what a subscription writes, decoded.
type frames []map[string]any

func (f *frames) write(b []byte) error {
	var ev map[string]any
	if err := json.Unmarshal(b, &ev); err != nil {
		return err
	}
	*f = append(*f, ev)
	return nil
}

// TestLiveSubscription follows a run from its start: the history comes
// first, then every step once and in order, and each epoch after the steps
// that reach it.
func TestLiveSubscription(t *testing.T) {
	m := newManager(t, nil)
	made, err := m.Create([]mnist.Config{smallConfig(3, 0.1)}, []string{"watched"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	r := made[0]
	sub, err := r.Subscribe(context.Background(), 7, 0, true)
	if err != nil {
		t.Fatal(err)
	}
	var got frames
	for !r.Finished() || r.feed.published().step < r.steps.Len() {
		if err := sub.Flush(got.write); err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(2 * publishPeriod)
	if err := sub.Flush(got.write); err != nil {
		t.Fatal(err)
	}
	if got[0]["type"] != protocol.EvHistory || got[0]["req"] != float64(7) {
		t.Fatalf("first frame %v, want the history answering req 7", got[0]["type"])
	}
	next, epochs := 1, 0
	for _, ev := range got {
		var stepsSeen []any
		switch ev["type"] {
		case protocol.EvHistory:
			stepsSeen = ev["steps"].(map[string]any)["step"].([]any)
			epochs += len(ev["epochs"].([]any))
		case protocol.EvSteps:
			stepsSeen = ev["step"].([]any)
		case protocol.EvEpoch:
			epochs++
			if s := int(ev["step"].(float64)); s >= next {
				t.Errorf("epoch %v came before its step %d", ev["epoch"], s)
			}
		}
		for _, s := range stepsSeen {
			if int(s.(float64)) != next {
				t.Fatalf("step %v after step %d", s, next-1)
			}
			next++
		}
	}
	if total := r.Info().Result.Steps; next-1 != total || epochs != 3 {
		t.Errorf("%d steps and %d epochs sent, want %d and 3", next-1, epochs, total)
	}
}

// TestStoredRunAfterRestore trains a run into a store, opens a new manager
// on it, and reads the run back as a Stored run: its info, its history
// with the samples' predictions on the last epoch, and its weights.
func TestStoredRunAfterRestore(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	st, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	m := newManager(t, st)
	made, err := m.Create([]mnist.Config{smallConfig(2, 0.1)}, []string{"kept"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	waitDone(t, made[0])
	want := made[0].Info()
	m.Close()
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	st, err = store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	m = newManager(t, st)
	if err := m.Restore(ctx); err != nil {
		t.Fatal(err)
	}
	r, err := m.Get(want.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := r.(*Stored); !ok {
		t.Fatalf("run %s after Restore is %T, want *Stored", want.ID, r)
	}
	if in := r.Info(); in.Label != "kept" || in.Status != protocol.StatusDone || in.Progress != want.Progress || in.StepsPerEpoch != want.StepsPerEpoch {
		t.Errorf("stored info %+v, want that of %+v", in, want)
	}
	sub, err := r.Subscribe(ctx, 3, 0, false)
	if err != nil {
		t.Fatal(err)
	}
	var got frames
	if err := sub.Flush(got.write); err != nil || len(got) != 1 {
		t.Fatalf("a stored run's subscription wrote %d frames (%v), want its history", len(got), err)
	}
	h := got[0]
	epochs := h["epochs"].([]any)
	last := epochs[len(epochs)-1].(map[string]any)["predictions"].([]any)
	if n := len(h["steps"].(map[string]any)["step"].([]any)); n != want.Progress || len(epochs) != 2 || len(last) != 10 {
		t.Errorf("history: %d steps, %d epochs, %d predictions; want %d, 2, 10", n, len(epochs), len(last), want.Progress)
	}
	if err := sub.Flush(got.write); err != nil || len(got) != 1 {
		t.Error("a stored run's subscription wrote again")
	}
	if snap, err := r.Snapshot(ctx); err != nil || snap.Model == nil || snap.Epoch != 2 {
		t.Errorf("stored snapshot: epoch %d, %v", snap.Epoch, err)
	}
	if _, err := m.Live(want.ID); err == nil {
		t.Error("a stored run answers as a live one")
	}
}

// TestAnswering picks the run that answers drawings: the finished one with
// the best test accuracy, not a diverged one.
func TestAnswering(t *testing.T) {
	m := newManager(t, nil)
	if _, err := m.Answering(""); err == nil {
		t.Fatal("no run, yet an answer")
	}
	made, err := m.Create([]mnist.Config{smallConfig(1, 0.001), smallConfig(1, 0.5), smallConfig(1, 900)}, make([]string, 3), 0)
	if err != nil {
		t.Fatal(err)
	}
	waitDone(t, made[0], made[1], made[2])
	best := made[0]
	for _, r := range made[1:] {
		if res := r.Info().Result; res.Status == protocol.StatusDone && res.TestAccuracy > best.Info().Result.TestAccuracy {
			best = r
		}
	}
	got, err := m.Answering("")
	if err != nil || got.ID() != best.ID() {
		t.Errorf("answering %v (%v), want %s", got, err, best.ID())
	}
}
