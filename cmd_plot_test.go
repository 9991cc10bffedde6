package main

import (
	"bytes"
	"context"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"descent/mnist"
	"descent/server/store"
)

// fillStore saves a sweep of two runs of three steps and one epoch each,
// with a checkpoint of a real tiny model, and returns the store's folder
// and the first run's and the sweep's ids.
func fillStore(t *testing.T) (dir, run, sweep string) {
	t.Helper()
	dir = t.TempDir()
	ctx := context.Background()
	st, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sw, err := st.CreateSweep(ctx, store.Sweep{Name: "lr", Kind: store.SweepLR})
	if err != nil {
		t.Fatal(err)
	}
	data := &mnist.Dataset{Images: make([]uint8, 64*mnist.InputSize), Labels: make([]uint8, 64), N: 64}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range data.Images {
		data.Images[i] = uint8(rng.IntN(256))
	}
	var first int64
	for i, lr := range []float64{0.1, 5} {
		cfg := mnist.DefaultConfig()
		cfg.Arch.Hidden, cfg.LR, cfg.Batch, cfg.Epochs = []int{9}, lr, 32, 1
		r, err := st.CreateRun(ctx, store.Run{Config: cfg, SweepID: sw.ID, Kind: store.KindSweepMember})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = r.ID
		}
		for k := 1; k <= 3; k++ {
			loss := 2.3 / float64(k)
			if lr == 5 && k == 3 {
				loss = math.Inf(1)
			}
			st.AddStep(r.ID, mnist.StepEvent{Epoch: 1, Step: k, Batch: k, StepsPerEpoch: 3, Loss: loss, LR: lr})
		}
		tr, err := mnist.NewTrainer(cfg, data, data)
		if err != nil {
			t.Fatal(err)
		}
		model, err := store.ModelBytes(tr.Snapshot())
		if err != nil {
			t.Fatal(err)
		}
		ev := mnist.EpochEvent{Epoch: 1, Step: 3, TestAccuracy: 0.25, Confusion: [10][10]int{{3, 1}, {0, 4}}}
		if err := st.AddEpoch(r.ID, ev, &store.Checkpoint{Model: model}); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	return dir, strconv.FormatInt(first, 10), strconv.FormatInt(sw.ID, 10)
}

func TestPlotCommand(t *testing.T) {
	dir, run, sweep := fillStore(t)
	out := t.TempDir()
	for _, c := range []struct {
		args    []string
		code    int
		errText string
		magic   string // the start of the file written
	}{
		{[]string{"--run", run, "--kind", "loss", "--out", "loss.svg"}, 0, "", "<?xml"},
		{[]string{"--run", run, "--kind", "accuracy", "--out", "acc.png", "--lang", "ko"}, 0, "", "\x89PNG"},
		{[]string{"--run", run, "--kind", "confusion", "--out", "conf.svg"}, 0, "", "<?xml"},
		{[]string{"--run", run, "--kind", "weights", "--out", "w.png"}, 0, "", "\x89PNG"},
		{[]string{"--sweep", sweep, "--out", "sweep.svg"}, 0, "", "<?xml"},
		{[]string{"--sweep", sweep, "--kind", "compare", "--out", "cmp.png"}, 0, "", "\x89PNG"},
		{[]string{"--run", "999", "--out", "x.svg"}, 1, "store: no run 999", ""},
		{[]string{"--sweep", "999", "--out", "x.svg"}, 1, "store: no sweep 999", ""},
		{[]string{"--out", "x.svg"}, 2, "give one of --run ID or --sweep ID", ""},
		{[]string{"--run", "1", "--sweep", "1", "--out", "x.svg"}, 2, "give one of", ""},
		{[]string{"--run", "r1", "--out", "x.svg"}, 2, "is not a saved run's or sweep's number", ""},
		{[]string{"--run", run, "--kind", "sweep", "--out", "x.svg"}, 2, "want one of loss, accuracy, confusion, weights", ""},
		{[]string{"--run", run}, 2, "--out FILE.png or FILE.svg is required", ""},
		{[]string{"--run", run, "--out", "x.pdf"}, 2, "want a .png or .svg file", ""},
		{[]string{"--run", run, "--out", "x.svg", "--lang", "fr"}, 2, "want en or ko", ""},
		{[]string{"--run", run, "--out", "x.svg", "--smooth", "1"}, 2, "[0, 1)", ""},
		{[]string{"--run", run, "--out", "x.svg", "--font", "/nonexistent.ttf"}, 2, "Korean font", ""},
	} {
		args := append([]string{"plot", "--data-dir", dir}, c.args...)
		for i, a := range args {
			if strings.HasSuffix(a, ".svg") || strings.HasSuffix(a, ".png") || strings.HasSuffix(a, ".pdf") {
				args[i] = filepath.Join(out, a)
			}
		}
		var stdout, stderr bytes.Buffer
		code := dispatch(args, &stdout, &stderr)
		if code != c.code || !strings.Contains(stderr.String(), c.errText) {
			t.Errorf("descent %s: exit %d, stderr %q; want %d and %q", strings.Join(c.args, " "), code, stderr.String(), c.code, c.errText)
			continue
		}
		if c.magic != "" {
			b, err := os.ReadFile(args[len(args)-1-indexFromEnd(c.args)])
			if err != nil || !bytes.HasPrefix(b, []byte(c.magic)) {
				t.Errorf("descent %s: file %.10q, %v", strings.Join(c.args, " "), b, err)
			}
		}
	}
}

// indexFromEnd is how far from the end of args the value of --out is.
func indexFromEnd(args []string) int {
	for i, a := range args {
		if a == "--out" {
			return len(args) - 2 - i
		}
	}
	return 0
}
