package figures_test

import (
	"fmt"

	"descent/optim"
	"descent/server/figures"
)

// The page draws a trajectory over a rendered surface with the same mapping.
func ExampleDomain_ToPixel() {
	fn, _ := optim.LookupFunction("rosenbrock")
	dom := figures.DomainOf(fn)
	s, err := figures.RenderSurface(fn, dom, 400, 300, figures.SurfaceOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	px, py := dom.ToPixel(1, 1, s.Plot) // the minimum
	x, y := dom.FromPixel(px, py, s.Plot)
	fmt.Printf("data area %v, log levels %v\n", s.Plot, s.Log)
	fmt.Printf("(1, 1) → (%.2f, %.2f) → (%g, %g)\n", px, py, x, y)
	// Output:
	// data area (44,15)-(329,260), log levels true
	// (1, 1) → (257.75, 137.50) → (1, 1)
}
