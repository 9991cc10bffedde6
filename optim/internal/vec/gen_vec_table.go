//go:build ignore

// The table of update kernels that gen_vec.go writes: each its symbol,
// its kind in vec.go and its loop body, in the order of portable.go's
// loops.

package main

// kernel is one update: its name, the slices it reads beyond θ and g, and
// its loop body.
type kernel struct {
	name, kind string // symbol prefix, and the kernel constant in vec.go
	body       func(e *em)
}

var kernels = []kernel{
	{"sgd", "SGD", func(e *em) {
		e.load(pTheta, rP)
		e.load(pGrad, rG)
		e.decay()
		e.mov(rP, rR)
		e.op("VFMADD231PS %s, %s, %s", e.k(0), e.v(rGw), e.v(rR)) // θ ← θ − αg
		e.finish()
	}},
	{"momentum", "Momentum", func(e *em) {
		const b, d = 12, 13
		e.load(pTheta, rP)
		e.load(pGrad, rG)
		e.decay()
		e.ifFlag(flagFirst, func() { e.mov(rGw, b) }, func() {
			e.load(pS1, b)
			e.op("VMULPS %s, %s, %s", e.k(2), e.v(b), e.v(b))
			e.op("VFMADD231PS %s, %s, %s", e.k(3), e.v(rGw), e.v(b)) // b ← μb + (1 − τ)g
		})
		e.store(b, pS1)
		e.ifFlag(flagNesterov, func() {
			e.mov(rGw, d)
			e.op("VFMADD231PS %s, %s, %s", e.k(2), e.v(b), e.v(d)) // d ← g + μb
		}, func() { e.mov(b, d) })
		e.mov(rP, rR)
		e.op("VFMADD231PS %s, %s, %s", e.k(0), e.v(d), e.v(rR)) // θ ← θ − αd
		e.finish()
	}},
	{"adagrad", "Adagrad", func(e *em) {
		const s, q, n = 12, 13, 14
		e.load(pTheta, rP)
		e.load(pGrad, rG)
		e.decay()
		e.load(pS1, s)
		e.op("VFMADD231PS %s, %s, %s", e.v(rGw), e.v(rGw), e.v(s)) // s ← s + g²
		e.store(s, pS1)
		e.op("VSQRTPS %s, %s", e.v(s), e.v(q))
		e.op("VADDPS %s, %s, %s", e.k(2), e.v(q), e.v(q)) // √s + ε
		e.op("VMULPS %s, %s, %s", e.k(0), e.v(rGw), e.v(n))
		e.op("VDIVPS %s, %s, %s", e.v(q), e.v(n), e.v(n))
		e.op("VADDPS %s, %s, %s", e.v(n), e.v(rP), e.v(rR)) // θ ← θ − αₜg/(√s + ε)
		e.finish()
	}},
	{"rmsprop", "RMSprop", func(e *em) {
		const v, t, a, n = 12, 13, 14, 15
		e.load(pTheta, rP)
		e.load(pGrad, rG)
		e.decay()
		e.load(pS1, v)
		e.op("VMULPS %s, %s, %s", e.k(2), e.v(v), e.v(v))
		e.op("VMULPS %s, %s, %s", e.k(3), e.v(rGw), e.v(t))
		e.op("VFMADD231PS %s, %s, %s", e.v(t), e.v(rGw), e.v(v)) // v ← ρv + (1 − ρ)g²
		e.store(v, pS1)
		e.ifFlag(flagCentered, func() {
			e.load(pS2, a)
			e.op("VMULPS %s, %s, %s", e.k(2), e.v(a), e.v(a))
			e.op("VFMADD231PS %s, %s, %s", e.k(3), e.v(rGw), e.v(a)) // ḡ ← ρḡ + (1 − ρ)g
			e.store(a, pS2)
			e.op("VFNMADD231PS %s, %s, %s", e.v(a), e.v(a), e.v(v)) // v − ḡ²
		}, nil)
		e.op("VSQRTPS %s, %s", e.v(v), e.v(t))
		e.op("VADDPS %s, %s, %s", e.k(4), e.v(t), e.v(t)) // σ ← √v + ε
		e.ifFlag(flagMomentum, func() {
			e.load(pS3, a)
			e.op("VMULPS %s, %s, %s", e.k(5), e.v(a), e.v(a))
			e.op("VDIVPS %s, %s, %s", e.v(t), e.v(rGw), e.v(n))
			e.op("VADDPS %s, %s, %s", e.v(n), e.v(a), e.v(a)) // b ← μb + g/σ
			e.store(a, pS3)
			e.mov(rP, rR)
			e.op("VFMADD231PS %s, %s, %s", e.k(0), e.v(a), e.v(rR)) // θ ← θ − αb
		}, func() {
			e.op("VMULPS %s, %s, %s", e.k(0), e.v(rGw), e.v(n))
			e.op("VDIVPS %s, %s, %s", e.v(t), e.v(n), e.v(n))
			e.op("VADDPS %s, %s, %s", e.v(n), e.v(rP), e.v(rR)) // θ ← θ − αg/σ
		})
		e.finish()
	}},
	{"adam", "Adam", func(e *em) {
		const m, v, s, w = 12, 13, 14, 15
		e.load(pTheta, rP)
		e.load(pGrad, rG)
		e.mov(rG, rGw)
		e.ifFlag(flagDecoupled, func() {
			e.op("VMULPS %s, %s, %s", e.k(8), e.v(rP), e.v(w)) // θ ← θ(1 − αλ)
		}, func() {
			e.mov(rP, w)
			e.ifFlag(flagWD, e.addDecay, nil)
		})
		e.load(pS1, m)
		e.op("VMULPS %s, %s, %s", e.k(2), e.v(m), e.v(m))
		e.op("VFMADD231PS %s, %s, %s", e.k(3), e.v(rGw), e.v(m)) // m ← β₁m + (1 − β₁)g
		e.store(m, pS1)
		e.load(pS2, v)
		e.op("VMULPS %s, %s, %s", e.k(4), e.v(v), e.v(v))
		e.op("VMULPS %s, %s, %s", e.k(5), e.v(rGw), e.v(s))
		e.op("VFMADD231PS %s, %s, %s", e.v(s), e.v(rGw), e.v(v)) // v ← β₂v + (1 − β₂)g²
		e.store(v, pS2)
		e.ifFlag(flagAMSGrad, func() {
			e.load(pS3, s)
			e.op("VMAXPS %s, %s, %s", e.v(v), e.v(s), e.v(v)) // v̂ ← max(v̂, v)
			e.store(v, pS3)
		}, nil)
		e.op("VSQRTPS %s, %s", e.v(v), e.v(s))
		e.op("VFMADD213PS %s, %s, %s", e.k(7), e.kreg(6, v), e.v(s)) // √v̂/√(1 − β₂ᵗ) + ε
		e.op("VMULPS %s, %s, %s", e.k(0), e.v(m), e.v(m))
		e.op("VDIVPS %s, %s, %s", e.v(s), e.v(m), e.v(m))
		e.op("VADDPS %s, %s, %s", e.v(m), e.v(w), e.v(rR)) // θ ← θ − α m̂/(√v̂ + ε)
		e.finish()
	}},
}
