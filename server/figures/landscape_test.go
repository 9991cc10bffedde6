package figures

import (
	"math"
	"strings"
	"testing"
)

// fixtureLandscape is a made-up loss over [−1, 1]² with a valley, and a
// path that spirals into its centre, leaving the plane half-way.
func fixtureLandscape() Landscape {
	ls := Landscape{XLabel: "PC1 (81 % of the path)", YLabel: "PC2 (12 %)"}
	for k := range 41 {
		ls.A = append(ls.A, -1+float64(k)/20)
		ls.B = append(ls.B, -1+float64(k)/20)
	}
	for _, b := range ls.B {
		var row []float64
		for _, a := range ls.A {
			row = append(row, 0.09+1.5*a*a+4*b*b+0.4*math.Sin(3*a+2*b)*a*b+0.8*math.Pow(a+b, 4))
		}
		ls.Loss = append(ls.Loss, row)
	}
	p := LandscapePath{Label: "SGD α = 0.1"}
	for k := range 30 {
		r := 0.9 * (1 - float64(k)/29)
		ang := 4 * float64(k) / 29
		p.Points = append(p.Points, [2]float64{r * math.Cos(ang), 0.6 * r * math.Sin(ang)})
		p.Steps = append(p.Steps, 32*k)
		p.Off = append(p.Off, 0.7*math.Exp(-math.Pow(float64(k-12)/4, 2)))
	}
	ls.Paths = []LandscapePath{p}
	ls.Current = [][2]float64{{0, 0}}
	return ls
}

func TestGoldenLandscape(t *testing.T) {
	f, err := LandscapeFigure(fixtureLandscape(), Meta{Lang: "en", Caption: "784-100-10 sigmoid, SGD α = 0.1, 10 epochs; 10,000 training images"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(f.Caption, "leaves the plane") {
		t.Errorf("caption %q does not explain the faded stretch", f.Caption)
	}
	checkGolden(t, "landscape", encodePNG(t, f))
}

func TestLandscapeFigureRefusesBadInput(t *testing.T) {
	good := fixtureLandscape()
	for name, mutate := range map[string]func(*Landscape){
		"one column":   func(ls *Landscape) { ls.A = ls.A[:1] },
		"rows":         func(ls *Landscape) { ls.Loss = ls.Loss[1:] },
		"short row":    func(ls *Landscape) { ls.Loss[3] = ls.Loss[3][1:] },
		"descending":   func(ls *Landscape) { ls.A[0], ls.A[40] = ls.A[40], ls.A[0] },
		"no finite":    func(ls *Landscape) { ls.Loss = nanRows(len(ls.B), len(ls.A)) },
		"path lengths": func(ls *Landscape) { ls.Paths[0].Steps = ls.Paths[0].Steps[1:] },
	} {
		ls := good
		ls.A = append([]float64(nil), good.A...)
		ls.Loss = append([][]float64(nil), good.Loss...)
		ls.Paths = []LandscapePath{good.Paths[0]}
		mutate(&ls)
		if _, err := LandscapeFigure(ls, Meta{}); err == nil {
			t.Errorf("%s: drawn", name)
		}
	}
	ls := good
	ls.Loss = nanRows(len(ls.B), len(ls.A))
	ls.Loss[5][5] = 1
	if _, err := LandscapeFigure(ls, Meta{Lang: "ko"}); err != nil {
		t.Errorf("a landscape with one finite value: %v", err)
	}
}

func nanRows(rows, cols int) [][]float64 {
	out := make([][]float64, rows)
	for j := range out {
		out[j] = make([]float64, cols)
		for i := range out[j] {
			out[j][i] = math.NaN()
		}
	}
	return out
}
