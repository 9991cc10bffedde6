package mnist

import (
	"context"
	"sync"
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

// slicePlane is a random plane around the report's network after an epoch.
func slicePlane(b *testing.B) (*Plane, *Dataset, *Dataset) {
	train, test := realData(b)
	p, err := RandomPlane(trainedModel(b, train, test), 1)
	if err != nil {
		b.Fatal(err)
	}
	return p, train, test
}

// BenchmarkSlice51 is the default slice of the report's network on 10,000
// training images, 51×51 over [−1, 1]² with its 11×11 preview, the three
// products included, on one goroutine (goal: at most the time of 5 training
// epochs, about 1 s on one core).
func BenchmarkSlice51(b *testing.B) {
	p, train, _ := slicePlane(b)
	cpu := cpuSeconds()
	for b.Loop() {
		s, _ := NewSlicer[float32](p, Probe{train, 10000})
		if _, err := s.Compute(context.Background(), SliceOptions{}, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/slice")
	b.ReportMetric((cpuSeconds()-cpu)/float64(b.N), "cpu-s/slice") // steadier on a busy machine
}

// BenchmarkPreview11 is the time from the start of a default slice to its
// last preview frame: the products of the preview's share of the images and
// the 11×11 points on them (goal: at most 0.1 s).
func BenchmarkPreview11(b *testing.B) {
	p, train, _ := slicePlane(b)
	cpu := cpuSeconds()
	for b.Loop() {
		s, _ := NewSlicer[float32](p, Probe{train, 10000})
		ctx, cancel := context.WithCancel(context.Background())
		s.Compute(ctx, SliceOptions{}, func(f Frame) {
			if f.Pass == PassPreview && f.RowsDone == f.Rows {
				cancel()
			}
		})
		cancel()
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/preview")
	b.ReportMetric((cpuSeconds()-cpu)/float64(b.N), "cpu-s/preview")
}

// BenchmarkEpochWhileSlicing trains an epoch of the report's network while
// another goroutine computes slices in the background (run it with
// GOMAXPROCS=2 and compare with BenchmarkEpoch: goal at most 10 % slower).
func BenchmarkEpochWhileSlicing(b *testing.B) {
	p, train, test := slicePlane(b)
	cfg := DefaultConfig()
	cfg.Epochs, cfg.EvalLimit = 1, 1
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() {
		for ctx.Err() == nil {
			s, _ := NewSlicer[float32](p, Probe{train, 10000})
			s.Compute(ctx, SliceOptions{Background: true}, nil)
		}
	})
	for b.Loop() {
		t, _ := NewTrainer(cfg, train, test)
		res, _ := t.Run(context.Background(), Hooks{})
		b.ReportMetric(res.Seconds, "s/epoch")
	}
	cancel()
	wg.Wait()
}
