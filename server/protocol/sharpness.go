package protocol

// Sharpness tracking, under the same Version: a run may measure its
// sharpness beside its training (mnist.Tracker), and its steps then carry the
// measurements (Steps: sharpnessStep, sharpness, threshold, sharpnessLR).
//
// The sharpness is λmax, the largest eigenvalue of the Hessian H = ∇²J of the
// training loss on a fixed probe set (the first Examples training images of
// the run), at the weights a step starts from; for Adam and AdamW it is the
// preconditioned λmax(P⁻¹H) (Cohen et al. 2022). The threshold is the
// stability threshold of that step's α: 2/α for gradient descent,
// 2(1+μ)/((1−τ)α) for heavy-ball momentum μ with dampening τ, (2+2μ)/((1+2μ)α)
// for Nesterov, (2+2β₁)/((1−β₁)α) for Adam; none (null) for Adagrad and
// RMSprop. On a quadratic, gradient descent is stable only while λmax stays
// below it; full-batch gradient descent on networks drives λmax up to it
// (Cohen et al. 2021, "the edge of stability").
//
// A tracker measures as often as the server's budget allows (descent serve
// --sharpness-budget, the fraction of the run's arithmetic it may spend:
// about one measurement an epoch at batch 64 at the default, a few every
// 100 steps of full-batch gradient descent on 5,000 images, at most 20 an
// epoch), on a thread of its own at training's priority; it never delays the
// run's steps on the page. A paced run waits on the clock most of the time,
// so its tracker may spend 8 times the run's arithmetic, and measures about
// 20 times an epoch (RunInfo.sharpness.budget says which applies).

// SharpnessOption asks for sharpness tracking in Start and Sweep. A start
// without it tracks (when the network is small enough, --max-hessian-params);
// a sweep without it does not. Given, it tracks unless Track is false.
//
//	{"type":"start","config":{…},"sharpness":{"examples":5000}}
//	{"type":"start","config":{…},"sharpness":{"track":false}}
type SharpnessOption struct {
	Track *bool `json:"track,omitempty"`
	// Examples is the probe set, the first N training images of the run, 1
	// to min(the run's training images, Limits.MaxHessianExamples); 0 or
	// missing: DefaultSharpnessExamples, or all of the run's when fewer.
	Examples int `json:"examples,omitempty"`
}

// DefaultSharpnessExamples is the default probe set of tracking and of the
// hessian command (mnist.DefaultSharpnessExamples).
const DefaultSharpnessExamples = 1000

// SharpnessInfo says in RunInfo that a run's sharpness is tracked: its probe
// set and, for a live run, the budget its tracker keeps to.
type SharpnessInfo struct {
	Examples int     `json:"examples"`
	Budget   float64 `json:"budget,omitempty"`
}

// SharpnessLimits are tracking's defaults and limits, in Hello.Hessian.
type SharpnessLimits struct {
	Start    bool    `json:"start"`    // a start without a sharpness option tracks
	Sweep    bool    `json:"sweep"`    // a sweep without one tracks
	Examples int     `json:"examples"` // the default probe set
	Budget   float64 `json:"budget"`   // the trackers' budget (--sharpness-budget)
	PerEpoch int     `json:"perEpoch"` // the most measurements an epoch
}
