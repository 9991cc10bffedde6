package mnist

import (
	"math"

	"descent/mnist/internal/kernels"
)

// pathPoints are the points of PathPlane's tracks as vectors v = θ − c: θ₀
// at step 0, every snapshot, and Final when given.
type pathPoints struct {
	fs      []filter
	c0      []float64 // c − θ₀, shared by the tracks (they share θ₀ only in a sweep)
	center  []float32
	track   []int       // per point, its track
	step    []int       // per point
	snap    []*Snapshot // per point, nil for θ₀ and Final
	origin  [][]float32 // per point, its track's θ₀
	final   [][]float32 // per point, Final or nil
	byTrack [][]int     // each track's points, in step order
	norms   []float64   // ‖v‖², computed on first use (NaN before)
}

// collect lists every point of the tracks.
func collect(center []float32, tracks []Track) *pathPoints {
	pts := &pathPoints{fs: tracks[0].Path.fs, center: center}
	for ti, t := range tracks {
		var idx []int
		add := func(step int, s *Snapshot, final []float32) {
			idx = append(idx, len(pts.step))
			pts.track, pts.step, pts.snap = append(pts.track, ti), append(pts.step, step), append(pts.snap, s)
			pts.origin, pts.final = append(pts.origin, t.Path.origin), append(pts.final, final)
		}
		add(0, nil, nil)
		snaps := t.Path.Snapshots()
		for _, s := range snaps {
			if t.Final == nil || s.Step < t.FinalStep {
				add(s.Step, s, nil)
			}
		}
		if t.Final != nil {
			add(t.FinalStep, nil, t.Final)
		}
		pts.byTrack = append(pts.byTrack, idx)
	}
	pts.norms = make([]float64, len(pts.step))
	for k := range pts.norms {
		pts.norms[k] = math.NaN()
	}
	return pts
}

// vector writes v_k = θ_k − c for the parameters [lo, hi) into dst (float64).
func (pts *pathPoints) vector(k int, dst []float64, lo, hi int, scratch []float32) {
	switch {
	case pts.final[k] != nil:
		for i := lo; i < hi; i++ {
			dst[i-lo] = float64(pts.final[k][i]) - float64(pts.center[i])
		}
	case pts.snap[k] == nil: // θ₀
		for i := lo; i < hi; i++ {
			dst[i-lo] = float64(pts.origin[k][i]) - float64(pts.center[i])
		}
	default:
		u := scratch[:hi-lo]
		pts.snap[k].delta(pts.fs, u, lo, hi)
		o := pts.origin[k]
		for i := lo; i < hi; i++ {
			dst[i-lo] = float64(o[i]) + float64(u[i-lo]) - float64(pts.center[i])
		}
	}
}

// norm2 returns ‖v_k‖².
func (pts *pathPoints) norm2(k int) float64 {
	if math.IsNaN(pts.norms[k]) {
		n := len(pts.center)
		v, scratch := make([]float64, n), make([]float32, n)
		pts.vector(k, v, 0, n, scratch)
		pts.norms[k] = dot(v, v)
	}
	return pts.norms[k]
}

// gramBlock is the parameters per block of the Gram matrix's product.
const gramBlock = 4096

// gram returns the Gram matrix Gᵢⱼ = wᵢwⱼ·v_{sᵢ}·v_{sⱼ} of the sample,
// (n × n) row-major, summing float32 products of blocks of gramBlock
// parameters in float64.
func (pts *pathPoints) gram(sample []int, w []float64) []float64 {
	n, p := len(sample), len(pts.center)
	g := make([]float64, n*n)
	blk := make([]float32, n*gramBlock)
	tmp := make([]float32, n*n)
	v, scratch := make([]float64, gramBlock), make([]float32, gramBlock)
	for lo := 0; lo < p; lo += gramBlock {
		hi := min(lo+gramBlock, p)
		width := hi - lo
		for r, k := range sample {
			pts.vector(k, v, lo, hi, scratch)
			row := blk[r*width : (r+1)*width]
			for i := range row {
				row[i] = float32(w[r] * v[i])
			}
		}
		kernels.Sgemm(false, true, n, n, width, 1, blk, width, blk, width, 0, tmp, n)
		for i, x := range tmp {
			g[i] += float64(x)
		}
	}
	return g
}

// combine returns Σᵢ vecs[i][col]·wᵢ·v_{sᵢ}: a right singular vector of the
// weighted points, up to its length. vecs is the eigenvectors, (n × n).
func (pts *pathPoints) combine(sample []int, w []float64, vecs interface {
	At(i, j int) float64
}, col int) []float64 {
	p := len(pts.center)
	out, v, scratch := make([]float64, p), make([]float64, p), make([]float32, p)
	for r, k := range sample {
		c := vecs.At(r, col) * w[r]
		pts.vector(k, v, 0, p, scratch)
		for i, x := range v {
			out[i] += c * x
		}
	}
	return out
}

// project returns track ti's points on the plane through c spanned by the
// orthonormal x and y, and the share of the track's Σ‖v‖² along each.
func (pts *pathPoints) project(ti int, x, y []float64) ([]PathPoint, [2]float64) {
	p := len(pts.center)
	v, scratch := make([]float64, p), make([]float32, p)
	var out []PathPoint
	var along [2]float64
	var total float64
	for _, k := range pts.byTrack[ti] {
		pts.vector(k, v, 0, p, scratch)
		pt := PathPoint{Step: pts.step[k], A: dot(v, x), B: dot(v, y)}
		var r2, n2 float64
		for i, vi := range v {
			d := vi - pt.A*x[i] - pt.B*y[i]
			r2 += d * d
			n2 += vi * vi
		}
		pt.Dist, pt.Norm = math.Sqrt(r2), math.Sqrt(n2)
		out = append(out, pt)
		along[0], along[1], total = along[0]+pt.A*pt.A, along[1]+pt.B*pt.B, total+n2
	}
	if total > 0 {
		along[0], along[1] = along[0]/total, along[1]/total
	}
	return out, along
}
