package draw

import (
	"slices"
	"sync"

	"descent/mnist"
)

// Explainers keeps idle mnist.Explainers for every page, as a run's
// PredictorPool keeps Predictors: an explain of the snapshot an idle
// Explainer already holds costs its passes alone; one of another snapshot of
// the same shape (a run's next epoch) first copies the weights in
// (Explainer.Use, about 0.1 ms for the report's network); only a new shape
// allocates. It keeps at most maxIdleExplainers and maxIdleExplainerBytes,
// dropping the ones used longest ago, so that many runs and models cannot
// pile up idle copies of their weights.
type Explainers struct {
	mu    sync.Mutex
	free  []*mnist.Explainer // the most recently used last
	bytes int64
}

const (
	// maxIdleExplainers are as many as the pages that explain at the same
	// instant, with a few snapshots each.
	maxIdleExplainers = 8
	// maxIdleExplainerBytes bounds the idle Explainers' weights: 8 of the
	// report's network take 5 MB, one of 4 M parameters 32 MB.
	maxIdleExplainerBytes = 64 << 20
)

// ExplainerBytes estimates an Explainer's memory for arch: its float64
// copy of the weights (the gradient slab is dropped) and its per-layer
// buffers.
func ExplainerBytes(arch mnist.Arch) int64 {
	units := mnist.InputSize
	for _, h := range arch.Hidden {
		units += h
	}
	return 8*int64(arch.NumParams()) + 8*7*int64(units+mnist.Classes)
}

// with lends f an Explainer that holds m's weights.
func (p *Explainers) with(m *mnist.Model, f func(*mnist.Explainer) error) error {
	e, err := p.get(m)
	if err != nil {
		return err
	}
	defer p.put(e)
	return f(e)
}

// get returns an idle Explainer of m, else one of m's shape given m's
// weights, else a new one.
func (p *Explainers) get(m *mnist.Model) (*mnist.Explainer, error) {
	p.mu.Lock()
	i := slices.IndexFunc(p.free, func(e *mnist.Explainer) bool { return e.Model() == m })
	if i < 0 {
		i = slices.IndexFunc(p.free, func(e *mnist.Explainer) bool { return sameShape(e.Model(), m) })
	}
	var e *mnist.Explainer
	if i >= 0 {
		e = p.free[i]
		p.free = slices.Delete(p.free, i, i+1)
		p.bytes -= ExplainerBytes(e.Model().Arch)
	}
	p.mu.Unlock()
	if e == nil {
		return mnist.NewExplainer(m)
	}
	if err := e.Use(m); err != nil {
		return nil, err
	}
	return e, nil
}

// put returns an Explainer that get handed out, dropping the oldest idle
// ones past the bounds.
func (p *Explainers) put(e *mnist.Explainer) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.free = append(p.free, e)
	p.bytes += ExplainerBytes(e.Model().Arch)
	for len(p.free) > maxIdleExplainers || (p.bytes > maxIdleExplainerBytes && len(p.free) > 0) {
		p.bytes -= ExplainerBytes(p.free[0].Model().Arch)
		p.free[0] = nil
		p.free = p.free[1:]
	}
}

// idle returns the idle Explainers and their estimated bytes.
func (p *Explainers) idle() (int, int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.free), p.bytes
}

// sameShape reports whether a and b have the same layers.
func sameShape(a, b *mnist.Model) bool {
	return a.Arch.Activation == b.Arch.Activation && slices.Equal(a.Arch.Hidden, b.Arch.Hidden) && len(a.Params) == len(b.Params)
}
