package spectrum

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/floats"
)

// Trace is a Monte Carlo estimate of tr(A).
type Trace struct {
	// Mean is the estimate, (1/s)·Σ zᵢᵀAzᵢ.
	Mean float64 `json:"mean"`
	// StdErr is its standard error, the sample standard deviation of the
	// zᵢᵀAzᵢ over √s (0 with one probe).
	StdErr float64 `json:"stdErr"`
	// Probes is s, the number of products.
	Probes int `json:"probes"`
}

// Hutchinson estimates tr(A) from probes products with Rademacher vectors z
// (entries ±1 with equal odds): E[zᵀAz] = tr(A), with the smallest variance
// of any such estimator, 2·Σ_{i≠j} Aᵢⱼ² per probe (Hutchinson 1990). When
// ctx ends it returns the estimate of the probes so far and ctx's error.
func Hutchinson(ctx context.Context, op Operator, n, probes int, seed uint64) (Trace, error) {
	if err := checkDim(n, nil); err != nil {
		return Trace{}, err
	}
	if probes < 1 {
		return Trace{}, fmt.Errorf("spectrum: %d probes, want at least 1", probes)
	}
	rng := rand.New(rand.NewPCG(seed, 0x7ace))
	z, az := make([]float64, n), make([]float64, n)
	var mean, m2 float64 // Welford's running mean and sum of squared deviations
	var t Trace
	for t.Probes < probes {
		if err := ctx.Err(); err != nil {
			return t, err
		}
		for i := range z {
			z[i] = float64(2*int(rng.Uint64()&1) - 1)
		}
		op(az, z)
		x := floats.Dot(z, az)
		t.Probes++
		d := x - mean
		mean += d / float64(t.Probes)
		m2 += d * (x - mean)
		t.Mean = mean
		if t.Probes > 1 {
			t.StdErr = math.Sqrt(m2 / float64(t.Probes-1) / float64(t.Probes))
		}
	}
	return t, nil
}
