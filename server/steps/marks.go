package steps

import (
	"math"
	"sync"
)

// Mark is one measurement of a run's sharpness (mnist.SharpnessEvent), as the
// page shows it: λmax of the training loss's Hessian (λmax(P⁻¹H) for Adam) at
// the weights that step Step starts from, against the stability threshold of
// that step's α (NaN when none applies: Adagrad, RMSprop).
//
// Marks are sparse (about one an epoch at batch 64, a few every 100 steps of
// full-batch gradient descent) and they come late: a measurement beside the
// training ends after its step has been recorded and sent. So they are not a
// column of Point but a series of their own with their own steps, which the
// columns carry beside the steps (Columns.SharpnessStep…) and which the one
// thinning rule thins with the steps: each group keeps its last mark.
type Mark struct {
	Step      int
	Sharpness float32
	Threshold float32 // NaN when no threshold applies
	LR        float32 // that step's α
}

// MarkOf is a measurement as the page shows it, in float32: a threshold of
// 0 (mnist's "none applies") becomes NaN.
func MarkOf(step int, sharpness, threshold, lr float64) Mark {
	m := Mark{Step: step, Sharpness: float32(sharpness), Threshold: float32(math.NaN()), LR: float32(lr)}
	if threshold > 0 {
		m.Threshold = float32(threshold)
	}
	return m
}

// marks are a series' measurements, in step order. They have one writer (the
// run's tracker) and readers that lock them briefly: they are few.
type marks struct {
	mu   sync.Mutex
	list []Mark
}

// AddMark appends a measurement; its step must be above the last one's.
// Only the run's tracker calls it, from any goroutine.
func (s *Series) AddMark(m Mark) {
	s.marks.mu.Lock()
	defer s.marks.mu.Unlock()
	if n := len(s.marks.list); n > 0 && m.Step <= s.marks.list[n-1].Step {
		return
	}
	s.marks.list = append(s.marks.list, m)
}

// MarkCount returns the number of marks with a step at or below upTo, and the
// number of marks in all.
func (s *Series) MarkCount(upTo int) (n, all int) {
	s.marks.mu.Lock()
	defer s.marks.mu.Unlock()
	for n < len(s.marks.list) && s.marks.list[n].Step <= upTo {
		n++
	}
	return n, len(s.marks.list)
}

// MarkRange returns the marks with indices in [from, to).
func (s *Series) MarkRange(from, to int) []Mark {
	s.marks.mu.Lock()
	defer s.marks.mu.Unlock()
	to = min(to, len(s.marks.list))
	if from >= to {
		return nil
	}
	return append([]Mark(nil), s.marks.list[from:to]...)
}

// Marks returns the marks with after < step ≤ upTo, in order.
func (s *Series) Marks(after, upTo int) []Mark {
	s.marks.mu.Lock()
	defer s.marks.mu.Unlock()
	return within(s.marks.list, after, upTo)
}

// within returns the marks of list (in step order) with after < step ≤ upTo.
func within(list []Mark, after, upTo int) []Mark {
	var out []Mark
	for _, m := range list {
		if m.Step > after && m.Step <= upTo {
			out = append(out, m)
		}
	}
	return out
}

// Marked is a Source that has marks: Thin thins them with its steps.
type Marked interface {
	Marks(after, upTo int) []Mark
}

// AddMark appends a mark to the columns' sharpness columns.
func (c *Columns) AddMark(m Mark) {
	c.SharpnessStep = append(c.SharpnessStep, m.Step)
	c.Sharpness, c.Threshold, c.SharpnessLR = append(c.Sharpness, m.Sharpness), append(c.Threshold, m.Threshold), append(c.SharpnessLR, m.LR)
}

// AddMarks appends marks in order.
func (c *Columns) AddMarks(ms []Mark) {
	for _, m := range ms {
		c.AddMark(m)
	}
}

// MarkAt returns mark i of the columns.
func (c *Columns) MarkAt(i int) Mark {
	return Mark{Step: c.SharpnessStep[i], Sharpness: c.Sharpness[i], Threshold: c.Threshold[i], LR: c.SharpnessLR[i]}
}

// MarkLen is the number of marks in the columns.
func (c *Columns) MarkLen() int { return len(c.SharpnessStep) }

// Marks returns the columns' marks with after < step ≤ upTo.
func (c *Columns) Marks(after, upTo int) []Mark {
	var out []Mark
	for i, s := range c.SharpnessStep {
		if s > after && s <= upTo {
			out = append(out, c.MarkAt(i))
		}
	}
	return out
}

// marksAfter returns the columns' marks after step from, sharing c's arrays.
func (c Columns) marksAfter(from int) (steps []int, sharp, thr, lr Column) {
	i := 0
	for i < len(c.SharpnessStep) && c.SharpnessStep[i] <= from {
		i++
	}
	if i == len(c.SharpnessStep) {
		return nil, nil, nil, nil
	}
	return c.SharpnessStep[i:], c.Sharpness[i:], c.Threshold[i:], c.SharpnessLR[i:]
}

// thinMarks adds to out the marks of src that fall in the steps of its
// indices [from, to): every one when each point is a step (g = 1), else the
// last one of each group of g indices, at its own step.
func (c *Columns) thinMarks(src Source, from, to, g int) {
	ms, ok := src.(Marked)
	if !ok || to <= from {
		return
	}
	before := func(i int) int { // the step just before index i's
		if i == 0 {
			return 0
		}
		return src.StepAt(i - 1)
	}
	list := ms.Marks(before(from), src.StepAt(to-1))
	if g == 1 {
		c.AddMarks(list)
		return
	}
	k := 0
	for lo := from; lo < to && k < len(list); lo += g {
		end := src.StepAt(min(lo+g, to) - 1)
		last := -1
		for k < len(list) && list[k].Step <= end {
			last, k = k, k+1
		}
		if last >= 0 {
			c.AddMark(list[last])
		}
	}
}

// Upto is a view of the series whose marks are only its first n: a
// history thinned from it carries the marks already published, and no mark
// that a later frame will carry.
func (s *Series) Upto(n int) Source { return upto{s, n} }

type upto struct {
	*Series
	n int
}

// Marks returns the view's marks with after < step ≤ upTo.
func (u upto) Marks(after, upTo int) []Mark {
	u.marks.mu.Lock()
	defer u.marks.mu.Unlock()
	return within(u.marks.list[:min(u.n, len(u.marks.list))], after, upTo)
}
