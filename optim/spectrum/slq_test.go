package spectrum

import (
	"context"
	"math"
	"testing"

	"gonum.org/v1/gonum/floats"
)

// TestSLQMoments checks the quadrature against exact moments: with m steps
// each probe's quadrature integrates polynomials of degree up to 2m − 1
// exactly, so its mean of θ is vᵀAv, and over the probes the first two
// moments estimate tr(A)/n and tr(A²)/n.
func TestSLQMoments(t *testing.T) {
	n := 300
	lambda := hessianLike(n, 3)
	a := withSpectrum(lambda, 3)
	d, err := SLQ(context.Background(), operator(a), n, DensityOptions{Probes: 8, Steps: 40, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	if d.Products != 8*40 || len(d.Nodes) != 8 {
		t.Fatalf("%d products, %d probes", d.Products, len(d.Nodes))
	}
	var m1, m2, w1, w2 float64
	for _, l := range lambda {
		m1 += l / float64(n)
		m2 += l * l / float64(n)
	}
	for p, nodes := range d.Nodes {
		if s := floats.Sum(d.Weights[p]); math.Abs(s-1) > 1e-12 {
			t.Errorf("probe %d: weights sum to %v, want 1", p, s)
		}
		for k, th := range nodes {
			w1 += d.Weights[p][k] * th / 8
			w2 += d.Weights[p][k] * th * th / 8
		}
	}
	// Each probe's vᵀAv has a standard deviation of about √(2·tr(A²))/n.
	sd := math.Sqrt(2*m2*float64(n)) / float64(n) / math.Sqrt(8)
	if math.Abs(w1-m1) > 4*sd || math.Abs(w2-m2) > 0.3*m2 {
		t.Errorf("moments %v, %v; want %v ± %v and %v", w1, w2, m1, 4*sd, m2)
	}
	// The smoothed density integrates to 1 and peaks in the bulk near 0.
	area := 0.0
	for i := 1; i < len(d.X); i++ {
		area += (d.X[i] - d.X[i-1]) * (d.Y[i] + d.Y[i-1]) / 2
	}
	peak := d.X[floats.MaxIdx(d.Y)]
	if math.Abs(area-1) > 1e-3 || math.Abs(peak) > 0.3 {
		t.Errorf("density: area %v, peak at %v; want 1 and near 0", area, peak)
	}
	if d.X[0] > -3 || d.X[len(d.X)-1] < 10 {
		t.Errorf("grid [%v, %v] does not reach the outliers -3 and 10", d.X[0], d.X[len(d.X)-1])
	}
}

// TestSLQExact: with as many steps as the dimension, the nodes are the
// eigenvalues themselves.
func TestSLQExact(t *testing.T) {
	lambda := []float64{-1, 0.5, 2, 3, 8}
	a := withSpectrum(lambda, 4)
	d, err := SLQ(context.Background(), operator(a), 5, DensityOptions{Probes: 2, Steps: 10, Sigma: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	for p, nodes := range d.Nodes {
		if len(nodes) != 5 {
			t.Fatalf("probe %d: %d nodes, want 5", p, len(nodes))
		}
		for i, want := range lambda {
			if math.Abs(nodes[i]-want) > 1e-12 {
				t.Errorf("probe %d: node %d = %v, want %v", p, i, nodes[i], want)
			}
		}
	}
	if d.Sigma != 0.1 || d.Products != 10 {
		t.Errorf("σ = %v, %d products; want 0.1 and 10", d.Sigma, d.Products)
	}
}

func TestSLQRefusesBadInput(t *testing.T) {
	op := operator(wigner(4, 1))
	for _, o := range []DensityOptions{{Probes: -1}, {Steps: -1}, {Points: 1}, {Sigma: -1}} {
		if _, err := SLQ(context.Background(), op, 4, o); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
}
