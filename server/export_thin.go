package server

import "math"

// thinIndices picks which of n steps a figure draws: nil (every one) when
// n ≤ maxPoints or maxPoints ≤ 0; else the steps are cut into maxPoints/2
// equal buckets, and from each the step of lowest and of highest loss are
// kept, in order, so that spikes survive where an average or every k-th
// step would smooth them away (as store.StepsDownsampled does). A loss that
// is not finite counts as the highest, so a divergence is kept.
func thinIndices(n, maxPoints int, loss func(int) float64) []int {
	if maxPoints <= 0 || n <= maxPoints {
		return nil
	}
	buckets := max(maxPoints/2, 1)
	idx := make([]int, 0, 2*buckets)
	for b := range buckets {
		lo, hi := b*n/buckets, (b+1)*n/buckets
		mn, mx := lo, lo
		for i := lo; i < hi; i++ {
			v := loss(i)
			if v < loss(mn) {
				mn = i
			}
			if !(v <= loss(mx)) || math.IsInf(v, 1) { // NaN and +Inf are the highest
				mx = i
			}
		}
		idx = append(idx, min(mn, mx))
		if mn != mx {
			idx = append(idx, max(mn, mx))
		}
	}
	return idx
}

// thin returns the steps that thinIndices keeps.
func (s StepColumns) thin(maxPoints int) StepColumns {
	idx := thinIndices(len(s.Step), maxPoints, func(i int) float64 { return s.Loss[i] })
	if idx == nil {
		return s
	}
	var out StepColumns
	for _, i := range idx {
		out.Step = append(out.Step, s.Step[i])
		out.Loss = append(out.Loss, s.Loss[i])
		out.GradNorm = append(out.GradNorm, s.GradNorm[i])
		out.UpdateRatio = append(out.UpdateRatio, s.UpdateRatio[i])
		out.LR = append(out.LR, s.LR[i])
	}
	return out
}
