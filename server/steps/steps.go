// Package steps holds a training run's per-step metrics: the record of one
// step, the columns that steps travel in (on the websocket, in exports and
// out of the run store), a lock-free series that the training goroutine
// appends to, and the one rule that thins a long series to a few points.
//
// The rule (Thin): n steps that do not fit in maxPoints are cut into groups
// of Group(n, maxPoints) consecutive steps, and each group becomes one point
// at its last step, with the mean loss, gradient norm and update ratio, the
// lowest and highest loss (LossMin, LossMax, so that a spike survives), and
// the last learning rate and throughput. A loss that is not finite makes its
// group's mean, lowest and highest not finite too, so a divergence shows.
// The sharpness measurements (Mark), sparse and at their own steps, are
// thinned with the steps: each group keeps its last one, the latest
// measurement among the steps it stands for, at that measurement's step.
// Live frames for a slow page, histories, exports' figures and the store's
// down-sampled reads all follow it.
package steps

import (
	"encoding/json"
	"math"
	"strconv"
)

// Point is one step's metrics, 20 bytes, as the page shows them (float32).
type Point struct {
	Loss, GradNorm, UpdateRatio, LR, SamplesPerSec float32
}

// NaN is the point of a step that was not recorded.
func NaN() Point {
	n := float32(math.NaN())
	return Point{n, n, n, n, n}
}

// Column is a series of float32 values, written in JSON as the shortest
// decimals that read back to the same float32, with null for a value that is
// not finite (read back as NaN).
type Column []float32

// MarshalJSON writes the column as a JSON array of numbers and nulls.
func (c Column) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 2+len(c)*10)
	b = append(b, '[')
	for i, v := range c {
		if i > 0 {
			b = append(b, ',')
		}
		b = AppendFloat(b, v, "null")
	}
	return append(b, ']'), nil
}

// UnmarshalJSON reads an array of numbers and nulls.
func (c *Column) UnmarshalJSON(b []byte) error {
	var raw []*float64
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*c = make(Column, len(raw))
	for i, p := range raw {
		(*c)[i] = float32(math.NaN())
		if p != nil {
			(*c)[i] = float32(*p)
		}
	}
	return nil
}

// AppendFloat appends v as the shortest decimal that reads back to the same
// float32, or missing when v is not finite.
func AppendFloat(b []byte, v float32, missing string) []byte {
	if f := float64(v); math.IsNaN(f) || math.IsInf(f, 0) {
		return append(b, missing...)
	}
	return strconv.AppendFloat(b, float64(v), 'g', -1, 32)
}

// Columns are consecutive steps of one run, one column per metric: Step[i]
// is the 1-based step of point i. When points stand for groups of steps
// (Thin), LossMin and LossMax hold each group's extremes; otherwise they are
// nil and omitted in JSON.
//
// The sharpness columns are the run's marks (Mark), one entry each, at
// their own steps SharpnessStep (not aligned with Step), in step order;
// they are omitted when there are none.
type Columns struct {
	Step          []int  `json:"step"`
	Loss          Column `json:"loss"`
	LossMin       Column `json:"lossMin,omitempty"`
	LossMax       Column `json:"lossMax,omitempty"`
	GradNorm      Column `json:"gradNorm"`
	UpdateRatio   Column `json:"updateRatio"`
	LR            Column `json:"lr"`
	SamplesPerSec Column `json:"samplesPerSec"`

	SharpnessStep []int  `json:"sharpnessStep,omitempty"`
	Sharpness     Column `json:"sharpness,omitempty"`
	Threshold     Column `json:"threshold,omitempty"` // null where no threshold applies
	SharpnessLR   Column `json:"sharpnessLR,omitempty"`
}

// Make returns empty columns with room for n points (never nil, so that
// JSON has arrays); merged columns also get LossMin and LossMax.
func Make(n int, merged bool) Columns {
	c := Columns{Step: make([]int, 0, n), Loss: make(Column, 0, n), GradNorm: make(Column, 0, n),
		UpdateRatio: make(Column, 0, n), LR: make(Column, 0, n), SamplesPerSec: make(Column, 0, n)}
	if merged {
		c.LossMin, c.LossMax = make(Column, 0, n), make(Column, 0, n)
	}
	return c
}

// Len is the number of points.
func (c *Columns) Len() int { return len(c.Step) }

// Add appends the point of one step.
func (c *Columns) Add(step int, p Point) {
	c.Step = append(c.Step, step)
	c.Loss, c.GradNorm, c.UpdateRatio = append(c.Loss, p.Loss), append(c.GradNorm, p.GradNorm), append(c.UpdateRatio, p.UpdateRatio)
	c.LR, c.SamplesPerSec = append(c.LR, p.LR), append(c.SamplesPerSec, p.SamplesPerSec)
}

// At returns point i, with its group's lowest and highest loss (the loss
// itself for a single step).
func (c *Columns) At(i int) (p Point, lo, hi float32) {
	p = Point{c.Loss[i], c.GradNorm[i], c.UpdateRatio[i], c.LR[i], c.SamplesPerSec[i]}
	lo, hi = p.Loss, p.Loss
	if c.LossMin != nil {
		lo, hi = c.LossMin[i], c.LossMax[i]
	}
	return p, lo, hi
}

// After returns the points and the marks after step from, sharing c's
// arrays.
func (c Columns) After(from int) Columns {
	i := 0
	for i < len(c.Step) && c.Step[i] <= from {
		i++
	}
	out := Columns{Step: c.Step[i:], Loss: c.Loss[i:], GradNorm: c.GradNorm[i:], UpdateRatio: c.UpdateRatio[i:],
		LR: c.LR[i:], SamplesPerSec: c.SamplesPerSec[i:]}
	if c.LossMin != nil {
		out.LossMin, out.LossMax = c.LossMin[i:], c.LossMax[i:]
	}
	out.SharpnessStep, out.Sharpness, out.Threshold, out.SharpnessLR = c.marksAfter(from)
	return out
}
