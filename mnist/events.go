package mnist

// The training loop reports through these events. Their JSON field names are the
// ones that `descent train --json` prints and that the websocket protocol sends,
// so that a script and the page read the same names.

// StepEvent reports one optimizer step: θ ← θ − α∇J(θ) on one minibatch.
type StepEvent struct {
	Epoch         int     `json:"epoch"`         // 1-based epoch
	Step          int     `json:"step"`          // 1-based step over the whole run
	Batch         int     `json:"batch"`         // 1-based minibatch within the epoch
	StepsPerEpoch int     `json:"stepsPerEpoch"` // minibatches per epoch
	Loss          float64 `json:"loss"`          // mean cross-entropy on this minibatch, before the step
	GradNorm      float64 `json:"gradNorm"`      // ‖∇J(θ)‖ over all parameters
	UpdateRatio   float64 `json:"updateRatio"`   // ‖Δθ‖/‖θ‖ of this step
	LR            float64 `json:"lr"`            // the learning rate α used by this step
	SamplesPerSec float64 `json:"samplesPerSec"` // training throughput over the epoch so far
	// Sharpness is λmax of the Hessian of the training loss at the weights
	// this step starts from (λmax(P⁻¹H) for Adam, see SharpnessEvent), and
	// Threshold the stability threshold of its α (2/α for gradient descent);
	// both are 0, and left out of JSON, when not measured (Config.SharpnessEvery),
	// and Threshold when none applies (Adagrad, RMSprop).
	Sharpness float64 `json:"sharpness,omitempty"`
	Threshold float64 `json:"threshold,omitempty"`
}

// EpochEvent reports the end of an epoch, evaluated on the test set.
type EpochEvent struct {
	Epoch        int         `json:"epoch"`        // 1-based epoch
	Step         int         `json:"step"`         // steps done so far in the run
	TrainLoss    float64     `json:"trainLoss"`    // mean minibatch loss over the epoch
	TestLoss     float64     `json:"testLoss"`     // mean cross-entropy on the test set
	TestAccuracy float64     `json:"testAccuracy"` // fraction of test images classified right, in [0, 1]
	Confusion    [10][10]int `json:"confusion"`    // Confusion[actual][predicted] on the test set
	Seconds      float64     `json:"seconds"`      // wall time of the epoch's training steps
}

// Status values of a finished run. A diverged run's status reads
// "diverged at step k" (see Result.Status).
const (
	StatusDone     = "done"
	StatusStopped  = "stopped"
	StatusDiverged = "diverged"
)

// Result is what Run returns when the loop ends.
type Result struct {
	Status       string  `json:"status"`       // StatusDone, StatusStopped or StatusDiverged
	DivergedAt   int     `json:"divergedAt"`   // the step whose loss or weights became non-finite, or 0
	Epochs       int     `json:"epochs"`       // epochs completed
	Steps        int     `json:"steps"`        // steps completed
	TestAccuracy float64 `json:"testAccuracy"` // after the last completed epoch
	TestLoss     float64 `json:"testLoss"`     // after the last completed epoch
	Seconds      float64 `json:"seconds"`      // total training time, without evaluation
}

// Hooks receive the loop's events. Either may be nil. They run on the training
// goroutine, so they must be quick and must not block: a hook that hands the
// event to a slow consumer must drop or merge, never wait.
type Hooks struct {
	Step  func(StepEvent)
	Epoch func(EpochEvent)
}
