package mnist

import (
	"context"
	"testing"
)

// BenchmarkEpoch trains the report's network for one epoch (938 steps of
// batch 64) and reports seconds per epoch.
func BenchmarkEpoch(b *testing.B) {
	train, test := realData(b)
	cfg := DefaultConfig()
	cfg.Epochs = 1
	cfg.EvalLimit = 1
	for b.Loop() {
		t, err := NewTrainer(cfg, train, test)
		if err != nil {
			b.Fatal(err)
		}
		res, _ := t.Run(context.Background(), Hooks{})
		b.ReportMetric(res.Seconds, "s/epoch")
	}
}

// BenchmarkStep is one training step of the report's network at batch 64:
// gather, forward, loss, backward, optimizer step, metrics.
func BenchmarkStep(b *testing.B) {
	train, test := realData(b)
	t, err := NewTrainer(DefaultConfig(), train, test)
	if err != nil {
		b.Fatal(err)
	}
	t.shuffle(1)
	idx := t.perm[:64]
	t.step(idx)
	b.ReportAllocs()
	for b.Loop() {
		t.step(idx)
	}
}

// BenchmarkEvaluate is the test-set evaluation that follows every epoch of
// the report's network: 10,000 images forward, loss, accuracy, confusion.
func BenchmarkEvaluate(b *testing.B) {
	_, test := realData(b)
	net, err := NewNet[float32](DefaultArch(), 1)
	if err != nil {
		b.Fatal(err)
	}
	net.reserve(64)
	net.keepEval = true // as while a trainer runs
	for b.Loop() {
		net.Evaluate(test, 0)
	}
}
