// Package fake makes small data sets for the server's tests: they need
// steps, not accuracy.
package fake

import (
	"io"
	"log/slog"
	"math/rand/v2"

	"descent/mnist"
)

// Data returns n random images with random labels, the same for a seed.
func Data(n int, seed uint64) *mnist.Dataset {
	rng := rand.New(rand.NewPCG(seed, 7))
	d := &mnist.Dataset{Images: make([]uint8, n*mnist.InputSize), Labels: make([]uint8, n), N: n}
	for i := range d.Images {
		d.Images[i] = uint8(rng.IntN(256))
	}
	for i := range d.Labels {
		d.Labels[i] = uint8(rng.IntN(10))
	}
	return d
}

// Quiet is a logger that discards everything.
func Quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
