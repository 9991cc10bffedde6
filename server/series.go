package server

import (
	"math"
	"strconv"
	"sync/atomic"
)

// stepRec is one step at full resolution, 20 bytes. The step number is the
// index + 1, so it is not stored.
type stepRec struct {
	loss, gradNorm, updateRatio, lr, samplesPerSec float32
}

// chunkSize is the number of steps per storage chunk.
const chunkSize = 4096

// series keeps every step of a run. It has one writer, the training
// goroutine, and any number of readers that never lock it: the writer fills a
// record and then publishes the new length, so readers see only whole
// records, and full chunks never move.
type series struct {
	chunks atomic.Pointer[[]*[chunkSize]stepRec]
	n      atomic.Int64
}

// add appends one step; only the training goroutine calls it.
func (s *series) add(r stepRec) {
	n := int(s.n.Load())
	cs := s.chunks.Load()
	if cs == nil || n/chunkSize >= len(*cs) {
		var old []*[chunkSize]stepRec
		if cs != nil {
			old = *cs
		}
		grown := append(append(make([]*[chunkSize]stepRec, 0, len(old)+1), old...), new([chunkSize]stepRec))
		cs = &grown
		s.chunks.Store(cs)
	}
	(*cs)[n/chunkSize][n%chunkSize] = r
	s.n.Store(int64(n + 1))
}

// len returns the number of steps stored so far.
func (s *series) len() int { return int(s.n.Load()) }

// at returns step index i (0-based), which must be below len.
func (s *series) at(i int) stepRec { return (*s.chunks.Load())[i/chunkSize][i%chunkSize] }

// points returns the steps with indices in [from, to) as at most maxPoints
// points: every step when they fit, else consecutive groups merged with the
// mean loss, gradient norm and update ratio, the last rate and throughput,
// and the loss's min and max.
func (s *series) points(run string, from, to, maxPoints int) Steps {
	n := to - from
	out := Steps{Type: EvSteps, Run: run, Step: []int{}, Loss: Column{}, GradNorm: Column{},
		UpdateRatio: Column{}, LR: Column{}, SamplesPerSec: Column{}}
	if n <= 0 {
		return out
	}
	group := 1
	if n > maxPoints {
		group = (n + maxPoints - 1) / maxPoints
	}
	size := (n + group - 1) / group
	out.Step = make([]int, 0, size)
	out.Loss, out.GradNorm, out.UpdateRatio = make(Column, 0, size), make(Column, 0, size), make(Column, 0, size)
	out.LR, out.SamplesPerSec = make(Column, 0, size), make(Column, 0, size)
	if group > 1 {
		out.LossMin, out.LossMax = make(Column, 0, size), make(Column, 0, size)
	}
	for lo := from; lo < to; lo += group {
		hi := min(lo+group, to)
		var loss, gn, ur float64
		mn, mx := float32(math.Inf(1)), float32(math.Inf(-1))
		for i := lo; i < hi; i++ {
			r := s.at(i)
			loss, gn, ur = loss+float64(r.loss), gn+float64(r.gradNorm), ur+float64(r.updateRatio)
			mn, mx = min(mn, r.loss), max(mx, r.loss)
		}
		k, last := float64(hi-lo), s.at(hi-1)
		out.Step = append(out.Step, hi)
		out.Loss = append(out.Loss, float32(loss/k))
		out.GradNorm = append(out.GradNorm, float32(gn/k))
		out.UpdateRatio = append(out.UpdateRatio, float32(ur/k))
		out.LR = append(out.LR, last.lr)
		out.SamplesPerSec = append(out.SamplesPerSec, last.samplesPerSec)
		if group > 1 {
			out.LossMin, out.LossMax = append(out.LossMin, mn), append(out.LossMax, mx)
		}
	}
	return out
}

// Column is a series of float32 values, written in JSON as the shortest
// decimals that read back to the same float32, with null for a value that is
// not finite.
type Column []float32

// MarshalJSON writes the column as a JSON array of numbers.
func (c Column) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 2+len(c)*10)
	b = append(b, '[')
	for i, v := range c {
		if i > 0 {
			b = append(b, ',')
		}
		if f := float64(v); math.IsNaN(f) || math.IsInf(f, 0) {
			b = append(b, "null"...)
		} else {
			b = strconv.AppendFloat(b, f, 'g', -1, 32)
		}
	}
	return append(b, ']'), nil
}
