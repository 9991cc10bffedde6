package spectrum

import (
	"context"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/floats"
)

// krylov builds an orthonormal basis q₁, q₂, … of the Krylov space
// span{q₁, Aq₁, A²q₁, …} by the Lanczos recurrence (Lanczos 1950)
//
//	βⱼqⱼ₊₁ = Aqⱼ − αⱼqⱼ − βⱼ₋₁qⱼ₋₁,   αⱼ = qⱼᵀAqⱼ,
//
// with full reorthogonalisation: the new vector is orthogonalised against
// every earlier one (classical Gram–Schmidt, repeated when needed: "twice
// is enough", Giraud et al. 2005), so that no ghost copies of converged
// eigenvalues appear. Qᵀ A Q = T is then tridiagonal with α on its
// diagonal and β beside it.
type krylov struct {
	n        int
	op       Operator
	q        [][]float64 // the basis; q[j] is qⱼ₊₁
	alpha    []float64   // T's diagonal
	beta     []float64   // beta[j] couples q[j] and q[j+1]
	next     []float64   // the unnormalised next vector, βⱼqⱼ₊₁
	h        []float64   // Gram–Schmidt coefficients
	rng      *rand.Rand
	products int
	block    int // where the last block of T starts: the size at the last breakdown
}

// newKrylov starts a basis at start (nil: a random vector drawn from seed).
func newKrylov(op Operator, n int, start []float64, seed uint64) *krylov {
	k := &krylov{n: n, op: op, rng: rand.New(rand.NewPCG(seed, 0x1a2c205))}
	q := make([]float64, n)
	if start != nil {
		copy(q, start)
	}
	if start == nil || norm(q) == 0 {
		k.random(q)
	}
	floats.Scale(1/norm(q), q)
	k.q = append(k.q, q)
	return k
}

// random fills v with standard normal entries.
func (k *krylov) random(v []float64) {
	for i := range v {
		v[i] = k.rng.NormFloat64()
	}
}

// size is the number of basis vectors whose α is known: T is size × size.
func (k *krylov) size() int { return len(k.alpha) }

// exhausted reports that the basis spans the whole space.
func (k *krylov) exhausted() bool { return len(k.alpha) == k.n }

// lastBeta is βⱼ after the last step: ‖Aqⱼ − Qₖ(QₖᵀAqⱼ)‖, the factor in
// every Ritz residual.
func (k *krylov) lastBeta() float64 {
	if len(k.beta) < len(k.alpha) {
		return 0
	}
	return k.beta[len(k.alpha)-1]
}

// step applies A to the newest basis vector, computes its α and β, and
// appends the next basis vector. On a breakdown (β ≈ 0: the space is
// invariant) it continues with a random vector orthogonal to the basis and
// β = 0, so that T splits into blocks and the search goes on in the rest
// of the space. It returns ctx's error, if any, before the product.
func (k *krylov) step(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	j := len(k.alpha)
	qj := k.q[j]
	w := k.next
	if w == nil {
		w = make([]float64, k.n)
	}
	k.op(w, qj)
	k.products++
	a := floats.Dot(qj, w)
	floats.AddScaled(w, -a, qj) // w ← Aqⱼ − αⱼqⱼ
	if j > 0 {
		floats.AddScaled(w, -k.beta[j-1], k.q[j-1]) // − βⱼ₋₁qⱼ₋₁
	}
	norm0 := math.Abs(a) + norm(w)
	a += k.orthogonalise(w, j) // the correction along qⱼ belongs to αⱼ
	k.alpha = append(k.alpha, a)
	if len(k.alpha) == k.n {
		k.beta = append(k.beta, 0)
		k.next = w
		return nil
	}
	b := norm(w)
	if b <= 1e-12*norm0 || b == 0 { // invariant subspace: start afresh
		b, k.block = 0, j+1
		for tries := 0; tries < 3 && norm(w) < 0.5; tries++ {
			k.random(w)
			floats.Scale(1/norm(w), w)
			k.orthogonalise(w, j)
		}
	}
	k.beta = append(k.beta, b)
	q := make([]float64, k.n)
	copy(q, w)
	floats.Scale(1/norm(q), q)
	k.q = append(k.q, q)
	k.next = w
	return nil
}

// orthogonalise removes from w its components along q[0..j] and returns
// the coefficient along q[j]. A second pass runs only when the first one
// removed most of w (‖w‖ fell below 1/√2 of what it was), the test of
// Daniel, Gragg, Kaufman & Stewart (1976): that is when rounding can have
// left w far from orthogonal.
func (k *krylov) orthogonalise(w []float64, j int) float64 {
	if cap(k.h) < j+1 {
		k.h = make([]float64, j+1, 2*(j+1))
	}
	h := k.h[:j+1]
	along := 0.0
	for pass := 0; pass < 2; pass++ {
		before := norm(w)
		for i := range h {
			h[i] = floats.Dot(k.q[i], w)
		}
		for i, c := range h {
			floats.AddScaled(w, -c, k.q[i])
		}
		along += h[j]
		if norm(w) > before/math.Sqrt2 {
			break
		}
	}
	return along
}

// vector returns Σᵢ zᵢqᵢ, the Ritz vector of the coefficients z (length size).
func (k *krylov) vector(z []float64) []float64 {
	v := make([]float64, k.n)
	for i, c := range z {
		floats.AddScaled(v, c, k.q[i])
	}
	return v
}

// norm is ‖v‖₂ as √(v·v): the vectors here are far from overflow, and the
// dot product is several times faster than gonum's scaled norm.
func norm(v []float64) float64 { return math.Sqrt(floats.Dot(v, v)) }
