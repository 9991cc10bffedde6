package export

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"math"
	"strconv"

	"descent/server/landscape"
)

// landscapeCSVHeader names the columns of a slice's CSV: one "grid" row
// per point (a, b with the loss and accuracy there, on the training images
// and, when measured, the test images), then one "path" row per point of
// each run's path (its step, a, b, off_plane = its distance from the plane,
// norm = its distance from the centre). Cells that do not apply are empty,
// and so are values that are not finite.
var landscapeCSVHeader = []string{"record", "run", "label", "step", "a", "b", "loss", "accuracy", "test_loss",
	"test_accuracy", "off_plane", "norm"}

// lineCSVHeader names the columns of a 1-D chart's CSV: one row per run
// and t, θ = (1 − t)·θ₀ + t·θ_end, θ_end the run's weights after step.
var lineCSVHeader = []string{"run", "label", "step", "t", "train_loss", "train_accuracy", "test_loss", "test_accuracy"}

func writeLandscapeCSV(w io.Writer, res *landscape.Result) error {
	cw := csv.NewWriter(w)
	at := func(v []float64, i int) string {
		if v == nil {
			return ""
		}
		return fmtFloat(v[i])
	}
	if res.IsLine() {
		if err := cw.Write(lineCSVHeader); err != nil {
			return err
		}
		for _, l := range res.Lines {
			c := l.Chart
			for i, t := range c.T {
				row := []string{l.Run, l.Label, strconv.Itoa(l.Step), fmtFloat(t), at(c.TrainLoss, i), at(c.TrainAccuracy, i),
					at(c.TestLoss, i), at(c.TestAccuracy, i)}
				if err := cw.Write(row); err != nil {
					return err
				}
			}
		}
		cw.Flush()
		return cw.Error()
	}
	if err := cw.Write(landscapeCSVHeader); err != nil {
		return err
	}
	sl := res.Slice
	for j, b := range sl.B {
		row := func(v [][]float64, i int) string {
			if v == nil {
				return ""
			}
			return fmtFloat(v[j][i])
		}
		for i, a := range sl.A {
			rec := []string{"grid", "", "", "", fmtFloat(a), fmtFloat(b), row(sl.Loss, i), row(sl.Accuracy, i),
				row(sl.TestLoss, i), row(sl.TestAccuracy, i), "", ""}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
	}
	for _, t := range res.Tracks {
		for _, p := range t.Points {
			rec := []string{"path", t.Run, t.Label, strconv.Itoa(p.Step), fmtFloat(p.A), fmtFloat(p.B), "", "", "", "",
				fmtFloat(p.Dist), fmtFloat(p.Norm)}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// num is a number in the JSON exports, null when it is not finite.
type num float64

func (v num) MarshalJSON() ([]byte, error) {
	if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, float64(v), 'g', -1, 64), nil
}

func nums(v []float64) []num {
	if v == nil {
		return nil
	}
	out := make([]num, len(v))
	for i, x := range v {
		out[i] = num(x)
	}
	return out
}

func grid(g [][]float64) [][]num {
	if g == nil {
		return nil
	}
	out := make([][]num, len(g))
	for j, row := range g {
		out[j] = nums(row)
	}
	return out
}

// landscapeJSON is a slice's JSON, in the names of descent landscape
// --json: "loss" has one row per b; each path is [[a, b, step], …] with
// "offPlane" each point's distance from the plane and "norm" its distance
// from the centre.
type landscapeJSON struct {
	ID                 string      `json:"id"`
	Run                string      `json:"run,omitempty"`
	Sweep              string      `json:"sweep,omitempty"`
	Model              string      `json:"model,omitempty"`
	Plane              string      `json:"plane"`
	Seed               uint64      `json:"seed,omitempty"`
	Arch               string      `json:"arch"`
	Step               int         `json:"step"`
	A                  []float64   `json:"a"`
	B                  []float64   `json:"b"`
	Loss               [][]num     `json:"loss"`
	Accuracy           [][]num     `json:"accuracy"`
	TestLoss           [][]num     `json:"testLoss,omitempty"`
	TestAccuracy       [][]num     `json:"testAccuracy,omitempty"`
	Center             num         `json:"center"`
	CenterAccuracy     num         `json:"centerAccuracy"`
	TestCenter         *num        `json:"testCenter,omitempty"`
	TestCenterAccuracy *num        `json:"testCenterAccuracy,omitempty"`
	Examples           int         `json:"examples"`
	TestExamples       int         `json:"testExamples,omitempty"`
	Seconds            float64     `json:"seconds"`
	Explained          *[2]float64 `json:"explained,omitempty"`
	Paths              []pathJSON  `json:"paths"`
}

type pathJSON struct {
	Run       string      `json:"run"`
	Label     string      `json:"label,omitempty"`
	Path      [][3]num    `json:"path"`
	OffPlane  []num       `json:"offPlane"`
	Norm      []num       `json:"norm"`
	Explained *[2]float64 `json:"explained,omitempty"`
}

// lineJSON is a 1-D chart's JSON.
type lineJSON struct {
	ID           string        `json:"id"`
	T            []float64     `json:"t"`
	Lines        []lineRunJSON `json:"lines"`
	Examples     int           `json:"examples"`
	TestExamples int           `json:"testExamples,omitempty"`
}

type lineRunJSON struct {
	Run           string `json:"run"`
	Label         string `json:"label,omitempty"`
	Step          int    `json:"step"`
	TrainLoss     []num  `json:"trainLoss"`
	TrainAccuracy []num  `json:"trainAccuracy"`
	TestLoss      []num  `json:"testLoss,omitempty"`
	TestAccuracy  []num  `json:"testAccuracy,omitempty"`
}

func writeLandscapeJSON(w io.Writer, res *landscape.Result) error {
	enc := json.NewEncoder(w)
	if res.IsLine() {
		out := lineJSON{ID: res.ID, Examples: res.Examples, TestExamples: res.TestExamples, Lines: []lineRunJSON{}}
		for _, l := range res.Lines {
			c := l.Chart
			out.T = c.T
			out.Lines = append(out.Lines, lineRunJSON{Run: l.Run, Label: l.Label, Step: l.Step, TrainLoss: nums(c.TrainLoss),
				TrainAccuracy: nums(c.TrainAccuracy), TestLoss: nums(c.TestLoss), TestAccuracy: nums(c.TestAccuracy)})
		}
		return enc.Encode(out)
	}
	sl := res.Slice
	out := landscapeJSON{ID: res.ID, Run: res.Run, Sweep: res.Sweep, Model: res.Model, Plane: res.Plane, Seed: res.Seed,
		Arch: res.Arch.String(), Step: res.Step, A: sl.A, B: sl.B, Loss: grid(sl.Loss), Accuracy: grid(sl.Accuracy),
		TestLoss: grid(sl.TestLoss), TestAccuracy: grid(sl.TestAccuracy), Center: num(sl.Center), CenterAccuracy: num(sl.CenterAccuracy),
		Examples: res.Examples, TestExamples: res.TestExamples, Seconds: sl.Seconds, Explained: res.Explained, Paths: []pathJSON{}}
	if sl.TestLoss != nil {
		tc, ta := num(sl.TestCenter), num(sl.TestCenterAccuracy)
		out.TestCenter, out.TestCenterAccuracy = &tc, &ta
	}
	for _, t := range res.Tracks {
		p := pathJSON{Run: t.Run, Label: t.Label, Explained: t.Explained, Path: [][3]num{}, OffPlane: []num{}, Norm: []num{}}
		for _, q := range t.Points {
			p.Path = append(p.Path, [3]num{num(q.A), num(q.B), num(q.Step)})
			p.OffPlane, p.Norm = append(p.OffPlane, num(q.Dist)), append(p.Norm, num(q.Norm))
		}
		out.Paths = append(out.Paths, p)
	}
	return enc.Encode(out)
}
