package server

import (
	"bytes"
	"encoding/json"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"descent/server/protocol"
	"descent/server/runs"
)

// Faults and bad input: each fault below hits one server while an observer
// page watches a training run. After each, the server still serves, the
// observer still gets steps within stepsWithin, the heap is back within
// heapSlack of where it was, and no goroutine is left behind.
const (
	stepsWithin = 2 * time.Second
	heapSlack   = 64 << 20
)

// observer is a page that reads all the time and notes its last steps.
type observer struct {
	steps atomic.Int64 // unix nanoseconds of the last steps event
	done  chan struct{}
}

func observe(t *testing.T, c *client, run string) *observer {
	o := &observer{done: make(chan struct{})}
	c.send(map[string]any{"type": "subscribe", "req": 1, "run": run})
	go func() {
		defer close(o.done)
		for {
			_, b, err := c.ws.ReadMessage()
			if err != nil {
				return
			}
			if bytes.Contains(b[:min(len(b), 40)], []byte(`"type":"steps"`)) {
				o.steps.Store(time.Now().UnixNano())
			}
		}
	}()
	t.Cleanup(func() { c.ws.Close(); <-o.done })
	return o
}

// fresh waits for steps newer than now.
func (o *observer) fresh(t *testing.T, after string) {
	t.Helper()
	since := time.Now().UnixNano()
	deadline := time.Now().Add(stepsWithin)
	for time.Now().Before(deadline) {
		if o.steps.Load() > since {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Errorf("after %s: the observer got no steps within %v", after, stepsWithin)
}

func heap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// settle waits until the goroutines are back to want and the connections
// to conns.
func settle(t *testing.T, s *Server, want, conns int, after string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if runtime.NumGoroutine() <= want && s.Connections() == conns {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	buf := make([]byte, 1<<16)
	t.Errorf("after %s: %d goroutines, want at most %d; %d connections, want %d\n%s", after, runtime.NumGoroutine(), want,
		s.Connections(), conns, buf[:runtime.Stack(buf, true)])
}

func TestFaults(t *testing.T) {
	s, ts := newServerWith(t, 5000, 1, Config{})
	teacher, _ := dialAs(t, ts, nil)
	cfg := longConfig()
	cfg["arch"] = map[string]any{"hidden": []int{256}, "activation": "sigmoid"}
	run := teacher.start(1, cfg)
	obs := observe(t, teacher, run)
	obs.fresh(t, "the start")
	url := "ws" + strings.TrimPrefix(ts.URL, "http") + "/ws"
	baseG, baseHeap := runtime.NumGoroutine(), heap()

	check := func(after string) {
		t.Helper()
		obs.fresh(t, after)
		settle(t, s, baseG+2, 1, after) // +2: the http server's idle goroutines
		if h := heap(); h > baseHeap+heapSlack {
			t.Errorf("after %s: heap %d MB, was %d MB", after, h>>20, baseHeap>>20)
		}
	}
	dialRaw := func() *websocket.Conn {
		ws, _, err := websocket.DefaultDialer.Dial(url, nil)
		if err != nil {
			t.Fatalf("dial: %v", err)
		}
		return ws
	}

	t.Run("vanishes mid-stream", func(t *testing.T) {
		ws := dialRaw()
		_ = ws.WriteJSON(map[string]any{"type": "subscribe", "run": run, "weights": true})
		time.Sleep(300 * time.Millisecond) // steps flow
		ws.UnderlyingConn().Close()        // TCP close, no close frame
		check("a page that vanished")
	})

	t.Run("never reads", func(t *testing.T) {
		ws := dialRaw()
		_ = ws.WriteJSON(map[string]any{"type": "subscribe", "run": run, "weights": true})
		stop := time.Now().Add(time.Second)
		for time.Now().Before(stop) { // answers pile up unread
			_ = ws.SetWriteDeadline(time.Now().Add(100 * time.Millisecond))
			if ws.WriteJSON(map[string]any{"type": "list"}) != nil {
				break
			}
		}
		obs.fresh(t, "a page that never reads")
		ws.Close()
		check("closing the page that never read")
	})

	t.Run("invalid flood", func(t *testing.T) {
		ws := dialRaw()
		errs := atomic.Int64{}
		done := make(chan struct{})
		go func() {
			defer close(done)
			for {
				var ev event
				if ws.ReadJSON(&ev) != nil {
					return
				}
				if ev["type"] == protocol.EvError {
					errs.Add(1)
				}
			}
		}()
		junk := []string{`{`, `{"type":"nope"}`, `[]`, "\xff", `{"type":"start","config":{}}`, `{"type":"predict","width":1e9}`}
		for i := range 5000 {
			if ws.WriteMessage(websocket.TextMessage, []byte(junk[i%len(junk)])) != nil {
				break
			}
		}
		obs.fresh(t, "a flood of invalid frames")
		time.Sleep(200 * time.Millisecond)
		if n := errs.Load(); n > DefaultRateBurst+10 {
			t.Errorf("5000 invalid frames got %d errors, want at most the burst and one a second", n)
		}
		if err := ws.WriteJSON(map[string]any{"type": "list"}); err != nil {
			t.Errorf("the flooding page was closed at once: %v", err)
		}
		ws.Close()
		<-done
		check("a flood of invalid frames")
	})

	t.Run("10 MB frame", func(t *testing.T) {
		ws := dialRaw()
		_ = ws.WriteMessage(websocket.TextMessage, bytes.Repeat([]byte("x"), 10<<20)) // may fail: the server closes
		_ = ws.SetReadDeadline(time.Now().Add(5 * time.Second))
		for {
			if _, _, err := ws.ReadMessage(); err != nil {
				break // closed by the server (1009), or reset
			}
		}
		ws.Close()
		check("a 10 MB frame")
	})

	t.Run("1000 starts in a second", func(t *testing.T) {
		ws := dialRaw()
		done := make(chan struct{})
		created := atomic.Int64{}
		go func() {
			defer close(done)
			for {
				_, b, err := ws.ReadMessage()
				if err != nil {
					return
				}
				var ev struct{ Type string }
				if json.Unmarshal(b, &ev) == nil && ev.Type == protocol.EvRunCreated {
					created.Add(1)
				}
			}
		}()
		start, _ := json.Marshal(map[string]any{"type": "start", "config": smallConfig(1)})
		for range 1000 {
			if ws.WriteMessage(websocket.TextMessage, start) != nil {
				break
			}
			time.Sleep(time.Millisecond)
		}
		obs.fresh(t, "1000 starts")
		if n := len(s.runs.List()); n > 1+DefaultMaxRunsPerConn+runs.MaxKept {
			t.Errorf("1000 starts made %d runs", n)
		}
		for _, r := range s.runs.List() {
			if r.ID() != run {
				_ = s.runs.Remove(r.ID())
			}
		}
		ws.Close()
		<-done
		t.Logf("1000 starts in a second: %d runs created", created.Load())
		check("1000 starts")
	})
}
