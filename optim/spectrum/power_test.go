package spectrum

import (
	"context"
	"math"
	"testing"
)

func TestPowerIterationAgainstEigenSym(t *testing.T) {
	lambda := hessianLike(200, 11)
	for _, c := range []struct {
		name string
		sign float64
	}{{"positive dominant", 1}, {"negative dominant", -1}} {
		t.Run(c.name, func(t *testing.T) {
			l := append([]float64(nil), lambda...)
			for i := range l {
				l[i] *= c.sign
			}
			a := withSpectrum(l, 11)
			want := 10 * c.sign // the eigenvalue of largest magnitude
			p, err := PowerIteration(context.Background(), operator(a), 200, PowerOptions{Tol: 1e-9})
			if err != nil {
				t.Fatal(err)
			}
			if !p.Converged || relErr(p.Value, want) > 1e-12 {
				t.Errorf("power iteration: %.15g after %d products (converged %v), want %v", p.Value, p.Products, p.Converged, want)
			}
			checkPair(t, a, p.Value, p.Vector, 1e-8)
			// |λ₂/λ₁| = 0.7: about log(1e-9)/log(0.7) ≈ 60 products, far more than Lanczos.
			e, _ := Lanczos(context.Background(), operator(a), 200, LanczosOptions{K: 1, Bottom: 1, Tol: 1e-9})
			got := e.Values[0]
			if c.sign < 0 {
				got = e.Bottom[0]
			}
			if relErr(got, p.Value) > 1e-12 || e.Products >= p.Products {
				t.Errorf("Lanczos %v in %d products, power iteration %v in %d", got, e.Products, p.Value, p.Products)
			}
		})
	}
}

func TestPowerIterationStopsAtMaxIter(t *testing.T) {
	a := withSpectrum([]float64{1, -1, 0.5}, 1) // |λ₁| = |λ₂|: never converges
	p, err := PowerIteration(context.Background(), operator(a), 3, PowerOptions{MaxIter: 25, Tol: 1e-12})
	if err != nil || p.Converged || p.Products != 25 || math.Abs(p.Value) > 1 {
		t.Errorf("power iteration on ±1: %+v, %v", p, err)
	}
}
