package server

import (
	"strings"
	"testing"

	"descent/server/protocol"
)

// TestPresent: the teacher presents, every page gets it (a page that comes
// later too), a watch page cannot present, and bad states are refused.
func TestPresent(t *testing.T) {
	_, ts := newServerWith(t, 100, 1, Config{Access: Access{Token: teacherToken, WatchToken: watchToken}})
	teacher, _ := dialAs(t, ts, cookieHeader(teacherToken, ts))
	watcher, _ := dialAs(t, ts, cookieHeader(watchToken, ts))
	teacher.send(map[string]any{"type": "present", "req": 1, "state": "lesson=2&step=3"})
	for _, c := range []*client{watcher, teacher} {
		ev := c.until("presented", isType(protocol.EvPresented))
		if ev["state"] != "lesson=2&step=3" || ev["version"].(float64) < 1 {
			t.Errorf("presented %v, want lesson=2&step=3", ev)
		}
	}
	late, _ := dialAs(t, ts, cookieHeader(watchToken, ts))
	if ev := late.until("presented", isType(protocol.EvPresented)); ev["state"] != "lesson=2&step=3" {
		t.Errorf("a page that came later: %v", ev)
	}
	watcher.send(map[string]any{"type": "present", "req": 2, "state": "view=train"})
	if ev := watcher.until("error", isType(protocol.EvError)); ev["code"] != protocol.CodeWatchOnly {
		t.Errorf("a watch page presenting: %v, want watchOnly", ev)
	}
	for _, tc := range []struct{ frame, code string }{
		{`{"type":"present","state":"` + strings.Repeat("x", protocol.MaxPresentState+1) + `"}`, protocol.CodeTooLarge},
		{`{"type":"present","state":"a\u0007b"}`, protocol.CodeInvalid},
		{`{"type":"present","state":7}`, protocol.CodeBadType},
	} {
		teacher.sendRaw(tc.frame)
		if ev := teacher.until("error", isType(protocol.EvError)); ev["code"] != tc.code {
			t.Errorf("%.60s: %v, want %s", tc.frame, ev, tc.code)
		}
	}
	teacher.send(map[string]any{"type": "present", "req": 3, "state": ""})
	if ev := late.until("presented", isType(protocol.EvPresented)); ev["state"] != "" {
		t.Errorf("stopped presenting: %v, want an empty state", ev)
	}
}
