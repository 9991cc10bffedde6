package mnist

import (
	"context"
	"time"
)

// LineChart is the loss and the accuracy along the line from θ₀ to θ₁,
// θ(t) = (1 − t)·θ₀ + t·θ₁ (Goodfellow et al. 2015, "Qualitatively
// characterizing neural network optimization problems"): on the training
// probe set and, when one was given, on test images. Accuracy is a fraction.
type LineChart struct {
	T                           []float64
	TrainLoss, TrainAccuracy    []float64
	TestLoss, TestAccuracy      []float64 // nil without a test set
	TrainExamples, TestExamples int
	Seconds                     float64
}

// LineTs returns the default t of a LineChart: −0.5 to 1.5 in steps of
// 0.05, 41 points, so that t = 0 and t = 1 are exact.
func LineTs() []float64 {
	ts := make([]float64, 41)
	for k := range ts {
		ts[k] = float64(k-10) / 20
	}
	return ts
}

// Line evaluates the LineChart at ts (LineTs() when nil) on the first
// train.N images of train.Data and, if test.Data is not nil, on the first
// test.N of test.Data. One pass over each set serves every t: the first
// layer's products with θ₀ and with θ₁ − θ₀ are computed once.
func Line(ctx context.Context, arch Arch, theta0, theta1 []float32, train, test Probe, ts []float64) (*LineChart, error) {
	start := time.Now()
	if ts == nil {
		ts = LineTs()
	}
	p, err := LinePlane(arch, theta0, theta1)
	if err != nil {
		return nil, err
	}
	probes := []Probe{train}
	if test.Data != nil {
		probes = append(probes, test)
	}
	s, err := NewSlicer[float32](p, probes...)
	if err != nil {
		return nil, err
	}
	pts := make([][2]float64, len(ts))
	for k, t := range ts {
		pts[k] = [2]float64{t, 0}
	}
	vals, err := s.Points(ctx, pts)
	if err != nil {
		return nil, err
	}
	c := &LineChart{T: append([]float64(nil), ts...), TrainExamples: train.N}
	for _, v := range vals {
		c.TrainLoss = append(c.TrainLoss, v[0][0])
		c.TrainAccuracy = append(c.TrainAccuracy, v[0][1])
		if len(v) > 1 {
			c.TestLoss = append(c.TestLoss, v[1][0])
			c.TestAccuracy = append(c.TestAccuracy, v[1][1])
			c.TestExamples = test.N
		}
	}
	c.Seconds = time.Since(start).Seconds()
	return c, nil
}
