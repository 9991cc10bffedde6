package optim_test

import (
	"fmt"

	"descent/optim"
)

// Adam takes θ ← θ − α m̂/(√v̂ + ε); its first step has length α per coordinate.
func ExampleAdam() {
	adam := optim.NewAdam[float64](0.1)
	theta := []float64{1, -2}
	adam.Step(theta, []float64{2, -4}) // ∇J of θ₁² + θ₂²
	fmt.Printf("%.4f %.4f\n", theta[0], theta[1])
	// Output: 0.9000 -1.9000
}

// New builds any first-order method by name, for the network (float32) or
// the surfaces (float64); second-order methods explain why they cannot.
func ExampleNew() {
	m, err := optim.New[float32]("sgd", map[string]float64{"lr": 0.5, "momentum": 0.9})
	fmt.Println(m.Name(), m.LR(), err)
	_, err = optim.New[float32]("adam", map[string]float64{"beta1": 1.5})
	fmt.Println(err)
	// Output:
	// sgd 0.5 <nil>
	// optim: adam: beta1 = 1.5 is out of range [0, 1)
}

// A schedule gives the learning rate of each step, as torch's schedulers do.
func ExampleSchedule_LR() {
	s := optim.Schedule{Kind: "cosine", TMax: 4}
	for t := 0; t <= 4; t++ {
		fmt.Printf("%.4f ", s.LR(0.1, t))
	}
	fmt.Println()
	// Output: 0.1000 0.0854 0.0500 0.0146 0.0000
}

// A Runner moves optimizers in lockstep; pure Newton lands on the saddle.
func ExampleRunner() {
	fn, _ := optim.LookupFunction("saddle")
	r, _ := optim.NewRunner(fn, [2]float64{-1.5, 0.05}, []optim.Config{{Method: "newton"}}, 10, 1e-8)
	r.Run(func(it optim.Iterate) {
		fmt.Println(it.Step, it.X, it.Status)
	})
	// Output:
	// 0 [-1.5 0.05] running
	// 1 [0 0] converged
}
