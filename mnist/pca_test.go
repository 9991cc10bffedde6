package mnist

import (
	"math"
	"math/rand/v2"
	"testing"
)

// unitVectors returns k random orthonormal vectors of n values.
func unitVectors(k, n int, rng *rand.Rand) [][]float64 {
	var es [][]float64
	for range k {
		e := make([]float64, n)
		for i := range e {
			e[i] = rng.NormFloat64()
		}
		for _, f := range es {
			d := dot(e, f)
			for i := range e {
				e[i] -= d * f[i]
			}
		}
		scale(e, 1/norm2(e))
		es = append(es, e)
	}
	return es
}

// syntheticPath records θ(s) = c + Σₖ coef(s)[k]·e[k] for s = 0…steps
// (θ(0) is θ₀) and returns the path, θ at the end and the coefficients.
func syntheticPath(t *testing.T, c []float64, es [][]float64, steps int, coef func(s int) []float64) (*Path, []float32, map[int][]float64) {
	t.Helper()
	at := func(s int) []float32 {
		th := make([]float32, len(c))
		w := coef(s)
		for i := range th {
			v := c[i]
			for k, e := range es {
				v += w[k] * e[i]
			}
			th[i] = float32(v)
		}
		return th
	}
	p, err := NewPath(pathArch, at(0), 0)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int][]float64{0: coef(0)}
	for s := 1; s <= steps; s++ {
		if p.Add(s, at(s)) != nil {
			want[s] = coef(s)
		}
	}
	return p, at(steps), want
}

// TestPathPlaneFindsTheKnownPlane: a path that lies in a known plane
// through the centre gives that plane with ≈ 100 % explained, every point
// projects back to its coordinates, and no point is off the plane.
func TestPathPlaneFindsTheKnownPlane(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	n := pathArch.NumParams()
	es := unitVectors(2, n, rng)
	c := toFloat64(randomWeights(n, rng, 0.2))
	steps := 400
	coef := func(s int) []float64 { // a curve that ends at c, like training
		r := 1 - float64(s)/float64(steps)
		return []float64{3 * r, 1.5 * r * math.Sin(4*r)}
	}
	p, final, want := syntheticPath(t, c, es, steps, coef)
	center := make([]float32, n)
	for i := range center {
		center[i] = float32(c[i])
	}
	pr, err := PathPlane(center, Track{Path: p, Final: final, FinalStep: steps})
	if err != nil {
		t.Fatal(err)
	}
	x, y := pr.Plane.X, pr.Plane.Y
	for name, d := range map[string][]float64{"X": x, "Y": y} {
		if in := math.Hypot(dot(d, es[0]), dot(d, es[1])); math.Abs(in-1) > 1e-5 {
			t.Errorf("%s has %.8f of its length in the known plane, want 1", name, in)
		}
	}
	if math.Abs(dot(x, y)) > 1e-9 || math.Abs(norm2(x)-1) > 1e-12 || math.Abs(norm2(y)-1) > 1e-12 {
		t.Errorf("X·Y = %g, ‖X‖ = %g, ‖Y‖ = %g; want an orthonormal pair", dot(x, y), norm2(x), norm2(y))
	}
	if ex := pr.Plane.Explained; ex[0]+ex[1] < 1-1e-6 || ex[0] < ex[1] {
		t.Errorf("explained %v, want ≈ 100 %% with the first direction first", ex)
	}
	// Coordinates (α, β) in the known basis map to (A, B) by the rotation R.
	r := [2][2]float64{{dot(x, es[0]), dot(x, es[1])}, {dot(y, es[0]), dot(y, es[1])}}
	pts := pr.Tracks[0]
	var far float64 // the quantisation's noise floor: 1e-5 of the path's extent
	for _, pt := range pts {
		far = max(far, pt.Norm)
	}
	if pts[0].Step != 0 || pts[len(pts)-1].Step != steps || len(pts) != len(want) {
		t.Fatalf("%d points from step %d to %d; want %d from 0 to %d", len(pts), pts[0].Step, pts[len(pts)-1].Step, len(want), steps)
	}
	for _, pt := range pts {
		w := want[pt.Step]
		a, b := r[0][0]*w[0]+r[0][1]*w[1], r[1][0]*w[0]+r[1][1]*w[1]
		if math.Abs(pt.A-a) > 1e-5 || math.Abs(pt.B-b) > 1e-5 || pt.Dist > 3e-5*far {
			t.Errorf("step %d at (%.6f, %.6f), %.2g off the plane; want (%.6f, %.6f), on it", pt.Step, pt.A, pt.B, pt.Dist, a, b)
		}
	}
}

// TestPathPlaneShowsLeavingThePlane: a path with a bump along a third
// direction reports the bump's points as off the plane, the others as on
// it, and A² + B² + Dist² = ‖θ − c‖² at every point.
func TestPathPlaneShowsLeavingThePlane(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	n := pathArch.NumParams()
	es := unitVectors(3, n, rng)
	c := toFloat64(randomWeights(n, rng, 0.2))
	steps := 300
	coef := func(s int) []float64 {
		r := 1 - float64(s)/float64(steps)
		bump := 0.0
		if s > 140 && s < 160 {
			bump = 0.15 * math.Sin(math.Pi*float64(s-140)/20)
		}
		return []float64{3 * r * math.Cos(2*r), 3 * r * math.Sin(2*r), bump}
	}
	p, final, want := syntheticPath(t, c, es, steps, coef)
	center := make([]float32, n)
	for i := range center {
		center[i] = float32(c[i])
	}
	pr, err := PathPlane(center, Track{Path: p, Final: final, FinalStep: steps})
	if err != nil {
		t.Fatal(err)
	}
	// The best plane tilts a little towards the bump (its share of the path),
	// so a point is off it by its bump within a tenth of the bump.
	for _, pt := range pr.Tracks[0] {
		if bump := math.Abs(want[pt.Step][2]); math.Abs(pt.Dist-bump) > 0.015 {
			t.Errorf("step %d is %.5f off the plane, want its bump %.5f", pt.Step, pt.Dist, bump)
		}
		if sum := pt.A*pt.A + pt.B*pt.B + pt.Dist*pt.Dist; math.Abs(sum-pt.Norm*pt.Norm) > 1e-9*max(1, pt.Norm*pt.Norm) {
			t.Errorf("step %d: A² + B² + Dist² = %g, ‖θ − c‖² = %g", pt.Step, sum, pt.Norm*pt.Norm)
		}
	}
	if ex := pr.Explained[0]; ex[0]+ex[1] > 1-1e-5 || ex[0]+ex[1] < 0.999 {
		t.Errorf("explained %v: the bump holds a small but visible share", ex)
	}
}

// TestSweepPlaneGivesEachRunAnEqualSay: two runs from one θ₀, one along e₀
// and a ten times longer one along e₁ with a wiggle along e₂. Weighting each
// run by its length keeps both main directions in the plane; unweighted,
// the long run's wiggle would push the short run out.
func TestSweepPlaneGivesEachRunAnEqualSay(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	n := pathArch.NumParams()
	es := unitVectors(3, n, rng)
	theta0 := toFloat64(randomWeights(n, rng, 0.2))
	short, _, _ := syntheticPath(t, theta0, es, 200, func(s int) []float64 { return []float64{0.1 * float64(s) / 200, 0, 0} })
	long, _, _ := syntheticPath(t, theta0, es, 200, func(s int) []float64 {
		f := float64(s) / 200
		return []float64{0, 10 * f, 0.8 * math.Sin(6*f)}
	})
	pr, err := PathPlane(short.Origin(), Track{Path: short}, Track{Path: long})
	if err != nil {
		t.Fatal(err)
	}
	for k, ex := range pr.Explained {
		if ex[0]+ex[1] < 0.95 {
			t.Errorf("run %d: the sweep's plane holds %.3f of its path, want most of it", k, ex[0]+ex[1])
		}
	}
	for k, tr := range pr.Tracks {
		if tr[0].Step != 0 || math.Hypot(tr[0].A, tr[0].B) > 1e-9 {
			t.Errorf("run %d does not start at θ₀ = (0, 0): %+v", k, tr[0])
		}
	}
}

func TestProjectionDomain(t *testing.T) {
	pr := &Projection{Tracks: [][]PathPoint{{{A: 2, B: 0.1}, {A: 4, B: -0.1}}}}
	if d := pr.Domain(); d != [4]float64{-0.6, 4.6, -0.65, 0.65} {
		t.Errorf("domain %v, want [−0.6, 4.6] × [−0.65, 0.65]: the centre, both points, margins, b at least a quarter", d)
	}
	if d := (&Projection{Tracks: [][]PathPoint{{{}}}}).Domain(); d != [4]float64{-1, 1, -1, 1} {
		t.Errorf("a path that has not moved: %v", d)
	}
}
