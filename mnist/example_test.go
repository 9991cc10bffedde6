package mnist_test

import (
	"fmt"

	"descent/mnist"
)

// The report's network: 784 → 100 (sigmoid) → 10 logits, 79,510 parameters.
func ExampleArch() {
	a := mnist.DefaultArch()
	fmt.Println(a, a.NumParams())
	fmt.Println(mnist.Arch{Hidden: []int{256, 128}, Activation: mnist.ReLU}.Sizes())
	// Output:
	// 784-100-10 sigmoid 79510
	// [784 256 128 10]
}

// A drawing is preprocessed into the exact 28×28 image the network is given.
func ExamplePreprocess() {
	canvas := make([]uint8, 200*200)
	for y := 40; y < 160; y++ { // a vertical stroke: a "1"
		for x := 60; x < 72; x++ {
			canvas[y*200+x] = 255
		}
	}
	img, blank, err := mnist.Preprocess(canvas, 200, 200)
	fmt.Println(len(img), blank, err)
	for _, r := range []int{4, 5, 24, 25} { // the stroke is 20 rows tall
		fmt.Printf("row %d: %3d\n", r, img[r*28+12:r*28+18])
	}
	// Output:
	// 784 false <nil>
	// row 4: [  0   0   0   0   0   0]
	// row 5: [  0   0 255 255   0   0]
	// row 24: [  0   0 255 255   0   0]
	// row 25: [  0   0   0   0   0   0]
}
