package server

import (
	"encoding/json"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/gorilla/websocket"

	"descent/server/internal/fake"
	"descent/server/protocol"
)

// synthData is a small random data set: tests of the protocol need steps,
// not accuracy.
var synthData = fake.Data

var testPage = fstest.MapFS{"index.html": {Data: []byte("<!doctype html><title>Descent</title>")}}

// newTestServer starts a server on synthetic data behind httptest.
func newTestServer(t testing.TB, trainN, concurrent int) (*Server, *httptest.Server) {
	t.Helper()
	s := New(Config{Train: synthData(trainN, 1), Test: synthData(200, 2), Concurrent: concurrent,
		Page: testPage, Logger: fake.Quiet()})
	ts := httptest.NewServer(s)
	t.Cleanup(func() {
		s.Close()
		ts.Close()
	})
	return s, ts
}

// client is a test page.
type client struct {
	t  testing.TB
	ws *websocket.Conn
}

func dial(t testing.TB, ts *httptest.Server) *client {
	t.Helper()
	url := "ws" + strings.TrimPrefix(ts.URL, "http") + "/ws"
	ws, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatalf("dial %s: %v", url, err)
	}
	t.Cleanup(func() { ws.Close() })
	c := &client{t: t, ws: ws}
	if ev := c.next(); ev["type"] != protocol.EvHello {
		t.Fatalf("first event is %v, want hello", ev["type"])
	}
	return c
}

// event is a decoded event.
type event map[string]any

func (c *client) send(v any) {
	c.t.Helper()
	if err := c.ws.WriteJSON(v); err != nil {
		c.t.Fatalf("send: %v", err)
	}
}

func (c *client) sendRaw(s string) {
	c.t.Helper()
	if err := c.ws.WriteMessage(websocket.TextMessage, []byte(s)); err != nil {
		c.t.Fatalf("send: %v", err)
	}
}

func (c *client) next() event {
	c.t.Helper()
	_ = c.ws.SetReadDeadline(time.Now().Add(20 * time.Second))
	var ev event
	if err := c.ws.ReadJSON(&ev); err != nil {
		c.t.Fatalf("read: %v", err)
	}
	return ev
}

// until reads events until one satisfies ok, and returns it.
func (c *client) until(what string, ok func(event) bool) event {
	c.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if ev := c.next(); ok(ev) {
			return ev
		}
	}
	c.t.Fatalf("no %s within 30 s", what)
	return nil
}

func isType(typ string) func(event) bool {
	return func(ev event) bool { return ev["type"] == typ }
}

// statusOf matches a status event of run id with the given status.
func statusOf(id, status string) func(event) bool {
	return func(ev event) bool {
		if ev["type"] != protocol.EvStatus && ev["type"] != protocol.EvRunCreated {
			return false
		}
		r := ev["run"].(map[string]any)
		return r["id"] == id && r["status"] == status
	}
}

// start sends a start command and returns the new run's id.
func (c *client) start(req int, cfg map[string]any) string {
	c.t.Helper()
	c.send(map[string]any{"type": "start", "req": req, "config": cfg})
	ev := c.until("runCreated", func(ev event) bool {
		if ev["type"] == protocol.EvError {
			c.t.Fatalf("start refused: %v", ev)
		}
		return ev["type"] == protocol.EvRunCreated && ev["req"] == float64(req)
	})
	return ev["run"].(map[string]any)["id"].(string)
}

// startPaced starts a run at the pace of an epoch in epochSeconds, so that
// it stays unfinished through a test however fast training is.
func (c *client) startPaced(req int, cfg map[string]any, epochSeconds float64) string {
	c.t.Helper()
	c.send(map[string]any{"type": "start", "req": req, "config": cfg, "pace": map[string]any{"epochSeconds": epochSeconds}})
	ev := c.until("runCreated", func(ev event) bool {
		if ev["type"] == protocol.EvError {
			c.t.Fatalf("start refused: %v", ev)
		}
		return ev["type"] == protocol.EvRunCreated && ev["req"] == float64(req)
	})
	return ev["run"].(map[string]any)["id"].(string)
}

func smallConfig(epochs int) map[string]any {
	return map[string]any{"optimizer": "sgd", "lr": 0.1, "batch": 16, "epochs": epochs,
		"arch": map[string]any{"hidden": []int{16}, "activation": "sigmoid"}}
}

func decode(t testing.TB, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

// noGoroutinesLeft waits up to 5 s for the goroutines to fall back to
// before, and fails with their stacks when they do not.
func noGoroutinesLeft(t *testing.T, before int, when string) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		if runtime.NumGoroutine() <= before {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	buf := make([]byte, 1<<16)
	t.Errorf("%d goroutines %s, %d before:\n%s", runtime.NumGoroutine(), when, before, buf[:runtime.Stack(buf, true)])
}
