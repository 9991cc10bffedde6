package optim

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// scipyResult is one run of testdata/scipy_rosenbrock.json.
type scipyResult struct {
	Method string     `json:"method"`
	Start  [2]float64 `json:"start"`
	Nit    int        `json:"nit"`
	Nfev   int        `json:"nfev"`
	Njev   int        `json:"njev"`
	X      [2]float64 `json:"x"`
}

func loadSciPy(t *testing.T) map[string]scipyResult {
	data, err := os.ReadFile(filepath.Join(refDir, "scipy_rosenbrock.json"))
	if err != nil {
		t.Fatalf("no SciPy reference: %v (testdata/README.md)", err)
	}
	var ref struct{ Results []scipyResult }
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatal(err)
	}
	m := map[string]scipyResult{}
	for _, r := range ref.Results {
		m[r.Method] = r
	}
	return m
}

// runToEnd runs one config and returns its last iterate.
func runToEnd(t *testing.T, fn Function, start [2]float64, c Config, steps int, tol float64) Iterate {
	t.Helper()
	r, err := NewRunner(fn, start, []Config{c}, steps, tol)
	if err != nil {
		t.Fatal(err)
	}
	var last Iterate
	r.Run(func(it Iterate) { last = it })
	return last
}

// TestLineSearchAgainstSciPy: CG and BFGS reach SciPy's minimum of Rosenbrock
// from (-1.5, 2) in a number of iterations within a factor of 2 of SciPy's
// (its default gtol: ‖∇J‖∞ < 1e-5).
func TestLineSearchAgainstSciPy(t *testing.T) {
	ref := loadSciPy(t)
	for _, tc := range []struct{ ours, scipy string }{{"cg", "CG"}, {"bfgs", "BFGS"}} {
		t.Run(tc.ours, func(t *testing.T) {
			want := ref[tc.scipy]
			last := runToEnd(t, rosenbrock, want.Start, Config{Method: tc.ours}, 1000, 1e-5)
			t.Logf("%s: %d iterations, %d J and %d ∇J evaluations; SciPy %s: %d, %d, %d",
				tc.ours, last.Step, last.FEvals, last.GEvals, tc.scipy, want.Nit, want.Nfev, want.Njev)
			if last.Status != Converged {
				t.Fatalf("%s on Rosenbrock from (-1.5, 2): %v (%s), want converged", tc.ours, last.Status, last.Reason)
			}
			if d := math.Hypot(last.X[0]-want.X[0], last.X[1]-want.X[1]); d > 1e-4 {
				t.Errorf("%s on Rosenbrock from (-1.5, 2): x = %v, want %v (SciPy)", tc.ours, last.X, want.X)
			}
			if 2*last.Step < want.Nit || last.Step > 2*want.Nit {
				t.Errorf("%s on Rosenbrock from (-1.5, 2): %d iterations, want within a factor 2 of %d (SciPy)",
					tc.ours, last.Step, want.Nit)
			}
		})
	}
}

// TestNewtonLineSearchRosenbrock: Newton with line search from (-1.5, 2)
// reaches ‖∇J‖ < 1e-8 in under 50 iterations.
func TestNewtonLineSearchRosenbrock(t *testing.T) {
	last := runToEnd(t, rosenbrock, [2]float64{-1.5, 2}, Config{Method: "newton-ls"}, 50, 1e-8)
	t.Logf("newton-ls: %d iterations, %d J, %d ∇J, %d H evaluations; SciPy Newton-CG: 191 iterations",
		last.Step, last.FEvals, last.GEvals, last.HEvals)
	if last.Status != Converged || last.Step >= 50 {
		t.Errorf("newton-ls on Rosenbrock from (-1.5, 2): %v at step %d (%s), want converged in under 50",
			last.Status, last.Step, last.Reason)
	}
	if math.Abs(last.X[0]-1) > 1e-6 || math.Abs(last.X[1]-1) > 1e-6 {
		t.Errorf("newton-ls on Rosenbrock from (-1.5, 2): x = %v, want (1, 1)", last.X)
	}
}
