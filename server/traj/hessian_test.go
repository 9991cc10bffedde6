package traj

import (
	"math"
	"testing"

	"descent/optim"
	"descent/server/protocol"
)

// TestStartHessian checks the marks of the learning-rate control: on the
// bowl ½(x² + 25y²) H = diag(1, 25) everywhere, so gradient descent is
// stable below 2/25 and fastest at 2/26; momentum μ = 0.9 allows
// 2·1.9/25; Adam has no fixed rate. On Rosenbrock H changes with the point.
func TestStartHessian(t *testing.T) {
	mu := 0.9
	p, err := Check(&protocol.TrajStart{Fn: "quadratic", Start: [2]float64{-4, 1.5}, Steps: 10,
		Optimizers: []protocol.TrajOptimizer{{Method: "gd", Params: map[string]float64{"lr": 0.01}},
			{Method: "momentum", Params: map[string]float64{"lr": 0.01, "momentum": mu}}, {Method: "adam"}, {Method: "newton"}}}, 100)
	if err != nil {
		t.Fatal(err)
	}
	h := p.created.StartHessian
	if h == nil || h.Eigen != [2]float64{1, 25} || !h.Constant || h.MaxRate != 2.0/25 || h.BestRate != 2.0/26 {
		t.Fatalf("bowl's start Hessian %+v, want eigenvalues 1 and 25, constant, 2/25 and 2/26", h)
	}
	r := h.StableRates
	if len(r) != 4 || r[0] == nil || *r[0] != 2.0/25 || r[1] == nil || math.Abs(*r[1]-2*(1+mu)/25) > 1e-15 || r[2] != nil || r[3] != nil {
		t.Errorf("stable rates %v, want 2/25, 2(1+μ)/25, none for Adam and Newton", r)
	}
	rosen, _ := optim.LookupFunction("rosenbrock")
	h = startHessian(rosen, [2]float64{-1.5, 2}, nil)
	// H = [[1200x² − 400y + 2, −400x], [−400x, 200]] at (−1.5, 2): [[1902, 600], [600, 200]].
	if h == nil || h.Hessian != [3]float64{1902, 600, 200} || h.Constant || math.Abs(h.Eigen[0]+h.Eigen[1]-2102) > 1e-9 ||
		math.Abs(h.Eigen[0]*h.Eigen[1]-(1902*200-600*600)) > 1e-6 || h.MaxRate != 2/h.Eigen[1] {
		t.Errorf("Rosenbrock at (−1.5, 2): %+v", h)
	}
	saddle, _ := optim.LookupFunction("saddle")
	if h := startHessian(saddle, [2]float64{1, 1}, nil); h == nil || !h.Constant || h.BestRate != 0 || h.MaxRate != 1 {
		t.Errorf("saddle: %+v, want constant, no best rate (λmin < 0), 2/λmax = 1", h)
	}
}
