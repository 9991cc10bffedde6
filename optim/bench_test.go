package optim

import "testing"

// slabSize is the parameter count of the report's 784-100-10 network.
const slabSize = 784*100 + 100 + 100*10 + 10

// BenchmarkStep times one Step of every first-order method on a 2-D float64
// point and on the network's 79,510-long float32 slab, and reports steps/s.
func BenchmarkStep(b *testing.B) {
	for _, s := range Specs() {
		if !s.Network {
			continue
		}
		b.Run(s.Name+"/2d-float64", func(b *testing.B) { benchStep[float64](b, s.Name, 2) })
		b.Run(s.Name+"/slab-float32", func(b *testing.B) { benchStep[float32](b, s.Name, slabSize) })
	}
}

func benchStep[T Float](b *testing.B, name string, n int) {
	m, err := New[T](name, map[string]float64{"lr": 1e-6})
	if err != nil {
		b.Fatal(err)
	}
	x, g := make([]T, n), make([]T, n)
	for i := range x {
		x[i], g[i] = T(i%13)*0.1, T(i%7)*0.01
	}
	m.Step(x, g)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.Step(x, g)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "steps/s")
}

// BenchmarkSurface times whole trajectories of the surface methods on
// Rosenbrock from (-1.5, 2): iterations per second, through the Runner.
func BenchmarkSurface(b *testing.B) {
	for _, name := range []string{"adam", "newton", "newton-ls", "cg", "bfgs"} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			steps := 0
			for i := 0; i < b.N; i++ {
				r, _ := NewRunner(rosenbrock, [2]float64{-1.5, 2}, []Config{{Method: name}}, 100, 1e-8)
				r.Run(func(it Iterate) { steps = it.Step })
			}
			b.ReportMetric(float64(b.N*steps)/b.Elapsed().Seconds(), "steps/s")
		})
	}
}
