// Package phase times the phases of a training step: where a step's time
// goes, for the phase table of `make bench`. Timing is off unless a Recorder
// has been started; a step then pays one atomic load per mark.
//
// A step calls Begin, then Mark(p) after each phase p (the time since the
// previous mark is charged to p), then End, which charges what is left to
// Rest. Marks outside a step (an evaluation, a prediction) are ignored. Only
// one run may be timed at a time: the Recorder is shared.
package phase

import (
	"fmt"
	"sync/atomic"
	"time"
)

// Phase is one part of a training step.
type Phase uint8

// The phases that are not matrix products; the products follow them, three
// for each layer (see Forward, WeightGrad and InputGrad).
const (
	Gather     Phase = iota // gathering the minibatch and normalising its pixels
	Activation              // the activations (with their biases) and their derivatives
	Softmax                 // softmax with cross-entropy and its gradient ∂J/∂z
	BiasGrad                // the bias gradients, Σ over the rows of δ
	Optimizer               // the optimizer's step θ ← θ − α·update, with its norms
	Rest                    // everything else in a step
	products
)

// MaxLayers is the number of layers whose products have phases of their own.
const MaxLayers = 5

// Count is the number of phases.
const Count = int(products) + 3*MaxLayers

// Forward is the product z = x·Wᵀ of layer l (0-based).
func Forward(l int) Phase { return products + Phase(3*l) }

// WeightGrad is the product ∂J/∂W = δᵀ·x of layer l.
func WeightGrad(l int) Phase { return products + Phase(3*l+1) }

// InputGrad is the product ∂J/∂x = δ·W of layer l.
func InputGrad(l int) Phase { return products + Phase(3*l+2) }

// IsProduct reports whether p is a matrix product.
func (p Phase) IsProduct() bool { return p >= products }

// String names the phase as the table prints it, products with their
// layer's symbols: "x·W₁ᵀ", "δ₂ᵀ·a₁", "δ₂·W₂".
func (p Phase) String() string {
	switch p {
	case Gather:
		return "gather and normalise the batch"
	case Activation:
		return "activations and their derivatives"
	case Softmax:
		return "softmax with cross-entropy"
	case BiasGrad:
		return "bias gradients Σ δ"
	case Optimizer:
		return "optimizer step"
	case Rest:
		return "rest"
	}
	l := int(p-products) / 3
	in := "x"
	if l > 0 {
		in = "a" + sub(l)
	}
	switch int(p-products) % 3 {
	case 0:
		return fmt.Sprintf("product %s·W%sᵀ", in, sub(l+1))
	case 1:
		return fmt.Sprintf("product δ%sᵀ·%s", sub(l+1), in)
	}
	return fmt.Sprintf("product δ%s·W%s", sub(l+1), sub(l+1))
}

// sub writes n with subscript digits.
func sub(n int) string {
	s := fmt.Sprint(n)
	out := make([]rune, 0, len(s))
	for _, c := range s {
		out = append(out, '₀'+(c-'0'))
	}
	return string(out)
}

// Recorder accumulates the time of each phase over the steps it has seen.
type Recorder struct {
	Total  [Count]time.Duration // time spent in each phase
	Steps  int                  // steps timed
	last   time.Time
	inStep bool
}

var active atomic.Pointer[Recorder]

// Start makes a new Recorder the active one and returns it.
func Start() *Recorder {
	r := new(Recorder)
	active.Store(r)
	return r
}

// Stop ends the timing; the last Recorder keeps its totals.
func Stop() { active.Store(nil) }

// Begin starts timing a step.
func Begin() {
	if r := active.Load(); r != nil {
		r.last, r.inStep = time.Now(), true
		r.Steps++
	}
}

// Mark charges the time since the previous mark to p.
func Mark(p Phase) {
	if r := active.Load(); r != nil && r.inStep {
		now := time.Now()
		r.Total[p] += now.Sub(r.last)
		r.last = now
	}
}

// End charges the rest of the step to Rest and stops timing until the next
// Begin.
func End() {
	if r := active.Load(); r != nil && r.inStep {
		Mark(Rest)
		r.inStep = false
	}
}
