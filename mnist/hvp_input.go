package mnist

import (
	"gonum.org/v1/gonum/floats"

	"descent/optim"
)

// probeInput is the fixed input X of a Hessian's probe set, (rows, cols),
// through the two products that touch it: the forward X·Wᵀ of the first
// layer and its weight gradient Dᵀ·X. They are the only large products of a
// Hessian-vector product, so their form decides its cost.
type probeInput[T optim.Float] interface {
	// mul sets y = X·Wᵀ; W is (out, cols), y is (rows, out).
	mul(y, w []T, out int)
	// mulT sets dw = Dᵀ·X; D is (rows, out), dw is (out, cols).
	mulT(dw, d []T, out int)
}

// denseInput is X as a row-major matrix: float32 goes to the SIMD kernels,
// which are fastest on it.
type denseInput[T optim.Float] struct {
	x          []T
	rows, cols int
}

func (in *denseInput[T]) mul(y, w []T, out int) {
	gemm(false, true, in.rows, out, in.cols, in.x, in.cols, w, in.cols, 0, y, out)
}

func (in *denseInput[T]) mulT(dw, d []T, out int) {
	gemm(true, false, out, in.cols, in.rows, d, out, in.x, in.cols, 0, dw, in.cols)
}

// sparseInput is X = c·𝟏𝟏ᵀ + S in float64: MNIST's background pixels (0,
// about 81 % of them) all normalise to the same c = −Mean/Std, so S holds
// only the ink, in compressed rows. Then
//
//	X·Wᵀ = c·𝟏(W𝟏)ᵀ + S·Wᵀ,   Dᵀ·X = c·(Dᵀ𝟏)𝟏ᵀ + Dᵀ·S,
//
// the same numbers as the dense products to rounding, about five times
// faster than gonum's pure-Go Dgemm on them.
type sparseInput struct {
	c          float64
	ptr        []int   // row r's entries are idx[ptr[r]:ptr[r+1]]
	idx        []int32 // column of each entry
	val        []float64
	rows, cols int
	t          []float64 // (cols, out) scratch: Wᵀ, or the transposed Dᵀ·S
	sums       []float64 // (out) scratch: W𝟏 or Dᵀ𝟏
}

// newSparseInput splits the rows x (rows, cols) into c and S.
func newSparseInput(x []float64, rows, cols int, c float64) *sparseInput {
	in := &sparseInput{c: c, rows: rows, cols: cols, ptr: make([]int, 1, rows+1)}
	for r := range rows {
		for j, v := range x[r*cols : (r+1)*cols] {
			if s := v - c; s != 0 {
				in.idx = append(in.idx, int32(j))
				in.val = append(in.val, s)
			}
		}
		in.ptr = append(in.ptr, len(in.idx))
	}
	return in
}

// scratch returns the (cols, out) and (out) scratch, zeroed.
func (in *sparseInput) scratch(out int) (t, sums []float64) {
	if len(in.t) < in.cols*out {
		in.t, in.sums = make([]float64, in.cols*out), make([]float64, out)
	}
	t, sums = in.t[:in.cols*out], in.sums[:out]
	clear(t)
	clear(sums)
	return t, sums
}

func (in *sparseInput) mul(y, w []float64, out int) {
	wt, sums := in.scratch(out)
	for o := range out { // Wᵀ, (cols, out), and W𝟏
		row := w[o*in.cols : (o+1)*in.cols]
		for j, v := range row {
			wt[j*out+o] = v
		}
		sums[o] = floats.Sum(row)
	}
	for r := range in.rows {
		yr := y[r*out : (r+1)*out]
		for o := range yr {
			yr[o] = in.c * sums[o] // c·(W𝟏)ᵀ
		}
		for p := in.ptr[r]; p < in.ptr[r+1]; p++ { // + Sᵣ·Wᵀ
			j := int(in.idx[p])
			impl.Daxpy(out, in.val[p], wt[j*out:], 1, yr, 1)
		}
	}
}

func (in *sparseInput) mulT(dw, d []float64, out int) {
	acc, sums := in.scratch(out)
	for r := range in.rows {
		dr := d[r*out : (r+1)*out]
		floats.Add(sums, dr) // Dᵀ𝟏
		// (Dᵀ·S)ᵀ, (cols, out), one ink pixel at a time
		for p := in.ptr[r]; p < in.ptr[r+1]; p++ {
			j := int(in.idx[p])
			impl.Daxpy(out, in.val[p], dr, 1, acc[j*out:], 1)
		}
	}
	for o := range out {
		row := dw[o*in.cols : (o+1)*in.cols]
		for j := range row {
			row[j] = acc[j*out+o] + in.c*sums[o]
		}
	}
}

// newProbeInput normalises the first n images of d as training does: a
// dense matrix for float32, a sparse one for float64.
func newProbeInput[T optim.Float](d *Dataset, n int) probeInput[T] {
	var norm [256]float64 // as Net's table, computed at run time (a constant −Mean/Std would round differently)
	for u := range norm {
		norm[u] = (float64(u)/255 - Mean) / Std
	}
	x := make([]float64, n*InputSize)
	for i, u := range d.Images[:n*InputSize] {
		x[i] = norm[u]
	}
	if !is32[T]() {
		return any(newSparseInput(x, n, InputSize, norm[0])).(probeInput[T])
	}
	x32 := make([]T, len(x))
	for i, v := range x {
		x32[i] = T(v)
	}
	return &denseInput[T]{x: x32, rows: n, cols: InputSize}
}
