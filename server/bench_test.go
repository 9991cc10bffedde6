package server

import (
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"descent/mnist"
	"descent/server/internal/fake"
	"descent/server/protocol"
	"descent/server/runs"
)

// TestFanoutBenchmark measures what 20 pages cost 4 training runs: steps/s
// with no page against steps/s with 20 pages that each watch all 4 runs (and
// the weights of one), and how long a step takes to reach a page. The pages
// are goroutines of this process that read every frame. It trains on real MNIST for about a
// minute, so it runs only with DESCENT_BENCH=1:
//
//	DESCENT_BENCH=1 go test -run FanoutBenchmark -v ./server
func TestFanoutBenchmark(t *testing.T) {
	if os.Getenv("DESCENT_BENCH") == "" {
		t.Skip("set DESCENT_BENCH=1 to run the fan-out benchmark (about a minute)")
	}
	train, test, err := mnist.Load("../data/mnist")
	if err != nil {
		t.Fatalf("%v (run `make data`)", err)
	}
	const runs, pages, rounds = 4, 20, 3
	var alone, watched []float64
	var lat []time.Duration
	for range rounds {
		alone = append(alone, benchRound(t, train, test, runs, 0, nil))
		watched = append(watched, benchRound(t, train, test, runs, pages, &lat))
	}
	a, w := mean(alone), mean(watched)
	slices.Sort(lat)
	p := func(q float64) time.Duration { return lat[int(q*float64(len(lat)-1))] }
	t.Logf("%d runs, no page:   %.0f steps/s in total (rounds %.0f)", runs, a, alone)
	t.Logf("%d runs, %d pages: %.0f steps/s in total (rounds %.0f), %.1f%% of the above", runs, pages, w, watched, 100*w/a)
	t.Logf("step → page latency over %d deliveries: median %v, p99 %v, max %v", len(lat), p(0.5), p(0.99), lat[len(lat)-1])
	if w < 0.9*a {
		t.Errorf("20 pages cost %.1f%% of training speed, want at most 10%%", 100*(1-w/a))
	}
	if p(0.99) > 250*time.Millisecond {
		t.Errorf("p99 latency %v, want at most 250 ms", p(0.99))
	}
}

// benchRound trains runs runs at once with pages pages watching every run,
// and returns the total steps per second of training.
func benchRound(t *testing.T, train, test *mnist.Dataset, nruns, pages int, lat *[]time.Duration) float64 {
	s := New(Config{Train: train, Test: test, Concurrent: nruns, Page: testPage,
		Logger: fake.Quiet()})
	s.runs.Trace = true
	ts := httptest.NewServer(s)
	defer ts.Close()
	defer s.Close()
	cfg := mnist.DefaultConfig()
	cfg.Epochs, cfg.EvalLimit = 3, 1000
	cfgs := make([]mnist.Config, nruns)
	for i := range cfgs {
		cfgs[i] = cfg
		cfgs[i].LR = 0.05 * float64(i+1)
	}
	// The pages connect first and subscribe as soon as the runs exist.
	type seen struct {
		run  string
		step int
		at   time.Time
	}
	var mu sync.Mutex
	var got []seen
	var wg sync.WaitGroup
	conns := make([]*websocket.Conn, pages)
	for i := range conns {
		ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(ts.URL, "http")+"/ws", nil)
		if err != nil {
			t.Fatal(err)
		}
		conns[i] = ws
	}
	start := time.Now()
	made, err := s.runs.Create(cfgs, make([]string, nruns), 0)
	if err != nil {
		t.Fatal(err)
	}
	for i, ws := range conns {
		for _, r := range made {
			// Like the page: every run in Compare, one with weights in Train.
			if err := ws.WriteJSON(protocol.Subscribe{Type: protocol.CmdSubscribe, Run: r.ID(), Weights: r == made[i%nruns]}); err != nil {
				t.Fatal(err)
			}
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			var local []seen
			for {
				_, b, err := ws.ReadMessage()
				if err != nil {
					break
				}
				now := time.Now()
				if !strings.HasPrefix(string(b), `{"type":"steps"`) {
					continue
				}
				if run, step, ok := lastStep(b); ok {
					local = append(local, seen{run, step, now})
				}
			}
			mu.Lock()
			got = append(got, local...)
			mu.Unlock()
		}()
	}
	steps, seconds := 0, 0.0
	for _, r := range made {
		for !r.Finished() {
			time.Sleep(20 * time.Millisecond)
		}
		steps += r.Info().Result.Steps
	}
	seconds = time.Since(start).Seconds()
	for _, ws := range conns {
		ws.Close()
	}
	wg.Wait()
	if lat != nil {
		byID := map[string]*runs.Live{}
		for _, r := range made {
			byID[r.ID()] = r
		}
		for _, g := range got {
			if r := byID[g.run]; g.step <= len(r.StepTimes()) {
				*lat = append(*lat, g.at.Sub(r.StepTimes()[g.step-1]))
			}
		}
	}
	return float64(steps) / seconds
}

// lastStep reads the run and the last step number of a steps frame without
// decoding it all: the pages of the benchmark share the cores with training,
// and a full decode would measure the clients rather than the server.
func lastStep(b []byte) (run string, step int, ok bool) {
	s := string(b)
	i := strings.Index(s, `"run":"`)
	j := strings.Index(s, `"step":[`)
	if i < 0 || j < 0 {
		return "", 0, false
	}
	run = s[i+7:]
	run = run[:strings.IndexByte(run, '"')]
	steps := s[j+8:]
	steps = steps[:strings.IndexByte(steps, ']')]
	if steps == "" {
		return "", 0, false
	}
	step, err := strconv.Atoi(steps[strings.LastIndexByte(steps, ',')+1:])
	return run, step, err == nil
}

func mean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}
