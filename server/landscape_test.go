package server

import (
	"math"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"descent/mnist"
	"descent/server/internal/fake"
	"descent/server/protocol"
)

// slice is what a page gathered of one landscape: its frames by type, the
// rows in the order they came, and the grid as the rows left it.
type slice struct {
	id          string
	queued      event
	start, done event
	rows        []event
	paths       []event
	loss        [][]any // [j][i] after every row frame
	firstFull   int     // index in rows of the first full-pass frame
	lastPreview int     // and of the last preview frame
}

// landscape reads a landscape's frames, answering req, until its
// LandscapeDone (or fails on an error).
func (c *client) landscape(req int) *slice {
	c.t.Helper()
	s := &slice{firstFull: -1, lastPreview: -1}
	c.until("landscapeDone", func(ev event) bool {
		switch ev["type"] {
		case protocol.EvError:
			if ev["req"] == float64(req) {
				c.t.Fatalf("landscape refused: %v", ev)
			}
		case protocol.EvLandscapeQueued:
			if ev["req"] == float64(req) {
				s.queued, s.id = ev, ev["id"].(string)
			}
		case protocol.EvLandscapeStart:
			if ev["id"] == s.id {
				s.start = ev
				n := len(ev["a"].([]any))
				s.loss = make([][]any, n)
				for j := range s.loss {
					s.loss[j] = make([]any, n)
				}
			}
		case protocol.EvLandscapeRows:
			if ev["id"] == s.id {
				s.addRows(c.t, ev)
			}
		case protocol.EvLandscapePath:
			if ev["id"] == s.id {
				s.paths = append(s.paths, ev)
			}
		case protocol.EvLandscapeDone:
			if ev["id"] == s.id && s.id != "" {
				s.done = ev
				return true
			}
		}
		return false
	})
	return s
}

func (s *slice) addRows(t testing.TB, ev event) {
	if s.start == nil {
		t.Fatalf("rows before landscapeStart: %v", ev)
	}
	switch ev["pass"] {
	case protocol.PassPreview:
		s.lastPreview = len(s.rows)
	case protocol.PassFull:
		if s.firstFull < 0 {
			s.firstFull = len(s.rows)
		}
	}
	s.rows = append(s.rows, ev)
	for _, r := range ev["rows"].([]any) {
		row := r.(map[string]any)
		j := int(row["j"].(float64))
		loss := row["loss"].([]any)
		cols, ok := row["cols"].([]any)
		for k, v := range loss {
			i := k
			if ok {
				i = int(cols[k].(float64))
			}
			s.loss[j][i] = v
		}
	}
}

// complete reports whether every point of the grid has a value.
func (s *slice) complete() bool {
	for _, row := range s.loss {
		for _, v := range row {
			if v == nil {
				return false
			}
		}
	}
	return true
}

func nums(v any) []float64 {
	var out []float64
	for _, x := range v.([]any) {
		f, ok := x.(float64)
		if !ok {
			f = math.NaN()
		}
		out = append(out, f)
	}
	return out
}

func (c *client) waitDone(id string) {
	c.t.Helper()
	c.until(id+" done", statusOf(id, protocol.StatusDone))
}

// TestLandscapeOfAFinishedRun slices a finished run on its PCA plane over
// the socket: queued, then the plane with the path on it, the preview's rows
// before any full row, every point of the grid, and a LandscapeDone whose
// centre is the grid's middle value (over [−3, 3]², (0, 0) is a grid point)
// and whose path ends at the centre.
func TestLandscapeOfAFinishedRun(t *testing.T) {
	_, ts := newTestServer(t, 800, 2)
	c := dial(t, ts)
	id := c.start(1, smallConfig(2))
	c.waitDone(id)
	c.send(map[string]any{"type": "landscape", "req": 5, "run": id, "grid": 21, "range": 3, "testExamples": 100})
	s := c.landscape(5)
	st := s.start
	if st["plane"] != protocol.PlanePCA || st["run"] != id || len(st["a"].([]any)) != 21 || len(st["preview"].([]any)) != protocol.LandscapePreview {
		t.Fatalf("start %v", st)
	}
	if ex := nums(st["explained"]); len(ex) != 2 || ex[0] <= 0 || ex[0]+ex[1] > 1+1e-9 {
		t.Errorf("explained %v", ex)
	}
	if s.lastPreview < 0 || s.firstFull < 0 || s.lastPreview > s.firstFull || !s.complete() {
		t.Errorf("preview frames up to %d, first full frame %d; complete %v", s.lastPreview, s.firstFull, s.complete())
	}
	d := s.done
	center, mid := d["center"].(float64), s.loss[10][10].(float64)
	if math.Abs(center-mid) > 1e-5*center || d["testCenter"] == nil || d["lossMin"].(float64) > center {
		t.Errorf("centre %v, grid middle %v, lowest %v, test centre %v", center, mid, d["lossMin"], d["testCenter"])
	}
	tr := d["tracks"].([]any)[0].(map[string]any)
	steps, a, b := nums(tr["step"]), nums(tr["a"]), nums(tr["b"])
	n := len(steps)
	if tr["run"] != id || steps[0] != 0 || n < 5 || math.Hypot(a[n-1], b[n-1]) > 1e-6 || len(nums(tr["dist"])) != n {
		t.Errorf("track of %v: %d points, steps %v…, last at (%g, %g)", tr["run"], n, steps[:min(n, 3)], a[n-1], b[n-1])
	}
	if sec := d["seconds"].(map[string]any); sec["slice"].(float64) <= 0 || sec["preview"].(float64) <= 0 {
		t.Errorf("timings %v", sec)
	}
	// On a random plane around the same weights the path is almost wholly
	// off the plane: every point but the last (the centre) is far from it.
	c.send(map[string]any{"type": "landscape", "req": 6, "run": id, "plane": "random", "seed": 5, "grid": 5})
	r := c.landscape(6)
	rt := r.start["tracks"].([]any)[0].(map[string]any)
	dist, norm := nums(rt["dist"]), nums(rt["norm"])
	m := len(dist)
	if m != n || dist[m-1] != 0 || norm[m-1] != 0 || dist[0] < 0.9*norm[0] || r.start["explained"] != nil {
		t.Errorf("random plane: %d points (want %d), last %g off, first %g off at %g from the centre", m, n, dist[m-1], dist[0], norm[0])
	}
}

// TestLandscapeOfASavedModel slices a saved model on a random plane: the
// centre is the model's loss on the same images, computed apart.
func TestLandscapeOfASavedModel(t *testing.T) {
	train := synthData(400, 1)
	cfg := mnist.DefaultConfig()
	cfg.Arch.Hidden, cfg.Epochs, cfg.Batch = []int{12}, 1, 20
	tr, err := mnist.NewTrainer(cfg, train, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Run(t.Context(), mnist.Hooks{}); err != nil {
		t.Fatal(err)
	}
	m := tr.Snapshot()
	s := New(Config{Train: train, Test: synthData(50, 2), Concurrent: 1, Page: testPage, Logger: fake.Quiet(),
		Models: map[string]*mnist.Model{"mine": m}})
	ts := httptest.NewServer(s)
	t.Cleanup(func() { s.Close(); ts.Close() })
	c := dial(t, ts)
	c.send(map[string]any{"type": "landscape", "req": 2, "model": "mine", "grid": 9, "seed": 3, "range": 0.5})
	sl := c.landscape(2)
	if sl.start["plane"] != protocol.PlaneRandom || sl.start["seed"] != float64(3) || len(sl.start["tracks"].([]any)) != 0 {
		t.Errorf("start %v", sl.start)
	}
	if a := nums(sl.start["a"]); a[0] != -0.5 || a[8] != 0.5 || len(sl.start["preview"].([]any)) != 0 || !sl.complete() {
		t.Errorf("axis %v, preview %v, complete %v", a, sl.start["preview"], sl.complete())
	}
	p, err := mnist.RandomPlane(m, 3)
	if err != nil {
		t.Fatal(err)
	}
	slicer, err := mnist.NewSlicer[float64](p, mnist.Probe{Data: train, N: 400})
	if err != nil {
		t.Fatal(err)
	}
	want, err := slicer.Points(t.Context(), [][2]float64{{0, 0}})
	if err != nil {
		t.Fatal(err)
	}
	if got := sl.done["center"].(float64); math.Abs(got-want[0][0][0]) > 1e-4*want[0][0][0] {
		t.Errorf("centre %v, the model's loss %v", got, want[0][0][0])
	}
}

// TestLandscapeCancelled: a new landscape replaces the one being made (no
// frame of the old one after the new one's queued), landscapeCancel ends
// the new one with a cancelled LandscapeDone, and a page that goes ends its
// slice: the analysis slot is free again and no goroutine is left.
func TestLandscapeCancelled(t *testing.T) {
	before := runtime.NumGoroutine()
	s, ts := newTestServer(t, 2000, 1)
	c := dial(t, ts)
	id := c.start(1, smallConfig(1))
	c.waitDone(id)
	big := map[string]any{"type": "landscape", "req": 3, "run": id, "plane": "random", "grid": 101}
	c.send(big)
	first := c.until("queued", isType(protocol.EvLandscapeQueued))["id"]
	c.until("rows", isType(protocol.EvLandscapeRows))
	big["req"] = 4
	c.send(big)
	var second any
	c.until("the second landscape's rows", func(ev event) bool {
		switch {
		case ev["type"] == protocol.EvLandscapeQueued && ev["req"] == float64(4):
			second = ev["id"]
		case second != nil && ev["id"] == first:
			t.Fatalf("a frame of the replaced landscape after the new one was queued: %v", ev["type"])
		}
		return second != nil && ev["type"] == protocol.EvLandscapeRows && ev["id"] == second
	})
	c.send(map[string]any{"type": "landscapeCancel", "req": 6})
	d := c.until("cancelled", isType(protocol.EvLandscapeDone))
	if d["cancelled"] != true || d["id"] != second || d["req"] != float64(6) {
		t.Errorf("cancel answered %v", d)
	}
	waitFor(t, "the analysis slot", func() bool { return s.analyses.Running() == 0 })

	c2 := dial(t, ts)
	c2.send(big)
	c2.until("rows", isType(protocol.EvLandscapeRows))
	if s.analyses.Running() != 1 {
		t.Errorf("%d analyses running, want 1", s.analyses.Running())
	}
	c2.ws.Close()
	waitFor(t, "the page's slice to end", func() bool { return s.analyses.Running() == 0 })
	c.ws.Close()
	s.Close()
	ts.Close()
	noGoroutinesLeft(t, before, "after the pages went and the server closed")
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		if ok() {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("no %s within 10 s", what)
}

// TestLandscapePathGrowsWhileTraining slices a run while it trains, paced
// so that it lasts a few seconds, and following its epochs: landscapePath
// frames bring new points in step order after the slice's own, and after
// an epoch a new slice comes, centred further on.
func TestLandscapePathGrowsWhileTraining(t *testing.T) {
	_, ts := newTestServer(t, 800, 1)
	c := dial(t, ts)
	c.send(map[string]any{"type": "start", "req": 1, "config": smallConfig(3), "pace": map[string]any{"epochSeconds": 2}})
	ev := c.until("runCreated", isType(protocol.EvRunCreated))
	id := ev["run"].(map[string]any)["id"].(string)
	// Its status may have turned running before runCreated was written, so
	// that no status event follows; then a few steps: the PCA plane needs a
	// path.
	if ev["run"].(map[string]any)["status"] != protocol.StatusRunning {
		c.until("running", statusOf(id, protocol.StatusRunning))
	}
	time.Sleep(300 * time.Millisecond)
	c.send(map[string]any{"type": "landscape", "req": 2, "run": id, "grid": 11, "follow": true})
	s := c.landscape(2)
	last := nums(s.start["tracks"].([]any)[0].(map[string]any)["step"])
	lastStep := last[len(last)-1]
	grown, again := 0, event(nil)
	c.until("a path frame and the next slice", func(ev event) bool {
		switch ev["type"] {
		case protocol.EvLandscapePath:
			if ev["id"] != s.id {
				break
			}
			for _, st := range nums(ev["tracks"].([]any)[0].(map[string]any)["step"]) {
				if st <= lastStep {
					t.Fatalf("path point of step %v after step %v", st, lastStep)
				}
				lastStep, grown = st, grown+1
			}
		case protocol.EvLandscapeStart:
			if ev["req"] == float64(2) && ev["id"] != s.id {
				again = ev
			}
		}
		return grown > 0 && again != nil
	})
	if again["step"].(float64) <= s.start["step"].(float64) || again["follow"] != true {
		t.Errorf("the followed slice is centred at step %v, the first at %v", again["step"], s.start["step"])
	}
	c.send(map[string]any{"type": "stop", "run": id})
}

// TestLandscapeOfASweep puts a sweep's runs on one plane: one track per
// run, each from the shared θ₀ at the centre, and a 1-D chart per run.
func TestLandscapeOfASweep(t *testing.T) {
	_, ts := newTestServer(t, 800, 3)
	c := dial(t, ts)
	c.send(map[string]any{"type": "sweep", "req": 1, "base": smallConfig(1),
		"variants": []map[string]any{{"lr": 0.05}, {"lr": 0.2}, {"lr": 0.8}}})
	var ids []string
	var sweep string
	c.until("three runs", func(ev event) bool {
		if ev["type"] == protocol.EvRunCreated && ev["req"] == float64(1) {
			r := ev["run"].(map[string]any)
			ids, sweep = append(ids, r["id"].(string)), r["sweep"].(string)
		}
		return len(ids) == 3
	})
	for _, id := range ids {
		c.waitDone(id)
	}
	c.send(map[string]any{"type": "landscape", "req": 2, "sweep": sweep, "grid": 11})
	s := c.landscape(2)
	tracks := s.done["tracks"].([]any)
	if len(tracks) != 3 || s.start["sweep"] != sweep || s.start["step"] != float64(0) {
		t.Fatalf("%d tracks for sweep %v (start %v)", len(tracks), sweep, s.start["sweep"])
	}
	for k, tr := range tracks {
		tm := tr.(map[string]any)
		a, b := nums(tm["a"]), nums(tm["b"])
		if tm["run"] != ids[k] || a[0] != 0 || b[0] != 0 || math.Hypot(a[len(a)-1], b[len(b)-1]) == 0 {
			t.Errorf("track %d of %v from (%g, %g) to (%g, %g)", k, tm["run"], a[0], b[0], a[len(a)-1], b[len(b)-1])
		}
	}
	c.send(map[string]any{"type": "landscapeLine", "req": 3, "sweep": sweep, "testExamples": 100})
	ch := c.until("chart", isType(protocol.EvLandscapeLineChart))
	lines := ch["lines"].([]any)
	if len(lines) != 3 || len(ch["t"].([]any)) != 41 || ch["req"] != float64(3) {
		t.Fatalf("chart of %d lines, %d t", len(lines), len(ch["t"].([]any)))
	}
	for _, l := range lines {
		lm := l.(map[string]any)
		tl := nums(lm["trainLoss"])
		if len(tl) != 41 || len(nums(lm["testAccuracy"])) != 41 || !(tl[30] < tl[10]) {
			t.Errorf("line of %v: train loss at t = 1 is %g, at t = 0 %g", lm["run"], tl[30], tl[10])
		}
	}
}

// TestLandscapeAfterARestart: a run trained by one server is sliced by the
// next on its PCA plane, its path read back from the store: the same path
// (steps and coordinates) as the first server's slice gave, ending at the
// same final weights.
func TestLandscapeAfterARestart(t *testing.T) {
	dir := t.TempDir()
	a := startStored(t, dir, nil)
	c := dial(t, a.ts)
	id := c.start(1, smallConfig(2))
	c.waitDone(id)
	cmd := map[string]any{"type": "landscape", "req": 2, "run": id, "grid": 5}
	c.send(cmd)
	before := c.landscape(2).done["tracks"].([]any)[0].(map[string]any)
	a.stop()

	b := startStored(t, dir, nil)
	c = dial(t, b.ts)
	c.send(cmd)
	after := c.landscape(2).done["tracks"].([]any)[0].(map[string]any)
	sb, sa := nums(before["step"]), nums(after["step"])
	ab, aa := nums(before["a"]), nums(after["a"])
	if len(sa) != len(sb) || sa[len(sa)-1] != sb[len(sb)-1] || len(sa) < 5 {
		t.Fatalf("path after the restart: steps %v, before %v", sa, sb)
	}
	for k := range sa {
		if sa[k] != sb[k] || math.Abs(aa[k]-ab[k]) > 1e-6*(1+math.Abs(ab[k])) {
			t.Errorf("point %d: step %v at a = %g, before step %v at %g", k, sa[k], aa[k], sb[k], ab[k])
		}
	}
}
