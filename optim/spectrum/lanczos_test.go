package spectrum

import (
	"context"
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

func TestLanczosAgainstEigenSym(t *testing.T) {
	negDef := func() *mat.SymDense { // −(BᵀB + I): every eigenvalue negative
		b := wigner(120, 9)
		var a mat.SymDense
		a.SymOuterK(-1, b)
		for i := range 120 {
			a.SetSym(i, i, a.At(i, i)-1)
		}
		return &a
	}
	cases := []struct {
		name      string
		a         *mat.SymDense
		k, bottom int
	}{
		{"hessian-like n=400", withSpectrum(hessianLike(400, 1), 1), 5, 2},
		{"wigner n=150", wigner(150, 2), 3, 3},
		{"negative definite n=120", negDef(), 4, 1},
		{"all of n=6", withSpectrum([]float64{3, 1, 0, -1, 2, 5}, 3), 4, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := c.a.SymmetricDim()
			want := eigenSym(t, c.a)
			scale := math.Max(-want[0], want[n-1])
			off := func(got, want float64) bool { return math.Abs(got-want) > 1e-10*math.Abs(want)+1e-13*scale }
			e, err := Lanczos(context.Background(), operator(c.a), n,
				LanczosOptions{K: c.k, Bottom: c.bottom, Tol: 1e-8, MaxIter: n, Vectors: true})
			if err != nil {
				t.Fatal(err)
			}
			if !e.Converged || len(e.Values) != c.k || len(e.Bottom) != c.bottom {
				t.Fatalf("converged %v, %d top and %d bottom values after %d products", e.Converged, len(e.Values), len(e.Bottom), e.Products)
			}
			for i, v := range e.Values {
				if w := want[n-1-i]; off(v, w) {
					t.Errorf("λ%d = %.15g, want %.15g (EigenSym)", i+1, v, w)
				}
			}
			for i, v := range e.Bottom {
				if w := want[i]; off(v, w) {
					t.Errorf("bottom λ%d = %.15g, want %.15g (EigenSym)", i+1, v, w)
				}
			}
			for i, x := range e.Vectors {
				checkPair(t, c.a, e.Values[i], x, 1e-6)
			}
			for i, x := range e.BottomVectors {
				checkPair(t, c.a, e.Bottom[i], x, 1e-6)
			}
		})
	}
}

// checkPair checks that x is a unit vector with ‖Ax − θx‖ ≤ tol·max(1, |θ|).
func checkPair(t *testing.T, a *mat.SymDense, theta float64, x []float64, tol float64) {
	t.Helper()
	ax := make([]float64, len(x))
	operator(a)(ax, x)
	if r := residual(ax, x, theta); r > tol*math.Max(1, math.Abs(theta)) || math.Abs(floats.Norm(x, 2)-1) > 1e-12 {
		t.Errorf("θ = %g: residual %g, ‖x‖ = %v", theta, r, floats.Norm(x, 2))
	}
}

// TestLanczosNegativeTop checks that the largest eigenvalues of a matrix
// whose spectrum is mostly negative are reported with their signs.
func TestLanczosNegativeTop(t *testing.T) {
	lambda := []float64{-0.5, -1, -2, -3, -4, -5, -6, -7, -8, -9}
	a := withSpectrum(lambda, 5)
	e, err := Lanczos(context.Background(), operator(a), 10, LanczosOptions{K: 3, Tol: 1e-10})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{-0.5, -1, -2} {
		if relErr(e.Values[i], want) > 1e-10 {
			t.Errorf("λ%d = %v, want %v", i+1, e.Values[i], want)
		}
	}
}

// TestLanczosWarmStart checks that a start near the answer (the top
// eigenvector of a slightly different matrix, as in tracking) needs fewer
// products than a random start. At Tol = 1e-4 the eigenvalue is within
// (1e-4·λ)²/gap ≈ 3e-6 of the truth.
func TestLanczosWarmStart(t *testing.T) {
	lambda := hessianLike(300, 7)
	lambda[0], lambda[1], lambda[2] = 5.2, 5.1, 5.05 // close at the top: slow from a random start
	a := withSpectrum(lambda, 7)
	op := operator(a)
	opt := LanczosOptions{K: 1, Tol: 1e-4, Vectors: true}
	cold, err := Lanczos(context.Background(), op, 300, opt)
	if err != nil {
		t.Fatal(err)
	}
	// A matrix moved a little: A + 0.001·(a random symmetric matrix)/√n.
	var b mat.SymDense
	b.AddSym(a, scaled(wigner(300, 8), 0.001/math.Sqrt(300)))
	opt.Start = cold.Vectors[0]
	warm, err := Lanczos(context.Background(), operator(&b), 300, opt)
	if err != nil {
		t.Fatal(err)
	}
	coldB, _ := Lanczos(context.Background(), operator(&b), 300, LanczosOptions{K: 1, Tol: 1e-4, Seed: 3})
	if want := eigenSym(t, &b)[299]; relErr(warm.Values[0], want) > 1e-6 {
		t.Errorf("warm λmax = %v, want %v", warm.Values[0], want)
	}
	if warm.Products >= coldB.Products/2 {
		t.Errorf("warm start took %d products, a cold one %d: want under half", warm.Products, coldB.Products)

	}
}

func scaled(a *mat.SymDense, s float64) *mat.SymDense {
	var b mat.SymDense
	b.ScaleSym(s, a)
	return &b
}

func TestLanczosStopsOnCancel(t *testing.T) {
	a := wigner(50, 1)
	ctx, cancel := context.WithCancel(context.Background())
	products := 0
	op := func(dst, v []float64) {
		products++
		if products == 3 {
			cancel()
		}
		operator(a)(dst, v)
	}
	e, err := Lanczos(ctx, op, 50, LanczosOptions{K: 2, Tol: 1e-14})
	if !errors.Is(err, context.Canceled) || e.Products != 3 || products != 3 {
		t.Errorf("err %v after %d products (%d reported), want context.Canceled after 3", err, products, e.Products)
	}
}

func TestLanczosRefusesBadInput(t *testing.T) {
	op := operator(wigner(4, 1))
	for _, c := range []struct {
		n   int
		opt LanczosOptions
	}{
		{0, LanczosOptions{}},
		{4, LanczosOptions{Start: make([]float64, 3)}},
		{4, LanczosOptions{K: 3, Bottom: 2}},
		{4, LanczosOptions{K: -1}},
	} {
		if _, err := Lanczos(context.Background(), op, c.n, c.opt); err == nil {
			t.Errorf("n = %d, %+v: no error", c.n, c.opt)
		}
	}
}

// TestLanczosBreakdown uses a start vector inside an invariant subspace: the
// basis must go on past the breakdown and still find the top eigenvalue.
func TestLanczosBreakdown(t *testing.T) {
	d := mat.NewSymDense(6, nil)
	for i, l := range []float64{1, 2, 3, 4, 5, 6} {
		d.SetSym(i, i, l)
	}
	start := []float64{1, 1, 0, 0, 0, 0} // spans eigenvalues 1 and 2 only
	e, err := Lanczos(context.Background(), operator(d), 6, LanczosOptions{K: 1, Start: start, Tol: 1e-12})
	if err != nil {
		t.Fatal(err)
	}
	if relErr(e.Values[0], 6) > 1e-12 {
		t.Errorf("λmax = %v after a breakdown, want 6", e.Values[0])
	}
}

// TestLanczosExtraVectors: the Ritz vectors after the K wanted are unit
// vectors orthogonal to them, and exact when the space is exhausted.
func TestLanczosExtraVectors(t *testing.T) {
	a := withSpectrum([]float64{3, 1, 0, -1, 2, 5}, 3)
	e, err := Lanczos(context.Background(), operator(a), 6, LanczosOptions{K: 1, Extra: 2, Tol: 1e-14, MaxIter: 6, Vectors: true})
	if err != nil || len(e.Extra) != 2 {
		t.Fatalf("%d extra vectors, %v", len(e.Extra), err)
	}
	for i, x := range e.Extra {
		if d := floats.Dot(x, e.Vectors[0]); math.Abs(d) > 1e-12 {
			t.Errorf("extra vector %d: xᵀv₁ = %g, want 0", i, d)
		}
		checkPair(t, a, []float64{3, 2}[i], x, 1e-10)
	}
}
