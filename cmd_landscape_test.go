package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"descent/mnist"
	"descent/server/store"
)

// tinyModel trains a small network on the fake data and saves it.
func tinySavedModel(t *testing.T, data string) (string, *mnist.Model) {
	t.Helper()
	train, test, err := mnist.Load(data)
	if err != nil {
		t.Fatal(err)
	}
	cfg := mnist.DefaultConfig()
	cfg.Arch.Hidden, cfg.Batch, cfg.Epochs = []int{6}, 32, 2
	tr, _ := mnist.NewTrainer(cfg, train, test)
	tr.Run(context.Background(), mnist.Hooks{})
	path := filepath.Join(t.TempDir(), "tiny.descent")
	m := tr.Snapshot()
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	return path, m
}

// storedRuns trains a sweep of two small runs into a store with their paths
// kept, as the server does, plus a run without a path, and returns the
// store's folder, the first run's id and the sweep's.
func storedRuns(t *testing.T, data string) (dir, run, sweep string) {
	t.Helper()
	train, test, _ := mnist.Load(data)
	dir = t.TempDir()
	ctx := context.Background()
	st, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sw, _ := st.CreateSweep(ctx, store.Sweep{Name: "lr", Kind: store.SweepLR})
	var first int64
	for _, lr := range []float64{0.5, 2} {
		cfg := mnist.DefaultConfig()
		cfg.Arch.Hidden, cfg.Batch, cfg.Epochs, cfg.LR = []int{6}, 16, 3, lr
		tr, _ := mnist.NewTrainer(cfg, train, test)
		r, _ := st.CreateRun(ctx, store.Run{Config: cfg, Status: store.StatusRunning, SweepID: sw.ID, Kind: store.KindSweepMember})
		if first == 0 {
			first = r.ID
		}
		path, _ := mnist.NewPath(cfg.Arch, tr.InitialWeights(), 0)
		st.AddPathStart(r.ID, path)
		record := tr.RecordPath(path, func(s *mnist.Snapshot, every int) { st.AddPathPoint(r.ID, s, every) })
		res, _ := tr.Run(ctx, mnist.Hooks{Step: record, Epoch: func(e mnist.EpochEvent) {
			ck, _ := tr.Checkpoint(e.Epoch)
			st.AddEpoch(r.ID, e, &store.Checkpoint{Model: ck.Model, Optimizer: ck.Optimizer})
		}})
		st.Finish(ctx, r.ID, res)
	}
	// A run without a path, as runs from before paths were kept.
	st.CreateRun(ctx, store.Run{Config: mnist.DefaultConfig(), Status: store.StatusDone})
	return dir, strconv.FormatInt(first, 10), strconv.FormatInt(sw.ID, 10)
}

func TestLandscapeRefusesBadFlags(t *testing.T) {
	data := fakeMNIST(t, 400)
	model, _ := tinySavedModel(t, data)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{}, "give one of --model FILE, --run ID or --sweep ID"},
		{[]string{"--model", model, "--run", "1"}, "give one of"},
		{[]string{"--run", "1", "--sweep", "1"}, "give one of"},
		{[]string{"--run", "r1"}, `--run "r1" is not a stored run's number`},
		{[]string{"--sweep", "s1"}, `--sweep "s1" is not a stored sweep's number`},
		{[]string{"--model", model, "--plane", "pca"}, "a model's slice is on --plane random"},
		{[]string{"--run", "1", "--plane", "random"}, "a run's or a sweep's paths on --plane pca"},
		{[]string{"--model", model, "--plane", "hessian"}, `--plane "hessian"`},
		{[]string{"--model", model, "--grid", "1"}, "--grid 1: want 2 to 401"},
		{[]string{"--model", model, "--grid", "1000"}, "--grid 1000"},
		{[]string{"--model", model, "--range", "-1"}, "--range -1: want a finite R > 0"},
		{[]string{"--model", model, "--range", "NaN"}, "--range NaN"},
		{[]string{"--model", model, "--examples", "0"}, "--examples 0: want 1 to 60000"},
		{[]string{"--model", model, "--examples", "70000"}, "--examples 70000"},
		{[]string{"--model", model, "--test-examples", "-3"}, "--test-examples -3"},
		{[]string{"--model", model, "--workers", "0"}, "--workers 0"},
		{[]string{"--model", model, "--out", "x.pdf"}, "want a .png or .svg file"},
		{[]string{"--model", model, "--lang", "fr"}, "want en or ko"},
		{[]string{"--model", model, "extra"}, `unexpected argument "extra"`},
		{[]string{"--model", filepath.Join(t.TempDir(), "none.descent")}, "no such file"},
		{[]string{"--model", data + "/" + mnist.TrainLabelsFile}, "not a descent model file"},
		{[]string{"--no-such-flag"}, "flag provided but not defined"},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			var out, errb bytes.Buffer
			code := dispatch(append([]string{"landscape", "--data", data}, c.args...), &out, &errb)
			if code != 2 || !strings.Contains(errb.String(), c.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errb.String(), c.want)
			}
		})
	}
}

// TestLandscapeModel slices a saved model as a user would and checks the
// JSON: the axes, one row of losses per b, and the centre, which is the
// model's own loss on the first N training images.
func TestLandscapeModel(t *testing.T) {
	data := fakeMNIST(t, 400)
	model, m := tinySavedModel(t, data)
	fig := filepath.Join(t.TempDir(), "slice.svg")
	var out, errb bytes.Buffer
	code := dispatch([]string{"landscape", "--model", model, "--data", data, "--examples", "300", "--grid", "7",
		"--range", "0.5", "--test-examples", "50", "--json", "--out", fig}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var got struct {
		A, B     []float64
		Loss     [][]float64
		TestLoss [][]float64
		Center   float64
		Seconds  float64
		Plane    string
		Examples int
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("%v in %s", err, out.String())
	}
	if len(got.A) != 7 || got.A[0] != -0.5 || got.A[6] != 0.5 || len(got.B) != 7 || len(got.Loss) != 7 || len(got.Loss[0]) != 7 ||
		len(got.TestLoss) != 7 || got.Plane != "random" || got.Examples != 300 || !(got.Seconds > 0) {
		t.Errorf("JSON %s", out.String())
	}
	train, _, _ := mnist.Load(data)
	net, _ := mnist.NetFrom[float64](m)
	want, _, _ := net.Evaluate(train, 300)
	if math.Abs(got.Center-want) > 1e-5*want || got.Loss[3][3] != got.Center {
		t.Errorf("centre %g, grid centre %g; the model's loss on 300 images is %g", got.Center, got.Loss[3][3], want)
	}
	if b, err := os.ReadFile(fig); err != nil || !bytes.HasPrefix(b, []byte("<?xml")) {
		t.Errorf("figure: %.20q, %v", b, err)
	}
	out.Reset()
	if code := dispatch([]string{"landscape", "--model", model, "--data", data, "--examples", "100", "--grid", "5"}, &out, &errb); code != 0 ||
		!strings.Contains(out.String(), "centre L(θ) = ") {
		t.Errorf("summary: exit %d, %q", code, out.String())
	}
}

// TestLandscapeRun draws a stored run's path on its PCA plane.
func TestLandscapeRun(t *testing.T) {
	data := fakeMNIST(t, 400)
	dir, run, sweep := storedRuns(t, data)
	fig := filepath.Join(t.TempDir(), "path.png")
	var out, errb bytes.Buffer
	code := dispatch([]string{"landscape", "--run", run, "--data-dir", dir, "--plane", "pca", "--data", data,
		"--examples", "200", "--grid", "9", "--json", "--out", fig}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var got struct {
		A, B      []float64
		Loss      [][]float64
		Path      [][3]float64
		OffPlane  []float64
		Explained []float64
		Center    float64
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("%v in %s", err, out.String())
	}
	n := len(got.Path)
	if n < 10 || got.Path[0][2] != 0 || got.Path[n-1][2] != 75 || len(got.OffPlane) != n || len(got.Explained) != 2 {
		t.Fatalf("path of %d points from step %v to %v, %d distances, explained %v", n, got.Path[0], got.Path[n-1], len(got.OffPlane), got.Explained)
	}
	if e := got.Explained; e[0] < e[1] || e[0]+e[1] > 1+1e-9 || e[0]+e[1] < 0.5 {
		t.Errorf("explained %v", e)
	}
	if last := got.Path[n-1]; last[0] != 0 || last[1] != 0 || got.OffPlane[n-1] != 0 {
		t.Errorf("the path ends at %v, %g off the plane; want the centre", last, got.OffPlane[n-1])
	}
	for _, p := range got.Path {
		if p[0] < got.A[0] || p[0] > got.A[len(got.A)-1] || p[1] < got.B[0] || p[1] > got.B[len(got.B)-1] {
			t.Errorf("path point %v lies outside the grid [%g, %g] × [%g, %g]", p, got.A[0], got.A[len(got.A)-1], got.B[0], got.B[len(got.B)-1])
		}
	}
	if b, err := os.ReadFile(fig); err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
		t.Errorf("figure: %.10q, %v", b, err)
	}
	for _, c := range []struct {
		run, want string
	}{{"999", "store: no run 999"}, {"3", "run 3 has no path"}} {
		errb.Reset()
		code := dispatch([]string{"landscape", "--run", c.run, "--data-dir", dir, "--data", data}, &out, &errb)
		if code != 1 || !strings.Contains(errb.String(), c.want) {
			t.Errorf("--run %s: exit %d, %q; want 1 and %q", c.run, code, errb.String(), c.want)
		}
	}

	var sw struct {
		Explained []float64
		Paths     []struct {
			Label     string
			Path      [][3]float64
			OffPlane  []float64
			Explained []float64
		}
	}
	out.Reset()
	code = dispatch([]string{"landscape", "--sweep", sweep, "--data-dir", dir, "--data", data, "--examples", "100",
		"--grid", "5", "--json"}, &out, &errb)
	if err := json.Unmarshal(out.Bytes(), &sw); code != 0 || err != nil {
		t.Fatalf("--sweep: exit %d, %v, %s", code, err, errb.String())
	}
	if len(sw.Paths) != 2 || sw.Paths[1].Label != "sgd α=2 batch 16" || len(sw.Explained) != 2 {
		t.Fatalf("--sweep: %d paths (%+v), explained %v", len(sw.Paths), sw.Paths, sw.Explained)
	}
	for _, p := range sw.Paths {
		if p.Path[0] != [3]float64{0, 0, 0} || p.Path[len(p.Path)-1][2] != 75 || p.Explained[0]+p.Explained[1] > 1+1e-9 {
			t.Errorf("%s: from %v to %v, explained %v; every run starts at the shared θ₀ = (0, 0)", p.Label, p.Path[0], p.Path[len(p.Path)-1], p.Explained)
		}
	}
}
