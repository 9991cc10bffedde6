package optim

import "testing"

// bench32Cases are the float32 network configurations that BenchmarkStep32
// times: every kernel of the fast path, with the options that change its work.
var bench32Cases = []struct {
	name, method string
	hp           map[string]float64
}{
	{"gd", "gd", nil},
	{"sgd-wd", "sgd", map[string]float64{"weightDecay": 1e-4}},
	{"momentum", "momentum", nil},
	{"nesterov-wd", "nesterov", map[string]float64{"weightDecay": 1e-4}},
	{"adagrad", "adagrad", nil},
	{"rmsprop", "rmsprop", nil},
	{"rmsprop-centered-momentum", "rmsprop", map[string]float64{"centered": 1, "momentum": 0.9}},
	{"adam", "adam", nil},
	{"adamw", "adamw", nil},
	{"adam-amsgrad", "adam", map[string]float64{"amsgrad": 1}},
}

// BenchmarkStep32 times one StepMeasured on the network's 79,510-long float32
// slab, and reports the bytes each step moves through memory per second.
func BenchmarkStep32(b *testing.B) {
	for _, c := range bench32Cases {
		b.Run(c.name, func(b *testing.B) {
			m, err := New[float32](c.method, c.hp)
			if err != nil {
				b.Fatal(err)
			}
			mm := m.(Measured[float32])
			x, g := make([]float32, slabSize), make([]float32, slabSize)
			for i := range x {
				x[i], g[i] = float32(i%13)*0.1-0.6, float32(i%7)*0.01-0.03
			}
			mm.StepMeasured(x, g)
			bufs := len(m.Internals()) // the state buffers this configuration uses
			// θ is read and written, g read, each state buffer read and written.
			bytes := float64(4 * slabSize * (3 + 2*bufs))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				mm.StepMeasured(x, g)
			}
			b.ReportMetric(bytes*float64(b.N)/b.Elapsed().Seconds()/1e9, "GB/s")
		})
	}
}
