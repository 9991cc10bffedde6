package optim

import (
	"encoding/json"
	"math"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mat"
)

// samplePoints returns a 9×9 grid over f's domain, shrunk a little so that
// central differences stay inside it, plus its minima and starts.
func samplePoints(f Function) [][2]float64 {
	var pts [][2]float64
	d := f.Domain
	for i := 0; i < 9; i++ {
		for j := 0; j < 9; j++ {
			x := d[0] + (d[1]-d[0])*(0.05+0.9*float64(i)/8)
			y := d[2] + (d[3]-d[2])*(0.05+0.9*float64(j)/8)
			pts = append(pts, [2]float64{x, y})
		}
	}
	pts = append(pts, f.Minima...)
	for _, s := range f.Starts {
		pts = append(pts, s.X)
	}
	return pts
}

// TestDerivatives checks every function's gradient and Hessian against
// central finite differences (gonum/diff/fd) at many points.
func TestDerivatives(t *testing.T) {
	fns := append(Functions(), Quadratic(100, 30), Quadratic(4, -60))
	for _, f := range fns {
		t.Run(f.Name, func(t *testing.T) {
			fv := func(x []float64) float64 { return f.F(x[0], x[1]) }
			gradV := func(dst, x []float64) { dst[0], dst[1] = f.Grad(x[0], x[1]) }
			settings := &fd.Settings{Formula: fd.Central, Step: 1e-5}
			for _, p := range samplePoints(f) {
				num := fd.Gradient(nil, fv, p[:], settings)
				gx, gy := f.Grad(p[0], p[1])
				gs := math.Max(math.Abs(gx), math.Abs(gy))
				checkNear(t, f, p, "∂J/∂x", gx, num[0], gs)
				checkNear(t, f, p, "∂J/∂y", gy, num[1], gs)
				jac := mat.NewDense(2, 2, nil)
				fd.Jacobian(jac, gradV, p[:], &fd.JacobianSettings{Formula: fd.Central, Step: 1e-5})
				hxx, hxy, hyy := f.Hess(p[0], p[1])
				hs := math.Max(math.Abs(hxx), math.Max(math.Abs(hxy), math.Abs(hyy)))
				checkNear(t, f, p, "∂²J/∂x²", hxx, jac.At(0, 0), hs)
				checkNear(t, f, p, "∂²J/∂x∂y", hxy, jac.At(0, 1), hs)
				checkNear(t, f, p, "∂²J/∂y∂x", hxy, jac.At(1, 0), hs)
				checkNear(t, f, p, "∂²J/∂y²", hyy, jac.At(1, 1), hs)
			}
		})
	}
}

// checkNear allows 1e-6 relative to the largest entry (scale) of the
// gradient or Hessian being checked, the accuracy of central differences.
func checkNear(t *testing.T, f Function, p [2]float64, what string, got, want, scale float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-6*math.Max(1, scale) {
		t.Errorf("%s at (%g, %g): %s = %.10g, want %.10g (finite differences)", f.Title, p[0], p[1], what, got, want)
	}
}

// TestMinima checks ∇J = 0 and J = FMin at every listed minimum, and that
// each function is well formed.
func TestMinima(t *testing.T) {
	for _, f := range Functions() {
		if len(f.Starts) == 0 || f.Domain[0] >= f.Domain[1] || f.Domain[2] >= f.Domain[3] {
			t.Errorf("%s: needs starts and a domain", f.Name)
		}
		for _, m := range f.Minima {
			gx, gy := f.Grad(m[0], m[1])
			if math.Hypot(gx, gy) > 1e-9 {
				t.Errorf("%s: ∇J%v = (%g, %g), want 0", f.Title, m, gx, gy)
			}
			if v := f.F(m[0], m[1]); math.Abs(v-f.FMin) > 1e-12*math.Max(1, math.Abs(f.FMin)) {
				t.Errorf("%s: J%v = %.17g, want %.17g", f.Title, m, v, f.FMin)
			}
		}
	}
}

// TestQuadraticIsReference: Quadratic(25, 0) is ½(x² + 25y²) bit for bit.
func TestQuadraticIsReference(t *testing.T) {
	q := Quadratic(25, 0)
	for _, p := range samplePoints(q) {
		x, y := p[0], p[1]
		want := 0.5 * (float64(x*x) + float64(25*y*y))
		gx, gy := q.Grad(x, y)
		if q.F(x, y) != want || gx != x || gy != 25*y {
			t.Errorf("Quadratic(25, 0) at (%g, %g) = %g, ∇ (%g, %g); want %g, (%g, %g)", x, y, q.F(x, y), gx, gy, want, x, 25*y)
		}
	}
}

// TestJSON: the registries encode as JSON for the page's hello event.
func TestJSON(t *testing.T) {
	for _, v := range []any{Functions(), Specs(), ScheduleSpecs()} {
		if _, err := json.Marshal(v); err != nil {
			t.Errorf("json.Marshal(%T): %v", v, err)
		}
	}
}

func TestFunctionAllocs(t *testing.T) {
	for _, f := range Functions() {
		n := testing.AllocsPerRun(100, func() {
			f.F(0.3, 0.7)
			f.Grad(0.3, 0.7)
			f.Hess(0.3, 0.7)
		})
		if n != 0 {
			t.Errorf("%s: %v allocations per evaluation, want 0", f.Name, n)
		}
	}
}

func TestNewFunction(t *testing.T) {
	if _, err := NewFunction("nope", nil); err == nil {
		t.Error(`NewFunction("nope") succeeded`)
	}
	if _, err := NewFunction("quadratic", map[string]float64{"cond": 0.5}); err == nil {
		t.Error("NewFunction(quadratic, cond 0.5) succeeded, want out of range")
	}
	q, err := NewFunction("quadratic", map[string]float64{"cond": 10, "angle": 90})
	if err != nil {
		t.Fatal(err)
	}
	if got := q.F(0, 1); math.Abs(got-0.5) > 1e-15 { // turned by 90°, the steep axis is x
		t.Errorf("quadratic(10, 90°) at (0, 1) = %g, want 0.5", got)
	}
}
