package spectrum_test

import (
	"context"
	"fmt"

	"descent/optim/spectrum"
)

// Lanczos needs only products A·v: here A = diag(1, …, 100), never formed.
func ExampleLanczos() {
	diag := func(dst, v []float64) {
		for i := range v {
			dst[i] = float64(i+1) * v[i]
		}
	}
	e, err := spectrum.Lanczos(context.Background(), diag, 100, spectrum.LanczosOptions{K: 3, Bottom: 1})
	fmt.Printf("%.6f %.6f %.6f, bottom %.6f, converged %v, %v\n", e.Values[0], e.Values[1], e.Values[2], e.Bottom[0], e.Converged, err)
	// Output: 100.000000 99.000000 98.000000, bottom 1.000000, converged true, <nil>
}
