package server

import (
	"testing"

	"descent/server/protocol"
	"descent/server/runs"
)

// TestSharpnessPaced: a paced run, which waits on the clock most of the
// time, has its tracker measure many times an epoch (its budget the paced
// one), and back at full speed it keeps to --sharpness-budget again.
func TestSharpnessPaced(t *testing.T) {
	_, ts := newTestServer(t, 1000, 1)
	c := dial(t, ts)
	budget := func(ev event) any { return ev["run"].(map[string]any)["sharpness"].(map[string]any)["budget"] }
	c.send(map[string]any{"type": "start", "req": 1, "config": smallConfig(2), "pace": map[string]any{"epochSeconds": 1},
		"sharpness": map[string]any{"examples": 100}})
	created := c.until("runCreated", isType(protocol.EvRunCreated))
	id := created["run"].(map[string]any)["id"].(string)
	if b := budget(created); b != float64(runs.PacedSharpnessBudget) {
		t.Errorf("a paced run's tracker has the budget %v, want %v", b, runs.PacedSharpnessBudget)
	}
	c.send(map[string]any{"type": "subscribe", "req": 2, "run": id})
	var marks [][3]float64
	c.until("the first epoch", func(ev event) bool {
		if ev["type"] == protocol.EvHistory || ev["type"] == protocol.EvSteps {
			sharpnessOf(t, ev, &marks)
		}
		return ev["type"] == protocol.EvEpoch
	})
	// 63 steps an epoch: a measurement on 100 images costs this small
	// network about 8 of its steps, so the paced budget allows about 9 of
	// the 20 an epoch; --sharpness-budget's 0.1 would allow the first alone.
	if len(marks) < 5 {
		t.Errorf("%d measurements in the first paced epoch, want about 9", len(marks))
	}
	c.send(map[string]any{"type": "pace", "req": 3, "run": id, "epochSeconds": 0})
	ev := c.until("the run at full speed", func(ev event) bool {
		return (ev["type"] == protocol.EvStatus || ev["type"] == protocol.EvRunCreated) && ev["run"].(map[string]any)["id"] == id &&
			ev["run"].(map[string]any)["pace"].(map[string]any)["epochSeconds"] == 0.0
	})
	if b := budget(ev); b != DefaultSharpnessBudget {
		t.Errorf("at full speed the tracker has the budget %v, want %v", b, DefaultSharpnessBudget)
	}
}
