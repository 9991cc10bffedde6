package mnist

import (
	"context"
	"fmt"
	"time"

	"descent/optim/spectrum"
)

// MaxTopEigenvalues is the most eigenvalues AnalyzeHessian finds.
const MaxTopEigenvalues = 10

// HessianOptions set what AnalyzeHessian computes. Zero values take the
// defaults.
type HessianOptions struct {
	// Examples is the probe set, the first N training images; default
	// DefaultSharpnessExamples.
	Examples int
	// Top is the number of largest eigenvalues, 1 to MaxTopEigenvalues;
	// default 5.
	Top int
	// Bottom is the number of smallest (most negative) eigenvalues besides;
	// default 0.
	Bottom int
	// Tol is Lanczos's relative residual; default 1e-6 (eigenvalues to about
	// 1e-10 when they are well separated).
	Tol float64
	// TraceProbes is the number of Hutchinson probes; default 100.
	TraceProbes int
	// Density adds the spectral density by stochastic Lanczos quadrature,
	// with the options SLQ.
	Density bool
	SLQ     spectrum.DensityOptions
	// Seed seeds Lanczos's start and the probes.
	Seed uint64
	// Progress, if set, is called after every Hessian-vector product with
	// the stage (HessianStageTop, HessianStageTrace or HessianStageDensity)
	// and the products so far, on AnalyzeHessian's goroutine: it must be
	// quick.
	Progress func(stage string, hvps int)
}

// The stages of AnalyzeHessian, for HessianOptions.Progress.
const (
	HessianStageTop     = "eigenvalues" // Lanczos for the top eigenvalues
	HessianStageTrace   = "trace"       // Hutchinson's probes
	HessianStageDensity = "density"     // stochastic Lanczos quadrature
)

// HessianReport is what AnalyzeHessian found about H = ∇²J at a model's
// weights. Its JSON is `descent hessian --json`'s.
type HessianReport struct {
	Examples    int       `json:"examples"`
	Loss        float64   `json:"-"`           // J at the weights
	Eigenvalues []float64 `json:"eigenvalues"` // the Top largest, descending; negative ones negative
	Bottom      []float64 `json:"-"`           // the Bottom smallest, ascending
	Vector      []float64 `json:"-"`           // the unit eigenvector of λmax, in the slab's layout ("the sharpest direction")
	Converged   bool      `json:"-"`           // Lanczos met Tol
	Trace       float64   `json:"trace"`       // Hutchinson's estimate of tr(H)
	TraceStdErr float64   `json:"traceStdErr"` // its standard error
	TraceProbes int       `json:"-"`
	HVPs        int       `json:"hvps"`    // Hessian-vector products in all
	Seconds     float64   `json:"seconds"` // wall time in all
	Density     *Density  `json:"density,omitempty"`
}

// Density is a spectral density on a grid, as the page and --json draw it.
type Density struct {
	X []float64 `json:"x"` // eigenvalue λ
	Y []float64 `json:"y"` // fraction of eigenvalues per unit of λ
}

// AnalyzeHessian computes, with exact float64 Hessian-vector products, the
// top eigenvalues (Lanczos), the trace (Hutchinson) and, when asked, the
// spectral density (SLQ) of the Hessian of the mean cross-entropy over the
// first Examples images of train at m's weights. It honours ctx between
// products.
func AnalyzeHessian(ctx context.Context, m *Model, train *Dataset, opt HessianOptions) (HessianReport, error) {
	start := time.Now()
	opt = opt.withDefaults()
	if opt.Top < 1 || opt.Top > MaxTopEigenvalues || opt.Bottom < 0 || opt.TraceProbes < 1 {
		return HessianReport{}, fmt.Errorf("mnist: top = %d eigenvalues (want 1 to %d), bottom = %d, %d trace probes",
			opt.Top, MaxTopEigenvalues, opt.Bottom, opt.TraceProbes)
	}
	h, err := NewHessian[float64](m.Arch, train, opt.Examples)
	if err != nil {
		return HessianReport{}, err
	}
	if len(m.Params) != h.Dim() {
		return HessianReport{}, fmt.Errorf("mnist: model has %d parameters, %s needs %d", len(m.Params), m.Arch, h.Dim())
	}
	theta := make([]float64, len(m.Params))
	for i, v := range m.Params {
		theta[i] = float64(v)
	}
	h.SetParams(theta)
	r := HessianReport{Examples: opt.Examples, Loss: h.Loss()}
	err = r.analyze(ctx, h, opt)
	r.HVPs, r.Seconds = h.Products(), time.Since(start).Seconds()
	return r, err
}

func (o HessianOptions) withDefaults() HessianOptions {
	if o.Examples == 0 {
		o.Examples = DefaultSharpnessExamples
	}
	if o.Top == 0 {
		o.Top = 5
	}
	if o.Tol == 0 {
		o.Tol = 1e-6
	}
	if o.TraceProbes == 0 {
		o.TraceProbes = 100
	}
	return o
}

// staged returns H's product, reporting each one to opt.Progress as part of
// stage.
func staged(h *Hessian[float64], opt HessianOptions, stage string) spectrum.Operator {
	if opt.Progress == nil {
		return h.Apply
	}
	return func(dst, v []float64) {
		h.Apply(dst, v)
		opt.Progress(stage, h.Products())
	}
}

// analyze runs the three methods in turn.
func (r *HessianReport) analyze(ctx context.Context, h *Hessian[float64], opt HessianOptions) error {
	e, err := spectrum.Lanczos(ctx, staged(h, opt, HessianStageTop), h.Dim(), spectrum.LanczosOptions{
		K: opt.Top, Bottom: opt.Bottom, Tol: opt.Tol, Seed: opt.Seed, Vectors: true})
	if err != nil {
		return err
	}
	r.Eigenvalues, r.Bottom, r.Vector, r.Converged = e.Values, e.Bottom, e.Vectors[0], e.Converged
	tr, err := spectrum.Hutchinson(ctx, staged(h, opt, HessianStageTrace), h.Dim(), opt.TraceProbes, opt.Seed+1)
	if err != nil {
		return err
	}
	r.Trace, r.TraceStdErr, r.TraceProbes = tr.Mean, tr.StdErr, tr.Probes
	if !opt.Density {
		return nil
	}
	slq := opt.SLQ
	slq.Seed += opt.Seed + 2
	d, err := spectrum.SLQ(ctx, staged(h, opt, HessianStageDensity), h.Dim(), slq)
	if err != nil {
		return err
	}
	r.Density = &Density{X: d.X, Y: d.Y}
	return nil
}
