package mnist

import (
	"context"
	"testing"

	"descent/optim/spectrum"
)

// The Hessian's costs on the report's network over the first 1,000
// training images, the default probe set. make bench prints the same
// figures with their goals (mnist/internal/benchtable).

func benchHessian[T float32 | float64](b *testing.B) (*Hessian[T], []float64) {
	train, _ := realData(b)
	h, err := NewHessian[T](DefaultArch(), train, 1000)
	if err != nil {
		b.Fatal(err)
	}
	net, _ := NewNet[T](DefaultArch(), 1)
	h.SetParams(net.Params)
	return h, randomVector(h.Dim(), 1)
}

// BenchmarkHVP64 is one exact float64 Hessian-vector product.
func BenchmarkHVP64(b *testing.B) {
	h, v := benchHessian[float64](b)
	hv := make([]float64, len(v))
	b.ReportAllocs()
	for b.Loop() {
		h.Apply(hv, v)
	}
}

// BenchmarkHVP32 is one float32 product, the tracking path.
func BenchmarkHVP32(b *testing.B) {
	h, v := benchHessian[float32](b)
	hv := make([]float64, len(v))
	b.ReportAllocs()
	for b.Loop() {
		h.Apply(hv, v)
	}
}

// BenchmarkSetParams64 is the forward and backward passes that the
// products at one set of weights share.
func BenchmarkSetParams64(b *testing.B) {
	h, _ := benchHessian[float64](b)
	theta := append([]float64(nil), h.params...)
	for b.Loop() {
		h.SetParams(theta)
	}
}

// BenchmarkGradient64 and BenchmarkGradient32 are one gradient of the
// network on the same 1,000 images, through Net.Loss.
func BenchmarkGradient64(b *testing.B) { benchGradient[float64](b) }
func BenchmarkGradient32(b *testing.B) { benchGradient[float32](b) }

func benchGradient[T float32 | float64](b *testing.B) {
	train, _ := realData(b)
	net, _ := NewNet[T](DefaultArch(), 1)
	idx := seq(1000)
	net.Loss(train, idx)
	for b.Loop() {
		net.Loss(train, idx)
	}
}

// BenchmarkTop5 finds the top 5 eigenvalues (Lanczos, Tol 1e-6) of the
// report's network at its initial weights.
func BenchmarkTop5(b *testing.B) {
	h, _ := benchHessian[float64](b)
	for b.Loop() {
		e, err := spectrum.Lanczos(context.Background(), h.Apply, h.Dim(), spectrum.LanczosOptions{K: 5, Seed: 1})
		if err != nil || !e.Converged {
			b.Fatal(err)
		}
		b.ReportMetric(float64(e.Products), "hvps")
	}
}
