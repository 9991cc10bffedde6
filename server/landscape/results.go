package landscape

import (
	"slices"
	"sync"
	"time"

	"descent/mnist"
)

// MaxResults is the number of finished slices and charts kept for the
// exports, the oldest forgotten first: at most 101² points of four values
// each, 0.3 MB, so a few megabytes in all.
const MaxResults = 32

// Result is a finished slice or 1-D chart, as the exports draw and write it.
type Result struct {
	ID      string
	Created time.Time
	// Source says what was sliced: Run, Sweep or Model, one of them.
	Run, Sweep, Model string
	ModelMeta         mnist.ModelMeta // of a model
	Runs              []RunMeta       // the runs of the tracks or lines, for captions
	Arch              mnist.Arch
	Step              int // of the centre's weights
	Examples          int
	TestExamples      int

	// A slice has Plane, Seed, Slice, Explained and Tracks.
	Plane     string
	Seed      uint64
	Slice     *mnist.Slice
	Explained *[2]float64
	Tracks    []Track

	// A 1-D chart has Lines, one per run, sharing their T.
	Lines []Line
}

// RunMeta is a run as a caption names it.
type RunMeta struct {
	ID, Label string
	Config    mnist.Config
}

// Track is one run's path on a slice's plane, in step order, its last
// point the run's weights when the slice was made (or, for a path that
// grew since, when it last grew).
type Track struct {
	Run, Label string
	Points     []mnist.PathPoint
	Explained  *[2]float64
}

// Line is one run's 1-D chart.
type Line struct {
	Run, Label string
	Step       int
	Chart      *mnist.LineChart
}

// IsLine reports whether r is a 1-D chart.
func (r *Result) IsLine() bool { return r.Lines != nil }

// results are the kept Results, by id.
type results struct {
	mu    sync.Mutex
	byID  map[string]*Result
	order []string // oldest first
}

func (rs *results) add(r *Result) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	rs.byID[r.ID] = r
	rs.order = append(rs.order, r.ID)
	for len(rs.order) > MaxResults {
		delete(rs.byID, rs.order[0])
		rs.order = rs.order[1:]
	}
}

// grow appends new points to a kept slice's tracks.
func (rs *results) grow(id string, pts map[string][]mnist.PathPoint) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	r := rs.byID[id]
	if r == nil {
		return
	}
	for i := range r.Tracks {
		r.Tracks[i].Points = append(r.Tracks[i].Points, pts[r.Tracks[i].Run]...)
	}
}

// Result returns a copy of the kept slice or chart with the given id, which
// its caller may keep.
func (s *Service) Result(id string) (*Result, bool) {
	rs := &s.results
	rs.mu.Lock()
	defer rs.mu.Unlock()
	r, ok := rs.byID[id]
	if !ok {
		return nil, false
	}
	out := *r
	out.Tracks = slices.Clone(r.Tracks)
	for i := range out.Tracks {
		out.Tracks[i].Points = slices.Clone(r.Tracks[i].Points)
	}
	return &out, true
}
