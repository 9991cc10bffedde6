package mnist

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// GradCheck is a derivative computed two ways on a few weights: by
// backpropagation, ∂J/∂W_l[r][c] = δ_l[r]·a_{l−1}[c], and by the central
// difference (J(w + h) − J(w − h))/2h, with J = −log p_L on one image.
type GradCheck struct {
	Label       int           `json:"label"`       // L
	Loss        float64       `json:"loss"`        // J = −log p_L at the weights as they are
	Step        float64       `json:"step"`        // h
	Checks      []WeightCheck `json:"checks"`      // one per weight, layer by layer in turn
	MaxRelError float64       `json:"maxRelError"` // the largest RelError
}

// WeightCheck is one weight's derivative, both ways.
type WeightCheck struct {
	Layer    int     `json:"layer"`    // 0-based: W_{layer+1} in the report's notation
	Row      int     `json:"row"`      // the unit r of the layer
	Col      int     `json:"col"`      // the input c (the pixel row·28 + column for the first layer)
	Index    int     `json:"index"`    // the weight's place in the model's parameters
	Weight   float64 `json:"weight"`   // w
	Backprop float64 `json:"backprop"` // δ_l[r]·a_{l−1}[c]
	Numeric  float64 `json:"numeric"`  // (J(w + h) − J(w − h))/2h
	RelError float64 `json:"relError"` // |backprop − numeric| / max(|backprop|, |numeric|), 0 when both are 0
}

// MaxChecks bounds CheckGradient's weights: each costs two forward passes.
const MaxChecks = 64

// FDStep is the h of CheckGradient's central differences.
const FDStep = 1e-6

// CheckGradient compares backpropagation with central differences on n
// weights (1 to MaxChecks) drawn from seed, taking the layers in turn, for
// J = −log p_L on img (label TopClass: the top class). It computes in
// float64 and leaves the weights as they were.
func (e *Explainer) CheckGradient(img []uint8, label, n int, seed uint64) (*GradCheck, error) {
	if err := errors.Join(checkImage(img), checkClass("label", label)); err != nil {
		return nil, err
	}
	if n < 1 || n > MaxChecks {
		return nil, fmt.Errorf("mnist: %d weights to check, want 1 to %d", n, MaxChecks)
	}
	e.load(img)
	forwardPass(e.net, e.p)
	last := len(e.p.a) - 1
	if label == TopClass {
		label = ArgMax(e.p.a[last])
	}
	backwardPass(e.net, e.g, e.p, label)
	picks := e.pickWeights(n, seed)
	backprop := func(w WeightCheck) float64 {
		return e.g.delta[w.Layer][w.Row] * e.layerIn(w.Layer)[w.Col] // ∂J/∂W = δaᵀ
	}
	gc := &GradCheck{Label: label, Loss: e.g.loss, Step: FDStep}
	gc.Checks = e.compare(picks, label, backprop, FDStep)
	ok := finite(gc.Loss)
	for _, c := range gc.Checks {
		gc.MaxRelError = max(gc.MaxRelError, c.RelError)
		ok = ok && finite(c.Backprop) && finite(c.Numeric)
	}
	if !ok || !finite(gc.MaxRelError) {
		return nil, fmt.Errorf("mnist: the loss on this image is not finite (%s); its weights have blown up", e.net.Arch)
	}
	return gc, nil
}

// layerIn is a_{l−1} of the current pass, x for the first layer.
func (e *Explainer) layerIn(l int) []float64 {
	if l == 0 {
		return e.p.x
	}
	return e.p.a[l-1]
}

// pickWeights draws n weights, layer l for the k-th with l = k mod layers.
func (e *Explainer) pickWeights(n int, seed uint64) []WeightCheck {
	rng := rand.New(rand.NewPCG(seed, 0xfd5eed))
	offsets, off := make([]int, len(e.net.layers)), 0
	for l, ly := range e.net.layers {
		offsets[l] = off
		off += ly.in*ly.out + ly.out
	}
	picks := make([]WeightCheck, n)
	for k := range picks {
		l := k % len(e.net.layers)
		ly := e.net.layers[l]
		r, c := rng.IntN(ly.out), rng.IntN(ly.in)
		picks[k] = WeightCheck{Layer: l, Row: r, Col: c, Index: offsets[l] + r*ly.in + c, Weight: ly.w[r*ly.in+c]}
	}
	return picks
}

// compare fills each pick's backprop value, its central difference with
// step h, and their relative error. The pass must hold the weights as they
// are.
func (e *Explainer) compare(picks []WeightCheck, label int, backprop func(WeightCheck) float64, h float64) []WeightCheck {
	ch := newChange(e.net.Arch)
	out := make([]WeightCheck, len(picks))
	for k, c := range picks {
		c.Backprop = backprop(c)
		up := e.lossChange(ch, c.Layer, c.Row, c.Col, h, label)    // J(w + h) − J(w)
		down := e.lossChange(ch, c.Layer, c.Row, c.Col, -h, label) // J(w − h) − J(w)
		c.Numeric = (up - down) / (2 * h)                          // (J(w+h) − J(w−h))/2h
		c.RelError = relError(c.Backprop, c.Numeric)
		out[k] = c
	}
	return out
}

// relError is |a − b|/max(|a|, |b|), 0 when both are 0.
func relError(a, b float64) float64 {
	d := math.Max(math.Abs(a), math.Abs(b))
	if d == 0 {
		return 0
	}
	return math.Abs(a-b) / d
}
