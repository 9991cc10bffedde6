package mnist

import (
	"fmt"
	"math"
)

// Predictor classifies single images with a fixed model. It owns a small
// workspace, so one Predictor serves one goroutine; make one per caller. A
// prediction is one forward pass of one row: tens of microseconds for the
// report's network, cheap enough for every stroke of a drawing.
type Predictor struct {
	net *Net[float32]
}

// NewPredictor returns a Predictor for m.
func NewPredictor(m *Model) (*Predictor, error) {
	net, err := NetFrom[float32](m)
	if err != nil {
		return nil, err
	}
	net.reserve(1)
	return &Predictor{net: net}, nil
}

// Predict returns the probabilities of the ten digits for one image of 784
// intensities in [0, 1] (0 background, 1 ink, row-major 28×28), normalised as in
// training: x = (v − 0.1307)/0.3081.
func (p *Predictor) Predict(img []float32) ([Classes]float64, error) {
	var probs [Classes]float64
	if len(img) != InputSize {
		return probs, fmt.Errorf("mnist: image has %d pixels, want %d", len(img), InputSize)
	}
	x := p.net.ws.x[:InputSize]
	for i, v := range img {
		x[i] = float32((float64(v) - Mean) / Std)
	}
	logits := p.net.forward(1)
	softmax(probs[:], logits)
	return probs, nil
}

// PredictPixels is Predict for raw MNIST pixels, 0 to 255.
func (p *Predictor) PredictPixels(img []uint8) ([Classes]float64, error) {
	var probs [Classes]float64
	if len(img) != InputSize {
		return probs, fmt.Errorf("mnist: image has %d pixels, want %d", len(img), InputSize)
	}
	x := p.net.ws.x[:InputSize]
	for i, u := range img {
		x[i] = p.net.norm[u]
	}
	softmax(probs[:], p.net.forward(1))
	return probs, nil
}

// softmax writes e^{zⱼ−m}/Σ e^{zₖ−m} into dst, with m the largest logit.
func softmax(dst []float64, z []float32) {
	m := float64(z[0])
	for _, v := range z {
		m = max(m, float64(v))
	}
	var s float64
	for j, v := range z {
		dst[j] = math.Exp(float64(v) - m)
		s += dst[j]
	}
	for j := range dst {
		dst[j] /= s
	}
}

// ArgMax returns the index of the largest value.
func ArgMax(p []float64) int {
	best := 0
	for i, v := range p {
		if v > p[best] {
			best = i
		}
	}
	return best
}
