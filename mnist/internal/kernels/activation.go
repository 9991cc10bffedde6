package kernels

import "math"

// AddBiasSigmoid sets y[i,j] = σ(y[i,j] + bias[j]) with σ(x) = 1/(1+e^-x)
// for y (rows, cols) row-major with stride cols and bias of length cols.
// The result is within a few float32 ulps (≲ 1e-6 relative) of the
// float64 formula.
func AddBiasSigmoid(y []float32, rows, cols int, bias []float32) {
	forEachRow(y, rows, cols, bias, sigmoidRow)
}

// sigmoidRowGo is the portable sigmoidRow.
func sigmoidRowGo(row, b []float32) {
	for j, v := range row {
		row[j] = sigmoid32(v + b[j])
	}
}

// AddBiasReLU sets y[i,j] = max(0, y[i,j] + bias[j]) (NaN stays NaN) for
// y (rows, cols) row-major and bias of length cols.
func AddBiasReLU(y []float32, rows, cols int, bias []float32) {
	forEachRow(y, rows, cols, bias, reluRow)
}

// reluRowGo is the portable reluRow.
func reluRowGo(row, b []float32) {
	for j, v := range row {
		v += b[j]
		if v < 0 {
			v = 0
		}
		row[j] = v
	}
}

// AddBiasTanh sets y[i,j] = tanh(y[i,j] + bias[j]) for y (rows, cols)
// row-major and bias of length cols, within a few float32 ulps.
func AddBiasTanh(y []float32, rows, cols int, bias []float32) {
	forEachRow(y, rows, cols, bias, tanhRow)
}

// tanhRowGo is the portable tanhRow.
func tanhRowGo(row, b []float32) {
	for j, v := range row {
		row[j] = tanh32(v + b[j])
	}
}

// forEachRow checks the shapes and calls f on every row of y with the
// bias resliced to the row length.
func forEachRow(y []float32, rows, cols int, bias []float32, f func(row, b []float32)) {
	checkMatrix(y, rows, cols)
	if len(bias) != cols {
		panic("kernels: bias length != cols")
	}
	if cols == 0 {
		return
	}
	for i := 0; i < rows; i++ {
		f(y[i*cols:(i+1)*cols], bias)
	}
}

// sigmoid32 is 1/(1+e^-x) in float32 arithmetic.
func sigmoid32(x float32) float32 { return 1 / (1 + exp32(-x)) }

// tanh32 is tanh(x) in float32: an odd polynomial near 0 (Cephes tanhf),
// 1 - 2/(e^2|x|+1) elsewhere.
func tanh32(x float32) float32 {
	ax := abs(x)
	if ax < 0.625 {
		z := x * x
		p := (((-5.70498872745e-3*z+2.06390887954e-2)*z-5.37397155531e-2)*z+
			1.33314422036e-1)*z - 3.33332819422e-1
		return x + x*z*p
	}
	t := 1 - 2/(exp32(2*ax)+1)
	if x < 0 {
		return -t
	}
	return t
}

func abs(x float32) float32 { return math.Float32frombits(math.Float32bits(x) &^ (1 << 31)) }

// Range-reduction constants of exp32: ln2 = ln2Hi + ln2Lo with ln2Hi
// exact in few bits, so n·ln2Hi is exact.
const (
	log2e  = 1.44269504088896341
	ln2Hi  = 0.693359375
	ln2Lo  = -2.12194440e-4
	expMax = 88.72283905206835 // ln(MaxFloat32)
	expMin = -103.97207708     // ln(smallest denormal / 2)
	round  = 12582912          // 1.5·2²³: (t+round)-round rounds t to an integer
	twoM64 = 1.0 / (1 << 64)
)

// exp32 is e^x in float32 (Cephes expf: x = n·ln2 + r, |r| ≤ ln2/2, a
// degree-6 polynomial for e^r), within ~2 ulps; it returns denormals
// down to e^-103.9, +Inf above ln(MaxFloat32) and NaN for NaN.
func exp32(x float32) float32 {
	switch {
	case x != x:
		return x
	case x > expMax:
		return float32(math.Inf(1))
	case x < expMin:
		return 0
	}
	fn := (x*log2e + round) - round
	r := x - fn*ln2Hi - fn*ln2Lo
	z := r * r
	p := ((((1.9875691500e-4*r+1.3981999507e-3)*r+8.3334519073e-3)*r+
		4.1665795894e-2)*r+1.6666665459e-1)*r + 5.0000001201e-1
	p = p*z + r + 1
	n := int32(fn)
	switch {
	case n > 127: // e^x ≥ 2^127.5: scale in two steps
		p *= 2
		n--
	case n < -126: // denormal result
		p *= twoM64
		n += 64
	}
	return p * math.Float32frombits(uint32(n+127)<<23)
}
