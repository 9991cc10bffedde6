package server

import (
	"strings"
	"testing"

	"descent/server/protocol"
)

// testParser is a server that parses commands as a real one does, with
// the default limits, for 60,000 training images.
func testParser() *Server {
	return &Server{validator: validator{trainN: 60000}, limits: Limits{}.withDefaults()}
}

func TestParseRefusesBadCommands(t *testing.T) {
	s := testParser()
	good := `"optimizer":"sgd","lr":0.1,"batch":64,"epochs":2`
	cases := []struct {
		name, frame, field, allowed string
	}{
		{"not JSON", `{"type":`, "", "a JSON object"},
		{"missing type", `{"run":"r1"}`, "type", "start"},
		{"type not a string", `{"type":3}`, "type", "start"},
		{"unknown type", `{"type":"explode"}`, "type", "sweep"},
		{"unknown field", `{"type":"list","bogus":1}`, "bogus", ""},
		{"missing run", `{"type":"pause"}`, "run", "run id"},
		{"run of wrong type", `{"type":"stop","run":5}`, "run", "string"},
		{"missing lr", `{"type":"start","config":{"optimizer":"sgd","batch":64,"epochs":2}}`, "config.lr", "(0, 1000]"},
		{"lr as string", `{"type":"start","config":{"optimizer":"sgd","lr":"fast","batch":64,"epochs":2}}`, "config.lr", "number"},
		{"lr overflows", `{"type":"start","config":{"optimizer":"sgd","lr":1e999,"batch":64,"epochs":2}}`, "config.lr", "finite"},
		{"lr negative", `{"type":"start","config":{"optimizer":"sgd","lr":-1,"batch":64,"epochs":2}}`, "config.lr", "(0, 1000]"},
		{"batch fractional", `{"type":"start","config":{"optimizer":"sgd","lr":0.1,"batch":6.5,"epochs":2}}`, "config.batch", "integer"},
		{"batch too big", `{"type":"start","config":{"optimizer":"sgd","lr":0.1,"batch":60001,"epochs":2}}`, "config.batch", "1 to 60000"},
		{"epochs zero", `{"type":"start","config":{"optimizer":"sgd","lr":0.1,"batch":64,"epochs":0}}`, "config.epochs", "1 to 1000"},
		{"too many steps", `{"type":"start","config":{"optimizer":"sgd","lr":0.1,"batch":1,"epochs":101}}`, "config.epochs", "1 to 100 at batch 1"},
		{"unknown optimizer", `{"type":"start","config":{"optimizer":"magic","lr":0.1,"batch":64,"epochs":2}}`, "config.optimizer", "adam"},
		{"surface-only optimizer", `{"type":"start","config":{"optimizer":"newton","lr":0.1,"batch":64,"epochs":2}}`, "config.optimizer", "sgd"},
		{"hyper out of range", `{"type":"start","config":{` + good + `,"hyper":{"momentum":1.5}}}`, "config.hyper.momentum", "[0, 1)"},
		{"hyper unknown", `{"type":"start","config":{` + good + `,"hyper":{"beta1":0.9}}}`, "config.hyper.beta1", "momentum"},
		{"hyper repeats lr", `{"type":"start","config":{` + good + `,"hyper":{"lr":0.9}}}`, "config.hyper.lr", "config lr"},
		{"nesterov without momentum", `{"type":"start","config":{` + good + `,"hyper":{"nesterov":1}}}`, "config.hyper", ""},
		{"hidden too wide", `{"type":"start","config":{` + good + `,"arch":{"hidden":[5000],"activation":"relu"}}}`, "config.arch.hidden[0]", "1 to 4096"},
		{"activation unknown", `{"type":"start","config":{` + good + `,"arch":{"hidden":[10],"activation":"swish"}}}`, "config.arch.activation", "sigmoid"},
		{"seed too large", `{"type":"start","config":{` + good + `,"seed":9007199254740993}}`, "config.seed", "9007199254740992"},
		{"schedule unknown", `{"type":"start","config":{` + good + `,"schedule":{"kind":"zigzag"}}}`, "config.schedule.kind", "cosine"},
		{"schedule gamma", `{"type":"start","config":{` + good + `,"schedule":{"kind":"step","stepSize":10,"gamma":2}}}`, "config.schedule.gamma", "(0, 1]"},
		{"lr range max below min", `{"type":"start","config":{"optimizer":"sgd","lrRange":true,"lrMin":1,"lrMax":0.5,"batch":64,"epochs":1}}`, "config.lrMax", "(lrMin, 1000]"},
		{"label too long", `{"type":"start","label":"` + strings.Repeat("x", 41) + `","config":{` + good + `}}`, "label", "at most 40"},
		{"sweep empty", `{"type":"sweep","base":{` + good + `},"variants":[]}`, "variants", "1 to 12"},
		{"sweep variant lr", `{"type":"sweep","base":{` + good + `},"variants":[{"lr":0.1},{"lr":0}]}`, "variants[1].lr", "(0, 1000]"},
		{"sweep base batch", `{"type":"sweep","base":{"optimizer":"sgd","epochs":1},"variants":[{"lr":0.1}]}`, "base.batch", "1 to 60000"},
		{"oversized", `{"type":"list","pad":"` + strings.Repeat("x", protocol.MaxCommandBytes) + `"}`, "", "at most 16384 bytes"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, _, _, err := s.parse([]byte(tc.frame), RoleControl)
			fe, ok := err.(*protocol.FieldError)
			if !ok {
				t.Fatalf("parse(%.80s) = %v, want a *FieldError", tc.frame, err)
			}
			if fe.Field != tc.field || !strings.Contains(fe.Allowed, tc.allowed) || fe.Code != refusalCodes[tc.name] {
				t.Errorf("parse(%.80s): %s field %q allowed %q (%s), want %s field %q allowed containing %q",
					tc.frame, fe.Code, fe.Field, fe.Allowed, fe.Message, refusalCodes[tc.name], tc.field, tc.allowed)
			}
		})
	}
}

// refusalCodes are the codes of TestParseRefusesBadCommands' cases, by
// which the page says them in its language.
var refusalCodes = map[string]string{
	"not JSON": protocol.CodeInvalid, "missing type": protocol.CodeMissing, "type not a string": protocol.CodeBadType,
	"unknown type": protocol.CodeUnknown, "unknown field": protocol.CodeUnknown, "missing run": protocol.CodeMissing,
	"run of wrong type": protocol.CodeBadType, "missing lr": protocol.CodeMissing, "lr as string": protocol.CodeBadType,
	"lr overflows": protocol.CodeOutOfRange, "lr negative": protocol.CodeOutOfRange, "batch fractional": protocol.CodeBadType,
	"batch too big": protocol.CodeOutOfRange, "epochs zero": protocol.CodeOutOfRange, "too many steps": protocol.CodeOutOfRange,
	"unknown optimizer": protocol.CodeUnknown, "surface-only optimizer": protocol.CodeInvalid,
	"hyper out of range": protocol.CodeOutOfRange, "hyper unknown": protocol.CodeUnknown, "hyper repeats lr": protocol.CodeUnknown,
	"nesterov without momentum": protocol.CodeInvalid, "hidden too wide": protocol.CodeOutOfRange,
	"activation unknown": protocol.CodeUnknown, "seed too large": protocol.CodeOutOfRange, "schedule unknown": protocol.CodeUnknown,
	"schedule gamma": protocol.CodeOutOfRange, "lr range max below min": protocol.CodeOutOfRange, "label too long": protocol.CodeTooLarge,
	"sweep empty": protocol.CodeOutOfRange, "sweep variant lr": protocol.CodeOutOfRange, "sweep base batch": protocol.CodeMissing,
	"oversized": protocol.CodeTooLarge,
}

func TestParseAcceptsGoodCommands(t *testing.T) {
	s := testParser()
	cases := []string{
		`{"type":"list","req":4}`,
		`{"type":"pause","run":"r1"}`,
		`{"type":"subscribe","run":"r1","weights":true}`,
		`{"type":"start","req":1,"config":{"optimizer":"adam","lr":0.001,"batch":64,"epochs":3,"hyper":{"beta1":0.8,"amsgrad":1}}}`,
		`{"type":"start","config":{"optimizer":"sgd","lr":0.1,"batch":60000,"epochs":1,"schedule":{"kind":"cosine","tMax":100,"etaMin":0}}}`,
		`{"type":"start","config":{"optimizer":"sgd","lrRange":true,"batch":64,"epochs":1}}`,
		`{"type":"sweep","base":{"optimizer":"sgd","batch":64,"epochs":1},"variants":[{"lr":0.01},{"lr":0.1},{"optimizer":"adam","lr":0.001},{"lr":0.1,"batch":1}]}`,
	}
	for _, frame := range cases {
		if _, _, _, _, err := s.parse([]byte(frame), RoleControl); err != nil {
			t.Errorf("parse(%s) = %v", frame, err)
		}
	}
}
