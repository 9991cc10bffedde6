package server

import (
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"descent/internal/cputime"
	"descent/server/protocol"
)

// TestExplainBenchmark measures, over loopback, what the Draw view's
// derivatives cost a page, with no run training and with 4 runs of the
// report's network training on real MNIST (2 cores here: the runs take every
// core they get):
//
//   - an explain with the saliency only (the prediction with the input
//     gradient, what a page sends while the user draws, 20 a second): from
//     sending the 140×140 drawing to reading its explanation; goal p99 under
//     20 ms, as a prediction's;
//   - an explain with every layer (the chain-rule view), for comparison;
//   - a learn step with its accuracy on 1,000 test images, from sending it to
//     reading its answer, 10 a second; goal p99 under 50 ms;
//   - a prediction of the same drawing, in the same rounds, for comparison.
//
// The goals are reported, not asserted: timings on a shared machine vary.
// Run it with
//
//	DESCENT_BENCH=1 go test -run ExplainBenchmark -v ./server
func TestExplainBenchmark(t *testing.T) {
	s, c, id := benchServer(t)
	c.expect(2, map[string]any{"type": "learnStart", "copy": "bench", "run": id}, protocol.EvLearnCopy)
	const rounds, n = 5, 60 // the kinds in turn, so that they share the machine's moods
	kinds := []struct {
		n, hz int
		typ   string
		cmd   func(req int) map[string]any
	}{
		{n, 20, protocol.EvExplanation, func(req int) map[string]any { return explainCmd(req, id, "saliency") }},
		{n / 3, 20, protocol.EvExplanation, func(req int) map[string]any { return explainCmd(req, id, "layers") }},
		{n / 2, 10, protocol.EvLearned, func(req int) map[string]any {
			return map[string]any{"type": "learnStep", "req": req, "copy": "bench", "testIndex": req % 1000, "label": 3, "lr": 1e-4}
		}},
		{n / 3, 20, protocol.EvPrediction, func(req int) map[string]any { return predictCmd(req, id, 140, 140, bar()) }},
	}
	// The process's CPU time per kind, less what it spends when no page
	// sends anything: with no run training, the requests' own cost.
	c0, w0 := cputime.Process(), time.Now()
	time.Sleep(2 * time.Second)
	background := float64(cputime.Process()-c0) / float64(time.Since(w0))
	var cpu [4]time.Duration
	measure := func() [4][]time.Duration {
		var lat [4][]time.Duration
		for range rounds {
			for i, k := range kinds {
				c0, w0 := cputime.Process(), time.Now()
				lat[i] = append(lat[i], roundTrips(t, c, k.n, k.hz, k.typ, k.cmd)...)
				cpu[i] += cputime.Process() - c0 - time.Duration(background*float64(time.Since(w0)))
			}
		}
		return lat
	}
	t.Logf("load average at the start %s", loadAverage())
	idle := measure()
	idleCPU := cpu
	busyRuns(t, s, c)
	var gc0, gc1 runtime.MemStats
	runtime.ReadMemStats(&gc0)
	training := measure()
	runtime.ReadMemStats(&gc1)
	wantRunning(t, s)
	t.Logf("%d cores, GOMAXPROCS %d, load average at the end %s; %d GC cycles while the runs trained, longest pause %v",
		runtime.NumCPU(), runtime.GOMAXPROCS(0), loadAverage(), gc1.NumGC-gc0.NumGC, longestPause(&gc0, &gc1))
	for i, what := range []string{"explain (saliency)", "explain (layers)", "learn step + 1,000-image accuracy", "predict (for comparison)"} {
		goal := []time.Duration{20 * time.Millisecond, 20 * time.Millisecond, 50 * time.Millisecond, 20 * time.Millisecond}[i]
		for j, lat := range [][]time.Duration{idle[i], training[i]} {
			p50, p99, top := quantiles(lat)
			verdict := "meets"
			if p99 > goal {
				verdict = "misses"
			}
			t.Logf("%-34s %-16s %3d: p50 %7.2f ms, p99 %7.2f ms, max %7.2f ms (%s the goal p99 < %v)", what,
				[]string{"no run training", "4 runs training"}[j], len(lat), ms(p50), ms(p99), ms(top), verdict, goal)
			if j == 0 {
				t.Logf("%-34s %-16s      CPU %.2f ms each (client, server and GC, less the idle process's %.1f%% of a core)", "", "",
					ms(idleCPU[i])/float64(len(lat)), 100*background)
			}
		}
	}
}

func explainCmd(req int, run, detail string) map[string]any {
	cmd := predictCmd(req, run, 140, 140, bar())
	cmd["type"], cmd["detail"] = "explain", detail
	return cmd
}

// roundTrips sends n commands hz a second, one at a time, and returns each
// one's time from send to its answer of type typ.
func roundTrips(t *testing.T, c *client, n, hz int, typ string, cmd func(req int) map[string]any) []time.Duration {
	t.Helper()
	lat := make([]time.Duration, 0, n)
	tick := time.NewTicker(time.Second / time.Duration(hz))
	defer tick.Stop()
	for req := 1000; len(lat) < n; req++ {
		m := cmd(req)
		<-tick.C
		t0 := time.Now()
		c.send(m)
		if ev := c.reply(req); ev["type"] != typ {
			t.Fatalf("%s: %v", m["type"], ev)
		}
		lat = append(lat, time.Since(t0))
	}
	return lat
}

func quantiles(lat []time.Duration) (p50, p99, top time.Duration) {
	lat = slices.Clone(lat)
	slices.Sort(lat)
	p := func(q float64) time.Duration { return lat[int(q*float64(len(lat)-1))] }
	return p(0.5), p(0.99), lat[len(lat)-1]
}

// longestPause is the longest stop-the-world pause between two MemStats
// (of the last 256).
func longestPause(a, b *runtime.MemStats) time.Duration {
	var top uint64
	for i := a.NumGC; i < b.NumGC && b.NumGC-i <= 256; i++ {
		top = max(top, b.PauseNs[i%256])
	}
	return time.Duration(top)
}

// loadAverage is the machine's 1-minute load average.
func loadAverage() string {
	b, _ := os.ReadFile("/proc/loadavg")
	return strings.Fields(string(b) + " ?")[0]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
