package server

import (
	"strings"
	"testing"

	"descent/mnist"
	"descent/server/protocol"
)

// TestParseRefusesBadLandscapes: every bad landscape command is refused
// with a code, the field and what is allowed, before any work.
func TestParseRefusesBadLandscapes(t *testing.T) {
	s := testParser()
	s.cfg.Test = &mnist.Dataset{N: 10000}
	long := strings.Repeat("r", 65)
	cases := []struct {
		name, frame, code, field, allowed string
	}{
		{"no source", `{"type":"landscape"}`, protocol.CodeMissing, "run", "one of run, sweep, model"},
		{"two sources", `{"type":"landscape","run":"r1","model":"m"}`, protocol.CodeInvalid, "model", "one of run, sweep, model"},
		{"long id", `{"type":"landscape","run":"` + long + `"}`, protocol.CodeTooLarge, "run", "at most 64"},
		{"unknown plane", `{"type":"landscape","run":"r1","plane":"flat"}`, protocol.CodeUnknown, "plane", "pca or random"},
		{"random sweep", `{"type":"landscape","sweep":"s1","plane":"random"}`, protocol.CodeUnknown, "plane", "pca (one plane"},
		{"pca model", `{"type":"landscape","model":"m","plane":"pca"}`, protocol.CodeUnknown, "plane", "random (a saved model"},
		{"grid 1", `{"type":"landscape","run":"r1","grid":1}`, protocol.CodeOutOfRange, "grid", "2 to 101"},
		{"grid over the limit", `{"type":"landscape","run":"r1","grid":500}`, protocol.CodeLimit, "grid", "--max-landscape-grid"},
		{"grid fractional", `{"type":"landscape","run":"r1","grid":5.5}`, protocol.CodeBadType, "grid", "integer"},
		{"range negative", `{"type":"landscape","run":"r1","range":-1}`, protocol.CodeOutOfRange, "range", "(0, 1000]"},
		{"range huge", `{"type":"landscape","run":"r1","range":1e9}`, protocol.CodeOutOfRange, "range", "(0, 1000]"},
		{"range overflows", `{"type":"landscape","run":"r1","range":1e999}`, protocol.CodeOutOfRange, "range", "finite"},
		{"range and domain", `{"type":"landscape","run":"r1","range":1,"domain":[-1,1,-1,1]}`, protocol.CodeInvalid, "domain", "not both"},
		{"domain empty", `{"type":"landscape","run":"r1","domain":[1,-1,-1,1]}`, protocol.CodeInvalid, "domain", "aMin < aMax"},
		{"domain short", `{"type":"landscape","run":"r1","domain":[0,1,2]}`, protocol.CodeInvalid, "domain", "bMin < bMax"},
		{"domain far", `{"type":"landscape","run":"r1","domain":[-1,1,-1,5000]}`, protocol.CodeOutOfRange, "domain[3]", "[-1000, 1000]"},
		{"examples negative", `{"type":"landscape","run":"r1","examples":-5}`, protocol.CodeOutOfRange, "examples", "1 to 10000"},
		{"examples over the limit", `{"type":"landscape","run":"r1","examples":20000}`, protocol.CodeLimit, "examples", "--max-landscape-images"},
		{"test examples over the limit", `{"type":"landscape","run":"r1","testExamples":10001}`, protocol.CodeLimit, "testExamples", "0 to 10000"},
		{"seed on a pca plane", `{"type":"landscape","run":"r1","seed":4}`, protocol.CodeOutOfRange, "seed", "random plane"},
		{"seed too large", `{"type":"landscape","model":"m","seed":9007199254740993}`, protocol.CodeOutOfRange, "seed", "9007199254740992"},
		{"follow a model", `{"type":"landscape","model":"m","follow":true}`, protocol.CodeInvalid, "follow", "a run or a sweep"},
		{"unknown field", `{"type":"landscape","run":"r1","resolution":3}`, protocol.CodeUnknown, "resolution", ""},
		{"line of a model", `{"type":"landscapeLine","model":"m"}`, protocol.CodeUnknown, "model", ""},
		{"line without source", `{"type":"landscapeLine"}`, protocol.CodeMissing, "run", "one of run, sweep"},
		{"line test examples", `{"type":"landscapeLine","run":"r1","testExamples":-1}`, protocol.CodeOutOfRange, "testExamples", "0 to 10000"},
		{"cancel with a run", `{"type":"landscapeCancel","run":"r1"}`, protocol.CodeUnknown, "run", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, _, _, err := s.parse([]byte(tc.frame), RoleWatch)
			fe, ok := err.(*protocol.FieldError)
			if !ok {
				t.Fatalf("parse(%.80s) = %v, want a *FieldError", tc.frame, err)
			}
			if fe.Code != tc.code || (tc.field != "" && fe.Field != tc.field) || !strings.Contains(fe.Allowed, tc.allowed) {
				t.Errorf("parse(%.80s): %s field %q allowed %q (%s); want %s field %q allowed containing %q",
					tc.frame, fe.Code, fe.Field, fe.Allowed, fe.Message, tc.code, tc.field, tc.allowed)
			}
		})
	}
	for _, good := range []string{`{"type":"landscape","run":"r1"}`, `{"type":"landscape","sweep":"s1","follow":true,"grid":101}`,
		`{"type":"landscape","model":"m","seed":0,"range":2,"examples":10000,"testExamples":10000}`,
		`{"type":"landscapeLine","run":"r1","testExamples":0}`, `{"type":"landscapeCancel","req":3}`} {
		if _, _, _, _, err := s.parse([]byte(good), RoleWatch); err != nil {
			t.Errorf("parse(%s) by a watch-only page: %v", good, err)
		}
	}
}

// TestLandscapeRefusedOverTheSocket: what only the work can find out (an
// unknown run, model or sweep, a run that has not moved) comes back as an
// error answering the command, and the page and the server go on.
func TestLandscapeRefusedOverTheSocket(t *testing.T) {
	_, ts := newTestServer(t, 200, 1)
	c := dial(t, ts)
	id := c.start(1, map[string]any{"optimizer": "sgd", "lr": 0.1, "batch": 16, "epochs": 100,
		"arch": map[string]any{"hidden": []int{4}, "activation": "sigmoid"}})
	c.send(map[string]any{"type": "pause", "run": id})
	for i, tc := range []struct {
		cmd         map[string]any
		code, field string
	}{
		{map[string]any{"type": "landscape", "run": "r99"}, protocol.CodeUnknown, "run"},
		{map[string]any{"type": "landscape", "model": "nope"}, protocol.CodeUnknown, "model"},
		{map[string]any{"type": "landscape", "sweep": "s9"}, protocol.CodeUnknown, "sweep"},
		{map[string]any{"type": "landscapeLine", "run": "r99"}, protocol.CodeUnknown, "run"},
		{map[string]any{"type": "landscape", "run": id, "grid": 400}, protocol.CodeLimit, "grid"},
	} {
		req := 10 + i
		tc.cmd["req"] = req
		c.send(tc.cmd)
		ev := c.until("the refusal", func(ev event) bool { return ev["type"] == protocol.EvError && ev["req"] == float64(req) })
		if ev["code"] != tc.code || ev["field"] != tc.field || ev["command"] != tc.cmd["type"] || ev["message"] == "" {
			t.Errorf("%v refused with %v", tc.cmd, ev)
		}
	}
	c.send(map[string]any{"type": "list", "req": 30})
	if ev := c.until("the list", isType(protocol.EvRuns)); ev["req"] != float64(30) {
		t.Errorf("list answered %v", ev)
	}
	c.send(map[string]any{"type": "stop", "run": id})
}
