package optim

import (
	"math"
	"math/big"
	"testing"
)

// firstOrderCases lists every first-order method with settings that switch
// on its options.
var firstOrderCases = []struct {
	name string
	hp   map[string]float64
}{
	{"gd", nil},
	{"sgd", map[string]float64{"momentum": 0.9, "dampening": 0.1, "weightDecay": 0.01}},
	{"momentum", nil},
	{"nesterov", map[string]float64{"weightDecay": 0.01}},
	{"adagrad", map[string]float64{"lr": 0.1, "lrDecay": 0.01, "initialAccumulatorValue": 0.1}},
	{"rmsprop", nil},
	{"rmsprop", map[string]float64{"momentum": 0.5, "centered": 1, "weightDecay": 0.01}},
	{"adam", nil},
	{"adam", map[string]float64{"amsgrad": 1, "weightDecay": 0.01}},
	{"adamw", map[string]float64{"amsgrad": 1}},
}

// quadGrad is the gradient of ½Σ cᵢθᵢ² with cᵢ = 1 + i mod 7.
func quadGrad[T Float](g, theta []T) {
	for i := range theta {
		g[i] = T(1+i%7) * theta[i]
	}
}

// TestFloat32MatchesFloat64: the same method in float32 and float64 follows
// the same path on a quadratic to float32 accuracy.
func TestFloat32MatchesFloat64(t *testing.T) {
	for _, c := range firstOrderCases {
		m64, err := New[float64](c.name, c.hp)
		if err != nil {
			t.Fatal(err)
		}
		m32, _ := New[float32](c.name, c.hp)
		x64, g64 := []float64{1, -2, 0.5, 3}, make([]float64, 4)
		x32, g32 := []float32{1, -2, 0.5, 3}, make([]float32, 4)
		for k := 0; k < 100; k++ {
			quadGrad(g64, x64)
			quadGrad(g32, x32)
			m64.Step(x64, g64)
			m32.Step(x32, g32)
		}
		for i := range x64 {
			if math.Abs(float64(x32[i])-x64[i]) > 1e-4*math.Max(1, math.Abs(x64[i])) {
				t.Errorf("%s %v: float32 θ[%d] = %g after 100 steps, float64 %g", c.name, c.hp, i, x32[i], x64[i])
			}
		}
	}
}

// TestStepAllocs: a first-order step allocates nothing once sized.
func TestStepAllocs(t *testing.T) {
	for _, c := range firstOrderCases {
		m, _ := New[float32](c.name, c.hp)
		x, g := make([]float32, 1000), make([]float32, 1000)
		quadGrad(g, x)
		m.Step(x, g)
		if n := testing.AllocsPerRun(100, func() { m.Step(x, g) }); n != 0 {
			t.Errorf("%s %v: %v allocations per Step, want 0", c.name, c.hp, n)
		}
	}
}

// TestResetRepeats: after Reset, a method retraces its first steps exactly.
func TestResetRepeats(t *testing.T) {
	for _, c := range firstOrderCases {
		m, _ := New[float64](c.name, c.hp)
		run := func() []float64 {
			x, g := []float64{1, -2}, make([]float64, 2)
			for k := 0; k < 10; k++ {
				quadGrad(g, x)
				m.Step(x, g)
			}
			return x
		}
		a := run()
		m.Reset()
		if b := run(); a[0] != b[0] || a[1] != b[1] {
			t.Errorf("%s %v: after Reset θ = %v, first run %v", c.name, c.hp, b, a)
		}
	}
}

// TestPowerExact: βᵗ is correctly rounded (as Python's β**t) for t ≤ 2000,
// away from underflow.
func TestPowerExact(t *testing.T) {
	for _, beta := range []float64{0.9, 0.999, 0.99, 0.95, 0.5, 0.123456789} {
		var p power
		exact := new(big.Float).SetPrec(512).SetFloat64(1)
		b := new(big.Float).SetPrec(512).SetFloat64(beta)
		for k := 1; k <= 2000; k++ {
			exact.Mul(exact, b)
			want, _ := exact.Float64()
			if want < 1e-290 {
				break // near underflow the error term of hi·β is itself rounded
			}
			if got := p.at(beta, k); got != want {
				t.Fatalf("%g^%d = %.17g, want %.17g (correctly rounded)", beta, k, got, want)
			}
		}
	}
}

// TestInternals names each method's state for the page.
func TestInternals(t *testing.T) {
	want := map[string][]string{"momentum": {"buf"}, "adagrad": {"sum"}, "rmsprop": {"squareAvg"},
		"adam": {"m", "v"}, "adamw": {"m", "v"}, "gd": nil}
	for name, names := range want {
		m, _ := New[float64](name, nil)
		m.Step([]float64{1, 2}, []float64{0.1, 0.2})
		ins := m.Internals()
		if len(ins) != len(names) {
			t.Errorf("%s: internals %v, want %v", name, ins, names)
			continue
		}
		for i, in := range ins {
			if in.Name != names[i] || len(in.Values) != 2 {
				t.Errorf("%s: internal %d = %q (%d values), want %q", name, i, in.Name, len(in.Values), names[i])
			}
		}
	}
}
