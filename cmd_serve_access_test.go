package main

import (
	"bytes"
	"flag"
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"
)

func parseClassroom(t *testing.T, args ...string) (*classroom, error) {
	t.Helper()
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c := classroomFlags(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return c, c.check()
}

func TestClassroomTokens(t *testing.T) {
	loop := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080}
	all := &net.TCPAddr{IP: net.IPv4zero, Port: 8080}
	for _, tc := range []struct {
		name         string
		args         []string
		addr         net.Addr
		open         bool
		token, watch string // "" for generated
	}{
		{"loopback", nil, loop, true, "", ""},
		{"loopback with --token", []string{"--token", "teacher-123"}, loop, false, "teacher-123", ""},
		{"every address", nil, all, false, "", ""},
		{"every address with both", []string{"--token", "teacher-123", "--watch-token", "student-123"}, all, false, "teacher-123", "student-123"},
	} {
		c, err := parseClassroom(t, tc.args...)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		a := c.access(tc.addr)
		if a.Open() != tc.open || a.LoopbackNames != tc.open {
			t.Errorf("%s: open %v, want %v", tc.name, a.Open(), tc.open)
			continue
		}
		if tc.open {
			continue
		}
		if (tc.token != "" && a.Token != tc.token) || len(a.Token) < 8 || (tc.watch != "" && a.WatchToken != tc.watch) ||
			len(a.WatchToken) < 8 || a.Token == a.WatchToken {
			t.Errorf("%s: tokens %q and %q", tc.name, a.Token, a.WatchToken)
		}
		if b := c.access(tc.addr); b != a {
			t.Errorf("%s: access changed between calls: %v then %v", tc.name, a, b)
		}
		var out bytes.Buffer
		c.announce(&out, slog.New(slog.NewTextHandler(io.Discard, nil)), tc.addr)
		if !strings.Contains(out.String(), "/?token="+a.Token) || !strings.Contains(out.String(), "/?token="+a.WatchToken) {
			t.Errorf("%s: printed %q, want both links", tc.name, out.String())
		}
	}
}

func TestClassroomRefuses(t *testing.T) {
	for _, args := range [][]string{
		{"--token", "short"}, {"--token", "has space"}, {"--token", "same-token", "--watch-token", "same-token"},
		{"--max-epochs", "0"}, {"--max-epochs", "100000"}, {"--max-rate", "0"}, {"--max-conns", "0"}, {"--max-message", "1000000000"},
		{"--max-learners", "0"}, {"--max-learners-total", "-1"}, {"--max-learn-memory", "0"}, {"--max-learn-memory", "2000000"},
		{"--max-kept", "0"}, {"--learn-workers", "0"}, {"--learn-workers", "65"},
		{"--max-landscape-grid", "0"}, {"--max-landscape-grid", "1"}, {"--max-landscape-grid", "402"}, {"--max-landscape-images", "0"}, {"--max-landscape-images", "70000"},
		{"--max-hessian-examples", "0"}, {"--max-hessian-examples", "60001"}, {"--max-hessian-params", "0"},
		{"--sharpness-budget", "0"}, {"--sharpness-budget", "-1"}, {"--sharpness-budget", "9"}, {"--sharpness-budget", "NaN"},
	} {
		if _, err := parseClassroom(t, args...); err == nil || !strings.HasPrefix(err.Error(), "server: ") {
			t.Errorf("%v: %v, want a server: error", args, err)
		}
	}
}
