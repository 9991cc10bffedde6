package mnist

import (
	"fmt"
	"math"
	"sync"

	"descent/mnist/internal/kernels"

	"descent/optim"
)

// Slicer evaluates a network's mean cross-entropy and accuracy on a plane of
// its parameter space, L(θ(a, b)) with θ(a, b) = θ + a·δ + b·η, on fixed sets
// of images (the probe sets): the first N images of each.
//
// It uses the linearity of the first layer (the design, after Li et
// al. 2018, who pay a full forward pass per grid point):
//
//	(W₁ + a·D₁ + b·E₁)·x + (b₁ + a·d₁ + b·e₁) = P₀ + a·P_D + b·P_E,
//
// with P₀ = W₁x + b₁, P_D = D₁x + d₁ and P_E = E₁x + e₁ computed once per
// probe image (one product of the images with the stacked [W₁; D₁; E₁]), so
// that a grid point costs one multiply-add over the hidden pre-activations,
// the activation and the rest of the network. Deeper networks use the same
// code: the later layers' weights are formed per point and multiplied in
// full, so the saving is on the first layer only.
//
// The products are computed chunk by chunk, the first time a pass needs a
// chunk, and kept for the Slicer's life: dirs·H·N values per probe set (12 MB
// in float32 for the report's network on 10,000 images; see MaxProductBytes).
// Activations are stored feature-major, (units × images), so that the
// products with the later layers run along the images, the long side.
//
// T is float32 for speed (the package's Sgemm and fused activation kernels)
// or float64 for the tests; the loss is summed in float64 either way. For
// one hidden sigmoid layer in float32 with AVX-512 the products are kept
// in base 2 (times log₂e) and a grid row's points go four by four through
// one exponential (slice_quads.go, kernels.Sigmoid2Quad); the loss of the
// logits is one vector pass (kernels.CrossEntropyFM). A
// Slicer is safe for concurrent use: each Compute and Points has its own
// scratch, and the products are computed once (sync.Once per chunk).
type Slicer[T optim.Float] struct {
	plane   *Plane
	ls      []slabLayer
	hidden  int    // H, the width of the first layer
	dirs    int    // 3 for a plane, 2 for a line
	wt      []T    // [W₁; D₁; E₁]: (dirs·H × 784)
	bt      []T    // [b₁; d₁; e₁]: (dirs·H)
	rest    [3][]T // Origin, X and Y of the parameters after the first layer
	restOff int    // where the second layer starts in the slab
	rows    int    // images per chunk
	fused   bool   // one hidden sigmoid layer in float32 with kernels.AxpySigmoid2Mul's fast path
	sets    []*probe[T]
	norm    [256]T // pixel value → normalised input, as Net's
}

// Probe is a set of images to measure the loss on: the first N of Data.
type Probe struct {
	Data *Dataset
	N    int
}

// probe holds one probe set's first-layer products, chunk by chunk.
type probe[T optim.Float] struct {
	d    *Dataset
	n    int
	p    [][]T // p[c] is (dirs·H × rows of chunk c)
	once []sync.Once
}

// MaxProductBytes bounds the first-layer products that a Slicer keeps per
// probe set, dirs·H·N values: 64 MiB holds 10,000 images for up to 546
// hidden units of the first layer in float32.
const MaxProductBytes = 64 << 20

// MaxProbeImages is the largest N whose products fit MaxProductBytes for
// arch in float32.
func MaxProbeImages(arch Arch) int {
	h := arch.Sizes()[1]
	return MaxProductBytes / (3 * h * 4)
}

// NewSlicer prepares the evaluation of p on each probe set. It checks the
// shapes and the memory the products will take; the products themselves are
// computed as the first pass needs them.
func NewSlicer[T optim.Float](p *Plane, probes ...Probe) (*Slicer[T], error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	if len(probes) == 0 {
		return nil, fmt.Errorf("mnist: a slice needs at least one set of images")
	}
	s := &Slicer[T]{plane: p, ls: layout(p.Arch), dirs: 3}
	if p.Y == nil {
		s.dirs = 2
	}
	s.hidden = s.ls[0].out
	s.rows = chunkFor(s.hidden)
	s.fused = is32[T]() && p.Arch.Activation == Sigmoid && len(s.ls) == 2 && kernels.AxpySigmoid2MulFast(s.ls[1].out)
	for u := range s.norm {
		s.norm[u] = T((float64(u)/255 - Mean) / Std)
	}
	for _, pr := range probes {
		if pr.Data == nil || pr.N < 1 || pr.N > pr.Data.N {
			return nil, fmt.Errorf("mnist: a slice needs 1 to %d images, not %d", dataN(pr.Data), pr.N)
		}
		if bytes := s.dirs * s.hidden * pr.N * sizeOf[T](); bytes > MaxProductBytes {
			return nil, fmt.Errorf("mnist: a slice of %s over %d images needs %d MB of first-layer products, more than %d MB; "+
				"use at most %d images", p.Arch, pr.N, bytes>>20, MaxProductBytes>>20, MaxProbeImages(p.Arch))
		}
		k := (pr.N + s.rows - 1) / s.rows
		s.sets = append(s.sets, &probe[T]{d: pr.Data, n: pr.N, p: make([][]T, k), once: make([]sync.Once, k)})
	}
	s.stackFirstLayer()
	s.splitRest()
	return s, nil
}

func dataN(d *Dataset) int {
	if d == nil {
		return 0
	}
	return d.N
}

func sizeOf[T optim.Float]() int {
	if is32[T]() {
		return 4
	}
	return 8
}

// chunkFor picks the images per chunk for a first layer of h units: a
// chunk's products, pre-activations and activations (about 5·h·rows floats)
// should stay in a core's L2 cache while every point of a row reuses them.
func chunkFor(h int) int {
	r := (48 << 10) / h
	return max(16, min(256, r&^15))
}

// stackFirstLayer fills wt and bt with the first layer of Origin, X and Y,
// times log₂e for the fused kernel, which takes its inputs in base 2.
func (s *Slicer[T]) stackFirstLayer() {
	ly, p := s.ls[0], s.plane
	vecs := [][]float64{p.Origin, p.X, p.Y}[:s.dirs]
	s.wt = make([]T, s.dirs*ly.out*ly.in)
	s.bt = make([]T, s.dirs*ly.out)
	scale := 1.0
	if s.fused {
		scale = math.Log2E
	}
	for d, v := range vecs {
		for i, x := range v[ly.w : ly.w+ly.in*ly.out] {
			s.wt[d*ly.in*ly.out+i] = T(x * scale)
		}
		for i, x := range v[ly.b : ly.b+ly.out] {
			s.bt[d*ly.out+i] = T(x * scale)
		}
	}
}

// splitRest copies the parameters after the first layer of Origin, X and Y.
func (s *Slicer[T]) splitRest() {
	p := s.plane
	s.restOff = s.ls[0].b + s.ls[0].out
	for d, v := range [][]float64{p.Origin, p.X, p.Y} {
		s.rest[d] = make([]T, len(p.Origin)-s.restOff)
		if v == nil {
			continue
		}
		for i, x := range v[s.restOff:] {
			s.rest[d][i] = T(x)
		}
	}
}

// chunk returns the first image and the number of images of chunk c.
func (s *Slicer[T]) chunk(pr *probe[T], c int) (start, rows int) {
	start = c * s.rows
	return start, min(s.rows, pr.n-start)
}

// products returns chunk c's [P₀; P_D; P_E], (dirs·H × rows), computing it
// the first time: the images normalised as in training, times [W₁; D₁; E₁]ᵀ,
// plus [b₁; d₁; e₁]. x is scratch of at least rows·784 values.
func (s *Slicer[T]) products(pr *probe[T], c int, x []T) []T {
	pr.once[c].Do(func() {
		start, rows := s.chunk(pr, c)
		x = x[:rows*InputSize]
		for i, u := range pr.d.Images[start*InputSize : (start+rows)*InputSize] {
			x[i] = s.norm[u]
		}
		k := s.dirs * s.hidden
		p := make([]T, k*rows)
		for h := range k {
			fill(p[h*rows:(h+1)*rows], s.bt[h])
		}
		gemm(false, true, k, rows, InputSize, s.wt, InputSize, x, InputSize, 1, p, rows)
		pr.p[c] = p
	})
	return pr.p[c]
}

// fill sets every value of v to x, doubling the filled prefix with copy.
func fill[T optim.Float](v []T, x T) {
	if len(v) == 0 {
		return
	}
	v[0] = x
	for n := 1; n < len(v); n *= 2 {
		copy(v[n:], v[:n])
	}
}
