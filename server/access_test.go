package server

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"descent/server/internal/fake"
	"descent/server/protocol"
)

const (
	teacherToken = "teacher-token-1"
	watchToken   = "watch-token-1"
)

// newServerWith starts a server like newTestServer, with cfg's access and
// limits.
func newServerWith(t testing.TB, trainN, concurrent int, cfg Config) (*Server, *httptest.Server) {
	t.Helper()
	cfg.Train, cfg.Test, cfg.Concurrent = synthData(trainN, 1), synthData(200, 2), concurrent
	if cfg.Page == nil {
		cfg.Page = testPage
	}
	cfg.Logger = fake.Quiet()
	s := New(cfg)
	ts := httptest.NewServer(s)
	t.Cleanup(func() {
		s.Close()
		ts.Close()
	})
	return s, ts
}

// dialAs opens a websocket with the given headers; it returns the hello.
func dialAs(t testing.TB, ts *httptest.Server, h http.Header) (*client, event) {
	t.Helper()
	ws, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(ts.URL, "http")+"/ws", h)
	if err != nil {
		code := 0
		if resp != nil {
			code = resp.StatusCode
		}
		t.Fatalf("dial: %v (HTTP %d)", err, code)
	}
	t.Cleanup(func() { ws.Close() })
	c := &client{t: t, ws: ws}
	hello := c.next()
	if hello["type"] != protocol.EvHello {
		t.Fatalf("first event is %v, want hello", hello["type"])
	}
	return c, hello
}

func cookieHeader(tok string, ts *httptest.Server) http.Header {
	port := ts.URL[strings.LastIndex(ts.URL, ":")+1:]
	return http.Header{"Cookie": {"descent_token_" + port + "=" + tok}}
}

func TestAccessHTTP(t *testing.T) {
	_, ts := newServerWith(t, 100, 1, Config{Access: Access{Token: teacherToken, WatchToken: watchToken}})
	port := ts.URL[strings.LastIndex(ts.URL, ":")+1:]
	for _, path := range []string{"/", "/api/runs", "/ws", "/api/surface?fn=rosenbrock", "/assets/app.js"} {
		for _, tc := range []struct {
			name   string
			query  string
			header http.Header
			want   int
		}{
			{"no token", "", nil, http.StatusUnauthorized},
			{"wrong token", "token=nope-nope-nope", nil, http.StatusForbidden},
			{"wrong cookie", "", http.Header{"Cookie": {"descent_token_" + port + "=" + "x" + teacherToken}}, http.StatusForbidden},
			{"cookie of another port", "", http.Header{"Cookie": {"descent_token_1=" + teacherToken}}, http.StatusUnauthorized},
			{"teacher query", "token=" + teacherToken, nil, 0},
			{"watch query", "token=" + watchToken, nil, 0},
			{"teacher cookie", "", http.Header{"Cookie": {"descent_token_" + port + "=" + teacherToken}}, 0},
			{"bearer", "", http.Header{"Authorization": {"Bearer " + watchToken}}, 0},
		} {
			u := ts.URL + path
			if tc.query != "" {
				u += map[bool]string{true: "&", false: "?"}[strings.Contains(u, "?")] + tc.query
			}
			req, _ := http.NewRequest("GET", u, nil)
			for k, v := range tc.header {
				req.Header[k] = v
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			refused := resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden
			switch {
			case tc.want != 0 && resp.StatusCode != tc.want:
				t.Errorf("%s with %s: HTTP %d, want %d", path, tc.name, resp.StatusCode, tc.want)
			case tc.want == 0 && refused:
				t.Errorf("%s with %s: HTTP %d, want it let through", path, tc.name, resp.StatusCode)
			}
			if tc.query != "" && tc.want == 0 {
				c := resp.Header.Get("Set-Cookie")
				if !strings.Contains(c, "HttpOnly") || !strings.Contains(c, "SameSite=Strict") || !strings.HasPrefix(c, "descent_token_"+port+"=") {
					t.Errorf("%s with %s: Set-Cookie %q, want descent_token_%s=…; HttpOnly; SameSite=Strict", path, tc.name, c, port)
				}
			}
		}
	}
	resp, err := http.Get(ts.URL + "/healthz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("/healthz without a token: %v %v, want 200", resp, err)
	}
}

func TestAccessWebsocket(t *testing.T) {
	_, ts := newServerWith(t, 2000, 1, Config{Access: Access{Token: teacherToken, WatchToken: watchToken}})
	_, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(ts.URL, "http")+"/ws", nil)
	if err == nil || resp == nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("websocket without a token: %v, %v; want HTTP 401", resp, err)
	}
	teacher, hello := dialAs(t, ts, cookieHeader(teacherToken, ts))
	if hello["role"] != RoleControl {
		t.Errorf("teacher's hello.role = %v, want %q", hello["role"], RoleControl)
	}
	id := teacher.startPaced(1, smallConfig(50), 20)

	watcher, hello := dialAs(t, ts, cookieHeader(watchToken, ts))
	if hello["role"] != RoleWatch {
		t.Errorf("watcher's hello.role = %v, want %q", hello["role"], RoleWatch)
	}
	for i, cmd := range []map[string]any{
		{"type": "start", "config": smallConfig(1)},
		{"type": "sweep", "base": smallConfig(1), "variants": []map[string]any{{"lr": 0.1}}},
		{"type": "pause", "run": id}, {"type": "resume", "run": id}, {"type": "stop", "run": id},
		{"type": "delete", "run": id}, {"type": "rename", "run": id, "label": "x"},
	} {
		req := 10 + i
		cmd["req"] = req
		watcher.send(cmd)
		ev := watcher.until("error", func(ev event) bool { return ev["req"] == float64(req) })
		if ev["type"] != protocol.EvError || !strings.Contains(ev["message"].(string), "watch-only") {
			t.Errorf("watcher's %s: %v, want an error saying the link is watch-only", cmd["type"], ev)
		}
	}
	watcher.send(map[string]any{"type": "subscribe", "req": 30, "run": id})
	watcher.until("history", isType(protocol.EvHistory))
	watcher.until("steps", isType(protocol.EvSteps))
	watcher.send(trajCmd(31, "rosenbrock", []float64{-1.5, 2}, 50, nil, "adam"))
	watcher.created(31)
	watcher.send(predictCmd(32, id, 140, 140, bar()))
	if ev := watcher.answer(32); ev["type"] != protocol.EvPrediction {
		t.Errorf("watcher's predict: %v, want a prediction", ev)
	}
	teacher.send(map[string]any{"type": "stop", "req": 2, "run": id})
	teacher.until("stopped", statusOf(id, protocol.StatusStopped))
}

func TestAccessOpen(t *testing.T) {
	_, ts := newTestServer(t, 100, 1)
	if _, hello := dialAs(t, ts, nil); hello["role"] != RoleControl {
		t.Errorf("open server: hello.role = %v, want %q", hello["role"], RoleControl)
	}
	resp, err := http.Get(ts.URL + "/api/runs")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("open server: /api/runs: %v %v, want 200", resp, err)
	}
}

// TestAccessRebinding: a server without tokens answers to loopback names
// only, so that a page whose DNS name was rebound to 127.0.0.1 gets nothing.
func TestAccessRebinding(t *testing.T) {
	_, ts := newServerWith(t, 100, 1, Config{Access: Access{LoopbackNames: true}})
	port := ts.URL[strings.LastIndex(ts.URL, ":")+1:]
	for host, ok := range map[string]bool{"127.0.0.1:" + port: true, "localhost:" + port: true, "[::1]:" + port: true,
		"app.localhost:" + port: true, "127.0.0.2": true, "evil.example:" + port: false, "192.168.1.9:" + port: false} {
		for _, path := range []string{"/", "/api/runs", "/ws"} {
			req, _ := http.NewRequest("GET", ts.URL+path, nil)
			req.Host = host
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if (resp.StatusCode != http.StatusForbidden) != ok {
				t.Errorf("Host %q, %s: HTTP %d, want allowed %v", host, path, resp.StatusCode, ok)
			}
		}
	}
}

func TestCheckToken(t *testing.T) {
	for tok, ok := range map[string]bool{"short": false, "has space in it": false, "a/b/c/d/e": false,
		"good-token_1.2~": true, NewToken(): true} {
		if err := CheckToken("--token", tok); (err == nil) != ok {
			t.Errorf("CheckToken(%q) = %v, want ok %v", tok, err, ok)
		}
	}
	if a, b := NewToken(), NewToken(); a == b || len(a) < 22 {
		t.Errorf("NewToken: %q and %q, want two different tokens of 128 bits", a, b)
	}
}

// TestSameOrigin: the websocket takes pages of this server only.
func TestSameOrigin(t *testing.T) {
	_, ts := newTestServer(t, 100, 1)
	url := "ws" + strings.TrimPrefix(ts.URL, "http") + "/ws"
	_, resp, err := websocket.DefaultDialer.Dial(url, http.Header{"Origin": {"http://evil.example"}})
	if err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("websocket from another origin: %v, %v; want HTTP 403", resp, err)
	}
	ws, _, err := websocket.DefaultDialer.Dial(url, http.Header{"Origin": {ts.URL}})
	if err != nil {
		t.Fatalf("websocket from the page's origin: %v", err)
	}
	ws.Close()
	time.Sleep(10 * time.Millisecond)
}
