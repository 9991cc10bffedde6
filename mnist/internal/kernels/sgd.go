package kernels

import "math"

// Norms are the squared norms of one gradient-descent step: ‖g‖², ‖Δθ‖²
// and ‖θ‖², θ after the step. They are summed in float32 over runs of at
// most normRun elements and in float64 over the runs, so each is within a
// few float32 roundings of the exact sum, as long as no element's square
// leaves float32's range: past 1.8e19 a sum is +Inf (and the caller, who
// still has the step's values, must measure them in float64 if it needs
// to).
type Norms struct{ Grad, Delta, Theta float64 }

// normRun is the longest run of elements whose squares are summed in
// float32 in each lane before they are added to the float64 totals.
const normRun = 512

// Add returns n + o.
func (n Norms) Add(o Norms) Norms {
	return Norms{n.Grad + o.Grad, n.Delta + o.Delta, n.Theta + o.Theta}
}

// SGD does gradient descent in place, θ ← θ − α·g with each element
// rounded once, θ' = fma(−α, g, θ) in float32 (as optim's float32 SGD
// computes it, bit for bit), and returns the step's norms.
func SGD(theta, grad []float32, lr float32) Norms {
	if len(grad) != len(theta) {
		panic("kernels: SGD lengths differ")
	}
	return sgd(theta, grad, lr)
}

// SGDOuter does gradient descent on a matrix whose gradient is the outer
// product a ⊗ b, the weight gradient of a batch of one: for θ (len(a),
// len(b)) row-major with stride ldt,
//
//	g_ij = a_i·b_j (rounded to float32),  θ_ij ← fma(−α, g_ij, θ_ij)
//
// which is forming the gradient and then SGD's step, fused in one pass, bit
// for bit. It returns the step's norms.
func SGDOuter(theta []float32, ldt int, a, b []float32, lr float32) Norms {
	m, n := len(a), len(b)
	if m == 0 || n == 0 {
		return Norms{}
	}
	if ldt < n || len(theta) < (m-1)*ldt+n {
		panic("kernels: SGDOuter θ too short")
	}
	return sgdOuter(theta, ldt, a, b, lr)
}

// SGDOuterDot is SGDOuter that also multiplies the new θ by x2 in the same
// pass: z = θ'·x2, z[i] = Σ_j θ'[i,j]·x2[j], summed as Sgemm sums a row of a
// one-row product y = x2·θ'ᵀ, so that z is that product bit for bit. With
// x2 the next minibatch of one, it is the next step's first product, done
// while θ' passes through the registers instead of in a pass of its own.
// len(x2) == len(b), len(z) == len(a).
func SGDOuterDot(theta []float32, ldt int, a, b []float32, lr float32, x2, z []float32) Norms {
	if len(x2) != len(b) || len(z) != len(a) {
		panic("kernels: SGDOuterDot x2 or z has the wrong length")
	}
	if len(a) == 0 || len(b) == 0 {
		return Norms{}
	}
	if ldt < len(b) || len(theta) < (len(a)-1)*ldt+len(b) {
		panic("kernels: SGDOuterDot θ too short")
	}
	return sgdOuterDot(theta, ldt, a, b, lr, x2, z)
}

// sgdOuterDotGo is the portable SGDOuterDot: the update, then the one-row
// product through Sgemm.
func sgdOuterDotGo(theta []float32, ldt int, a, b []float32, lr float32, x2, z []float32) Norms {
	n := sgdOuterGo(theta, ldt, a, b, lr)
	Sgemm(false, true, 1, len(a), len(b), 1, x2, len(b), theta, ldt, 0, z, len(a))
	return n
}

// sgdGo is the portable SGD.
func sgdGo(theta, grad []float32, lr float32) Norms {
	var acc normAcc
	for i, g := range grad {
		acc.add(g, theta[i], fma32(-lr, g, theta[i]))
		theta[i] = fma32(-lr, g, theta[i])
	}
	return acc.total()
}

// sgdOuterGo is the portable SGDOuter.
func sgdOuterGo(theta []float32, ldt int, a, b []float32, lr float32) Norms {
	var acc normAcc
	for i, ai := range a {
		row := theta[i*ldt : i*ldt+len(b)]
		for j, bj := range b {
			g := ai * bj
			after := fma32(-lr, g, row[j])
			acc.add(g, row[j], after)
			row[j] = after
		}
		acc.flush()
	}
	return acc.total()
}

// normAcc sums the squares of a step in float32 runs and float64 totals.
type normAcc struct {
	run   [3]float32
	count int
	tot   Norms
}

// add accumulates one element: its gradient and θ before and after.
func (a *normAcc) add(g, before, after float32) {
	d := after - before
	a.run[0] += g * g
	a.run[1] += d * d
	a.run[2] += after * after
	if a.count++; a.count == normRun {
		a.flush()
	}
}

func (a *normAcc) flush() {
	a.tot = a.tot.Add(Norms{float64(a.run[0]), float64(a.run[1]), float64(a.run[2])})
	a.run, a.count = [3]float32{}, 0
}

func (a *normAcc) total() Norms {
	a.flush()
	return a.tot
}

// fma32 returns x·y + z rounded once to float32, as VFMADD…PS does. The
// product is exact in float64, and so is the sum's error (TwoSum); the sum
// is rounded to float64 with the error made sticky (rounding to odd), which
// float32 then rounds correctly: float64 keeps more than two bits below
// float32's last one.
func fma32(x, y, z float32) float32 {
	p := float64(x) * float64(y)
	s := p + float64(z)
	if math.IsInf(s, 0) || s != s {
		return float32(s)
	}
	bp := s - float64(z)
	e := (p - bp) + (float64(z) - (s - bp))
	if e != 0 {
		bits := math.Float64bits(s)
		if bits&1 == 0 { // move s to the odd neighbour on e's side
			if (e > 0) == (s > 0) {
				bits++
			} else {
				bits--
			}
			s = math.Float64frombits(bits)
		}
	}
	return float32(s)
}
