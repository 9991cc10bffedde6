package server

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/gorilla/websocket"

	"descent/server/internal/fake"
	"descent/server/protocol"
	"descent/server/runs"
)

func TestHandlers(t *testing.T) {
	built, _ := newTestServer(t, 100, 1)
	unbuilt := New(Config{Train: synthData(10, 1), Page: fstest.MapFS{}, Logger: fake.Quiet()})
	t.Cleanup(unbuilt.Close)
	cases := []struct {
		name   string
		srv    http.Handler
		method string
		path   string
		code   int
		body   string
	}{
		{"page", built, "GET", "/", 200, "<title>Descent"},
		{"page not built", unbuilt, "GET", "/", 503, "run `make web`"},
		{"health", built, "GET", "/healthz", 200, "ok"},
		{"runs", built, "GET", "/api/runs", 200, `"runs":[]`},
		{"unknown path", built, "GET", "/nope", 404, "not found"},
		{"socket without upgrade", built, "GET", "/ws", 400, "Bad Request"},
		{"socket by POST", built, "POST", "/ws", 405, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			tc.srv.ServeHTTP(rec, httptest.NewRequest(tc.method, tc.path, nil))
			if rec.Code != tc.code || !strings.Contains(rec.Body.String(), tc.body) {
				t.Errorf("%s %s = %d %q, want %d containing %q", tc.method, tc.path, rec.Code, rec.Body.String(), tc.code, tc.body)
			}
		})
	}
}

func TestSocketRefusesOtherOrigins(t *testing.T) {
	_, ts := newTestServer(t, 100, 1)
	url := "ws" + strings.TrimPrefix(ts.URL, "http") + "/ws"
	_, resp, err := websocket.DefaultDialer.Dial(url, http.Header{"Origin": {"http://evil.example"}})
	if err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("dial from another origin: err %v, response %v; want 403", err, resp)
	}
	ws, _, err := websocket.DefaultDialer.Dial(url, http.Header{"Origin": {ts.URL}})
	if err != nil {
		t.Fatalf("dial from the same origin: %v", err)
	}
	ws.Close()
}

// TestSocketRunLifecycle starts a run, sees steps, pauses, resumes and stops it.
func TestSocketRunLifecycle(t *testing.T) {
	_, ts := newTestServer(t, 4000, 2)
	c := dial(t, ts)
	id := c.start(1, smallConfig(1000)) // far longer than the test; stopped at its end
	c.send(map[string]any{"type": "subscribe", "run": id, "weights": true})
	h := c.until("history", isType(protocol.EvHistory))
	if h["run"].(map[string]any)["id"] != id {
		t.Fatalf("history of %v, want %s", h["run"], id)
	}
	steps := c.until("steps", isType(protocol.EvSteps))
	if n := len(steps["loss"].([]any)); n == 0 || steps["run"] != id {
		t.Fatalf("steps event with %d losses for %v", n, steps["run"])
	}
	c.until("weights", isType(protocol.EvWeights))
	c.send(map[string]any{"type": "pause", "run": id})
	c.until("paused", statusOf(id, protocol.StatusPaused))
	c.send(map[string]any{"type": "resume", "run": id})
	c.until("running", statusOf(id, protocol.StatusRunning))
	c.until("more steps", isType(protocol.EvSteps))
	c.send(map[string]any{"type": "stop", "run": id})
	c.until("stopped", statusOf(id, protocol.StatusStopped))
	c.send(map[string]any{"type": "stop", "req": 9, "run": id})
	if ev := c.until("error", isType(protocol.EvError)); ev["field"] != "run" || ev["req"] != float64(9) {
		t.Errorf("stopping a stopped run: %v, want an error on field run", ev)
	}
	c.send(map[string]any{"type": "delete", "run": id})
	c.until("deleted", isType(protocol.EvDeleted))
}

// TestSocketErrorsKeepConnection sends each kind of bad command over a socket
// while a run trains, and checks that each gets an error and the run goes on.
func TestSocketErrorsKeepConnection(t *testing.T) {
	_, ts := newTestServer(t, 2000, 1)
	c := dial(t, ts)
	id := c.start(1, smallConfig(2))
	bad := []struct{ frame, field string }{
		{`{"type":"fly"}`, "type"},
		{`{"type":"start","config":{"lr":0.1,"batch":64,"epochs":1}}`, "config.optimizer"},
		{`{"type":"start","config":{"optimizer":"sgd","lr":true,"batch":64,"epochs":1}}`, "config.lr"},
		{`{"type":"start","config":{"optimizer":"sgd","lr":1e400,"batch":64,"epochs":1}}`, "config.lr"},
		{`{"type":"start","config":{"optimizer":"sgd","lr":5000,"batch":64,"epochs":1}}`, "config.lr"},
		{`{"type":"pause","run":"r404"}`, "run"},
		{`{"type":"list","x":"` + strings.Repeat("y", 100_000) + `"}`, ""},
		{`not json`, ""},
	}
	for i, b := range bad {
		c.sendRaw(b.frame)
		ev := c.until("error", isType(protocol.EvError))
		if ev["field"] != b.field && !(b.field == "" && ev["field"] == nil) {
			t.Errorf("command %d (%.60s): error on field %v (%v), want %q", i, b.frame, ev["field"], ev["message"], b.field)
		}
	}
	c.send(map[string]any{"type": "list", "req": 5})
	runs := c.until("runs", isType(protocol.EvRuns))
	if len(runs["runs"].([]any)) != 1 {
		t.Errorf("list after errors: %v", runs)
	}
	c.until("run done", statusOf(id, protocol.StatusDone))
}

// TestSweepSharesInitialWeights checks that runs of a sweep differ only in
// their rate: the first step's loss, before any update, is the same.
func TestSweepSharesInitialWeights(t *testing.T) {
	_, ts := newTestServer(t, 1000, 2)
	c := dial(t, ts)
	base := smallConfig(1)
	delete(base, "lr")
	c.send(map[string]any{"type": "sweep", "req": 3, "base": base,
		"variants": []map[string]any{{"lr": 0.01}, {"lr": 0.5}, {"lr": 100}}})
	// A run may end before the last runCreated arrives, so one loop watches
	// for both.
	var ids []string
	ended := map[string]bool{}
	c.until("every run created and ended", func(ev event) bool {
		if ev["type"] != protocol.EvRunCreated && ev["type"] != protocol.EvStatus {
			return false
		}
		r := ev["run"].(map[string]any)
		if ev["type"] == protocol.EvRunCreated {
			ids = append(ids, r["id"].(string))
		}
		// A run that diverges at once may already have ended in its runCreated.
		if st := r["status"]; st == protocol.StatusDone || st == protocol.StatusDiverged {
			ended[r["id"].(string)] = true
		}
		return len(ids) == 3 && ended[ids[0]] && ended[ids[1]] && ended[ids[2]]
	})
	first := map[string]float64{}
	for _, id := range ids {
		c.send(map[string]any{"type": "subscribe", "run": id})
		h := c.until("history", isType(protocol.EvHistory))
		first[id] = h["steps"].(map[string]any)["loss"].([]any)[0].(float64)
	}
	if first[ids[0]] != first[ids[1]] || first[ids[1]] != first[ids[2]] {
		t.Errorf("first losses %v differ: the runs did not start from the same weights and batch", first)
	}
}

// TestSlowClientDoesNotSlowTraining trains the same run twice, once with no
// page and once with five pages that subscribe to everything and never read,
// and checks that the second trains about as fast: training never waits for
// a page (a page that cannot take a frame for writeWait is dropped).
func TestSlowClientDoesNotSlowTraining(t *testing.T) {
	s, ts := newTestServer(t, 4000, 1)
	c := dial(t, ts)
	cfg := smallConfig(40)
	cfg["arch"] = map[string]any{"hidden": []int{100}, "activation": "sigmoid"}
	seconds := func(id string) float64 {
		c.until("done", statusOf(id, protocol.StatusDone))
		r, _ := s.runs.Get(id)
		return r.Info().Result.Seconds
	}
	alone := seconds(c.start(1, cfg))
	id := c.start(2, cfg)
	for range 5 {
		slow := dial(t, ts)
		slow.send(map[string]any{"type": "subscribe", "run": id, "weights": true})
		// slow never reads again
	}
	watched := seconds(id)
	t.Logf("training took %.2f s alone and %.2f s with 5 pages that never read", alone, watched)
	if watched > 2*alone+0.5 {
		t.Errorf("training took %.2f s with pages that never read, %.2f s without", watched, alone)
	}
}

// TestTwoClientsWatchOneRun checks that both pages get the whole run.
func TestTwoClientsWatchOneRun(t *testing.T) {
	_, ts := newTestServer(t, 2000, 1)
	a, b := dial(t, ts), dial(t, ts)
	id := a.start(1, smallConfig(3))
	for _, c := range []*client{a, b} {
		c.send(map[string]any{"type": "subscribe", "run": id})
	}
	for name, c := range map[string]*client{"a": a, "b": b} {
		last := 0.0
		c.until("last step", func(ev event) bool {
			if ev["type"] == protocol.EvHistory {
				if s := ev["steps"].(map[string]any)["step"].([]any); len(s) > 0 {
					last = s[len(s)-1].(float64)
				}
			}
			if ev["type"] == protocol.EvSteps {
				s := ev["step"].([]any)
				last = s[len(s)-1].(float64)
			}
			return last == 3*125
		})
		c.until("epoch 3", func(ev event) bool { return ev["type"] == protocol.EvEpoch && ev["epoch"] == 3.0 })
		t.Logf("page %s saw every step and epoch", name)
	}
}

// TestManyClientsLeaveNoGoroutines connects and drops 20 pages while runs
// train, then shuts down and counts goroutines.
func TestManyClientsLeaveNoGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	s := New(Config{Train: synthData(20000, 1), Test: synthData(100, 2), Concurrent: 2, Page: testPage,
		Logger: fake.Quiet()})
	ts := httptest.NewServer(s)
	owner := dial(t, ts)
	// Runs far longer than the test, so that they train while pages come and go.
	ids := []string{owner.start(1, smallConfig(1000)), owner.start(2, smallConfig(1000)), owner.start(3, smallConfig(1000))}
	for i := range 20 {
		c := dial(t, ts)
		c.send(map[string]any{"type": "subscribe", "run": ids[i%3], "weights": i%2 == 0})
		c.until("history", isType(protocol.EvHistory))
		if i%3 == 0 {
			c.until("steps", isType(protocol.EvSteps))
		}
		c.ws.Close()
	}
	owner.ws.Close()
	deadline := time.Now().Add(5 * time.Second)
	for s.Connections() > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := s.Connections(); n != 0 {
		t.Errorf("%d connections still open after every page left", n)
	}
	s.Close()
	ts.Close()
	noGoroutinesLeft(t, before, "after shutdown")
}

// TestServeStopsGracefully serves on a real listener, starts a run with a
// page watching, cancels the context, and checks that Serve returns with
// the run stopped and no goroutine left.
func TestServeStopsGracefully(t *testing.T) {
	before := runtime.NumGoroutine()
	s := New(Config{Train: synthData(2000, 1), Test: synthData(100, 2), Concurrent: 1, Page: testPage,
		Logger: fake.Quiet()})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()
	ws, _, err := websocket.DefaultDialer.Dial("ws://"+ln.Addr().String()+"/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &client{t: t, ws: ws}
	c.next() // hello
	id := c.start(1, smallConfig(1000))
	c.send(map[string]any{"type": "subscribe", "run": id})
	c.until("steps", isType(protocol.EvSteps))
	r, _ := s.runs.Get(id)
	cancel()
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("Serve = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return within 10 s of cancellation")
	}
	if st := r.Info().Status; st != protocol.StatusStopped {
		t.Errorf("run status after shutdown = %s, want stopped", st)
	}
	ws.Close()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if runtime.NumGoroutine() <= before {
			return
		}
	}
	t.Errorf("%d goroutines after Serve returned, %d before", runtime.NumGoroutine(), before)
}

// TestOldRunsMakeRoom fills the server with finished runs and checks that a
// new run replaces the oldest.
func TestOldRunsMakeRoom(t *testing.T) {
	s, ts := newTestServer(t, 64, 2)
	c := dial(t, ts)
	cfg := smallConfig(1)
	cfg["batch"] = 64
	var first string
	for i := range runs.MaxKept + 1 {
		id := c.start(i+1, cfg)
		if i == 0 {
			first = id
		}
		r, _ := s.runs.Get(id)
		for !r.Finished() {
			time.Sleep(time.Millisecond)
		}
	}
	if n := len(s.runs.List()); n != runs.MaxKept {
		t.Errorf("%d runs kept, want %d", n, runs.MaxKept)
	}
	if _, err := s.runs.Get(first); err == nil {
		t.Errorf("the oldest run %s is still kept", first)
	}
}

// TestResubscribeFrom checks that a page coming back gets only the steps
// after the last one it holds.
func TestResubscribeFrom(t *testing.T) {
	_, ts := newTestServer(t, 1600, 1)
	c := dial(t, ts)
	id := c.start(1, smallConfig(1)) // 100 steps
	c.until("done", statusOf(id, protocol.StatusDone))
	c.send(map[string]any{"type": "subscribe", "run": id, "from": 60})
	h := c.until("history", isType(protocol.EvHistory))
	steps := h["steps"].(map[string]any)["step"].([]any)
	if h["from"] != 60.0 || len(steps) != 40 || steps[0] != 61.0 {
		t.Errorf("history from 60: from %v, %d steps starting at %v; want 40 steps from 61", h["from"], len(steps), steps[0])
	}
}
