package mnist

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestProjectSolvesTheSkewPlane: on a plane whose directions are neither
// unit nor orthogonal (as a random plane's are), a point built as
// O + a·X + b·Y + r with r ⟂ X, Y projects back to (a, b) at distance ‖r‖,
// and ‖θ − O‖² = ‖a·X + b·Y‖² + ‖r‖².
func TestProjectSolvesTheSkewPlane(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	n := pathArch.NumParams()
	es := unitVectors(3, n, rng)
	origin := toFloat64(randomWeights(n, rng, 0.3))
	x, y := make([]float64, n), make([]float64, n)
	for i := range x {
		x[i] = 2.5 * es[0][i]
		y[i] = 0.4*es[0][i] + 0.7*es[1][i] // skewed against X
	}
	p := &Plane{Arch: pathArch, Origin: origin, X: x, Y: y}
	for _, c := range [][3]float64{{0.3, -0.7, 0.05}, {-2, 1.5, 0}, {0, 0, 1}} {
		th := make([]float32, n)
		for i := range th {
			th[i] = float32(origin[i] + c[0]*x[i] + c[1]*y[i] + c[2]*es[2][i])
		}
		pt := p.Project(th, 7)
		tol := 1e-5 * (1 + math.Abs(c[0]) + math.Abs(c[1]))
		if pt.Step != 7 || math.Abs(pt.A-c[0]) > tol || math.Abs(pt.B-c[1]) > tol || math.Abs(pt.Dist-c[2]) > tol {
			t.Errorf("point %v projects to (%.6f, %.6f) at %.6f (step %d); want (%g, %g) at %g", c, pt.A, pt.B, pt.Dist, pt.Step, c[0], c[1], c[2])
		}
		in := make([]float64, n)
		for i := range in {
			in[i] = pt.A*x[i] + pt.B*y[i]
		}
		if got, want := pt.Norm*pt.Norm, dot(in, in)+pt.Dist*pt.Dist; math.Abs(got-want) > 1e-5*(1+want) {
			t.Errorf("point %v: ‖v‖² = %g, ‖a·X + b·Y‖² + dist² = %g", c, got, want)
		}
	}
	line := &Plane{Arch: pathArch, Origin: origin, X: x}
	th := make([]float32, n)
	for i := range th {
		th[i] = float32(origin[i] + 0.5*x[i] + 0.2*es[1][i])
	}
	if pt := line.Project(th, 0); math.Abs(pt.A-0.5) > 1e-5 || pt.B != 0 || math.Abs(pt.Dist-0.2) > 1e-5 {
		t.Errorf("on a line: (%g, %g) at %g, want (0.5, 0) at 0.2", pt.A, pt.B, pt.Dist)
	}
}

// TestProjectPathMatchesPathPlane: a path projected point by point on its
// own PCA plane lands where PathPlane put each point, and after a step
// ProjectPath returns only the later points.
func TestProjectPathMatchesPathPlane(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	n := pathArch.NumParams()
	es := unitVectors(3, n, rng)
	c := toFloat64(randomWeights(n, rng, 0.2))
	steps := 200
	coef := func(s int) []float64 {
		r := 1 - float64(s)/float64(steps)
		return []float64{2 * r, r * math.Cos(3*r), 0.3 * r * r}
	}
	p, final, _ := syntheticPath(t, c, es, steps, coef)
	center := make([]float32, n)
	for i := range center {
		center[i] = float32(c[i])
	}
	pr, err := PathPlane(center, Track{Path: p, Final: final, FinalStep: steps + 1})
	if err != nil {
		t.Fatal(err)
	}
	got := pr.Plane.ProjectPath(p, -1)
	want := pr.Tracks[0][:len(pr.Tracks[0])-1] // without Final
	if len(got) != len(want) {
		t.Fatalf("%d points, want %d", len(got), len(want))
	}
	for k := range got {
		g, w := got[k], want[k]
		if g.Step != w.Step || math.Abs(g.A-w.A) > 1e-5 || math.Abs(g.B-w.B) > 1e-5 || math.Abs(g.Dist-w.Dist) > 1e-5 {
			t.Errorf("step %d: (%.6f, %.6f) at %.6f; PathPlane has (%.6f, %.6f) at %.6f", g.Step, g.A, g.B, g.Dist, w.A, w.B, w.Dist)
		}
	}
	mid := got[len(got)/2].Step
	later := pr.Plane.ProjectPath(p, mid)
	if len(later) == 0 || later[0].Step <= mid || later[len(later)-1].Step != got[len(got)-1].Step {
		t.Errorf("after step %d: %d points from %v; want the points after it", mid, len(later), later[0])
	}
}

// TestAxesAreComputesGrid: SliceOptions.Axes gives the a and b that
// Compute measures, and the preview's indices.
func TestAxesAreComputesGrid(t *testing.T) {
	m := &Model{Arch: pathArch, Params: randomWeights(pathArch.NumParams(), rand.New(rand.NewPCG(2, 2)), 0.1)}
	p, err := RandomPlane(m, 1)
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSlicer[float32](p, Probe{randomData(64, 1), 64})
	if err != nil {
		t.Fatal(err)
	}
	o := SliceOptions{Grid: 21, Domain: [4]float64{-0.3, 1.1, -2, 0.5}}
	a, b, prev, err := o.Axes()
	if err != nil {
		t.Fatal(err)
	}
	var prevRows []int
	sl, err := s.Compute(context.Background(), o, func(f Frame) {
		if f.Pass == PassPreview {
			prevRows = append(prevRows, f.Row)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(prevRows)
	if !slices.Equal(a, sl.A) || !slices.Equal(b, sl.B) || !slices.Equal(prev, prevRows) || len(prev) != DefaultPreview {
		t.Errorf("Axes: a %v, b %v, preview %v; Compute measured %v, %v and preview rows %v", a, b, prev, sl.A, sl.B, prevRows)
	}
	if _, _, _, err := (SliceOptions{Grid: 1}).Axes(); err == nil {
		t.Error("a grid of 1 point has axes")
	}
}

// TestTrainerWeightsAreTheFinalWeights: after Run, Weights copies the
// network's weights, which after the last epoch are the snapshot's.
func TestTrainerWeightsAreTheFinalWeights(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Arch.Hidden, cfg.Epochs, cfg.Batch = []int{6}, 1, 32
	tr, err := NewTrainer(cfg, randomData(128, 1), randomData(32, 2))
	if err != nil {
		t.Fatal(err)
	}
	var mid []float32
	if _, err := tr.Run(context.Background(), Hooks{Step: func(ev StepEvent) {
		if ev.Step == 2 {
			mid = tr.Weights(nil)
		}
	}}); err != nil {
		t.Fatal(err)
	}
	w := tr.Weights(make([]float32, 3))
	if !slices.Equal(w, tr.Snapshot().Params) || slices.Equal(mid, w) || len(mid) != len(w) {
		t.Error("Weights after Run differ from the last epoch's snapshot, or did not change since step 2")
	}
}
