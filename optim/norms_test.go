package optim

import (
	"math"
	"testing"
)

// TestStepMeasured checks, for every method that can train the network, that
// the measured step moves θ exactly as Step does and that its norms are those
// of the step.
func TestStepMeasured(t *testing.T) {
	for _, s := range Specs() {
		if !s.Network {
			continue
		}
		t.Run(s.Name, func(t *testing.T) {
			hp := map[string]float64{"weightDecay": 0.01}
			if _, err := New[float32](s.Name, hp); err != nil {
				hp = nil // gd takes no weight decay
			}
			plain, _ := New[float32](s.Name, hp)
			m, _ := New[float32](s.Name, hp)
			measured, ok := m.(Measured[float32])
			if !ok {
				t.Fatalf("%s does not implement Measured", s.Name)
			}
			a := []float32{1, -2, 3, 0.5}
			b := append([]float32(nil), a...)
			for step := range 3 {
				g := []float32{0.1, float32(step), -0.3, 2}
				before := append([]float32(nil), b...)
				plain.Step(a, g)
				n := measured.StepMeasured(b, g)
				var want Norms
				for i := range b {
					if a[i] != b[i] {
						t.Fatalf("step %d: θ[%d] = %v measured, %v plain", step, i, b[i], a[i])
					}
					d := float64(b[i]) - float64(before[i])
					want.Grad += float64(g[i]) * float64(g[i])
					want.Delta += d * d
					want.Theta += float64(b[i]) * float64(b[i])
				}
				if math.Abs(n.Grad-want.Grad) > 1e-12 || math.Abs(n.Delta-want.Delta) > 1e-12 || math.Abs(n.Theta-want.Theta) > 1e-12 {
					t.Errorf("step %d: norms %+v, want %+v", step, n, want)
				}
			}
		})
	}
}
