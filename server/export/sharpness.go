package export

import "descent/server/figures"

// sharpnessSeries are the runs' sharpness measurements for
// figures.SharpnessFigure, each with its legend (a sweep's lanes in their
// order, which is their colour on the page).
func sharpnessSeries(runs []RunData) []figures.SharpnessSeries {
	out := make([]figures.SharpnessSeries, len(runs))
	for i, r := range runs {
		s := &out[i]
		s.Label = legend(r)
		for k := range r.Steps.MarkLen() {
			m := r.Steps.MarkAt(k)
			s.Step = append(s.Step, float64(m.Step))
			s.Sharpness, s.Threshold = append(s.Sharpness, float64(m.Sharpness)), append(s.Threshold, float64(m.Threshold))
		}
	}
	return out
}
