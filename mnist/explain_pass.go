package mnist

import "math"

// The derivatives of one example, layer by layer, in float64: the forward
// pass keeps every z and a, and the backward pass every δ, where training
// keeps only what the next step needs. The products are the training's own
// (gemm, activationForward, activationBackward); only the batch is one row.

// pass holds one example's forward values. Layer l (0-based) is the report's
// layer l+1: z_l = W_l a_{l−1} + b_l with a_{−1} = x.
type pass struct {
	x     []float64   // (784) the normalised input x = (u − 0.1307)/0.3081
	z     [][]float64 // z[l] is (out_l): the pre-activations, logits for the last
	a     [][]float64 // a[l] is (out_l): σ(z_l), and p = softmax(z) for the last
	slope [][]float64 // slope[l] is (out_l): σ′(z_l), hidden layers only
}

// grads holds the backward values of one pass for one label L, with
// J = −log p_L.
type grads struct {
	label int
	loss  float64     // J = −log p_L
	gradA [][]float64 // gradA[l] is (out_l): ∂J/∂a_l = W_{l+1}ᵀδ_{l+1}, hidden layers only
	delta [][]float64 // delta[l] is (out_l): ∂J/∂z_l
	gx    []float64   // (784) ∂J/∂x = W₀ᵀδ₀
}

func newPass(arch Arch) *pass {
	s := arch.Sizes()
	p := &pass{x: make([]float64, InputSize)}
	for l := 1; l < len(s); l++ {
		p.z = append(p.z, make([]float64, s[l]))
		p.a = append(p.a, make([]float64, s[l]))
		p.slope = append(p.slope, make([]float64, s[l]))
	}
	return p
}

func newGrads(arch Arch) *grads {
	s := arch.Sizes()
	g := &grads{gx: make([]float64, InputSize)}
	for l := 1; l < len(s); l++ {
		g.gradA = append(g.gradA, make([]float64, s[l]))
		g.delta = append(g.delta, make([]float64, s[l]))
	}
	return g
}

// forwardPass fills p from p.x:
//
//	z_l = W_l a_{l−1} + b_l,  a_l = σ(z_l),  σ′(z_l) from a_l,
//	p = softmax(z_last).
func forwardPass(net *Net[float64], p *pass) {
	x := p.x
	last := len(net.layers) - 1
	for l, ly := range net.layers {
		linearForward("", p.z[l], x, ly.w, ly.b, 1, ly.in, ly.out) // z = Wx + b
		a := p.a[l]
		if l == last {
			softmax64(a, p.z[l]) // p = softmax(z)
			break
		}
		copy(a, p.z[l])
		activationForward(net.Arch.Activation, a) // a = σ(z)
		s := p.slope[l]
		for i := range s {
			s[i] = 1
		}
		activationBackward(net.Arch.Activation, s, a) // σ′(z), from a as training has it
		x = a
	}
}

// backwardPass fills g for label L from a forward pass p:
//
//	δ_last = p − y,  ∂J/∂a_l = W_{l+1}ᵀδ_{l+1},  δ_l = ∂J/∂a_l ⊙ σ′(z_l),
//	∂J/∂x = W₀ᵀδ₀.
func backwardPass(net *Net[float64], g *grads, p *pass, label int) {
	last := len(net.layers) - 1
	g.label = label
	g.loss = crossEntropy64(p.z[last], label)
	d := g.delta[last]
	copy(d, p.a[last])
	d[label]-- // δ = p − y
	for l := last; l >= 0; l-- {
		ly := net.layers[l]
		dx := g.gx
		if l > 0 {
			dx = g.gradA[l-1]
		}
		gemm(false, false, 1, ly.in, ly.out, g.delta[l], ly.out, ly.w, ly.in, 0, dx, ly.in) // Wᵀδ
		if l > 0 {
			for i, s := range p.slope[l-1] {
				g.delta[l-1][i] = dx[i] * s // δ = (Wᵀδ) ⊙ σ′(z)
			}
		}
	}
}

// softmax64 writes p = e^{zⱼ−m}/Σₖ e^{zₖ−m}, m the largest logit.
func softmax64(p, z []float64) {
	m := z[0]
	for _, v := range z {
		m = max(m, v)
	}
	var s float64
	for j, v := range z {
		p[j] = math.Exp(v - m)
		s += p[j]
	}
	for j := range p {
		p[j] /= s
	}
}

// crossEntropy64 is J = −log p_L = log Σⱼ e^{zⱼ} − z_L, written as
// (m − z_L) + log1p(Σ_{j≠k} e^{zⱼ−m}) with k the top class and m = z_k, so
// that a confident answer's tiny loss keeps its relative precision (a finite
// difference of J needs it).
func crossEntropy64(z []float64, label int) float64 {
	k := 0
	for j, v := range z {
		if v > z[k] {
			k = j
		}
	}
	m := z[k]
	var s float64
	for j, v := range z {
		if j != k {
			s += math.Exp(v - m)
		}
	}
	return (m - z[label]) + math.Log1p(s)
}
