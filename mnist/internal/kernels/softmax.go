package kernels

import "math"

// Softmax computes, for each row r of the logits z (rows, classes;
// row-major), the quantities of softmax with cross-entropy:
//
//	m[r]   = max_j z[r,j],  arg[r] = the first j with z[r,j] = m[r]
//	s[r]   = Σ_j e^{z[r,j] − m[r]}   (j in order, in float64)
//	dz[r,j] = float32(e^{z[r,j]−m[r]} / s[r] · scale)   (only if dz is not nil)
//
// exactly as the network's generic loop does: every e^x is math.Exp's value
// bit for bit, and so is everything built from it. m and s have rows
// elements, arg too.
func Softmax(dz, z []float32, rows, classes int, scale float64, m, s []float64, arg []int32) {
	checkMatrix(z, rows, classes)
	if dz != nil {
		checkMatrix(dz, rows, classes)
	}
	if len(m) < rows || len(s) < rows || len(arg) < rows || classes < 1 {
		panic("kernels: Softmax outputs too short")
	}
	done := softmaxFast(dz, z, rows, classes, scale, m, s, arg)
	softmaxGo(dz, z, done, rows, classes, scale, m, s, arg)
}

// softmaxGo is the portable Softmax of the rows [r0, r1).
func softmaxGo(dz, z []float32, r0, r1, classes int, scale float64, m, s []float64, arg []int32) {
	for r := r0; r < r1; r++ {
		softmaxRow(dz, z, r, classes, scale, m, s, arg)
	}
}

// softmaxRow does row r of Softmax with math.Exp.
func softmaxRow(dz, z []float32, r, classes int, scale float64, m, s []float64, arg []int32) {
	row := z[r*classes : (r+1)*classes]
	mr, a := float64(row[0]), 0
	for j, v := range row {
		if float64(v) > mr {
			mr, a = float64(v), j
		}
	}
	var buf [16]float64
	e := buf[:]
	if classes > len(buf) {
		e = make([]float64, classes)
	}
	var sr float64
	for j, v := range row {
		e[j] = math.Exp(float64(v) - mr)
		sr += e[j]
	}
	m[r], s[r], arg[r] = mr, sr, int32(a)
	if dz == nil {
		return
	}
	d := dz[r*classes : (r+1)*classes]
	for j := range d {
		d[j] = float32(e[j] / sr * scale)
	}
}
