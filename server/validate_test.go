package server

import (
	"strings"
	"testing"
)

func TestParseRefusesBadCommands(t *testing.T) {
	v := validator{trainN: 60000}
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
		{"oversized", `{"type":"list","pad":"` + strings.Repeat("x", MaxCommandBytes) + `"}`, "", "at most 16384 bytes"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, _, err := v.parse([]byte(tc.frame))
			fe, ok := err.(*FieldError)
			if !ok {
				t.Fatalf("parse(%.80s) = %v, want a *FieldError", tc.frame, err)
			}
			if fe.Field != tc.field || !strings.Contains(fe.Allowed, tc.allowed) {
				t.Errorf("parse(%.80s): field %q allowed %q (%s), want field %q allowed containing %q",
					tc.frame, fe.Field, fe.Allowed, fe.Message, tc.field, tc.allowed)
			}
		})
	}
}

func TestParseAcceptsGoodCommands(t *testing.T) {
	v := validator{trainN: 60000}
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
		if _, _, _, err := v.parse([]byte(frame)); err != nil {
			t.Errorf("parse(%s) = %v", frame, err)
		}
	}
}

func TestSeriesPointsKeepExtremes(t *testing.T) {
	var s series
	for i := range 10_000 {
		loss := float32(1)
		if i == 4321 {
			loss = 50 // a spike that decimation must keep
		}
		s.add(stepRec{loss: loss, lr: float32(i)})
	}
	p := s.points("r1", 0, s.len(), HistoryPoints)
	if len(p.Step) > HistoryPoints || p.Step[len(p.Step)-1] != 10_000 {
		t.Fatalf("%d points ending at step %d, want ≤ %d ending at 10000", len(p.Step), p.Step[len(p.Step)-1], HistoryPoints)
	}
	var peak float32
	for _, v := range p.LossMax {
		peak = max(peak, v)
	}
	if peak != 50 {
		t.Errorf("max loss after merging = %g, want the spike 50", peak)
	}
	if full := s.points("r1", 100, 200, HistoryPoints); len(full.Step) != 100 || full.LossMin != nil || full.Step[0] != 101 {
		t.Errorf("100 steps gave %d points (lossMin %v, first step %d), want every step unmerged from 101", len(full.Step), full.LossMin != nil, full.Step[0])
	}
}
