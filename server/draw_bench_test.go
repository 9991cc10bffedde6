package server

import (
	"net/http/httptest"
	"os"
	"runtime"
	"slices"
	"testing"
	"time"

	"descent/mnist"
	"descent/server/internal/fake"
	"descent/server/protocol"
)

// TestPredictBenchmark measures a drawing's round trip over loopback, from
// sending a 140×140 drawing (as the page does, 20 a second) to reading its
// prediction: with no run training, and with 4 runs training on real MNIST.
// The target is p99 under 20 ms. It takes about half a minute, so it runs
// only with DESCENT_BENCH=1 (TestExplainBenchmark beside it):
//
//	DESCENT_BENCH=1 go test -run PredictBenchmark -v ./server
func TestPredictBenchmark(t *testing.T) {
	s, c, id := benchServer(t)
	const n = 300
	idle := predictRoundTrips(t, c, id, n)
	busyRuns(t, s, c)
	training := predictRoundTrips(t, c, id, n)
	wantRunning(t, s)
	for _, m := range []struct {
		what string
		lat  []time.Duration
	}{{"no run training", idle}, {"4 runs training", training}} {
		slices.Sort(m.lat)
		p := func(q float64) time.Duration { return m.lat[int(q*float64(len(m.lat)-1))] }
		t.Logf("%s (%d cores): %d drawings, p50 %v, p99 %v, max %v", m.what, runtime.NumCPU(), len(m.lat), p(0.5), p(0.99), m.lat[len(m.lat)-1])
		if p(0.99) > 20*time.Millisecond {
			t.Errorf("%s: p99 %v, want under 20 ms", m.what, p(0.99))
		}
	}
}

// benchServer serves real MNIST with 4 training slots and trains a quick
// model (the report's network, one epoch) to answer the drawings.
func benchServer(t *testing.T) (*Server, *client, string) {
	t.Helper()
	if os.Getenv("DESCENT_BENCH") == "" {
		t.Skip("set DESCENT_BENCH=1 to run the latency benchmarks (about half a minute each)")
	}
	train, test, err := mnist.Load("../data/mnist")
	if err != nil {
		t.Fatalf("%v (run `make data`)", err)
	}
	s := New(Config{Train: train, Test: test, Concurrent: 4, Page: testPage, Logger: fake.Quiet()})
	ts := httptest.NewServer(s)
	t.Cleanup(func() { ts.Close(); s.Close() })
	c := dial(t, ts)
	quick := map[string]any{"optimizer": "sgd", "lr": 0.1, "batch": 64, "epochs": 1, "evalLimit": 1000}
	id := c.start(1, quick)
	c.until("quick model", statusOf(id, protocol.StatusDone))
	return s, c, id
}

// busyRuns starts 4 runs of the report's network, 20 epochs each, and lets
// them settle in their loops (their start allocates and evaluates).
func busyRuns(t *testing.T, s *Server, c *client) {
	t.Helper()
	busy := map[string]any{"optimizer": "sgd", "lr": 0.1, "batch": 64, "epochs": 20, "evalLimit": 1000}
	for i := range 4 {
		c.start(10+i, busy)
	}
	time.Sleep(3 * time.Second)
}

// wantRunning fails unless every unfinished run trains: the figures are
// taken with 4 runs training.
func wantRunning(t *testing.T, s *Server) {
	t.Helper()
	for _, r := range s.runs.List() {
		if !r.Finished() && r.Info().Status != protocol.StatusRunning {
			t.Errorf("run %s is %s during the measurement, want running", r.ID(), r.Info().Status)
		}
	}
}

// predictRoundTrips sends n drawings 20 a second and returns each one's time
// from send to prediction.
func predictRoundTrips(t *testing.T, c *client, run string, n int) []time.Duration {
	lat := make([]time.Duration, 0, n)
	tick := time.NewTicker(time.Second / 20)
	defer tick.Stop()
	for req := 1000; len(lat) < n; req++ {
		cmd := predictCmd(req, run, 140, 140, bar())
		<-tick.C
		t0 := time.Now()
		c.send(cmd)
		if ev := c.answer(req); ev["type"] != protocol.EvPrediction {
			t.Fatalf("predict: %v", ev)
		}
		lat = append(lat, time.Since(t0))
	}
	return lat
}
