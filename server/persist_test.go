package server

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"descent/mnist"
	"descent/server/internal/fake"
	"descent/server/protocol"
	"descent/server/runs"
	"descent/server/store"
)

// storedServer is a server with a run store in dir, as descent serve runs
// it: open the store, New, Restore, serve.
type storedServer struct {
	s    *Server
	ts   *httptest.Server
	st   *store.Store
	once sync.Once
}

// Synthetic data shared by the store tests: the same images for every
// "process", as the MNIST files would be.
var (
	persistTrain = synthData(1600, 1)
	persistTest  = synthData(200, 2)
)

func startStored(t *testing.T, dir string, setup func(*Server)) *storedServer {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	s := New(Config{Train: persistTrain, Test: persistTest, Concurrent: 2, Page: testPage,
		Logger: fake.Quiet(), Store: st})
	if setup != nil {
		setup(s)
	}
	if err := s.Restore(ctx); err != nil {
		t.Fatal(err)
	}
	ss := &storedServer{s: s, ts: httptest.NewServer(s), st: st}
	t.Cleanup(ss.stop)
	return ss
}

// stop shuts the server down as descent serve does: runs first, then the
// store.
func (ss *storedServer) stop() {
	ss.once.Do(func() {
		ss.s.Close()
		ss.ts.Close()
		ss.st.Close()
	})
}

// storeID is the store's id of a run id such as "r3".
func storeID(t *testing.T, id string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(strings.TrimPrefix(id, "r"), 10, 64)
	if err != nil {
		t.Fatalf("run id %q: %v", id, err)
	}
	return n
}

// listed returns the run with id from a list answer.
func (c *client) listed(id string) map[string]any {
	c.t.Helper()
	c.send(map[string]any{"type": "list", "req": 77})
	ev := c.until("runs", func(ev event) bool { return ev["type"] == protocol.EvRuns && ev["req"] == float64(77) })
	for _, r := range ev["runs"].([]any) {
		if r := r.(map[string]any); r["id"] == id {
			return r
		}
	}
	c.t.Fatalf("run %s not listed in %v", id, ev["runs"])
	return nil
}

func TestPersistRunAndRestart(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	a := startStored(t, dir, nil)
	c := dial(t, a.ts)
	cfg := smallConfig(3)
	cfg["batch"] = 2 // 800 steps an epoch: the history must be down-sampled
	id := c.start(1, cfg)
	done := c.until("run done", statusOf(id, protocol.StatusDone))["run"].(map[string]any)
	if err := a.st.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	sid := storeID(t, id)
	run, err := a.st.GetRun(ctx, sid)
	if err != nil {
		t.Fatal(err)
	}
	steps, _ := a.st.Steps(ctx, sid, 0, 0)
	epochs, _ := a.st.Epochs(ctx, sid)
	cks, _ := a.st.Checkpoints(ctx, sid)
	if run.Status != store.StatusDone || run.Steps != 2400 || len(steps) != 2400 || len(epochs) != 3 || len(cks) != 3 {
		t.Fatalf("stored run: status %s, %d steps (%d rows), %d epochs, %d checkpoints; want done, 2400, 3, 3",
			run.Status, run.Steps, len(steps), len(epochs), len(cks))
	}
	a.stop()

	b := startStored(t, dir, nil)
	c = dial(t, b.ts)
	got := c.listed(id)
	if got["status"] != protocol.StatusDone || got["progress"] != float64(2400) || got["totalSteps"] != float64(2400) {
		t.Errorf("after a restart: %v, want done at 2400 of 2400 steps", got)
	}
	res, want := got["result"].(map[string]any), done["result"].(map[string]any)
	if res["testAccuracy"] != want["testAccuracy"] || res["testLoss"] != want["testLoss"] {
		t.Errorf("after a restart the result is %v, want %v", res, want)
	}
	c.send(map[string]any{"type": "subscribe", "req": 3, "run": id})
	h := c.until("history", isType(protocol.EvHistory))
	hs := h["steps"].(map[string]any)
	step, loss := hs["step"].([]any), hs["loss"].([]any)
	if n := len(step); n > protocol.HistoryPoints || n < protocol.HistoryPoints/2 || step[n-1] != float64(2400) || len(loss) != n {
		t.Errorf("history of %d points (last step %v, %d losses), want at most %d ending at 2400", n, step[n-1], len(loss), protocol.HistoryPoints)
	}
	he := h["epochs"].([]any)
	if len(he) != 3 || he[2].(map[string]any)["testAccuracy"] != res["testAccuracy"] ||
		len(he[2].(map[string]any)["predictions"].([]any)) != 10 || h["req"] != float64(3) {
		t.Errorf("history epochs %v, want 3 ending at accuracy %v with 10 predictions", he, res["testAccuracy"])
	}
	c.send(map[string]any{"type": "subscribe", "req": 4, "run": id, "from": 2000})
	h = c.until("history from 2000", isType(protocol.EvHistory))
	if s := h["steps"].(map[string]any)["step"].([]any); len(s) == 0 || s[0].(float64) <= 2000 {
		t.Errorf("history from step 2000 starts at %v", s[:min(len(s), 1)])
	}

	// Exports read a run of an earlier session from the store.
	for _, path := range []string{"/api/export/run/" + id + ".json", "/api/export/run/" + id + "/model.descent"} {
		rec := httptest.NewRecorder()
		b.s.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != 200 || rec.Body.Len() < 1000 {
			t.Errorf("GET %s after a restart: %d, %d bytes", path, rec.Code, rec.Body.Len())
		}
	}

	// The stored model answers drawings.
	c.send(predictCmd(5, id, 140, 140, bar()))
	if ev := c.answer(5); ev["type"] != protocol.EvPrediction || ev["epoch"] != float64(3) || len(ev["probs"].([]any)) != 10 {
		t.Errorf("predict with run %s after a restart: %v, want a prediction by epoch 3", id, ev)
	}
	c.send(predictCmd(6, "", 140, 140, bar()))
	if ev := c.answer(6); ev["type"] != protocol.EvPrediction || ev["run"] != id {
		t.Errorf("predict with the best run after a restart: %v, want run %s", ev, id)
	}
}

func TestPersistMarksInterrupted(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	st, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg := mnist.DefaultConfig()
	cfg.Arch.Hidden, cfg.Batch, cfg.Epochs = []int{16}, 16, 2
	run, err := st.CreateRun(ctx, store.Run{Name: "left running", Config: cfg, Status: store.StatusRunning})
	if err != nil {
		t.Fatal(err)
	}
	st.Close() // the process "dies" with the run alive

	s := startStored(t, dir, nil)
	c := dial(t, s.ts)
	got := c.listed(storeRunID(run.ID))
	if got["status"] != protocol.StatusInterrupted || !strings.HasPrefix(got["statusText"].(string), "interrupted in epoch 1") ||
		got["label"] != "left running" {
		t.Errorf("a run left running: %v, want interrupted in epoch 1, label kept", got)
	}
	// Without a checkpoint a restart starts from the beginning.
	c.send(map[string]any{"type": "restart", "run": storeRunID(run.ID)})
	c.until("restarted run done", statusOf(storeRunID(run.ID), protocol.StatusDone))
}

// TestRestartEqualsUninterrupted runs A for 3 epochs, and B, the same
// settings, stopped by a server shutdown after its first epoch, then
// restarted in a new server on the same store: both end with the same
// weights, so the same test loss and accuracy, bit for bit.
func TestRestartEqualsUninterrupted(t *testing.T) {
	a := startStored(t, t.TempDir(), nil)
	ca := dial(t, a.ts)
	idA := ca.start(1, smallConfig(3))
	want := ca.until("A done", statusOf(idA, protocol.StatusDone))["run"].(map[string]any)["result"].(map[string]any)

	dir := t.TempDir()
	paused := make(chan struct{})
	b := startStored(t, dir, func(s *Server) {
		s.runs.AfterEpoch = func(r *runs.Live, epoch int) {
			if epoch == 1 {
				r.Trainer().Pause() // takes effect before the next step
				close(paused)
			}
		}
	})
	cb := dial(t, b.ts)
	idB := cb.start(1, smallConfig(3))
	<-paused
	b.stop()

	b2 := startStored(t, dir, nil)
	cb = dial(t, b2.ts)
	if got := cb.listed(idB); got["status"] != protocol.StatusInterrupted || got["progress"] != float64(100) {
		t.Fatalf("B after the shutdown: %v, want interrupted after epoch 1 (100 steps)", got)
	}
	cb.send(map[string]any{"type": "restart", "req": 2, "run": idB})
	res := cb.until("B done", func(ev event) bool {
		if ev["type"] == protocol.EvError {
			t.Fatalf("restart refused: %v", ev)
		}
		return statusOf(idB, protocol.StatusDone)(ev)
	})["run"].(map[string]any)["result"].(map[string]any)
	if res["testAccuracy"] != want["testAccuracy"] || res["testLoss"] != want["testLoss"] || res["steps"] != want["steps"] {
		t.Errorf("restarted B ends with %v, uninterrupted A with %v", res, want)
	}
	cb.send(map[string]any{"type": "subscribe", "run": idB})
	h := cb.until("history", isType(protocol.EvHistory))
	if s := h["steps"].(map[string]any)["step"].([]any); len(s) != 300 || s[0] != float64(1) || s[299] != float64(300) {
		t.Errorf("B's history after the restart has %d steps", len(s))
	}
	if e := h["epochs"].([]any); len(e) != 3 {
		t.Errorf("B's history after the restart has %d epochs, want 3", len(e))
	}
	if err := b2.st.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if steps, _ := b2.st.Steps(context.Background(), storeID(t, idB), 0, 0); len(steps) != 300 {
		t.Errorf("B has %d steps in the store, want 300", len(steps))
	}
	cb.send(map[string]any{"type": "restart", "req": 3, "run": idB})
	if ev := cb.until("error", isType(protocol.EvError)); ev["field"] != "run" {
		t.Errorf("restarting a finished run: %v, want an error on run", ev)
	}
}

func TestRenameAndDelete(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	a := startStored(t, dir, nil)
	c := dial(t, a.ts)
	id := c.start(1, smallConfig(1))
	c.until("done", statusOf(id, protocol.StatusDone))
	for _, bad := range []string{"", "   ", strings.Repeat("é", protocol.MaxName+1)} {
		c.send(map[string]any{"type": "rename", "req": 2, "run": id, "name": bad})
		if ev := c.until("error", isType(protocol.EvError)); ev["field"] != "name" {
			t.Errorf("rename to %q: %v, want an error on name", bad, ev)
		}
	}
	c.send(map[string]any{"type": "rename", "run": id, "name": "α = 0.1"})
	c.until("renamed", func(ev event) bool {
		return ev["type"] == protocol.EvStatus && ev["run"].(map[string]any)["label"] == "α = 0.1"
	})
	a.stop()

	b := startStored(t, dir, nil)
	c = dial(t, b.ts)
	if got := c.listed(id); got["label"] != "α = 0.1" {
		t.Errorf("after a restart the label is %v", got["label"])
	}
	c.send(map[string]any{"type": "delete", "run": id})
	c.until("deleted", isType(protocol.EvDeleted))
	if _, err := b.st.GetRun(ctx, storeID(t, id)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the deleted run in the store: %v, want ErrNotFound", err)
	}
}

// TestStoreFailureStopsRun closes the store under a training run: the run
// stops and says why, rather than losing its steps silently.
func TestStoreFailureStopsRun(t *testing.T) {
	a := startStored(t, t.TempDir(), nil)
	c := dial(t, a.ts)
	id := c.startPaced(1, smallConfig(100), 20)
	c.send(map[string]any{"type": "subscribe", "run": id})
	c.until("steps", isType(protocol.EvSteps))
	a.st.Close()
	ev := c.until("stopped", statusOf(id, protocol.StatusStopped))
	if msg, _ := ev["run"].(map[string]any)["error"].(string); !strings.Contains(msg, "store: closed") {
		t.Errorf("a run whose store failed: error %q, want the store's", msg)
	}
}

// TestRestartAfterLastEpoch restarts a run whose last epoch was kept but
// whose end was not: it ends at once with its last epoch's result.
func TestRestartAfterLastEpoch(t *testing.T) {
	dir := t.TempDir()
	a := startStored(t, dir, func(s *Server) {
		s.runs.AfterEpoch = func(r *runs.Live, epoch int) {
			if epoch == 2 { // the process "dies" after the epoch was kept
				s.cfg.Store.Flush(context.Background())
				s.cfg.Store.Close()
			}
		}
	})
	c := dial(t, a.ts)
	id := c.start(1, smallConfig(2))
	c.until("the run's end", statusOf(id, protocol.StatusDone))
	a.stop()

	b := startStored(t, dir, nil)
	c = dial(t, b.ts)
	if got := c.listed(id); got["status"] != protocol.StatusInterrupted {
		t.Fatalf("a run that died before its end: %v, want interrupted", got)
	}
	epochs, _ := b.st.Epochs(context.Background(), storeID(t, id))
	c.send(map[string]any{"type": "restart", "run": id})
	res := c.until("done", statusOf(id, protocol.StatusDone))["run"].(map[string]any)["result"].(map[string]any)
	if len(epochs) != 2 || res["epochs"] != float64(2) || res["testAccuracy"] != epochs[1].TestAccuracy {
		t.Errorf("restarted after its last epoch: %v, want epoch 2's result %+v", res, epochs)
	}
}

// TestPersistSweep keeps a sweep as a store sweep, listed again after a
// restart.
func TestPersistSweep(t *testing.T) {
	dir := t.TempDir()
	a := startStored(t, dir, nil)
	c := dial(t, a.ts)
	c.send(map[string]any{"type": "sweep", "req": 1, "base": smallConfig(1),
		"variants": []map[string]any{{"lr": 0.01}, {"lr": 0.1}}})
	var ids []string
	for len(ids) < 2 {
		ev := c.until("runCreated", func(ev event) bool { return ev["type"] == protocol.EvRunCreated && ev["req"] == float64(1) })
		ids = append(ids, ev["run"].(map[string]any)["id"].(string))
	}
	for _, id := range ids {
		c.until("done", statusOf(id, protocol.StatusDone))
	}
	a.stop()

	b := startStored(t, dir, nil)
	sweeps, err := b.st.ListSweeps(context.Background())
	if err != nil || len(sweeps) != 1 || sweeps[0].Kind != store.SweepLR || len(sweeps[0].RunIDs) != 2 || sweeps[0].Name != "lr 0.01, 0.1" {
		t.Fatalf("stored sweeps %+v (%v), want one lr sweep of 2 runs", sweeps, err)
	}
	c = dial(t, b.ts)
	want := storeSweepID(sweeps[0].ID)
	for _, id := range ids {
		if got := c.listed(id); got["sweep"] != want || got["status"] != protocol.StatusDone {
			t.Errorf("after a restart run %s is %v, want done in sweep %s", id, got, want)
		}
	}
}

// TestPersistKeepsEvictedRuns: with a store, the oldest finished run that
// makes room for a new one stays listed, its history read from the store.
func TestPersistKeepsEvictedRuns(t *testing.T) {
	a := startStored(t, t.TempDir(), nil)
	cfg := mnist.DefaultConfig()
	cfg.Arch.Hidden, cfg.Batch, cfg.Epochs = []int{8}, 64, 1
	for len(a.s.runs.List()) < runs.MaxKept {
		cfgs := make([]mnist.Config, min(12, runs.MaxKept-len(a.s.runs.List())))
		for i := range cfgs {
			cfgs[i] = cfg
		}
		made, err := a.s.runs.Create(cfgs, make([]string, len(cfgs)), 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range made {
			for !r.Finished() {
				time.Sleep(5 * time.Millisecond)
			}
		}
	}
	if _, err := a.s.runs.Create([]mnist.Config{cfg}, []string{""}, 0); err != nil {
		t.Fatal(err)
	}
	list := a.s.runs.List()
	_, firstStored := list[0].(*runs.Stored)
	_, secondLive := list[1].(*runs.Live)
	if len(list) != runs.MaxKept+1 || list[0].ID() != "r1" || !firstStored || !secondLive {
		t.Fatalf("after %d runs: %d listed, the first %s (stored %v)", runs.MaxKept+1, len(list), list[0].ID(), firstStored)
	}
	c := dial(t, a.ts)
	c.send(map[string]any{"type": "subscribe", "run": "r1"})
	h := c.until("history", isType(protocol.EvHistory))
	if s := h["steps"].(map[string]any)["step"].([]any); len(s) != 25 || h["run"].(map[string]any)["status"] != protocol.StatusDone {
		t.Errorf("history of the evicted run: %d steps, run %v; want 25 steps, done", len(s), h["run"])
	}
}

// storeRunID and storeSweepID are the page's ids of a stored run and sweep.
func storeRunID(id int64) string   { return fmt.Sprintf("r%d", id) }
func storeSweepID(id int64) string { return fmt.Sprintf("s%d", id) }
