package mnist

import (
	"fmt"
	"testing"
)

// benchArchs are the shapes the explain benchmarks run on: the report's
// network, the widest one-layer network the page offers and two layers.
var benchArchs = []Arch{
	DefaultArch(),
	{Hidden: []int{1024}, Activation: Sigmoid},
	{Hidden: []int{256, 128}, Activation: ReLU},
}

// benchDrawing is a 140×140 canvas (what the page sends) with a stroke.
func benchDrawing() []uint8 {
	canvas := make([]uint8, 140*140)
	for y := 30; y < 110; y++ {
		for x := 60 + y/8; x < 72+y/8; x++ {
			canvas[y*140+x] = 255
		}
	}
	return canvas
}

// BenchmarkExplainDrawing is what an `explain` of a drawing costs below the
// server: Preprocess, then the forward pass, the backward pass for the top
// class and the saliency (goal: well under 1 ms for the report's network).
func BenchmarkExplainDrawing(b *testing.B) {
	canvas := benchDrawing()
	for _, arch := range benchArchs {
		b.Run(arch.String(), func(b *testing.B) {
			e, err := NewExplainer(testModel(b, arch, 1, 1))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				img, _, err := Preprocess(canvas, 140, 140)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := e.Explain(img, TopClass, TopClass); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPredictDrawing is today's prediction of a drawing, for comparison.
func BenchmarkPredictDrawing(b *testing.B) {
	canvas := benchDrawing()
	p, _ := NewPredictor(testModel(b, DefaultArch(), 1, 1))
	for b.Loop() {
		img, _, _ := Preprocess(canvas, 140, 140)
		p.PredictPixels(img)
	}
}

// BenchmarkExplainerUse is the copy of a new snapshot's weights into an
// Explainer of the same shape.
func BenchmarkExplainerUse(b *testing.B) {
	m1, m2 := testModel(b, DefaultArch(), 1, 1), testModel(b, DefaultArch(), 2, 1)
	e, _ := NewExplainer(m1)
	models := []*Model{m1, m2}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		e.Use(models[i%2])
	}
}

// BenchmarkCheckGradient checks 5 weights of the report's network.
func BenchmarkCheckGradient(b *testing.B) {
	e, _ := NewExplainer(testModel(b, DefaultArch(), 1, 1))
	img := randomData(1, 1).Images
	for b.Loop() {
		if _, err := e.CheckGradient(img, TopClass, 5, 1); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLearnStep is one "learn this digit" step with the accuracy on
// 1,000 test images after it (goal: under 50 ms).
func BenchmarkLearnStep(b *testing.B) {
	test := randomData(EvalImages, 2)
	img := randomData(1, 3).Image(0)
	for _, arch := range benchArchs {
		for _, opt := range []string{"sgd", "adam"} {
			b.Run(fmt.Sprintf("%s/%s", arch, opt), func(b *testing.B) {
				l, err := NewLearner(testModel(b, arch, 1, 1), opt, nil, test)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				for b.Loop() {
					if _, err := l.Step(img, 3, 1e-4); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
