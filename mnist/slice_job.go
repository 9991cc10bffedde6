package mnist

import (
	"context"
	"math"
	"slices"
	"sync"
	"sync/atomic"

	"descent/optim"
)

// accum sums each grid point's loss, right answers and images so far, for
// one probe set; index j·G + i.
type accum struct {
	sum     []float64
	correct []int
	n       []int
}

func newAccum(points int) *accum {
	return &accum{sum: make([]float64, points), correct: make([]int, points), n: make([]int, points)}
}

// loss is the mean cross-entropy at point k, NaN before any image.
func (a *accum) loss(k int) float64 {
	if a.n[k] == 0 {
		return math.NaN()
	}
	return a.sum[k] / float64(a.n[k])
}

func (a *accum) accuracy(k int) float64 {
	if a.n[k] == 0 {
		return math.NaN()
	}
	return float64(a.correct[k]) / float64(a.n[k])
}

// sliceJob is one Compute: the grid, the sums, and the frames' order.
type sliceJob[T optim.Float] struct {
	s      *Slicer[T]
	g      *sliceGrid
	acc    []*accum // per probe set
	report func(Frame)
	mu     sync.Mutex // one report at a time
}

func newSliceJob[T optim.Float](s *Slicer[T], g *sliceGrid, report func(Frame)) *sliceJob[T] {
	job := &sliceJob[T]{s: s, g: g, report: report}
	for range s.sets {
		job.acc = append(job.acc, newAccum(g.g*g.g))
	}
	return job
}

// run does the preview pass, if any, and then the full pass.
func (job *sliceJob[T]) run(ctx context.Context) error {
	if job.g.prev != nil {
		if err := job.pass(ctx, PassPreview, job.g.prev); err != nil {
			return err
		}
	}
	all := make([]int, job.g.g)
	for j := range all {
		all[j] = j
	}
	return job.pass(ctx, PassFull, all)
}

// pass computes the given rows with the job's workers, each row by one.
func (job *sliceJob[T]) pass(ctx context.Context, pass int, rows []int) error {
	var next, done atomic.Int64
	work := func() error {
		w := job.s.newWork(job.g.g)
		for {
			k := int(next.Add(1) - 1)
			if k >= len(rows) {
				return nil
			}
			if err := job.row(ctx, w, pass, rows[k]); err != nil {
				return err
			}
			job.emit(pass, rows[k], int(done.Add(1)), len(rows))
		}
	}
	if job.g.workers == 1 && !job.g.bg {
		return work()
	}
	errs := make([]error, job.g.workers)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() {
			if job.g.bg {
				lowerPriority() // this goroutine's thread ends with it
			}
			errs[i] = work()
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// row brings the points of row j that pass measures up to the pass's images.
func (job *sliceJob[T]) row(ctx context.Context, w *sliceWork[T], pass, j int) error {
	g := job.g
	cols := job.cols(pass)
	as := make([]float64, len(cols))
	from := make([]int, len(cols))
	for si, pr := range job.s.sets {
		to := (pr.n + job.s.rows - 1) / job.s.rows
		if pass == PassPreview {
			to = g.prevK[si]
		}
		for k, i := range cols {
			as[k], from[k] = g.a[i], 0
			if pass == PassFull && g.prev != nil && g.isPrev[i] && g.isPrev[j] {
				from[k] = g.prevK[si]
			}
		}
		acc := job.acc[si]
		err := job.s.extend(ctx, w, pr, g.b[j], as, from, to, job.quads(cols), func(k int, loss float64, correct, n int) {
			p := j*g.g + cols[k]
			acc.sum[p] += loss
			acc.correct[p] += correct
			acc.n[p] += n
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// cols returns the columns a pass measures.
func (job *sliceJob[T]) cols(pass int) []int {
	if pass == PassPreview {
		return job.g.prev
	}
	all := make([]int, job.g.g)
	for i := range all {
		all[i] = i
	}
	return all
}

// emit reports row j of pass.
func (job *sliceJob[T]) emit(pass, j, done, rows int) {
	if job.report == nil {
		return
	}
	f := Frame{Pass: pass, Row: j, RowsDone: done, Rows: rows}
	cols := job.cols(pass)
	if pass == PassPreview {
		f.Cols = slices.Clone(cols)
	}
	for si, acc := range job.acc {
		loss, accuracy := make([]float64, len(cols)), make([]float64, len(cols))
		for k, i := range cols {
			loss[k], accuracy[k] = acc.loss(j*job.g.g+i), acc.accuracy(j*job.g.g+i)
		}
		n := job.s.sets[si].n
		if pass == PassPreview {
			n = job.g.previewN[si]
		}
		if si == 0 {
			f.Loss, f.Accuracy, f.Examples = loss, accuracy, n
		} else {
			f.TestLoss, f.TestAccuracy, f.TestExamples = loss, accuracy, n
		}
	}
	job.mu.Lock()
	defer job.mu.Unlock()
	job.report(f)
}

// result copies the sums into a Slice.
func (job *sliceJob[T]) result() *Slice {
	g := job.g
	sl := &Slice{A: slices.Clone(g.a), B: slices.Clone(g.b)}
	grid := func(f func(int) float64) [][]float64 {
		out := make([][]float64, g.g)
		for j := range out {
			out[j] = make([]float64, g.g)
			for i := range out[j] {
				out[j][i] = f(j*g.g + i)
			}
		}
		return out
	}
	for si, acc := range job.acc {
		if si == 0 {
			sl.Loss, sl.Accuracy, sl.Examples = grid(acc.loss), grid(acc.accuracy), job.s.sets[0].n
		} else {
			sl.TestLoss, sl.TestAccuracy, sl.TestExamples = grid(acc.loss), grid(acc.accuracy), job.s.sets[1].n
		}
	}
	return sl
}

// extend adds, for each point (as[k], b), the images of chunks [from[k], to)
// of pr, calling add with each chunk's summed loss, right answers and images.
// Points are taken in groups that share one pass over the chunks, so that a
// chunk's products are read from cache by every point of the group. With
// quads (grid rows of the fused kernels), neighbouring points share their
// exponentials four by four (evalQuads).
func (s *Slicer[T]) extend(ctx context.Context, w *sliceWork[T], pr *probe[T], b float64, as []float64, from []int, to int,
	quads *quadruples, add func(k int, loss float64, correct, n int)) error {
	size := s.group(len(as))
	for g0 := 0; g0 < len(as); g0 += size {
		g1 := min(g0+size, len(as))
		s.pointWeights(w, b, as[g0:g1])
		for c := slices.Min(from[g0:g1]); c < to; c++ {
			if err := ctx.Err(); err != nil {
				return err
			}
			p := s.products(pr, c, w.x)
			start, rows := s.chunk(pr, c)
			ch := chunkEval[T]{q: s.rowQ(w, p, rows, b), pd: p[s.hidden*rows : 2*s.hidden*rows], lab: pr.d.Labels[start : start+rows]}
			if quads != nil && s.evalQuads(w, ch, quads, from, c, g0, g1, add) {
				continue
			}
			for k := g0; k < g1; k++ {
				if c >= from[k] {
					loss, correct := s.evalPoint(w, ch.q, ch.pd, as[k], w.wpt[k-g0], ch.lab)
					add(k, loss, correct, rows)
				}
			}
		}
	}
	return nil
}

// Points evaluates the network at each point (a, b) of the plane on every
// image of every probe set, and returns, per point and per set, the mean
// loss and the accuracy: a page's hover value, or a chart's points. Points
// that share b share one pass over the images.
func (s *Slicer[T]) Points(ctx context.Context, pts [][2]float64) ([][][2]float64, error) {
	w := s.newWork(len(pts))
	out := make([][][2]float64, len(pts))
	for k := range out {
		out[k] = make([][2]float64, len(s.sets))
	}
	byB := map[float64][]int{}
	var bs []float64
	for k, p := range pts {
		if _, ok := byB[p[1]]; !ok {
			bs = append(bs, p[1])
		}
		byB[p[1]] = append(byB[p[1]], k)
	}
	for _, b := range bs {
		ks := byB[b]
		as := make([]float64, len(ks))
		for n, k := range ks {
			as[n] = pts[k][0]
		}
		for si, pr := range s.sets {
			sum, correct := make([]float64, len(ks)), make([]int, len(ks))
			to := (pr.n + s.rows - 1) / s.rows
			err := s.extend(ctx, w, pr, b, as, make([]int, len(ks)), to, nil, func(n int, l float64, c, _ int) {
				sum[n], correct[n] = sum[n]+l, correct[n]+c
			})
			if err != nil {
				return out, err
			}
			for n, k := range ks {
				out[k][si] = [2]float64{sum[n] / float64(pr.n), float64(correct[n]) / float64(pr.n)}
			}
		}
	}
	return out, nil
}
