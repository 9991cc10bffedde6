package mnist

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats"
)

// randomVector returns a unit vector of n normal entries.
func randomVector(n int, seed uint64) []float64 {
	rng := rand.New(rand.NewPCG(seed, 9))
	v := make([]float64, n)
	for i := range v {
		v[i] = rng.NormFloat64()
	}
	floats.Scale(1/floats.Norm(v, 2), v)
	return v
}

// relDiff is ‖a − b‖/‖b‖.
func relDiff(a, b []float64) float64 {
	d := make([]float64, len(a))
	floats.SubTo(d, a, b)
	return floats.Norm(d, 2) / floats.Norm(b, 2)
}

// TestHVPFiniteDifferences checks Hv against central differences of the
// network's own gradient, (∇J(θ + εv) − ∇J(θ − εv))/2ε, for every
// activation and every depth the network supports, on random images.
func TestHVPFiniteDifferences(t *testing.T) {
	data := randomData(6, 4)
	idx := seq(6)
	widths := [][]int{nil, {5}, {5, 4}, {5, 4, 3}, {5, 4, 3, 3}} // nil: logistic regression
	for _, act := range Activations() {
		for _, hidden := range widths {
			arch := Arch{Hidden: hidden, Activation: act}
			t.Run(arch.String(), func(t *testing.T) {
				net, err := NewNet[float64](arch, 3)
				if err != nil {
					t.Fatal(err)
				}
				for i := range net.Params { // larger weights, so that every unit matters
					net.Params[i] *= 3
				}
				theta := append([]float64(nil), net.Params...)
				h, err := NewHessian[float64](arch, data, 6)
				if err != nil {
					t.Fatal(err)
				}
				h.SetParams(theta)
				checkLossAndGradient(t, h, net, data, idx)
				v := randomVector(len(theta), 1)
				hv := make([]float64, len(v))
				h.Apply(hv, v)
				fd := centralDifference(net, data, idx, theta, v, 1e-5)
				if d := relDiff(hv, fd); d > 1e-6 {
					t.Errorf("‖Hv − FD‖/‖FD‖ = %.3g, want < 1e-6 (‖Hv‖ = %.4g)", d, floats.Norm(hv, 2))
				}
			})
		}
	}
}

// checkLossAndGradient compares the Hessian's own passes with the network's.
func checkLossAndGradient(t *testing.T, h *Hessian[float64], net *Net[float64], data *Dataset, idx []int32) {
	t.Helper()
	loss, _ := net.Loss(data, idx)
	g := make([]float64, h.Dim())
	h.Gradient(g)
	if math.Abs(h.Loss()-loss) > 1e-13*loss || relDiff(g, net.Grads) > 1e-12 {
		t.Errorf("loss %v and gradient %.3g off, want the network's %v", h.Loss(), relDiff(g, net.Grads), loss)
	}
}

// centralDifference is (∇J(θ + εv) − ∇J(θ − εv))/2ε from the network's
// backward pass.
func centralDifference(net *Net[float64], d *Dataset, idx []int32, theta, v []float64, eps float64) []float64 {
	grad := func(sign float64) []float64 {
		for i := range theta {
			net.Params[i] = theta[i] + sign*eps*v[i]
		}
		net.Loss(d, idx)
		return append([]float64(nil), net.Grads...)
	}
	plus, minus := grad(1), grad(-1)
	copy(net.Params, theta)
	fd := make([]float64, len(v))
	for i := range fd {
		fd[i] = (plus[i] - minus[i]) / (2 * eps)
	}
	return fd
}

// TestHVPSparseEqualsDense checks that the float64 path's sparse input
// (background c plus ink) gives the products of the dense one.
func TestHVPSparseEqualsDense(t *testing.T) {
	train := sparseData(40, 2)
	arch := Arch{Hidden: []int{7, 5}, Activation: Tanh}
	net, _ := NewNet[float64](arch, 2)
	sparse, _ := NewHessian[float64](arch, train, 40)
	in := newProbeInput[float64](train, 40).(*sparseInput)
	if nnz := len(in.val); nnz > 40*InputSize/4 {
		t.Fatalf("%d of %d inputs stored: the background is not split off", nnz, 40*InputSize)
	}
	dense := newHessian(arch.Sizes(), arch.Activation, probeInput[float64](in.dense()), train.Labels[:40])
	sparse.SetParams(net.Params)
	dense.SetParams(net.Params)
	v := randomVector(sparse.Dim(), 3)
	a, b := make([]float64, len(v)), make([]float64, len(v))
	sparse.Apply(a, v)
	dense.Apply(b, v)
	if d := relDiff(a, b); d > 1e-13 || sparse.Loss() != dense.Loss() && math.Abs(sparse.Loss()-dense.Loss()) > 1e-14 {
		t.Errorf("sparse and dense products differ by %.3g (losses %v, %v)", d, sparse.Loss(), dense.Loss())
	}
}

// dense turns the sparse input back into a dense matrix.
func (in *sparseInput) dense() *denseInput[float64] {
	x := make([]float64, in.rows*in.cols)
	for i := range x {
		x[i] = in.c
	}
	for r := range in.rows {
		for p := in.ptr[r]; p < in.ptr[r+1]; p++ {
			x[r*in.cols+int(in.idx[p])] += in.val[p]
		}
	}
	return &denseInput[float64]{x: x, rows: in.rows, cols: in.cols}
}

// sparseData makes n images that look like digits to the sparse path: 80 %
// background, the rest random ink.
func sparseData(n int, seed uint64) *Dataset {
	d := randomData(n, seed)
	rng := rand.New(rand.NewPCG(seed, 7))
	for i := range d.Images {
		if rng.Float64() < 0.8 {
			d.Images[i] = 0
		}
	}
	return d
}

// TestHVPFloat32 checks the tracking path's float32 products against the
// float64 ones.
func TestHVPFloat32(t *testing.T) {
	data := sparseData(200, 5)
	for _, act := range Activations() {
		arch := Arch{Hidden: []int{30, 20}, Activation: act}
		net, _ := NewNet[float64](arch, 4)
		h64, _ := NewHessian[float64](arch, data, 200)
		h32, _ := NewHessian[float32](arch, data, 200)
		h64.SetParams(net.Params)
		p32 := make([]float32, len(net.Params))
		for i, v := range net.Params {
			p32[i] = float32(v)
		}
		h32.SetParams(p32)
		v := randomVector(h64.Dim(), 6)
		a, b := make([]float64, len(v)), make([]float64, len(v))
		h64.Apply(a, v)
		h32.Apply(b, v)
		if d := relDiff(b, a); d > 1e-4 || h32.Products() != 1 {
			t.Errorf("%s: float32 products differ from float64 by %.3g, want < 1e-4", act, d)
		}
	}
}

func TestNewHessianRefusesBadInput(t *testing.T) {
	data := randomData(10, 1)
	for _, c := range []struct {
		arch Arch
		n    int
		want string
	}{
		{DefaultArch(), 0, "over 0 examples, want 1 to 10"},
		{DefaultArch(), 11, "over 11 examples"},
		{Arch{Hidden: []int{100}, Activation: "swish"}, 5, "unknown activation"},
	} {
		_, err := NewHessian[float64](c.arch, data, c.n)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v, %d examples: error %v, want %q", c.arch, c.n, err, c.want)
		}
	}
	big := &Dataset{N: 60000}
	_, err := NewHessian[float64](Arch{Hidden: []int{4096, 4096, 4096, 4096}, Activation: ReLU}, big, 60000)
	if err == nil || !strings.Contains(err.Error(), "use fewer examples") {
		t.Errorf("a 60,000-example Hessian of 4 × 4096 units: %v", err)
	}
}
