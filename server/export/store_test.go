package export

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"strconv"
	"testing"

	"descent/mnist"
	"descent/server/store"
)

// TestExportStoredSweepRoundTrip exports a sweep saved in a store, reads the
// CSV and the JSON back and wants exactly the stored steps and epochs.
func TestExportStoredSweepRoundTrip(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sw, err := st.CreateSweep(ctx, store.Sweep{Name: "rates", Kind: store.SweepLR})
	if err != nil {
		t.Fatal(err)
	}
	for _, lr := range []float64{0.01, 0.1, 10} {
		cfg := mnist.DefaultConfig()
		cfg.LR, cfg.Epochs = lr, 2
		r, err := st.CreateRun(ctx, store.Run{Config: cfg, SweepID: sw.ID, Kind: store.KindSweepMember})
		if err != nil {
			t.Fatal(err)
		}
		for k := 1; k <= 200; k++ {
			loss := 2.302585092994046 * math.Exp(-lr*float64(k)/7)
			if lr == 10 && k == 200 {
				loss = math.NaN() // diverged
			}
			st.AddStep(r.ID, mnist.StepEvent{Epoch: 1 + (k-1)/100, Step: k, Batch: 1 + (k-1)%100, StepsPerEpoch: 100,
				Loss: loss, GradNorm: 1 / float64(k), UpdateRatio: 1e-3 / 3, LR: lr})
			if k%100 == 0 {
				st.AddEpoch(r.ID, mnist.EpochEvent{Epoch: k / 100, Step: k, TrainLoss: 1 / 3.0, TestLoss: 2 / 3.0,
					TestAccuracy: 0.9123, Confusion: [10][10]int{{k}}}, nil)
			}
		}
	}
	if err := st.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	want, err := StoreSweep(ctx, st, sw.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range want { // StoreSweep holds what the store holds, as the page shows it (float32)
		id, _ := strconv.ParseInt(r.ID, 10, 64)
		steps, _ := st.Steps(ctx, id, 0, 0)
		if len(steps) != 200 || len(r.Steps.Step) != 200 || len(r.Epochs) != 2 {
			t.Fatalf("run %s: %d stored steps, %d exported, %d epochs", r.ID, len(steps), len(r.Steps.Step), len(r.Epochs))
		}
		for k, e := range steps {
			if l := r.Steps.Loss[k]; l != float32(e.Loss) && !(l != l && math.IsNaN(e.Loss)) {
				t.Fatalf("run %s step %d: loss %v, stored %v", r.ID, e.Step, l, e.Loss)
			}
		}
	}
	if want[2].DivergedAt != 200 {
		t.Errorf("α=10 diverged at %d, want 200", want[2].DivergedAt)
	}

	var buf bytes.Buffer
	if err := writeRuns(&buf, "json", want); err != nil {
		t.Fatal(err)
	}
	var got struct{ Runs []RunData }
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	compareRuns(t, "JSON", got.Runs, want, true)

	buf.Reset()
	if err := writeRuns(&buf, "csv", want); err != nil {
		t.Fatal(err)
	}
	compareRuns(t, "CSV", readRunsCSV(t, &buf), want, false)
}
