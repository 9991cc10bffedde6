package optim

import (
	"math"
	"testing"
)

// TestStabilityOnQuadratics runs each method on J(θ) = ½λθ² just below and
// just above its threshold: below it the iterate shrinks, above it grows.
func TestStabilityOnQuadratics(t *testing.T) {
	cases := []struct {
		name string
		hp   map[string]float64
		want float64 // Factor
	}{
		{"gd", nil, 2},
		{"sgd", map[string]float64{"weightDecay": 0.1}, 2},
		{"momentum", map[string]float64{"momentum": 0.9}, 3.8},
		{"sgd", map[string]float64{"momentum": 0.5, "dampening": 0.5}, 6},
		{"nesterov", map[string]float64{"momentum": 0.9}, 3.8 / 2.8},
	}
	for _, c := range cases {
		m, err := New[float64](c.name, c.hp)
		if err != nil {
			t.Fatal(err)
		}
		s, ok := StabilityOf(m)
		if !ok || math.Abs(s.Factor-c.want) > 1e-12 || s.Preconditioned {
			t.Errorf("%s %v: %+v, %v; want factor %v", c.name, c.hp, s, ok, c.want)
			continue
		}
		const lr = 0.1
		for _, side := range []float64{0.98, 1.02} {
			lambda := side*s.Threshold(lr) - s.WeightDecay // the curvature the method sees is λ + decay
			grows := runQuadratic(t, c.name, c.hp, lr, lambda)
			if grows != (side > 1) {
				t.Errorf("%s %v at %.2f × threshold: grows = %v", c.name, c.hp, side, grows)
			}
		}
	}
}

// runQuadratic takes 3,000 steps on ½λθ² from θ = 1 and reports whether |θ|
// ended above 1.
func runQuadratic(t *testing.T, name string, hp map[string]float64, lr, lambda float64) bool {
	t.Helper()
	m, _ := New[float64](name, hp)
	m.SetLR(lr)
	theta := []float64{1}
	for range 3000 {
		m.Step(theta, []float64{lambda * theta[0]})
	}
	return math.Abs(theta[0]) > 1
}

func TestStabilityOfAdam(t *testing.T) {
	for _, name := range []string{"adam", "adamw"} {
		m, _ := New[float64](name, map[string]float64{"beta1": 0.9})
		s, ok := StabilityOf(m)
		if !ok || math.Abs(s.Factor-38) > 1e-12 || !s.Preconditioned || s.WeightDecay != 0 {
			t.Errorf("%s: %+v, %v; want factor 38, preconditioned, no L2 decay", name, s, ok)
		}
		p := m.(Preconditioner)
		dst := make([]float64, 2)
		if p.Preconditioner(dst) {
			t.Errorf("%s: a preconditioner before the first step", name)
		}
		m.Step([]float64{1, 2}, []float64{0.5, -2})
		if !p.Preconditioner(dst) {
			t.Fatalf("%s: no preconditioner after a step", name)
		}
		// After one step v = (1 − β₂)g², so √(v/(1 − β₂)) = |g| and P = (1 − β₁)(|g| + ε).
		for i, g := range []float64{0.5, 2} {
			if want := 0.1 * (g + 1e-8); math.Abs(dst[i]-want) > 1e-15 {
				t.Errorf("%s: P[%d] = %v, want %v", name, i, dst[i], want)
			}
		}
	}
	for _, name := range []string{"adagrad", "rmsprop"} {
		m, _ := New[float64](name, nil)
		if _, ok := StabilityOf(m); ok {
			t.Errorf("%s: a threshold, want none", name)
		}
	}
}

// TestAdamAtItsThreshold checks the preconditioned threshold on a quadratic
// ½λθ²: with ε = 1 and gradients far below it, P ≈ 1 hardly moves, and Adam
// is heavy ball with μ = τ = β₁ on P⁻¹H once its bias correction 1 − β₁ᵗ has
// reached 1.
func TestAdamAtItsThreshold(t *testing.T) {
	const lr = 0.01
	for _, side := range []float64{0.97, 1.03} {
		m, err := New[float64]("adam", map[string]float64{"eps": 1})
		if err != nil {
			t.Fatal(err)
		}
		m.SetLR(lr)
		s, _ := StabilityOf(m)
		lambda := side * s.Threshold(lr) // P ≈ 1
		theta := []float64{1e-7}
		for range 1000 { // zero gradients: t grows until 1 − β₁ᵗ = 1, so that the bias correction does not kick
			m.Step(theta, []float64{0})
		}
		peak := 0.0
		for range 4000 {
			m.Step(theta, []float64{lambda * theta[0]})
			peak = math.Max(peak, math.Abs(theta[0]))
		}
		p := []float64{0}
		m.(Preconditioner).Preconditioner(p)
		// Above the threshold θ grows until the gradients raise P enough to
		// stop it: Adam's own edge of stability.
		if grew := peak > 1e-6; grew != (side > 1) || side < 1 && math.Abs(p[0]-1) > 1e-3 {
			t.Errorf("Adam at %.2f × its threshold: peak |θ| = %g, P = %v", side, peak, p[0])
		}
	}
}
