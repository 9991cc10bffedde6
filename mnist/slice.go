package mnist

import (
	"context"
	"fmt"
	"math"
	"time"
)

// SliceOptions shapes a slice. The zero value gives Li et al.'s default
// picture, 51×51 over [−1, 1]², with an 11×11 preview first.
type SliceOptions struct {
	// Grid is G, the points along each side; 0 means DefaultGrid.
	Grid int
	// Range is R: the grid spans [−R, R]² (0 means 1), unless Domain is set.
	Range float64
	// Domain, when not zero, is [aMin, aMax, bMin, bMax].
	Domain [4]float64
	// Preview is the side of the first, coarse pass (0 means DefaultPreview,
	// negative none). Its points are grid points, every (G−1)/(P−1)-th one.
	Preview int
	// PreviewShare is the share of each probe set that the preview is
	// measured on (0 means DefaultPreviewShare); the full pass completes
	// those points with the other images instead of computing them again.
	PreviewShare float64
	// Workers is the number of goroutines (0 means 1: the budget is one core).
	Workers int
	// Background runs the work on threads of lower OS priority (nice 10 on
	// Linux), so that training threads come first when the cores are busy.
	Background bool
}

// Defaults of SliceOptions.
const (
	DefaultGrid         = 51
	DefaultPreview      = 11
	DefaultPreviewShare = 0.25
	MaxGrid             = 401
)

// The passes of a slice, in Frame.Pass.
const (
	PassPreview = 0
	PassFull    = 1
)

// Frame is one row of a slice in progress, handed to Compute's report
// function as soon as it is done: a server streams these. The preview's
// rows come first (PassPreview, Cols every few columns), then every row of
// the full grid (PassFull, Cols nil meaning all, the preview's points
// included). A frame replaces what was shown for its row before.
type Frame struct {
	Pass int
	Row  int   // j: the frame holds points (A[i], B[j])
	Cols []int // the columns i, ascending; nil for all of them
	// Loss and Accuracy (a fraction in [0, 1]) of each column, on the
	// probe set; TestLoss and TestAccuracy on the test set, if one was given.
	Loss, Accuracy         []float64
	TestLoss, TestAccuracy []float64
	// Examples and TestExamples are the images behind each value: a share of
	// the probe sets in the preview, all of them in the full pass.
	Examples, TestExamples int
	RowsDone, Rows         int // rows of this pass finished, and in all
}

// Slice is a finished (or, after cancellation, partial) slice: the loss
// and accuracy at every (A[i], B[j]), NaN where no image was measured yet.
type Slice struct {
	A, B                   []float64
	Loss, Accuracy         [][]float64 // [j][i]: one row per b
	TestLoss, TestAccuracy [][]float64 // nil without a test set
	// Center is L(θ) at a = b = 0 on the whole probe set, CenterAccuracy its
	// accuracy; TestCenter and TestCenterAccuracy on the test set.
	Center, CenterAccuracy         float64
	TestCenter, TestCenterAccuracy float64
	Examples, TestExamples         int
	Seconds                        float64
}

// sliceGrid is the options resolved against a slicer's probe sets.
type sliceGrid struct {
	a, b     []float64
	prev     []int  // preview indices along each side, nil for none
	isPrev   []bool // by index
	prevK    []int  // per set, the chunks the preview measures
	workers  int
	bg       bool
	g        int
	previewN []int
}

func (o SliceOptions) resolve() (SliceOptions, error) {
	if o.Grid == 0 {
		o.Grid = DefaultGrid
	}
	if o.Grid < 2 || o.Grid > MaxGrid {
		return o, fmt.Errorf("mnist: grid of %d points a side, want 2 to %d", o.Grid, MaxGrid)
	}
	if o.Domain == [4]float64{} {
		r := o.Range
		if r == 0 {
			r = 1
		}
		if !(r > 0) || math.IsInf(r, 0) {
			return o, fmt.Errorf("mnist: range %g, want a finite number > 0", o.Range)
		}
		o.Domain = [4]float64{-r, r, -r, r}
	}
	d := o.Domain
	for _, v := range d {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return o, fmt.Errorf("mnist: slice domain %v is not finite", d)
		}
	}
	if !(d[0] < d[1]) || !(d[2] < d[3]) {
		return o, fmt.Errorf("mnist: slice domain %v is empty; want aMin < aMax and bMin < bMax", d)
	}
	if o.Preview == 0 {
		o.Preview = DefaultPreview
	}
	if o.PreviewShare == 0 {
		o.PreviewShare = DefaultPreviewShare
	}
	if !(o.PreviewShare > 0 && o.PreviewShare <= 1) {
		return o, fmt.Errorf("mnist: preview share %g, want (0, 1]", o.PreviewShare)
	}
	o.Workers = max(o.Workers, 1)
	return o, nil
}

// Axes returns the grid that Compute will measure with these options: the
// values of a and of b, and the preview's indices along each side (nil for
// none), so that a server can describe a slice before its first frame.
func (o SliceOptions) Axes() (a, b []float64, preview []int, err error) {
	o, err = o.resolve()
	if err != nil {
		return nil, nil, nil, err
	}
	d := o.Domain
	return axis(d[0], d[1], o.Grid), axis(d[2], d[3], o.Grid), previewIndices(o.Preview, o.Grid), nil
}

// axis returns g points from lo to hi, lo + (hi − lo)·i/(g − 1), so that
// the middle of a symmetric axis with g odd is exactly 0.
func axis(lo, hi float64, g int) []float64 {
	v := make([]float64, g)
	for i := range v {
		v[i] = lo + (hi-lo)*float64(i)/float64(g-1)
	}
	return v
}

// previewIndices returns p grid indices spread over [0, g): round(k·(g−1)/(p−1)).
func previewIndices(p, g int) []int {
	if p < 2 || p >= g {
		return nil
	}
	idx := make([]int, p)
	for k := range idx {
		idx[k] = int(math.Round(float64(k) * float64(g-1) / float64(p-1)))
	}
	return idx
}

// Compute evaluates the slice: the preview's rows first, then every row of
// the full grid, calling report (if not nil) with each finished row, from
// the computing goroutine (with several workers, one call at a time and
// rows in any order). report must be quick: a server hands the frame on and
// returns. When ctx ends, Compute stops within a chunk's work (about a
// millisecond) and returns the slice so far with ctx's error.
func (s *Slicer[T]) Compute(ctx context.Context, o SliceOptions, report func(Frame)) (*Slice, error) {
	start := time.Now()
	o, err := o.resolve()
	if err != nil {
		return nil, err
	}
	g := s.gridFor(o)
	job := newSliceJob(s, g, report)
	err = job.run(ctx)
	sl := job.result()
	if err == nil {
		err = s.center(ctx, job, sl)
	}
	sl.Seconds = time.Since(start).Seconds()
	return sl, err
}

func (s *Slicer[T]) gridFor(o SliceOptions) *sliceGrid {
	d := o.Domain
	g := &sliceGrid{a: axis(d[0], d[1], o.Grid), b: axis(d[2], d[3], o.Grid), g: o.Grid,
		workers: o.Workers, bg: o.Background, isPrev: make([]bool, o.Grid)}
	g.prev = previewIndices(o.Preview, o.Grid)
	for _, i := range g.prev {
		g.isPrev[i] = true
	}
	for _, pr := range s.sets {
		k := (pr.n + s.rows - 1) / s.rows
		pk := min(k, max(1, int(math.Ceil(o.PreviewShare*float64(pr.n)/float64(s.rows)))))
		g.prevK = append(g.prevK, pk)
		g.previewN = append(g.previewN, min(pr.n, pk*s.rows))
	}
	return g
}

// center fills sl.Center (and the test set's) from the grid when (0, 0) is
// a grid point, else by evaluating it.
func (s *Slicer[T]) center(ctx context.Context, job *sliceJob[T], sl *Slice) error {
	i, j := indexOf(job.g.a, 0), indexOf(job.g.b, 0)
	vals := make([][2]float64, len(s.sets))
	if i >= 0 && j >= 0 {
		for si := range s.sets {
			vals[si] = [2]float64{sl.value(si, j, i)}
			vals[si][1] = job.acc[si].accuracy(j*job.g.g + i)
		}
	} else {
		pts, err := s.Points(ctx, [][2]float64{{0, 0}})
		if err != nil {
			return err
		}
		vals = pts[0]
	}
	sl.Center, sl.CenterAccuracy = vals[0][0], vals[0][1]
	if len(vals) > 1 {
		sl.TestCenter, sl.TestCenterAccuracy = vals[1][0], vals[1][1]
	}
	return nil
}

func indexOf(v []float64, x float64) int {
	for i, y := range v {
		if y == x {
			return i
		}
	}
	return -1
}

// value returns the loss of set si at (j, i).
func (sl *Slice) value(si, j, i int) float64 {
	if si == 0 {
		return sl.Loss[j][i]
	}
	return sl.TestLoss[j][i]
}
