package export

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"descent/mnist"
	"descent/server/internal/fake"
	"descent/server/runs"
	"descent/server/steps"
)

// newTestExports returns a manager of runs on synthetic data and the export
// routes over it, as the server registers them.
func newTestExports(t *testing.T, trainN, concurrent int) (*runs.Manager, http.Handler, *Handler) {
	t.Helper()
	m := runs.New(runs.Config{Train: fake.Data(trainN, 1), Test: fake.Data(200, 2), Concurrent: concurrent, Logger: fake.Quiet()})
	t.Cleanup(m.Close)
	h := NewHandler(LiveSource{M: m}, fake.Quiet())
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/export/{what}/{file}", h.ServeData)
	mux.HandleFunc("GET /api/export/{what}/{id}/{file}", h.ServeFile)
	mux.HandleFunc("POST /api/export/trajectory/{file}", h.ServeTrajectory)
	mux.HandleFunc("POST /api/export/hessian/{file}", h.ServeHessian)
	return m, mux, h
}

// finishedSweep starts a sweep of two small runs on m and waits for both.
func finishedSweep(t *testing.T, m *runs.Manager) []*runs.Live {
	t.Helper()
	var cfgs []mnist.Config
	for _, lr := range []float64{0.5, 0.05} {
		c := mnist.DefaultConfig()
		c.Arch.Hidden, c.Batch, c.Epochs, c.LR = []int{4}, 32, 2, lr
		cfgs = append(cfgs, c)
	}
	made, err := m.Create(cfgs, []string{"α=0.5", "α=0.05"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for _, r := range made {
		for !r.Finished() {
			if time.Now().After(deadline) {
				t.Fatalf("run %s did not finish in 20 s", r.ID())
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	return made
}

// liveRunData is what the exports read of a live run.
func liveRunData(t *testing.T, m *runs.Manager, r runs.Run) RunData {
	t.Helper()
	d, err := LiveSource{M: m}.Run(context.Background(), r.ID(), 0)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func get(t *testing.T, h http.Handler, method, path string, body io.Reader) *httptest.ResponseRecorder {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(method, path, body))
	return w
}

// TestExportSweepRoundTrip exports a sweep as CSV and as JSON, reads both
// back, and wants exactly the series the manager holds.
func TestExportSweepRoundTrip(t *testing.T) {
	m, s, _ := newTestExports(t, 256, 2)
	made := finishedSweep(t, m)
	sweep := made[0].Sweep()
	var want []RunData
	for _, r := range made {
		want = append(want, liveRunData(t, m, r))
	}
	if len(want[0].Steps.Step) != 16 || len(want[0].Epochs) != 2 {
		t.Fatalf("run has %d steps and %d epochs, want 16 and 2", len(want[0].Steps.Step), len(want[0].Epochs))
	}

	w := get(t, s, "GET", "/api/export/sweep/"+sweep+".json", nil)
	if w.Code != 200 || w.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("JSON export: %d %s: %s", w.Code, w.Header().Get("Content-Type"), w.Body)
	}
	var got struct{ Runs []RunData }
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	compareRuns(t, "JSON", got.Runs, want, true)

	w = get(t, s, "GET", "/api/export/sweep/"+sweep+".csv", nil)
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/csv") {
		t.Fatalf("CSV export: %d %s: %s", w.Code, w.Header().Get("Content-Type"), w.Body)
	}
	if cd := w.Header().Get("Content-Disposition"); cd != `attachment; filename="descent-sweep-`+sweep+`.csv"` {
		t.Errorf("Content-Disposition = %q", cd)
	}
	csvText := w.Body.String()
	compareRuns(t, "CSV", readRunsCSV(t, w.Body), want, false)
	if want[0].StepsPerEpoch != 8 {
		t.Errorf("steps per epoch = %d, want 256/32 = 8", want[0].StepsPerEpoch)
	}
	for _, line := range strings.Split(csvText, "\n") { // step 9 is the first of epoch 2
		if f := strings.Split(line, ","); len(f) > 12 && f[10] == "step" && f[11] == "9" && f[12] != "2" {
			t.Errorf("step 9 of run %s is in epoch %q, want 2", f[0], f[12])
		}
	}
}

// readRunsCSV parses writeRunsCSV's output back into runs (without the
// confusion matrices, which only JSON has).
func readRunsCSV(t *testing.T, r io.Reader) []RunData {
	t.Helper()
	rows, err := csv.NewReader(r).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != strings.Join(runsCSVHeader, ",") {
		t.Fatalf("header %q", rows[0])
	}
	var out []RunData
	num := func(s string) float64 {
		if s == "" {
			return math.NaN()
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	integer := func(s string) int { return int(num(s)) }
	for _, row := range rows[1:] {
		if len(out) == 0 || out[len(out)-1].ID != row[0] {
			c := mnist.Config{Optimizer: row[4], LR: num(row[5]), Batch: integer(row[6]), Epochs: integer(row[7]), Seed: uint64(num(row[8]))}
			out = append(out, RunData{ID: row[0], Sweep: row[1], Label: row[2], Config: c, Status: row[9]})
		}
		d := &out[len(out)-1]
		if row[10] == "sharpness" {
			d.Steps.AddMark(steps.Mark{Step: integer(row[11]), LR: float32(num(row[16])), Sharpness: float32(num(row[20])), Threshold: float32(num(row[21]))})
			continue
		}
		if row[10] == "step" {
			s := &d.Steps
			s.Step = append(s.Step, integer(row[11]))
			s.Loss, s.GradNorm = append(s.Loss, float32(num(row[13]))), append(s.GradNorm, float32(num(row[14])))
			s.UpdateRatio, s.LR = append(s.UpdateRatio, float32(num(row[15]))), append(s.LR, float32(num(row[16])))
			continue
		}
		d.Epochs = append(d.Epochs, EpochRow{Step: integer(row[11]), Epoch: integer(row[12]),
			TrainLoss: num(row[17]), TestLoss: num(row[18]), TestAccuracy: num(row[19])})
	}
	return out
}

// compareRuns wants got to hold exactly want's series; floats compare by
// value, NaN equal to NaN.
func compareRuns(t *testing.T, format string, got, want []RunData, withConfusion bool) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d runs, want %d", format, len(got), len(want))
	}
	same := func(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }
	same32 := func(a, b float32) bool { return same(float64(a), float64(b)) }
	for i, w := range want {
		g := got[i]
		if g.ID != w.ID || g.Label != w.Label || g.Config.LR != w.Config.LR || g.Config.Batch != w.Config.Batch || g.Status != w.Status {
			t.Errorf("%s: run %d is %s %q lr %g batch %d %q, want %s %q lr %g batch %d %q", format, i,
				g.ID, g.Label, g.Config.LR, g.Config.Batch, g.Status, w.ID, w.Label, w.Config.LR, w.Config.Batch, w.Status)
		}
		gs, ws := g.Steps, w.Steps
		if len(gs.Step) != len(ws.Step) {
			t.Fatalf("%s: run %s has %d steps, want %d", format, w.ID, len(gs.Step), len(ws.Step))
		}
		for k := range ws.Step {
			if gs.Step[k] != ws.Step[k] || !same32(gs.Loss[k], ws.Loss[k]) || !same32(gs.GradNorm[k], ws.GradNorm[k]) ||
				!same32(gs.UpdateRatio[k], ws.UpdateRatio[k]) || !same32(gs.LR[k], ws.LR[k]) {
				t.Fatalf("%s: run %s step row %d = %d %v %v %v %v, want %d %v %v %v %v", format, w.ID, k,
					gs.Step[k], gs.Loss[k], gs.GradNorm[k], gs.UpdateRatio[k], gs.LR[k],
					ws.Step[k], ws.Loss[k], ws.GradNorm[k], ws.UpdateRatio[k], ws.LR[k])
			}
		}
		if gs.MarkLen() != ws.MarkLen() {
			t.Fatalf("%s: run %s has %d sharpness measurements, want %d", format, w.ID, gs.MarkLen(), ws.MarkLen())
		}
		for k := range ws.MarkLen() {
			gm, wm := gs.MarkAt(k), ws.MarkAt(k)
			if gm.Step != wm.Step || !same32(gm.Sharpness, wm.Sharpness) || !same32(gm.Threshold, wm.Threshold) || !same32(gm.LR, wm.LR) {
				t.Errorf("%s: run %s measurement %d = %+v, want %+v", format, w.ID, k, gm, wm)
			}
		}
		if len(g.Epochs) != len(w.Epochs) {
			t.Fatalf("%s: run %s has %d epochs, want %d", format, w.ID, len(g.Epochs), len(w.Epochs))
		}
		for k, we := range w.Epochs {
			ge := g.Epochs[k]
			if !withConfusion {
				ge.Confusion = we.Confusion
			}
			if ge.Epoch != we.Epoch || ge.Step != we.Step || !same(ge.TrainLoss, we.TrainLoss) ||
				!same(ge.TestLoss, we.TestLoss) || !same(ge.TestAccuracy, we.TestAccuracy) || ge.Confusion != we.Confusion {
				t.Errorf("%s: run %s epoch %d = %+v, want %+v", format, w.ID, k+1, ge, we)
			}
		}
	}
}

func TestExportFigures(t *testing.T) {
	m, s, _ := newTestExports(t, 256, 2)
	runs := finishedSweep(t, m)
	run, sweep := runs[0].ID(), runs[0].Sweep()
	png, svg := "\x89PNG", "<?xml"
	for _, tc := range []struct {
		path, ctype, prefix string
	}{
		{"/api/export/run/" + run + "/loss.png", "image/png", png},
		{"/api/export/run/" + run + "/loss.svg?smooth=0&lang=ko", "image/svg+xml", svg},
		{"/api/export/run/" + run + "/accuracy.svg", "image/svg+xml", svg},
		{"/api/export/run/" + run + "/confusion.png?lang=ko", "image/png", png},
		{"/api/export/run/" + run + "/weights.svg", "image/svg+xml", svg},
		{"/api/export/run/" + run + "/gradnorm.png", "image/png", png},
		{"/api/export/run/" + run + "/gradnorm.svg?lang=ko", "image/svg+xml", svg},
		{"/api/export/run/" + run + "/ratio.png?lang=ko", "image/png", png},
		{"/api/export/run/" + run + "/ratio.svg", "image/svg+xml", svg},
		{"/api/export/run/" + run + "/lr.png", "image/png", png},
		{"/api/export/run/" + run + "/lr.svg", "image/svg+xml", svg},
		{"/api/export/run/" + run + "/testloss.png", "image/png", png},
		{"/api/export/run/" + run + "/testloss.svg?lang=ko", "image/svg+xml", svg},
		{"/api/export/sweep/" + sweep + "/sweep.png", "image/png", png},
		{"/api/export/sweep/" + sweep + "/compare.svg", "image/svg+xml", svg},
		{"/api/export/sweep/" + sweep + "/accuracy.png", "image/png", png},
		{"/api/export/run/" + run + ".json", "application/json", "{"},
		{"/api/export/run/" + run + ".csv", "text/csv; charset=utf-8", "run,sweep,"},
	} {
		w := get(t, s, "GET", tc.path, nil)
		if w.Code != 200 || w.Header().Get("Content-Type") != tc.ctype || !strings.HasPrefix(w.Body.String(), tc.prefix) {
			t.Errorf("GET %s: %d %q %.40q, want 200 %q %q", tc.path, w.Code, w.Header().Get("Content-Type"), w.Body.String(), tc.ctype, tc.prefix)
		}
		if !strings.HasPrefix(w.Header().Get("Content-Disposition"), "attachment; filename=") {
			t.Errorf("GET %s: Content-Disposition %q", tc.path, w.Header().Get("Content-Disposition"))
		}
		if w.Body.Len() < 200 {
			t.Errorf("GET %s: %d bytes, want a whole figure or file", tc.path, w.Body.Len())
		}
	}

	w := get(t, s, "GET", "/api/export/run/"+run+"/model.descent", nil)
	model, err := mnist.ParseModel(w.Body.Bytes())
	if w.Code != 200 || err != nil {
		t.Fatalf("model: %d %v", w.Code, err)
	}
	if want := runs[0].Trainer().Snapshot(); !bytes.Equal(f32bytes(model.Params), f32bytes(want.Params)) {
		t.Error("the exported model is not the run's latest weights")
	}
}

func f32bytes(v []float32) []byte {
	b := make([]byte, 0, 4*len(v))
	for _, f := range v {
		b = strconv.AppendUint(b, uint64(math.Float32bits(f)), 16)
	}
	return b
}

// TestFigureWithoutData wants a 404's error, not an empty figure, before a
// run has what the figure draws.
func TestFigureWithoutData(t *testing.T) {
	queued := []RunData{{ID: "r7", Config: mnist.DefaultConfig()}}
	for _, kind := range []string{"loss", "accuracy", "confusion", "weights", "sweep", "compare", "gradnorm", "ratio", "lr", "testloss"} {
		_, err := Figure(kind, queued, nil, FigureOptions{Lang: "en"})
		if !IsNotFound(err) || !strings.HasPrefix(err.Error(), "server: run r7 has no ") {
			t.Errorf("%s of a queued run: %v, want not found", kind, err)
		}
	}
}

func TestExportErrors(t *testing.T) {
	m, s, _ := newTestExports(t, 256, 2)
	runs := finishedSweep(t, m)
	run := runs[0].ID()
	for _, tc := range []struct {
		path string
		code int
		says string
	}{
		{"/api/export/run/r999.csv", 404, "unknown run"},
		{"/api/export/run/r999/loss.png", 404, "unknown run"},
		{"/api/export/sweep/s99.json", 404, "unknown sweep"},
		{"/api/export/run/" + run + ".xml", 400, "ID.csv or ID.json"},
		{"/api/export/run/" + run + "/speed.png", 400, "loss, accuracy, confusion, weights"},
		{"/api/export/run/" + run + "/loss.gif", 400, "KIND.png or KIND.svg"},
		{"/api/export/run/" + run + "/loss.png?lang=fr", 400, "lang"},
		{"/api/export/run/" + run + "/loss.png?smooth=1", 400, "smooth"},
		{"/api/export/sweep/" + runs[0].Sweep() + "/confusion.png", 400, "sweep, compare, accuracy"},
		{"/api/export/model/" + run + ".csv", 404, "unknown export"},
		{"/api/export/run/r!1.csv", 400, "ID.csv"},
	} {
		w := get(t, s, "GET", tc.path, nil)
		if w.Code != tc.code || !strings.Contains(w.Body.String(), tc.says) || !strings.HasPrefix(w.Body.String(), "server: ") {
			t.Errorf("GET %s: %d %q, want %d saying %q", tc.path, w.Code, w.Body.String(), tc.code, tc.says)
		}
	}
}

func TestExportTrajectory(t *testing.T) {
	_, s, _ := newTestExports(t, 64, 1)
	body := func(v any) io.Reader {
		b, _ := json.Marshal(v)
		return bytes.NewReader(b)
	}
	good := TrajectoryExport{Fn: "rosenbrock", Lang: "ko", Caption: "Rosenbrock, 3 steps", Trajectories: []ExportTrajectory{
		{Label: "sgd α=0.001", Points: [][2]float64{{-1.5, 2}, {-1, 1.5}, {-0.5, 1}}, F: []float64{22.5, 29, 58.5}, Grad: []float64{1300, 210, 300}, Status: "stepLimit"},
		{Label: "adam", Points: [][2]float64{{-1.5, 2}, {-1.2, 1.4}}},
	}}
	for _, tc := range []struct {
		file, ctype, prefix string
	}{
		{"surface.png", "image/png", "\x89PNG"},
		{"surface.svg", "image/svg+xml", "<?xml"},
		{"f.png", "image/png", "\x89PNG"},
		{"gradnorm.png", "image/png", "\x89PNG"},
		{"gradnorm.svg", "image/svg+xml", "<?xml"},
		{"surface.csv", "text/csv; charset=utf-8", "function,trajectory,label,status,step,x,y,f\nrosenbrock,1,sgd α=0.001,stepLimit,0,-1.5,2,22.5\n"},
	} {
		w := get(t, s, "POST", "/api/export/trajectory/"+tc.file, body(good))
		if w.Code != 200 || w.Header().Get("Content-Type") != tc.ctype || !strings.HasPrefix(w.Body.String(), tc.prefix) {
			t.Errorf("POST %s: %d %q %.80q", tc.file, w.Code, w.Header().Get("Content-Type"), w.Body.String())
		}
	}
	bad := good
	bad.Fn = "banana"
	noTrajs := good
	noTrajs.Trajectories = nil
	badGrad := good
	badGrad.Trajectories = []ExportTrajectory{{Label: "sgd", Points: [][2]float64{{-1.5, 2}, {-1, 1.5}}, Grad: []float64{1}}}
	for _, tc := range []struct {
		name, file string
		body       io.Reader
		code       int
	}{
		{"unknown function", "surface.png", body(bad), 400},
		{"no trajectories", "surface.png", body(noTrajs), 400},
		{"unknown kind", "contour.png", body(good), 400},
		{"gradient norms not one per point", "gradnorm.png", body(badGrad), 400},
		{"not JSON", "surface.png", strings.NewReader("{"), 400},
		{"too large", "surface.png", io.MultiReader(strings.NewReader(`{"fn":"`), strings.NewReader(strings.Repeat("x", maxTrajExportBytes))), 413},
	} {
		w := get(t, s, "POST", "/api/export/trajectory/"+tc.file, tc.body)
		if w.Code != tc.code || !strings.HasPrefix(w.Body.String(), "server: ") {
			t.Errorf("%s: %d %q, want %d", tc.name, w.Code, w.Body.String(), tc.code)
		}
	}
}

// TestExportsTakeTurns holds every export turn and wants a request to wait
// until its client gives up, and to be served once a turn is free.
func TestExportsTakeTurns(t *testing.T) {
	m, s, h := newTestExports(t, 256, 2)
	run := finishedSweep(t, m)[0].ID()
	for range MaxExports {
		h.turns <- struct{}{}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	w := httptest.NewRecorder()
	start := time.Now()
	s.ServeHTTP(w, httptest.NewRequestWithContext(ctx, "GET", "/api/export/run/"+run+"/loss.svg", nil))
	if w.Body.Len() != 0 || time.Since(start) > 5*time.Second {
		t.Errorf("with every turn taken: %d bytes after %v, want none once the client gave up", w.Body.Len(), time.Since(start))
	}
	for range MaxExports {
		<-h.turns
	}
	if w := get(t, s, "GET", "/api/export/run/"+run+"/loss.svg", nil); w.Code != 200 {
		t.Errorf("with turns free: %d %s", w.Code, w.Body)
	}
}

// TestRangeTestFigure draws an LR range test's own figure, and refuses it
// for a run that is not one.
func TestRangeTestFigure(t *testing.T) {
	m, s, _ := newTestExports(t, 640, 1)
	c := mnist.DefaultConfig()
	c.Arch.Hidden, c.Batch, c.Epochs, c.LRRange, c.LRMin, c.LRMax = []int{8}, 16, 1, true, 1e-4, 10
	made, err := m.Create([]mnist.Config{c}, []string{"range"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	plain := finishedSweep(t, m)[0]
	for !made[0].Finished() {
		time.Sleep(10 * time.Millisecond)
	}
	if w := get(t, s, "GET", "/api/export/run/"+made[0].ID()+"/lrrange.svg?lang=ko", nil); w.Code != 200 || !strings.HasPrefix(w.Body.String(), "<?xml") {
		t.Errorf("range test's figure: %d %.200s", w.Code, w.Body)
	}
	if w := get(t, s, "GET", "/api/export/run/"+plain.ID()+"/lrrange.png", nil); w.Code != 400 || !strings.Contains(w.Body.String(), "not an LR range test") {
		t.Errorf("range figure of a plain run: %d %s", w.Code, w.Body)
	}
}
