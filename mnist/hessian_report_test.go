package mnist

import (
	"cmp"
	"context"
	"errors"
	"math"
	"slices"
	"testing"
)

func TestAnalyzeHessian(t *testing.T) {
	data := sparseData(200, 4)
	net, _ := NewNet[float32](Arch{Hidden: []int{12}, Activation: Tanh}, 2)
	m := net.Model()
	r, err := AnalyzeHessian(context.Background(), m, data, HessianOptions{Examples: 150, Top: 4, Bottom: 1, TraceProbes: 50, Density: true})
	if err != nil {
		t.Fatal(err)
	}
	if r.Examples != 150 || len(r.Eigenvalues) != 4 || len(r.Bottom) != 1 || !r.Converged || len(r.Vector) != len(m.Params) {
		t.Fatalf("report %d examples, %d eigenvalues, %d bottom, converged %v", r.Examples, len(r.Eigenvalues), len(r.Bottom), r.Converged)
	}
	if !slices.IsSortedFunc(r.Eigenvalues, func(a, b float64) int { return cmp.Compare(b, a) }) {
		t.Errorf("eigenvalues %v are not in descending order", r.Eigenvalues)
	}
	if want := exactSharpness(t, m, data, 150, nil, 0); math.Abs(r.Eigenvalues[0]-want) > 1e-9*want {
		t.Errorf("λmax %v, want %v", r.Eigenvalues[0], want)
	}
	// The trace is Σλ; the top eigenvalues alone cannot exceed it by much
	// when the rest of the spectrum is near 0, and the estimate has a spread.
	if r.TraceStdErr <= 0 || r.TraceProbes != 50 || math.IsNaN(r.Trace) {
		t.Errorf("trace %v ± %v over %d probes", r.Trace, r.TraceStdErr, r.TraceProbes)
	}
	if r.Density == nil || len(r.Density.X) != 512 || r.HVPs < 50+4*80 {
		t.Fatalf("density %v, %d products", r.Density != nil, r.HVPs)
	}
	area := 0.0
	for i := 1; i < len(r.Density.X); i++ {
		area += (r.Density.X[i] - r.Density.X[i-1]) * (r.Density.Y[i] + r.Density.Y[i-1]) / 2
	}
	if math.Abs(area-1) > 1e-3 || r.Density.X[len(r.Density.X)-1] < r.Eigenvalues[0] {
		t.Errorf("density: area %v, grid up to %v (λmax %v)", area, r.Density.X[len(r.Density.X)-1], r.Eigenvalues[0])
	}
}

func TestAnalyzeHessianRefusesBadInput(t *testing.T) {
	data := randomData(20, 1)
	m := patternNet[float32]().Model()
	for _, o := range []HessianOptions{{Top: 11}, {Top: -1}, {Examples: 21}, {TraceProbes: -3}} {
		if _, err := AnalyzeHessian(context.Background(), m, data, o); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := AnalyzeHessian(ctx, m, data, HessianOptions{Examples: 10}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// TestAnalyzeHessianProgress: Progress sees every product once, the stages
// in order, and the last count is the report's.
func TestAnalyzeHessianProgress(t *testing.T) {
	data := sparseData(60, 5)
	m := patternNet[float32]().Model()
	var stages []string
	calls, last := 0, 0
	r, err := AnalyzeHessian(context.Background(), m, data, HessianOptions{Examples: 50, Top: 2, TraceProbes: 7, Density: true,
		Progress: func(stage string, hvps int) {
			calls++
			if hvps != last+1 {
				t.Errorf("products went from %d to %d", last, hvps)
			}
			last = hvps
			if len(stages) == 0 || stages[len(stages)-1] != stage {
				stages = append(stages, stage)
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{HessianStageTop, HessianStageTrace, HessianStageDensity}
	if !slices.Equal(stages, want) || calls != r.HVPs || last != r.HVPs {
		t.Errorf("stages %v over %d calls (last %d), want %v over the report's %d products", stages, calls, last, want, r.HVPs)
	}
}
