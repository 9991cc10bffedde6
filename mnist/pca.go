package mnist

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Track is one run's path for PathPlane: its Path and, optionally, its
// current weights Final after step FinalStep (exact, from a checkpoint or
// the trainer), which end the drawn path.
type Track struct {
	Path      *Path
	Final     []float32
	FinalStep int
}

// PathPoint is a point of a path on a plane through c spanned by the unit,
// orthogonal X and Y: v = θ − c, A = v·X, B = v·Y, and Dist = ‖v − A·X − B·Y‖,
// how far the point is from the plane, beside Norm = ‖v‖.
type PathPoint struct {
	Step       int
	A, B       float64
	Dist, Norm float64
}

// Projection is the plane that PathPlane chose and each track on it: the
// points in step order (θ₀ at step 0 first, Final last) and, per track, the
// share of Σᵢ‖θᵢ − c‖² that lies along X and along Y.
type Projection struct {
	Plane     *Plane
	Tracks    [][]PathPoint
	Explained [][2]float64
}

// MaxPCAPoints bounds the points whose Gram matrix PathPlane decomposes;
// a sweep's tracks share them evenly. Projections use every point.
const MaxPCAPoints = 160

// PathPlane returns the plane through c = center spanned by the two
// principal directions of the tracks' points θᵢ − c (Li et al. 2018, §7:
// PCA of the checkpoints θᵢ − θ_final), and every point's coordinates and
// distance from it.
//
// The directions are the top two right singular vectors of the matrix of
// the θᵢ − c, not mean-centred: the plane drawn passes through c, where the
// slice is centred, and the best such plane is the one that keeps the
// largest Σᵢ‖projection‖², so that the share it holds, Σ(Aᵢ² + Bᵢ²)/Σ‖θᵢ − c‖²,
// and the distances of the points from it, Σ Distᵢ², add up to the whole
// path (Li et al. call sklearn's PCA, which centres on the mean; for a path
// that ends at c the two planes are close). Computed from the n × n Gram
// matrix of the points (n ≤ MaxPCAPoints), whose eigenvectors give the
// singular vectors, in float64 from float32 blocks.
//
// With several tracks (a sweep's runs, which share θ₀), one plane serves
// them all: center is then θ₀, where every path starts, and each track's
// points are weighted by 1/‖its points‖ so that every run has an equal say
// and a run that travels far (a large learning rate) does not take the
// plane for itself. Plane.Explained is the tracks' mean share.
func PathPlane(center []float32, tracks ...Track) (*Projection, error) {
	if len(tracks) == 0 {
		return nil, errors.New("mnist: a path plane needs at least one path")
	}
	arch := tracks[0].Path.arch
	for _, t := range tracks {
		if t.Path.arch.String() != arch.String() || (t.Final != nil && len(t.Final) != len(center)) {
			return nil, fmt.Errorf("mnist: the paths of a plane must share one shape (%s)", arch)
		}
	}
	if len(center) != arch.NumParams() {
		return nil, fmt.Errorf("mnist: path plane centre of %d weights, %s needs %d", len(center), arch, arch.NumParams())
	}
	pts := collect(center, tracks)
	sample, weights := pcaSample(pts, len(tracks) > 1)
	gram := pts.gram(sample, weights)
	var eig mat.EigenSym
	if !eig.Factorize(mat.NewSymDense(len(sample), gram), true) {
		return nil, errors.New("mnist: the eigen-decomposition of the path's Gram matrix did not converge")
	}
	vals := eig.Values(nil)
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	n := len(sample)
	if n < 2 || !(vals[n-1] > 0) {
		return nil, errors.New("mnist: the path has not moved from the centre; train a few steps first")
	}
	x := pts.combine(sample, weights, &vecs, n-1)
	y := pts.combine(sample, weights, &vecs, n-2)
	orthonormalize(x, y)
	plane := &Plane{Arch: arch, Origin: toFloat64(center), X: x, Y: y, Kind: PlanePCA}
	pr := &Projection{Plane: plane}
	for ti := range tracks {
		points, share := pts.project(ti, x, y)
		pr.Tracks, pr.Explained = append(pr.Tracks, points), append(pr.Explained, share)
		plane.Explained[0] += share[0] / float64(len(tracks))
		plane.Explained[1] += share[1] / float64(len(tracks))
	}
	return pr, nil
}

// orthonormalize makes x and y unit vectors with y ⟂ x (Gram–Schmidt; the
// eigenvectors already are, up to rounding). A y that vanishes stays zero.
func orthonormalize(x, y []float64) {
	scale(x, 1/norm2(x))
	d := dot(x, y)
	for i := range y {
		y[i] -= d * x[i]
	}
	if n := norm2(y); n > 0 {
		scale(y, 1/n)
	}
}

func scale(v []float64, s float64) {
	for i := range v {
		v[i] *= s
	}
}

func dot(x, y []float64) float64 {
	var s float64
	for i := range x {
		s += x[i] * y[i]
	}
	return s
}

func toFloat64(v []float32) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}

// pcaSample picks at most MaxPCAPoints of the points, evenly along each
// track (its last point always), the tracks sharing them equally, and each
// one's weight: 1, or with tracks weighted 1/‖track's sampled points‖.
func pcaSample(pts *pathPoints, perTrack bool) (sample []int, weights []float64) {
	per := MaxPCAPoints / len(pts.byTrack)
	for _, idx := range pts.byTrack {
		if len(idx) <= per {
			sample = append(sample, idx...)
			continue
		}
		for k := range per {
			sample = append(sample, idx[len(idx)-1-k*(len(idx)-1)/(per-1)])
		}
	}
	weights = make([]float64, len(sample))
	norms := map[int]float64{}
	for _, k := range sample {
		norms[pts.track[k]] += pts.norm2(k)
	}
	for i, k := range sample {
		weights[i] = 1
		if perTrack && norms[pts.track[k]] > 0 {
			weights[i] = 1 / math.Sqrt(norms[pts.track[k]])
		}
	}
	return sample, weights
}

// Domain returns a slice domain [aMin, aMax, bMin, bMax] that holds every
// track and the centre with a margin of 15 % on each side. Each side is at
// least a quarter of the other, so that a path along one direction still
// gets a picture of the other.
func (pr *Projection) Domain() [4]float64 {
	lo, hi := [2]float64{}, [2]float64{}
	for _, tr := range pr.Tracks {
		for _, p := range tr {
			lo = [2]float64{min(lo[0], p.A), min(lo[1], p.B)}
			hi = [2]float64{max(hi[0], p.A), max(hi[1], p.B)}
		}
	}
	span := [2]float64{hi[0] - lo[0], hi[1] - lo[1]}
	if span[0] == 0 && span[1] == 0 {
		return [4]float64{-1, 1, -1, 1}
	}
	for k := range 2 {
		if need := span[1-k] / 4; span[k] < need {
			mid := (lo[k] + hi[k]) / 2
			lo[k], hi[k], span[k] = mid-need/2, mid+need/2, need
		}
		lo[k], hi[k] = lo[k]-0.15*span[k], hi[k]+0.15*span[k]
	}
	return [4]float64{lo[0], hi[0], lo[1], hi[1]}
}
