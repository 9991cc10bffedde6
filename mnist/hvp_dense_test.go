package mnist

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mat"

	"descent/optim/spectrum"
)

// tinyHessian is a Hessian of a network of the given widths (input first)
// on rows synthetic inputs, at random weights.
func tinyHessian(sizes []int, act Activation, rows int, seed uint64) (*Hessian[float64], []float64) {
	rng := rand.New(rand.NewPCG(seed, 5))
	in, classes := sizes[0], sizes[len(sizes)-1]
	x := make([]float64, rows*in)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	labels := make([]uint8, rows)
	for i := range labels {
		labels[i] = uint8(rng.IntN(classes))
	}
	h := newHessian(sizes, act, probeInput[float64](&denseInput[float64]{x: x, rows: rows, cols: in}), labels)
	theta := make([]float64, h.Dim())
	for i := range theta {
		theta[i] = rng.NormFloat64()
	}
	h.SetParams(theta)
	return h, theta
}

// TestHVPAgainstDenseHessian builds the whole Hessian of tiny networks
// column by column from central differences of the gradient (gonum/diff/fd),
// checks every column against the exact products, and checks that Lanczos
// on the exact products finds its eigenvalues (from gonum's EigenSym) to
// 1e-8 relative.
func TestHVPAgainstDenseHessian(t *testing.T) {
	for _, c := range []struct {
		sizes []int
		act   Activation
	}{
		{[]int{20, 5, 3}, Sigmoid}, {[]int{20, 5, 3}, Tanh}, {[]int{20, 5, 3}, ReLU}, {[]int{12, 6, 4, 3}, Sigmoid},
	} {
		t.Run(fmt.Sprint(c.sizes, c.act), func(t *testing.T) {
			h, theta := tinyHessian(c.sizes, c.act, 30, 1)
			n := h.Dim()
			grad := func(g, p []float64) {
				h.SetParams(p)
				h.Gradient(g)
			}
			dense := mat.NewDense(n, n, nil)
			fd.Jacobian(dense, grad, theta, &fd.JacobianSettings{Formula: fd.Central, Step: 1e-5})
			h.SetParams(theta)
			exact := columns(h)
			worst := 0.0
			for i := range n {
				for j := range n {
					worst = math.Max(worst, math.Abs(dense.At(i, j)-exact.At(i, j)))
				}
			}
			if worst > 1e-7*mat.Norm(exact, math.Inf(1)) {
				t.Errorf("finite-difference Hessian differs from the products by %.3g", worst)
			}
			sym := mat.NewSymDense(n, nil)
			for i := range n {
				for j := i; j < n; j++ {
					sym.SetSym(i, j, (dense.At(i, j)+dense.At(j, i))/2)
				}
			}
			checkLanczosOnDense(t, h, sym)
		})
	}
}

// columns returns H from the products H·eⱼ.
func columns(h *Hessian[float64]) *mat.Dense {
	n := h.Dim()
	m := mat.NewDense(n, n, nil)
	e, col := make([]float64, n), make([]float64, n)
	for j := range n {
		e[j] = 1
		h.Apply(col, e)
		e[j] = 0
		m.SetCol(j, col)
	}
	return m
}

func checkLanczosOnDense(t *testing.T, h *Hessian[float64], sym *mat.SymDense) {
	t.Helper()
	var es mat.EigenSym
	if !es.Factorize(sym, false) {
		t.Fatal("EigenSym failed")
	}
	want := es.Values(nil)
	slices.Sort(want)
	n := len(want)
	e, err := spectrum.Lanczos(context.Background(), h.Apply, n, spectrum.LanczosOptions{K: 5, Bottom: 2, Tol: 1e-10, MaxIter: n})
	if err != nil || !e.Converged {
		t.Fatalf("Lanczos: %v, converged %v after %d products", err, e.Converged, e.Products)
	}
	for i, v := range e.Values {
		if w := want[n-1-i]; math.Abs(v-w) > 1e-8*math.Abs(w) {
			t.Errorf("λ%d = %.12g, want %.12g (dense finite-difference Hessian)", i+1, v, w)
		}
	}
	for i, v := range e.Bottom {
		if w := want[i]; math.Abs(v-w) > 1e-8*math.Abs(w) {
			t.Errorf("bottom λ%d = %.12g, want %.12g (dense finite-difference Hessian)", i+1, v, w)
		}
	}
	if testing.Verbose() {
		t.Logf("top %.6g, bottom %.6g, %d products", e.Values, e.Bottom, e.Products)
	}
}
