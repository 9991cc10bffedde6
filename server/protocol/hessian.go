package protocol

import (
	"math"

	"descent/mnist"
)

// The Hessian panel's part of the protocol, under the same Version: the
// page asks for the Hessian H = ∇²J of a run's or a saved model's training
// loss with "hessian"; the server answers "hessianProgress" frames while it
// computes (at most HessianProgressHz a second) and then one "hessianResult",
// or an error. H is never formed: everything comes from exact float64
// Hessian-vector products (Pearlmutter 1994), the top eigenvalues from
// Lanczos with full reorthogonalisation, the trace from Hutchinson's
// estimator, the density from stochastic Lanczos quadrature (as PyHessian,
// Yao et al. 2020). The loss is the mean cross-entropy over the first
// Examples training images (of the run's training set), normalised as in
// training.
//
// The work runs beside training, below its priority, at most --max-analyses
// at once over all pages; a page has one Hessian at a time: a new request
// cancels the one before (which gets no answer), and a page that goes
// cancels its own.

// Command and event types of the Hessian panel.
const (
	CmdHessian        = "hessian"         // Hessian
	EvHessianResult   = "hessianResult"   // HessianResult: the answer to Hessian
	EvHessianProgress = "hessianProgress" // HessianProgress: a Hessian is being computed
)

// Limits of the hessian command.
const (
	// MaxHessianTop bounds Hessian.Top (mnist.MaxTopEigenvalues).
	MaxHessianTop = 10
	// DefaultHessianTop is Hessian.Top when it is missing.
	DefaultHessianTop = 5
	// HessianProgressHz bounds the hessianProgress frames a second.
	HessianProgressHz = 4
)

// Where the weights of a Hessian come from (Hessian.At, HessianResult.At).
const (
	// AtCurrent is a live run's weights now, taken between two steps; for a
	// run that is paused, queued or finished, its last epoch's (AtEpoch).
	AtCurrent = "current"
	// AtEpoch is the weights after the run's last finished epoch (the
	// initial weights before the first); a stored run's last checkpoint.
	AtEpoch = "epoch"
	// AtModel is a saved model's weights.
	AtModel = "model"
)

// Hessian asks for the Hessian of a run's training loss at its weights, or
// of a saved model's (Hello.Models) on the first Examples training images.
// Exactly one of Run and Model is given.
//
//	{"type":"hessian","req":5,"run":"r3","top":5,"examples":1000,"density":true}
//	{"type":"hessian","req":6,"model":"report","top":10}
type Hessian struct {
	Type  string `json:"type"`
	Req   int64  `json:"req,omitempty"`
	Run   string `json:"run,omitempty"`
	Model string `json:"model,omitempty"`
	// At is AtCurrent (the default) or AtEpoch, for a live run; a stored run
	// and a model have one set of weights.
	At string `json:"at,omitempty"`
	// Top is the number of largest eigenvalues, 1 to MaxHessianTop; 0 or
	// missing: DefaultHessianTop.
	Top int `json:"top,omitempty"`
	// Examples is the probe set, 1 to Limits.MaxHessianExamples and at most
	// the run's training images; 0 or missing: DefaultSharpnessExamples (or
	// all of the run's when fewer).
	Examples int `json:"examples,omitempty"`
	// Density adds the spectral density (4 probes × 80 Lanczos steps, about
	// 320 more products).
	Density bool `json:"density,omitempty"`
}

// HessianProgress reports a Hessian being computed: the stage
// (mnist.HessianStageTop "eigenvalues", HessianStageTrace "trace",
// HessianStageDensity "density"), the products so far and the seconds since
// the computation started.
//
//	{"type":"hessianProgress","req":5,"run":"r3","stage":"trace","hvps":61,"seconds":1.4}
type HessianProgress struct {
	Type    string  `json:"type"`
	Req     int64   `json:"req,omitempty"`
	Run     string  `json:"run,omitempty"`
	Model   string  `json:"model,omitempty"`
	Stage   string  `json:"stage"`
	HVPs    int     `json:"hvps"`
	Seconds float64 `json:"seconds"`
}

// HessianResult answers Hessian. Eigenvalues are the Top largest, in
// descending order, negative ones negative (a saddle's directions of
// descent). The trace tr(H) = Σλᵢ is Hutchinson's estimate with its
// standard error over TraceProbes probes. Density, when asked, is the
// spectral density φ(λ), the fraction of the eigenvalues per unit of λ, on
// a grid (draw it with a log y axis: most of the mass sits near 0). Sharpest
// is the unit eigenvector v of λmax on the first layer, the direction in
// which the loss curves most ("the sharpest direction"): its W₁ part as
// min(hidden, MaxWeightUnits) 28×28 tiles, each row scaled as Weights are,
// pixel = 128 + 127·v/max|v| over the row, so 128 is zero.
//
//	{"type":"hessianResult","req":5,"run":"r3","at":"current","step":4200,"epoch":4,"examples":1000,
//	 "loss":0.29,"eigenvalues":[2.2,2.0,1.78,1.37,1.31],"converged":true,"trace":49.9,"traceStdErr":0.68,
//	 "traceProbes":100,"sharpest":{"units":100,"pixels":"gICA…","scale":[…]},"hvps":121,"seconds":3.0}
type HessianResult struct {
	Type  string `json:"type"`
	Req   int64  `json:"req,omitempty"`
	Run   string `json:"run,omitempty"`
	Model string `json:"model,omitempty"`
	// At says which weights were analysed (AtCurrent, AtEpoch, AtModel);
	// Step is the steps those weights had taken (0 for a model) and Epoch the
	// epochs finished.
	At    string `json:"at"`
	Step  int    `json:"step"`
	Epoch int    `json:"epoch"`

	Examples    int            `json:"examples"`
	Loss        float64        `json:"loss"`        // J at the weights, on the probe set
	Eigenvalues []float64      `json:"eigenvalues"` // descending
	Converged   bool           `json:"converged"`   // Lanczos met its tolerance (relative residual 1e-6)
	Trace       float64        `json:"trace"`
	TraceStdErr float64        `json:"traceStdErr"`
	TraceProbes int            `json:"traceProbes"`
	Density     *mnist.Density `json:"density,omitempty"`
	Sharpest    *Tiles         `json:"sharpest,omitempty"` // nil for a network without hidden layers
	HVPs        int            `json:"hvps"`               // Hessian-vector products in all
	Seconds     float64        `json:"seconds"`            // the computation's wall time
}

// Tiles are rows of 784 values drawn as 28×28 images, each row scaled on its
// own, as Weights are: pixel = 128 + 127·w/max|w| over the row.
type Tiles struct {
	Units  int       `json:"units"`
	Pixels []byte    `json:"pixels"` // Units × 784, base64 in JSON
	Scale  []float64 `json:"scale"`  // max|w| of each row
}

// HessianLimits are the Hessian panel's and tracking's limits, in
// Hello.Hessian.
type HessianLimits struct {
	MaxTop          int             `json:"maxTop"`
	DefaultTop      int             `json:"defaultTop"`
	MaxExamples     int             `json:"maxExamples"` // --max-hessian-examples, of the panel and of tracking
	DefaultExamples int             `json:"defaultExamples"`
	MaxParams       int             `json:"maxParams"` // --max-hessian-params: larger networks have no Hessian
	Sharpness       SharpnessLimits `json:"sharpness"`
}

// NewTiles scales the first units rows of 784 values of w into 28×28 tiles,
// each row by its own largest |w|: pixel = 128 + 127·w/max|w|. A row that is
// all zero, or not finite, keeps scale 0 or its non-finite peak and is drawn
// against 1.
func NewTiles[T float32 | float64](w []T, units int) Tiles {
	const n = mnist.InputSize
	units = max(min(units, len(w)/n), 0)
	out := Tiles{Units: units, Pixels: make([]byte, units*n), Scale: make([]float64, units)}
	for u := range units {
		row := w[u*n : (u+1)*n]
		var peak T
		for _, v := range row {
			peak = max(peak, T(math.Abs(float64(v))))
		}
		out.Scale[u] = float64(peak)
		if peak == 0 || !Finite(float64(peak)) {
			peak = 1
		}
		for i, v := range row {
			out.Pixels[u*n+i] = byte(128 + 127*max(-1, min(1, v/peak))) // in T, as the weights view always has
		}
	}
	return out
}
