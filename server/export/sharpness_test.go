package export

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"descent/mnist"
	"descent/server/internal/fake"
	"descent/server/protocol"
	"descent/server/runs"
)

// trackedSweep runs two lanes of full-batch gradient descent on 200 images
// with their sharpness tracked on 50, and waits for both.
func trackedSweep(t *testing.T, m *runs.Manager) []*runs.Live {
	t.Helper()
	var cfgs []mnist.Config
	for _, lr := range []float64{0.5, 4} {
		c := mnist.DefaultConfig()
		c.Arch.Hidden, c.TrainExamples, c.Batch, c.Epochs, c.LR = []int{4}, 200, 200, 300, lr
		cfgs = append(cfgs, c)
	}
	made, err := m.CreateWith(cfgs, []string{"α=0.5", "α=4"}, runs.Options{Sharpness: 50})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for _, r := range made {
		for !r.Finished() {
			if time.Now().After(deadline) {
				t.Fatalf("run %s did not finish in 30 s", r.ID())
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	return made
}

// TestExportSharpness: the data files carry the measurements (CSV rows of
// record "sharpness", JSON columns), both read back to what the run holds,
// and the sharpness figures of a run and of the sweep are drawn; a run
// without measurements has none to draw.
func TestExportSharpness(t *testing.T) {
	m, s, _ := newTestExports(t, 256, 2)
	made := trackedSweep(t, m)
	want := []RunData{liveRunData(t, m, made[0]), liveRunData(t, m, made[1])}
	if want[0].Steps.MarkLen() < 3 || want[0].Sharpness == nil || want[0].Sharpness.Examples != 50 {
		t.Fatalf("the tracked run has %d measurements, sharpness %+v", want[0].Steps.MarkLen(), want[0].Sharpness)
	}
	sweep := made[0].Sweep()
	w := get(t, s, "GET", "/api/export/sweep/"+sweep+".csv", nil)
	compareRuns(t, "CSV", readRunsCSV(t, w.Body), want, false)
	w = get(t, s, "GET", "/api/export/sweep/"+sweep+".json", nil)
	var got struct{ Runs []RunData }
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	compareRuns(t, "JSON", got.Runs, want, true)
	if got.Runs[1].Sharpness == nil || got.Runs[1].Sharpness.Examples != 50 {
		t.Errorf("JSON sharpness %+v", got.Runs[1].Sharpness)
	}
	for _, path := range []string{"/api/export/run/" + made[0].ID() + "/sharpness.png", "/api/export/run/" + made[1].ID() + "/sharpness.svg?lang=ko",
		"/api/export/sweep/" + sweep + "/sharpness.png"} {
		if w := get(t, s, "GET", path, nil); w.Code != 200 || w.Body.Len() < 1000 {
			t.Errorf("GET %s: %d %.100s", path, w.Code, w.Body)
		}
	}
	plain := finishedSweep(t, m)
	if w := get(t, s, "GET", "/api/export/run/"+plain[0].ID()+"/sharpness.png", nil); w.Code != 404 || !strings.Contains(w.Body.String(), "sharpness") {
		t.Errorf("the sharpness of an untracked run: %d %s, want 404 saying why", w.Code, w.Body)
	}
}

// TestExportHessian posts a Hessian panel's answer and gets its figures and
// its CSV; bad bodies are 400s that say what is wrong.
func TestExportHessian(t *testing.T) {
	_, s, _ := newTestExports(t, 256, 1)
	model := &mnist.Model{Arch: mnist.Arch{Hidden: []int{4}, Activation: mnist.Sigmoid}}
	model.Params = make([]float32, model.Arch.NumParams())
	for i := range model.Params {
		model.Params[i] = float32(i%7) / 70
	}
	rep, err := mnist.AnalyzeHessian(context.Background(), model, fake.Data(100, 1), mnist.HessianOptions{Examples: 100, Top: 4, Density: true})
	if err != nil {
		t.Fatal(err)
	}
	res := protocol.HessianResult{Type: protocol.EvHessianResult, Run: "r7", At: protocol.AtCurrent, Step: 40, Examples: 100,
		Eigenvalues: rep.Eigenvalues, Trace: rep.Trace, TraceStdErr: rep.TraceStdErr, Density: rep.Density}
	body := func(v any) *bytes.Reader {
		b, _ := json.Marshal(v)
		return bytes.NewReader(b)
	}
	for _, path := range []string{"density.png", "density.svg", "eigenvalues.png", "eigenvalues.svg"} {
		w := get(t, s, "POST", "/api/export/hessian/"+path, body(HessianExport{Lang: "ko", Caption: "r7", Result: res}))
		if w.Code != 200 || w.Body.Len() < 1000 || !strings.Contains(w.Header().Get("Content-Disposition"), "descent-hessian-r7-") {
			t.Errorf("POST %s: %d %s %.100s", path, w.Code, w.Header().Get("Content-Disposition"), w.Body)
		}
	}
	w := get(t, s, "POST", "/api/export/hessian/eigenvalues.csv", body(HessianExport{Result: res}))
	rows, err := csv.NewReader(w.Body).ReadAll()
	if err != nil || len(rows) != 1+4+1+len(rep.Density.X) || rows[1][4] != "eigenvalue" || rows[5][4] != "trace" || rows[6][4] != "density" {
		t.Errorf("the CSV: %d rows, %v", len(rows), err)
	}
	noDensity := res
	noDensity.Density = nil
	for _, c := range []struct {
		path string
		body *bytes.Reader
		want string
	}{
		{"density.png", body(HessianExport{Result: noDensity}), "needs result.density"},
		{"eigenvalues.png", body(HessianExport{Result: protocol.HessianResult{}}), "0 eigenvalues"},
		{"eigenvalues.png", body(HessianExport{Lang: "fr", Result: res}), "lang"},
		{"spectrum.png", body(HessianExport{Result: res}), "density or eigenvalues"},
		{"density.gif", body(HessianExport{Result: res}), "density or eigenvalues"},
		{"density.png", bytes.NewReader([]byte("{")), "body"},
	} {
		if w := get(t, s, "POST", "/api/export/hessian/"+c.path, c.body); w.Code != 400 || !strings.Contains(w.Body.String(), c.want) {
			t.Errorf("POST %s: %d %s, want 400 saying %q", c.path, w.Code, w.Body, c.want)
		}
	}
}
