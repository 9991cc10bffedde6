package server

import (
	"context"
	"fmt"
	"math"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"descent/mnist"
	"descent/server/internal/fake"
	"descent/server/protocol"
	"descent/server/runs"
	"descent/server/store"
)

// TestLandscapeBenchmark measures the landscape as a page gets it, on real
// MNIST: the default slice of the report's network after an epoch (51×51
// over [−1, 1]², 10,000 training images) over the socket, the time to its
// last preview row and to its LandscapeDone, and training's speed while a
// page asks for slices back to back, in alternating windows with and
// without, so that the machine's other load falls on both. It logs what it
// measured and never fails on a speed (the goals are in make bench). It
// takes about a minute, so it runs only with DESCENT_BENCH=1; with
// DESCENT_BENCH_OUT=DIR it also writes the slice's and the 1-D chart's
// figures there:
//
//	DESCENT_BENCH=1 go test -run LandscapeBenchmark -v ./server
func TestLandscapeBenchmark(t *testing.T) {
	if os.Getenv("DESCENT_BENCH") == "" {
		t.Skip("set DESCENT_BENCH=1 to run the landscape benchmark (about a minute)")
	}
	train, test, err := mnist.Load("../data/mnist")
	if err != nil {
		t.Fatalf("%v (run `make data`)", err)
	}
	cfg := mnist.DefaultConfig()
	cfg.Epochs, cfg.EvalLimit = 1, 1000
	tr, err := mnist.NewTrainer(cfg, train, test)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Run(context.Background(), mnist.Hooks{}); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s := New(Config{Train: train, Test: test, Concurrent: 1, Page: testPage, Logger: fake.Quiet(), Store: st,
		Models: map[string]*mnist.Model{"report": tr.Snapshot()}})
	ts := httptest.NewServer(s)
	defer ts.Close()
	defer s.Close()
	c := dial(t, ts)
	var prev, full, done []float64
	for k := range 3 {
		t0 := time.Now()
		c.send(map[string]any{"type": "landscape", "req": 10 + k, "model": "report"})
		var previewAt time.Duration
		sl := c.landscapeWatch(10+k, func(ev event) {
			if ev["pass"] == protocol.PassPreview && ev["rowsDone"] == ev["rowsTotal"] && previewAt == 0 {
				previewAt = time.Since(t0)
			}
		})
		wall := time.Since(t0)
		sec := sl.done["seconds"].(map[string]any)
		prev, full = append(prev, previewAt.Seconds()), append(full, wall.Seconds())
		done = append(done, sec["slice"].(float64))
		t.Logf("slice %d: last preview row after %.3f s, done after %.2f s (server: plane %.3f s, preview %.3f s, slice %.2f s)",
			k+1, previewAt.Seconds(), wall.Seconds(), sec["plane"], sec["preview"], sec["slice"])
		if dir := os.Getenv("DESCENT_BENCH_OUT"); dir != "" && k == 0 {
			writeExports(t, ts.URL, dir, sl.id)
		}
	}
	t.Logf("51×51 on 10,000 images over the socket: median %.2f s to the done (server's own %.2f s), %.3f s to the last preview row; load %s",
		median(full), median(done), median(prev), loadAvg())
	slowdown(t, c, s)
}

// landscapeWatch is landscape with a look at every frame.
func (c *client) landscapeWatch(req int, look func(event)) *slice {
	c.t.Helper()
	s := &slice{firstFull: -1, lastPreview: -1}
	c.until("landscapeDone", func(ev event) bool {
		look(ev)
		switch ev["type"] {
		case protocol.EvError:
			c.t.Fatalf("refused: %v", ev)
		case protocol.EvLandscapeQueued:
			if ev["req"] == float64(req) {
				s.id = ev["id"].(string)
			}
		case protocol.EvLandscapeDone:
			if ev["id"] == s.id {
				s.done = ev
				return true
			}
		}
		return false
	})
	return s
}

// slowdown trains the report's network while a page asks for slices back
// to back, in alternating windows of 6 s without and with slices, and logs
// the steps per second of wall time of each, and per second of the
// training thread's CPU time (Linux's schedstat: what sharing the caches
// and the memory with a slice costs, whatever else the machine runs). The
// server keeps its runs in a store, as descent serve does.
func slowdown(t *testing.T, c *client, s *Server) {
	cfg := map[string]any{"optimizer": "sgd", "lr": 0.1, "batch": 64, "epochs": 300, "evalLimit": 1}
	tid := make(chan int, 1)
	s.runs.AfterEpoch = func(_ *runs.Live, epoch int) {
		if epoch == 1 {
			tid <- syscall.Gettid()
		}
	}
	id := c.start(50, cfg)
	r, err := s.runs.Live(id)
	if err != nil {
		t.Fatal(err)
	}
	evs := make(chan event, 1024)
	go func() {
		defer close(evs)
		for {
			var ev event
			if err := c.ws.ReadJSON(&ev); err != nil {
				return
			}
			evs <- ev
		}
	}()
	var thread int
	select {
	case thread = <-tid: // after the first epoch: past the path's every-step start
	case <-time.After(time.Minute):
		t.Fatal("no first epoch within a minute")
	}
	ask := func() { c.send(map[string]any{"type": "landscape", "req": 60, "model": "report"}) }
	var cpu [2]float64    // the training thread's CPU seconds a step, alone and beside
	var waited [2]float64 // the share of the time it waited for a core
	window := func(slicing bool) float64 {
		if slicing {
			ask()
		}
		p0, t0 := r.Trainer().Progress(), time.Now()
		c0, w0 := schedstat(thread)
		end := time.After(6 * time.Second)
		for open := true; open; {
			select {
			case ev := <-evs:
				if slicing && ev["type"] == protocol.EvLandscapeDone && ev["req"] == float64(60) && ev["cancelled"] == nil {
					ask()
				}
			case <-end:
				open = false
			}
		}
		steps := float64(r.Trainer().Progress() - p0)
		rate := steps / time.Since(t0).Seconds()
		k := 0
		if slicing {
			k = 1
		}
		c1, w1 := schedstat(thread)
		cpu[k] += (c1 - c0) / steps
		waited[k] += (w1 - w0) / time.Since(t0).Seconds() / 3
		if slicing {
			c.send(map[string]any{"type": "landscapeCancel"})
			time.Sleep(200 * time.Millisecond)
		}
		return rate
	}
	var alone, beside []float64
	for range 3 {
		alone = append(alone, window(false))
		beside = append(beside, window(true))
	}
	a, b := mean(alone), mean(beside)
	t.Logf("training alone %.0f steps/s (windows %.0f), beside slices %.0f steps/s (windows %.0f): %.1f %% slower; load %s",
		a, alone, b, beside, 100*(1-b/a), loadAvg())
	ca, cb := 3/cpu[0], 3/cpu[1]
	t.Logf("per CPU second of the training thread: %.0f steps alone, %.0f beside slices: %.1f %% slower; "+
		"it waited for a core %.1f %% of the time alone, %.1f %% beside slices", ca, cb, 100*(1-cb/ca), 100*waited[0], 100*waited[1])
	c.send(map[string]any{"type": "stop", "run": id})
}

// threadCPU is the CPU time of thread tid of this process, in seconds
// (the first field of /proc/self/task/tid/schedstat, in nanoseconds).
func threadCPU(tid int) float64 { cpu, _ := schedstat(tid); return cpu }

// schedstat is the CPU time of thread tid of this process and the time it
// waited for a core, in seconds (/proc/self/task/tid/schedstat).
func schedstat(tid int) (cpu, wait float64) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/self/task/%d/schedstat", tid))
	if err != nil {
		return math.NaN(), math.NaN()
	}
	fmt.Sscan(string(b), &cpu, &wait)
	return cpu / 1e9, wait / 1e9
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return string(b[:len(b)-1])
}

// writeExports saves a slice's figure, data and 1-D chart into dir.
func writeExports(t *testing.T, base, dir, id string) {
	for _, f := range []string{id + ".png", id + ".svg", id + ".csv", id + ".json"} {
		_, b := get(t, base+"/api/export/landscape/"+f)
		if err := os.WriteFile(filepath.Join(dir, "landscape-"+f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
