package mnist

import (
	"context"
	"testing"
)

// trainedModel trains the report's network for one epoch on real MNIST.
func trainedModel(b *testing.B, train, test *Dataset) *Model {
	b.Helper()
	cfg := DefaultConfig()
	cfg.Epochs, cfg.EvalLimit = 1, 1
	t, err := NewTrainer(cfg, train, test)
	if err != nil {
		b.Fatal(err)
	}
	t.Run(context.Background(), Hooks{})
	return t.Snapshot()
}

// benchSlice times Compute of the report's network on 10,000 training
// images: the three products and the grid, on one goroutine.
func benchSlice(b *testing.B, opts SliceOptions) {
	train, test := realData(b)
	m := trainedModel(b, train, test)
	p, err := RandomPlane(m, 1)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		s, err := NewSlicer[float32](p, Probe{train, 10000})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.Compute(context.Background(), opts, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/slice")
}

// BenchmarkSlice51 is the 51×51 slice over [−1, 1]² with its preview
// (goal: at most the time of 5 training epochs, about 1 s on one core).
func BenchmarkSlice51(b *testing.B) { benchSlice(b, SliceOptions{}) }

// BenchmarkPreview11 is the 11×11 preview alone, on its share of the probe
// set (goal: at most 0.1 s).
func BenchmarkPreview11(b *testing.B) {
	benchSlice(b, SliceOptions{Grid: 11, Preview: -1, PreviewShare: 1})
}
