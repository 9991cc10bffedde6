package steps

import "sync/atomic"

// chunkSize is the number of steps per storage chunk.
const chunkSize = 4096

// Series keeps every step of a run at full resolution, 20 bytes a step. It
// has one writer, the training goroutine, and any number of readers that
// never lock it: the writer fills a record and then publishes the new
// length, so readers see only whole records, and full chunks never move.
// Index i holds step i + 1.
type Series struct {
	chunks atomic.Pointer[[]*[chunkSize]Point]
	n      atomic.Int64
	marks  marks // the sharpness measurements (marks.go)
}

// Add appends one step; only the writer calls it.
func (s *Series) Add(p Point) {
	n := int(s.n.Load())
	cs := s.chunks.Load()
	if cs == nil || n/chunkSize >= len(*cs) {
		var old []*[chunkSize]Point
		if cs != nil {
			old = *cs
		}
		grown := append(append(make([]*[chunkSize]Point, 0, len(old)+1), old...), new([chunkSize]Point))
		cs = &grown
		s.chunks.Store(cs)
	}
	(*cs)[n/chunkSize][n%chunkSize] = p
	s.n.Store(int64(n + 1))
}

// Len returns the number of steps stored so far.
func (s *Series) Len() int { return int(s.n.Load()) }

// At returns index i (step i + 1), which must be below Len.
func (s *Series) At(i int) Point { return (*s.chunks.Load())[i/chunkSize][i%chunkSize] }

// StepAt is the step of index i: i + 1.
func (s *Series) StepAt(i int) int { return i + 1 }

// PointAt returns index i; a single step is its own lowest and highest.
func (s *Series) PointAt(i int) (Point, float32, float32) {
	p := s.At(i)
	return p, p.Loss, p.Loss
}

// Points returns the steps with indices in [from, to) as at most maxPoints
// points, with the marks of those steps (Thin).
func (s *Series) Points(from, to, maxPoints int) Columns { return Thin(s, from, to, maxPoints) }
