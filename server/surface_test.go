package server

import (
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"descent/optim"
	"descent/server/internal/fake"
	"descent/server/protocol"
)

func trajCmd(req int, fn string, start []float64, steps int, rate any, methods ...string) map[string]any {
	opts := []map[string]any{}
	for _, m := range methods {
		lr := map[string]float64{"adam": 0.05, "gd": 0.001, "sgd": 0.001, "newton": 1}[m]
		opts = append(opts, map[string]any{"method": m, "params": map[string]float64{"lr": lr}})
	}
	cmd := map[string]any{"type": "trajStart", "req": req, "fn": fn, "start": start,
		"optimizers": opts, "steps": steps, "tol": 1e-6}
	if rate != nil {
		cmd["rate"] = rate
	}
	return cmd
}

// created waits for the trajCreated answering req and returns the set's id.
func (c *client) created(req int) string {
	c.t.Helper()
	ev := c.until("trajCreated", func(ev event) bool {
		if ev["type"] == protocol.EvError {
			c.t.Fatalf("trajStart refused: %v", ev)
		}
		return ev["type"] == protocol.EvTrajCreated && ev["req"] == float64(req)
	})
	return ev["traj"].(string)
}

// trajLog collects a set's points and statuses as they arrive.
type trajLog struct {
	t     testing.TB
	steps map[int][]int // trajectory → steps in arrival order
	final map[int]string
	state string
}

func (l *trajLog) add(ev event) {
	l.t.Helper()
	switch ev["type"] {
	case protocol.EvTrajPoints:
		for _, p := range ev["points"].([]any) {
			it := p.(map[string]any)
			i, k := int(it["trajectory"].(float64)), int(it["step"].(float64))
			if k == 0 {
				l.steps[i] = nil
			}
			if s := l.steps[i]; len(s) > 0 && s[len(s)-1] != k-1 {
				l.t.Fatalf("trajectory %d: step %d after step %d", i, k, s[len(s)-1])
			}
			l.steps[i] = append(l.steps[i], k)
			l.final[i] = it["status"].(string)
		}
	case protocol.EvTrajStatus:
		l.state = ev["state"].(string)
	}
}

func newTrajLog(t testing.TB) *trajLog {
	return &trajLog{t: t, steps: map[int][]int{}, final: map[int]string{}}
}

// TestTrajectories runs Adam and GD on Rosenbrock as fast as possible: every
// step arrives, in order, and each trajectory ends with its status.
func TestTrajectories(t *testing.T) {
	_, ts := newTestServer(t, 100, 1)
	c := dial(t, ts)
	c.send(trajCmd(7, "rosenbrock", []float64{-1.5, 2}, 500, 0, "adam", "gd"))
	id := c.created(7)
	l := newTrajLog(t)
	c.until("done", func(ev event) bool { l.add(ev); return ev["traj"] == id && l.state == protocol.TrajDone })
	for i := range 2 {
		if n := len(l.steps[i]); n != 501 {
			t.Errorf("trajectory %d: %d points, want steps 0 to 500", i, n)
		}
		if l.final[i] != "stepLimit" && l.final[i] != "converged" {
			t.Errorf("trajectory %d ended %q", i, l.final[i])
		}
	}
}

// TestTrajControls steps, plays, pauses and resets a set.
func TestTrajControls(t *testing.T) {
	_, ts := newTestServer(t, 100, 1)
	c := dial(t, ts)
	c.send(trajCmd(1, "quadratic", []float64{-4, 1.5}, 1000, nil, "sgd", "newton"))
	id := c.created(1)
	l := newTrajLog(t)
	c.until("paused at 0", func(ev event) bool { l.add(ev); return l.state == protocol.TrajPaused && len(l.steps[1]) == 1 })
	c.send(map[string]any{"type": "trajControl", "traj": id, "action": "step"})
	c.until("step 1", func(ev event) bool { l.add(ev); return len(l.steps[0]) == 2 })
	c.send(map[string]any{"type": "trajControl", "traj": id, "action": "play", "rate": 100})
	c.until("steps while playing", func(ev event) bool { l.add(ev); return len(l.steps[0]) > 10 })
	if l.final[1] != "converged" {
		t.Errorf("Newton on the quadratic: %q, want converged after one step", l.final[1])
	}
	c.send(map[string]any{"type": "trajControl", "traj": id, "action": "reset"})
	c.until("reset", func(ev event) bool { l.add(ev); return len(l.steps[0]) == 1 && l.state == protocol.TrajPaused })
	c.send(map[string]any{"type": "trajDelete", "traj": id})
	c.until("deleted", func(ev event) bool { l.add(ev); return l.state == protocol.TrajDeleted })
	c.send(map[string]any{"type": "trajControl", "req": 5, "traj": id, "action": "play"})
	c.until("error for a deleted set", func(ev event) bool { return ev["type"] == protocol.EvError && ev["req"] == float64(5) })
}

// TestTrajDiverges: plain GD with a huge rate on Rosenbrock diverges.
func TestTrajDiverges(t *testing.T) {
	_, ts := newTestServer(t, 100, 1)
	c := dial(t, ts)
	cmd := trajCmd(1, "rosenbrock", []float64{-1.5, 2}, 2000, 0, "gd")
	cmd["optimizers"] = []map[string]any{{"method": "gd", "params": map[string]float64{"lr": 0.05}}}
	c.send(cmd)
	c.created(1)
	l := newTrajLog(t)
	c.until("done", func(ev event) bool { l.add(ev); return l.state == protocol.TrajDone })
	if l.final[0] != "diverged" {
		t.Errorf("GD at α = 0.05 on Rosenbrock ended %q, want diverged", l.final[0])
	}
}

// TestTrajErrors refuses bad commands with the field named.
func TestTrajErrors(t *testing.T) {
	_, ts := newTestServer(t, 100, 1)
	c := dial(t, ts)
	good := `"fn":"rosenbrock","start":[-1.5,2],"steps":100,"tol":0,"optimizers":[{"method":"adam"}]`
	cases := []struct{ name, frame, field string }{
		{"unknown fn", `{"type":"trajStart","req":1,"fn":"nope","start":[0,0],"steps":10,"tol":0,"optimizers":[{"method":"adam"}]}`, "fn"},
		{"NaN start", `{"type":"trajStart","req":1,"fn":"rosenbrock","start":[NaN,0],"steps":10,"tol":0,"optimizers":[{"method":"adam"}]}`, ""},
		{"string start", `{"type":"trajStart","req":1,"fn":"rosenbrock","start":["a",0],"steps":10,"tol":0,"optimizers":[{"method":"adam"}]}`, "start"},
		{"huge start", `{"type":"trajStart","req":1,"fn":"rosenbrock","start":[1e7,0],"steps":10,"tol":0,"optimizers":[{"method":"adam"}]}`, "start[0]"},
		{"overflowing start", `{"type":"trajStart","req":1,"fn":"rosenbrock","start":[1e400,0],"steps":10,"tol":0,"optimizers":[{"method":"adam"}]}`, "start"},
		{"unknown method", `{"type":"trajStart","req":1,"fn":"rosenbrock","start":[0,0],"steps":10,"tol":0,"optimizers":[{"method":"lion"}]}`, "optimizers[0].method"},
		{"bad lr", `{"type":"trajStart","req":1,"fn":"rosenbrock","start":[0,0],"steps":10,"tol":0,"optimizers":[{"method":"adam","params":{"lr":-1}}]}`, "optimizers[0].params"},
		{"too many steps", `{"type":"trajStart","req":1,"fn":"rosenbrock","start":[0,0],"steps":20001,"tol":0,"optimizers":[{"method":"adam"}]}`, "steps"},
		{"no optimizers", `{"type":"trajStart","req":1,"fn":"rosenbrock","start":[0,0],"steps":10,"tol":0,"optimizers":[]}`, "optimizers"},
		{"negative rate", `{"type":"trajStart","req":1,` + good + `,"rate":-1}`, "rate"},
		{"rate too high", `{"type":"trajStart","req":1,` + good + `,"rate":5000}`, "rate"},
		{"unknown field", `{"type":"trajStart","req":1,` + good + `,"speed":1}`, "speed"},
		{"unknown set", `{"type":"trajControl","req":1,"traj":"t99","action":"play"}`, "traj"},
		{"bad action", `{"type":"trajControl","req":1,"traj":"t1","action":"jump"}`, "action"},
		{"missing set", `{"type":"trajDelete","req":1}`, "traj"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c.sendRaw(tc.frame)
			ev := c.until("error", isType(protocol.EvError))
			if ev["field"] == nil && tc.field != "" || ev["field"] != nil && ev["field"] != tc.field {
				t.Errorf("%s: field %v, want %q (%v)", tc.name, ev["field"], tc.field, ev["message"])
			}
		})
	}
	t.Run("too many sets", func(t *testing.T) {
		for i := range protocol.MaxTrajSets {
			c.sendRaw(`{"type":"trajStart","req":` + string(rune('1'+i)) + `,` + good + `}`)
			c.created(i + 1)
		}
		c.sendRaw(`{"type":"trajStart","req":9,` + good + `}`)
		ev := c.until("error", func(ev event) bool { return ev["type"] == protocol.EvError })
		if ev["req"] != float64(9) {
			t.Errorf("error %v, want the answer to req 9", ev)
		}
	})
}

// TestTrajSlowPage: a page that reads nothing for a while (its set is held
// back, see traj's TestSlowWriterHoldsSetBack) then receives every step in
// order.
func TestTrajSlowPage(t *testing.T) {
	_, ts := newTestServer(t, 100, 1)
	c := dial(t, ts)
	cmd := trajCmd(1, "rosenbrock", []float64{-1.5, 2}, protocol.MaxTrajSteps, 0, "adam", "gd", "sgd", "adam", "gd", "sgd")
	cmd["tol"] = 0
	c.send(cmd)
	time.Sleep(1500 * time.Millisecond) // read nothing: the socket's buffers fill up
	c.created(1)
	l := newTrajLog(t)
	c.until("done", func(ev event) bool { l.add(ev); return l.state == protocol.TrajDone })
	for i := range 6 {
		if n := len(l.steps[i]); n != protocol.MaxTrajSteps+1 {
			t.Errorf("trajectory %d: %d points, want %d", i, n, protocol.MaxTrajSteps+1)
		}
	}
}

// TestTrajLeaveNoGoroutines closes pages with playing and paused sets.
func TestTrajLeaveNoGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	s := New(Config{Train: synthData(100, 1), Test: synthData(50, 2), Concurrent: 1, Page: testPage, Logger: fake.Quiet()})
	ts := httptest.NewServer(s)
	for i := range 5 {
		c := dial(t, ts)
		c.send(trajCmd(1, "beale", []float64{1, 1}, 20000, 2.0, "adam"))
		c.send(trajCmd(2, "himmelblau", []float64{0, 0}, 100, nil, "gd"))
		c.created(2)
		if i%2 == 0 {
			c.until("points", isType(protocol.EvTrajPoints))
		}
		c.ws.Close()
	}
	deadline := time.Now().Add(5 * time.Second)
	for s.Connections() > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	s.Close()
	ts.Close()
	noGoroutinesLeft(t, before, "after the pages left")
}

// TestTrajNewtonShowsHessian: Newton on the saddle x² − y² carries H, its
// eigenvalues and "not positive definite", and lands on the saddle.
func TestTrajNewtonShowsHessian(t *testing.T) {
	_, ts := newTestServer(t, 100, 1)
	c := dial(t, ts)
	c.send(trajCmd(1, "saddle", []float64{-1.5, 0.05}, 10, 0, "newton"))
	c.created(1)
	ev := c.until("Newton's step", func(ev event) bool {
		if ev["type"] != protocol.EvTrajPoints {
			return false
		}
		for _, p := range ev["points"].([]any) {
			if p.(map[string]any)["step"] == float64(1) {
				return true
			}
		}
		return false
	})
	var it map[string]any
	for _, p := range ev["points"].([]any) {
		if p.(map[string]any)["step"] == float64(1) {
			it = p.(map[string]any)
		}
	}
	if h, _ := it["hessian"].([]any); len(h) != 3 || h[0] != 2.0 || h[2] != -2.0 {
		t.Errorf("hessian %v, want [2 0 -2]", it["hessian"])
	}
	if e, _ := it["eigen"].([]any); len(e) != 2 || e[0] != -2.0 || e[1] != 2.0 {
		t.Errorf("eigen %v, want [-2 2]", it["eigen"])
	}
	if it["curvature"] != "not positive definite" {
		t.Errorf("curvature %v", it["curvature"])
	}
	if x := it["x"].([]any); x[0] != 0.0 || x[1] != 0.0 {
		t.Errorf("Newton went to %v, want the saddle (0, 0)", x)
	}
}

// TestHelloListsFunctions: hello carries every function of optim with its
// domain, minima and starts, and the surface limits.
func TestHelloListsFunctions(t *testing.T) {
	_, ts := newTestServer(t, 100, 1)
	url := "ws" + strings.TrimPrefix(ts.URL, "http") + "/ws"
	ws, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	var h struct { // optim.Function without its funcs, which JSON cannot carry
		Functions []struct {
			Name      string
			Domain    [4]float64
			Minima    [][2]float64
			Starts    []optim.Start
			LogLevels bool
		}
		Surface protocol.SurfaceLimits
	}
	if err := ws.ReadJSON(&h); err != nil {
		t.Fatal(err)
	}
	if len(h.Functions) != len(optim.Functions()) || h.Surface.MaxSteps != protocol.MaxTrajSteps {
		t.Fatalf("hello has %d functions (want %d) and limits %+v", len(h.Functions), len(optim.Functions()), h.Surface)
	}
	for _, f := range h.Functions {
		if f.Name == "rosenbrock" && (len(f.Minima) != 1 || len(f.Starts) == 0 || !f.LogLevels || f.Domain != [4]float64{-2, 2, -1, 3}) {
			t.Errorf("rosenbrock in hello: %+v", f)
		}
	}
}
