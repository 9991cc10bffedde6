package mnist_test

import (
	"fmt"

	"descent/mnist"
)

// exampleModel is the report's network with its seeded initial weights, and
// exampleImage a vertical stroke: a "1".
func exampleModel() *mnist.Model {
	net, _ := mnist.NewNet[float32](mnist.DefaultArch(), 1)
	return net.Model()
}

func exampleImage() []uint8 {
	img := make([]uint8, mnist.InputSize)
	for r := 4; r < 24; r++ {
		img[r*28+13], img[r*28+14] = 255, 255
	}
	return img
}

// The chain rule on one image: the forward values of every layer, δ for the
// label, and the saliency ∂ log p_C/∂u.
func ExampleExplainer() {
	e, _ := mnist.NewExplainer(exampleModel())
	ex, _ := e.Explain(exampleImage(), mnist.TopClass, 1)
	fmt.Println("layers:", len(ex.Layers), "label:", ex.Label, "saliency pixels:", len(ex.Saliency))
	for l, lv := range ex.Layers {
		fmt.Printf("layer %d: %d→%d %s, %d values of z, a and δ\n", l+1, lv.In, lv.Out, lv.Activation, len(lv.Delta))
	}
	tiles := ex.GradWImage(0) // ∂J/∂W₁ = δ₁xᵀ, one 28×28 tile per hidden unit
	fmt.Println("∂J/∂W₁:", tiles.Rows, "tiles of", tiles.Cols, "pixels")
	gc, _ := e.CheckGradient(exampleImage(), 1, 5, 1)
	fmt.Println("backprop agrees with central differences:", gc.MaxRelError < 1e-8)
	// Output:
	// layers: 2 label: 1 saliency pixels: 784
	// layer 1: 784→100 sigmoid, 100 values of z, a and δ
	// layer 2: 100→10 softmax, 10 values of z, a and δ
	// ∂J/∂W₁: 100 tiles of 784 pixels
	// backprop agrees with central differences: true
}

// One step of learning on one image: θ ← θ − α∇J(θ) on a copy of the model.
func ExampleLearner() {
	m := exampleModel()
	l, _ := mnist.NewLearner(m, "sgd", nil, nil)
	for range 3 {
		r, _ := l.Step(exampleImage(), 1, 0.005)
		fmt.Printf("step %d: J %.3f → %.3f, p₁ %.2f → %.2f\n", r.Step, r.LossBefore, r.LossAfter, r.ProbsBefore[1], r.ProbsAfter[1])
	}
	l.Reset()
	fmt.Println("after Reset:", l.Steps(), "steps; the original model is untouched:", l.Original() == m)
	// Output:
	// step 1: J 2.512 → 2.330, p₁ 0.08 → 0.10
	// step 2: J 2.330 → 2.156, p₁ 0.10 → 0.12
	// step 3: J 2.156 → 1.989, p₁ 0.12 → 0.14
	// after Reset: 0 steps; the original model is untouched: true
}
