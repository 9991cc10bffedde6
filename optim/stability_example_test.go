package optim_test

import (
	"fmt"

	"descent/optim"
)

// StabilityOf gives the largest sharpness at which a method is stable on a
// quadratic: 2/α for gradient descent, more with momentum.
func ExampleStabilityOf() {
	for _, name := range []string{"gd", "momentum", "nesterov", "adam", "rmsprop"} {
		m, _ := optim.New[float32](name, nil)
		s, ok := optim.StabilityOf(m)
		if !ok {
			fmt.Printf("%s: no threshold\n", name)
			continue
		}
		fmt.Printf("%s: %.4g at α = 0.1 (preconditioned %v)\n", name, s.Threshold(0.1), s.Preconditioned)
	}
	// Output:
	// gd: 20 at α = 0.1 (preconditioned false)
	// momentum: 38 at α = 0.1 (preconditioned false)
	// nesterov: 13.57 at α = 0.1 (preconditioned false)
	// adam: 380 at α = 0.1 (preconditioned true)
	// rmsprop: no threshold
}
