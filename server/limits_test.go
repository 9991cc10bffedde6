package server

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"descent/mnist"
	"descent/server/protocol"
)

// refusal sends cmd and returns the error that answers it, failing unless
// its allowed range names flag.
func (c *client) refusal(req int, cmd map[string]any, flag string) event {
	c.t.Helper()
	cmd["req"] = req
	c.send(cmd)
	ev := c.until("answer", func(ev event) bool { return ev["req"] == float64(req) })
	if ev["type"] != protocol.EvError || !strings.Contains(ev["allowed"].(string), flag) {
		c.t.Fatalf("%s: %v, want an error naming %s", cmd["type"], ev, flag)
	}
	return ev
}

// longConfig trains long enough to stay unfinished through a test.
func longConfig() map[string]any {
	cfg := smallConfig(100)
	cfg["batch"] = 1
	return cfg
}

func TestLimitsInHello(t *testing.T) {
	_, ts := newServerWith(t, 100, 2, Config{Limits: Limits{MaxEpochs: 7, MaxQueued: 3, MaxRunsPerConn: 4,
		MaxParams: 5000, MaxTrajSteps: 99, MaxMessage: 2048, MaxRate: 11, RateBurst: 12, MaxConns: 13}})
	_, hello := dialAs(t, ts, nil)
	l := hello["limits"].(map[string]any)
	for k, want := range map[string]float64{"maxEpochs": 7, "maxQueued": 3, "maxRunsPerConn": 4, "maxParams": 5000,
		"maxTrajSteps": 99, "maxMessage": 2048, "maxRate": 11, "rateBurst": 12, "maxConns": 13, "concurrent": 2} {
		if l[k] != want {
			t.Errorf("hello.limits.%s = %v, want %v", k, l[k], want)
		}
	}
	if got := hello["surface"].(map[string]any)["maxSteps"]; got != 99.0 {
		t.Errorf("hello.surface.maxSteps = %v, want 99", got)
	}
}

func TestLimitsRefuseCommands(t *testing.T) {
	_, ts := newServerWith(t, 100, 1, Config{Limits: Limits{MaxEpochs: 5, MaxParams: 100_000, MaxTrajSteps: 100, MaxMessage: 1024}})
	c, _ := dialAs(t, ts, nil)
	c.refusal(1, map[string]any{"type": "start", "config": smallConfig(6)}, "--max-epochs")
	big := smallConfig(1)
	big["arch"] = map[string]any{"hidden": []int{200}, "activation": "relu"}
	c.refusal(2, map[string]any{"type": "start", "config": big}, "--max-params")
	c.refusal(3, map[string]any{"type": "sweep", "base": big, "variants": []map[string]any{{"lr": 0.1}}}, "--max-params")
	c.refusal(4, trajCmd(4, "rosenbrock", []float64{-1.5, 2}, 101, nil, "adam"), "--max-traj-steps")
	c.refusal(5, map[string]any{"type": "list", "pad": strings.Repeat("x", 1100)}, "--max-message")
	c.send(predictCmd(6, "", 140, 140, bar())) // 26 KB: a drawing may pass --max-message
	if ev := c.answer(6); ev["type"] == protocol.EvError && strings.Contains(ev["allowed"].(string), "--max-message") {
		t.Errorf("a 140×140 drawing: %v, want it let through", ev)
	}
	c.send(trajCmd(7, "rosenbrock", []float64{-1.5, 2}, 100, nil, "adam"))
	c.created(7)
	c.start(8, smallConfig(5))
	if n := Params(mnist.Arch{Hidden: []int{100}}); n != 785*100+101*10 {
		t.Errorf("Params(784-100-10) = %d, want %d", n, 785*100+101*10)
	}
}

func TestLimitsRuns(t *testing.T) {
	_, ts := newServerWith(t, 500, 1, Config{Limits: Limits{MaxQueued: 2, MaxRunsPerConn: 2}})
	a, _ := dialAs(t, ts, nil)
	b, _ := dialAs(t, ts, nil)
	ra := a.start(1, longConfig())
	a.start(2, longConfig()) // queued: one trains at a time
	ev := a.refusal(3, map[string]any{"type": "start", "config": longConfig()}, "--max-runs-per-conn")
	if !strings.Contains(ev["message"].(string), "2 runs") {
		t.Errorf("per page: %v, want it to count the page's 2 runs", ev)
	}
	b.start(4, longConfig()) // the second queued
	b.refusal(5, map[string]any{"type": "start", "config": longConfig()}, "--max-queued")
	b.refusal(6, map[string]any{"type": "sweep", "base": longConfig(), "variants": []map[string]any{{"lr": 0.1}, {"lr": 0.2}}}, "--max-runs-per-conn")
	a.send(map[string]any{"type": "stop", "req": 7, "run": ra})
	a.until("stopped", statusOf(ra, protocol.StatusStopped))
	b.start(8, longConfig()) // room again
}

func TestLimitsRate(t *testing.T) {
	s, ts := newServerWith(t, 100, 1, Config{Limits: Limits{MaxRate: 10, RateBurst: 5}})
	s.floodFor = 400 * time.Millisecond
	c, _ := dialAs(t, ts, nil)
	for i := range 40 {
		c.send(map[string]any{"type": "list", "req": i + 1})
	}
	time.Sleep(300 * time.Millisecond) // the bucket refills: the page is still served
	c.send(map[string]any{"type": "list", "req": 100})
	answered, errs := 0, 0
	c.until("runs", func(ev event) bool {
		switch {
		case ev["type"] == protocol.EvRuns && ev["req"] == 100.0:
			return true
		case ev["type"] == protocol.EvRuns:
			answered++
		case ev["type"] == protocol.EvError:
			errs++
			if !strings.Contains(ev["allowed"].(string), "--max-rate") {
				t.Errorf("rate error %v, want it to name --max-rate", ev)
			}
		}
		return false
	})
	if answered < 5 || answered > 8 || errs != 1 {
		t.Errorf("40 commands at once with a burst of 5: %d answered and %d errors, want 5 to 8 and 1", answered, errs)
	}

	// A page that keeps flooding past floodFor is closed.
	stop := time.Now().Add(3 * time.Second)
	for time.Now().Before(stop) {
		if c.ws.WriteMessage(websocket.TextMessage, []byte(`{"type":"list"}`)) != nil {
			break
		}
		time.Sleep(2 * time.Millisecond)
	}
	_ = c.ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		if _, _, err := c.ws.ReadMessage(); err != nil {
			if !websocket.IsCloseError(err, websocket.ClosePolicyViolation) {
				t.Errorf("a flooding page: %v, want close 1008", err)
			}
			break
		}
	}
}

func TestLimitsConns(t *testing.T) {
	s, ts := newServerWith(t, 100, 1, Config{Limits: Limits{MaxConns: 2}})
	a, _ := dialAs(t, ts, nil)
	dialAs(t, ts, nil)
	_, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(ts.URL, "http")+"/ws", nil)
	if err == nil || resp == nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("a third websocket: %v, %v; want HTTP 503", resp, err)
	}
	a.ws.Close()
	deadline := time.Now().Add(5 * time.Second)
	for s.gate.conns.Load() > 1 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	dialAs(t, ts, nil) // room again
}

func TestLimitsCheck(t *testing.T) {
	for _, l := range []Limits{{MaxEpochs: mnist.MaxEpochs + 1}, {MaxMessage: maxMessageCeiling + 1}, {MaxRate: -1}} {
		if l.Check() == nil {
			t.Errorf("%+v: Check passes, want an error", l)
		}
	}
	if err := (Limits{}).Check(); err != nil {
		t.Errorf("zero limits: %v, want the defaults", err)
	}
}
