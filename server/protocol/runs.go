package protocol

import (
	"descent/mnist"
	"descent/optim"
	"descent/server/steps"
)

// Command types of training runs, sent by the page.
const (
	CmdStart       = "start"       // Start: one training run
	CmdSweep       = "sweep"       // Sweep: runs that differ in one setting
	CmdPause       = "pause"       // RunCommand
	CmdResume      = "resume"      // RunCommand
	CmdStop        = "stop"        // RunCommand
	CmdDelete      = "delete"      // RunCommand
	CmdSubscribe   = "subscribe"   // Subscribe
	CmdUnsubscribe = "unsubscribe" // RunCommand
	CmdList        = "list"        // List
	CmdRestart     = "restart"     // RunCommand: continue an interrupted run
	CmdRename      = "rename"      // Rename
	CmdPace        = "pace"        // PaceCommand: change a run's pace
	CmdWeightsAt   = "weightsAt"   // WeightsAt: a run's weights at a past step
)

// Event types of training runs, sent by the server.
const (
	EvHello      = "hello"      // Hello: first frame on every connection
	EvRuns       = "runs"       // Runs: answer to list
	EvRunCreated = "runCreated" // RunCreated: a run was created (sent to every page)
	EvHistory    = "history"    // History: a subscribed run so far, down-sampled
	EvSteps      = "steps"      // Steps: new steps of a subscribed run
	EvEpoch      = "epoch"      // Epoch: an epoch of a subscribed run ended
	EvWeights    = "weights"    // Weights: the first layer as images
	EvStatus     = "status"     // Status: a run's status changed (sent to every page)
	EvDeleted    = "deleted"    // Deleted: a run was deleted (sent to every page)
	EvError      = "error"      // Error: a command was refused
)

// Limits on run commands, beyond those of mnist.Config.
const (
	// MaxCommandBytes bounds a command frame: the largest, a sweep of MaxSweep
	// variants with every hyperparameter, takes about 4 KB.
	MaxCommandBytes = 16 << 10
	// MaxSweep is the number of runs one sweep may start.
	MaxSweep = 12
	// MaxSteps bounds a run's length, epochs × ⌈60000/batch⌉, so that its
	// full-resolution history (20 bytes a step) stays under 120 MB.
	MaxSteps = 6_000_000
	// MaxSeed is 2⁵³, the largest integer a JavaScript number holds exactly.
	MaxSeed = 1 << 53
	// MaxLabel bounds a run's label, in characters.
	MaxLabel = 40
	// MaxName bounds a run's name given by Rename, in characters.
	MaxName = 80
	// HistoryPoints bounds the points per series in a History event.
	HistoryPoints = 2000
	// WeightsHz is how many Weights events a run sends a second at most, for
	// at most MaxWeightUnits hidden units.
	WeightsHz      = 4
	MaxWeightUnits = 100
)

// Start starts one training run.
//
//	{"type":"start","req":1,"config":{"optimizer":"sgd","lr":0.1,"batch":64,"epochs":3}}
type Start struct {
	Type      string           `json:"type"`
	Req       int64            `json:"req,omitempty"`
	Label     string           `json:"label,omitempty"` // shown in legends; at most MaxLabel characters
	Config    RunConfig        `json:"config"`
	Pace      *Pace            `json:"pace,omitempty"`      // as fast as it goes when missing
	Sharpness *SharpnessOption `json:"sharpness,omitempty"` // tracked when missing (sharpness.go)
}

// Pace is how fast a run trains, so that a class can watch it: an epoch in
// about EpochSeconds seconds (0: as fast as it goes), from 0 to
// MaxEpochSeconds. The server sleeps between steps to keep it; no result
// changes, only the time it takes (and samplesPerSec).
type Pace struct {
	EpochSeconds float64 `json:"epochSeconds"`
}

// MaxEpochSeconds bounds a run's pace.
const MaxEpochSeconds = 3600

// PaceCommand changes a live run's pace.
//
//	{"type":"pace","run":"r3","epochSeconds":10}
type PaceCommand struct {
	Type         string  `json:"type"`
	Req          int64   `json:"req,omitempty"`
	Run          string  `json:"run"`
	EpochSeconds float64 `json:"epochSeconds"`
}

// WeightsAt asks for a run's first-layer weights as they were at step Step,
// to replay a run: the answer is a Weights event with the kept snapshot
// nearest at or before it (its step says which), and Req. A live run keeps
// snapshots spread over its whole length (at most KeptWeights), a stored run
// those of its epoch ends.
//
//	{"type":"weightsAt","req":9,"run":"r3","step":450}
type WeightsAt struct {
	Type string `json:"type"`
	Req  int64  `json:"req,omitempty"`
	Run  string `json:"run"`
	Step int    `json:"step"`
}

// KeptWeights bounds the weight snapshots a live run keeps for replay.
const KeptWeights = 32

// RunConfig is mnist.Config on the wire. optimizer, lr (unless lrRange),
// batch and epochs are required; arch defaults to 784-100-10 sigmoid, seed to
// 1, and missing hyperparameters to the optimizer's defaults from hello. The
// learning rate is lr alone: hyper must not repeat it.
type RunConfig struct {
	Arch      *mnist.Arch        `json:"arch,omitempty"`
	Optimizer *string            `json:"optimizer"`
	Hyper     map[string]float64 `json:"hyper,omitempty"`
	LR        *float64           `json:"lr"`
	Schedule  *optim.Schedule    `json:"schedule,omitempty"`
	Batch     *int               `json:"batch"`
	Epochs    *int               `json:"epochs"`
	Seed      *uint64            `json:"seed,omitempty"`
	LRRange   bool               `json:"lrRange,omitempty"` // an LR range test from lrMin to lrMax
	LRMin     float64            `json:"lrMin,omitempty"`   // default 1e-5
	LRMax     float64            `json:"lrMax,omitempty"`   // default 10
	EvalLimit int                `json:"evalLimit,omitempty"`
	// TrainExamples trains on the first N training images, 1 to
	// Limits.TrainSize; 0 or missing: all. With batch ≥ N every step is
	// full-batch gradient descent on them (the edge of stability's setting).
	TrainExamples int `json:"trainExamples,omitempty"`
}

// Sweep starts one run per variant. Each variant overrides some fields of
// base; everything else, the seed above all, is shared, so every run starts
// from identical initial weights and sees an identical minibatch order. A
// learning-rate sweep varies lr, an optimizer comparison varies optimizer,
// hyper and lr, and a batch comparison varies batch.
//
//	{"type":"sweep","req":2,"base":{…},"variants":[{"lr":0.01},{"lr":0.1},{"lr":1}]}
type Sweep struct {
	Type      string           `json:"type"`
	Req       int64            `json:"req,omitempty"`
	Base      RunConfig        `json:"base"`
	Variants  []Variant        `json:"variants"`            // 1 to MaxSweep
	Pace      *Pace            `json:"pace,omitempty"`      // of every run
	Sharpness *SharpnessOption `json:"sharpness,omitempty"` // of every run; not tracked when missing
}

// Variant is one run of a sweep: the fields that differ from the base.
type Variant struct {
	Label     string             `json:"label,omitempty"`
	Optimizer *string            `json:"optimizer,omitempty"`
	Hyper     map[string]float64 `json:"hyper,omitempty"`
	LR        *float64           `json:"lr,omitempty"`
	Batch     *int               `json:"batch,omitempty"`
}

// With returns the base with the variant's fields set; a variant that names
// an optimizer starts from that optimizer's defaults, not the base's hyper.
func (rc RunConfig) With(va Variant) RunConfig {
	if va.Optimizer != nil {
		rc.Optimizer = va.Optimizer
		rc.Hyper = nil
	}
	if va.Hyper != nil {
		rc.Hyper = va.Hyper
	}
	if va.LR != nil {
		rc.LR = va.LR
	}
	if va.Batch != nil {
		rc.Batch = va.Batch
	}
	return rc
}

// RunCommand names a run: pause, resume, stop, delete, unsubscribe and
// restart.
//
//	{"type":"pause","run":"r3"}
//
// Restart continues an interrupted or stopped run from the checkpoint saved
// at its last finished epoch, or from its start when it finished none. Only
// runs kept in the store (descent serve --data-dir) can restart. A run that
// was alive when the server stopped or died is listed after the next start
// with status "interrupted" and a statusText such as "interrupted in epoch 3
// (was running)". The run keeps its id; it goes back to "queued", then
// "running" (status events to every page), and with the same seed it ends
// exactly as a run that was never interrupted. Steps and epochs recorded
// after the checkpoint are dropped. A page that watches the run subscribes
// to it again after its status event.
//
//	{"type":"restart","req":4,"run":"r7"}
type RunCommand struct {
	Type string `json:"type"`
	Req  int64  `json:"req,omitempty"`
	Run  string `json:"run"`
}

// Rename gives a run a new label, kept in the store; every page gets a
// status event with it.
//
//	{"type":"rename","run":"r7","name":"α = 0.1, the report's"}
type Rename struct {
	Type string `json:"type"`
	Req  int64  `json:"req,omitempty"`
	Run  string `json:"run"`
	Name string `json:"name"` // 1 to MaxName characters
}

// Subscribe asks for a run's history and then its live stream. With weights,
// the first layer's images come too (at most WeightsHz a second). A page that
// reconnects sends from, the last step it holds, and gets only the steps
// after it, so that its own copy keeps its full resolution.
//
// Runs from earlier sessions (read back from the store) have their history
// from the store, down-sampled by the same rule (package steps), and only
// their last epoch carries the samples' predictions.
type Subscribe struct {
	Type    string `json:"type"`
	Req     int64  `json:"req,omitempty"`
	Run     string `json:"run"`
	Weights bool   `json:"weights,omitempty"`
	From    int    `json:"from,omitempty"`
}

// List asks for every run; the answer is a Runs event.
type List struct {
	Type string `json:"type"`
	Req  int64  `json:"req,omitempty"`
}

// RunInfo describes a run in lists and in RunCreated, Status and History.
type RunInfo struct {
	ID            string        `json:"id"`
	Sweep         string        `json:"sweep,omitempty"` // runs started together share it
	Label         string        `json:"label,omitempty"`
	Config        mnist.Config  `json:"config"`
	Status        string        `json:"status"` // queued, running, paused, done, stopped, diverged, interrupted
	StatusText    string        `json:"statusText"`
	DivergedAt    int           `json:"divergedAt,omitempty"`
	StepsPerEpoch int           `json:"stepsPerEpoch"`
	TotalSteps    int           `json:"totalSteps"`
	Progress      int           `json:"progress"`         // steps done
	Paused        bool          `json:"paused,omitempty"` // also while still queued
	Result        *mnist.Result `json:"result,omitempty"`
	Error         string        `json:"error,omitempty"`
	Pace          Pace          `json:"pace"`
	// Sharpness is set when the run's sharpness is tracked: its steps then
	// carry the measurements (Steps).
	Sharpness *SharpnessInfo `json:"sharpness,omitempty"`
}

// Run statuses. Paused is a running run waiting on Resume; interrupted is a
// run that was alive when the server stopped or died (it can be restarted).
const (
	StatusQueued      = "queued"
	StatusRunning     = "running"
	StatusPaused      = "paused"
	StatusDone        = mnist.StatusDone
	StatusStopped     = mnist.StatusStopped
	StatusDiverged    = mnist.StatusDiverged
	StatusInterrupted = "interrupted"
)

// Runs answers List.
type Runs struct {
	Type string    `json:"type"`
	Req  int64     `json:"req,omitempty"`
	Runs []RunInfo `json:"runs"`
}

// RunCreated announces a run; Req is set for the page that asked.
type RunCreated struct {
	Type string  `json:"type"`
	Req  int64   `json:"req,omitempty"`
	Run  RunInfo `json:"run"`
}

// Status reports a run's new status, to every page.
type Status struct {
	Type string  `json:"type"`
	Run  RunInfo `json:"run"`
}

// Deleted reports that a run is gone.
type Deleted struct {
	Type string `json:"type"`
	Run  string `json:"run"`
}

// Steps carries consecutive steps of one run in columns: each field of
// mnist.StepEvent is an array under its own name, one entry per point. When
// points were merged (a slow page, or a history), each point stands for the
// steps up to and including step[i] by the rule of package steps: loss,
// gradNorm and updateRatio are means over them, lr and samplesPerSec the
// last values, and lossMin and lossMax hold the extremes so that spikes
// survive. Unmerged frames omit lossMin and lossMax.
//
// A tracked run's sharpness measurements (sharpness.go) come in four more
// columns, one entry per measurement, NOT aligned with step: sharpnessStep
// (the step whose starting weights were measured), sharpness (λmax),
// threshold (null where none applies) and sharpnessLR (that step's α). A
// measurement is taken beside the training and ends after its step was
// sent, so a live frame carries the measurements finished since the last
// frame, whose steps may be before the frame's first step (never after the
// last step sent); each is sent once, in step order, and a frame may carry
// measurements and no new step (a paused or finished run's last ones). A history carries those of its
// steps; merged points keep the last measurement of each group of steps, at
// its own step. Frames without measurements omit the four columns.
type Steps struct {
	Type string `json:"type,omitempty"`
	Run  string `json:"run,omitempty"`
	steps.Columns
}

// Epoch is mnist.EpochEvent of one run, with the predictions of the samples
// from Hello by the weights after this epoch.
type Epoch struct {
	Type string `json:"type"`
	Run  string `json:"run"`
	mnist.EpochEvent
	Predictions []Prediction `json:"predictions"`
}

// Prediction is the predicted digit of one sample and its probability.
type Prediction struct {
	Predicted   int     `json:"predicted"`
	Probability float64 `json:"probability"`
}

// History is a run so far, sent after Subscribe, before the live stream: the
// steps after From down-sampled to at most HistoryPoints points, every
// epoch, and then the latest weights when they were asked for. Steps that
// follow continue after the last step here.
type History struct {
	Type   string  `json:"type"`
	Req    int64   `json:"req,omitempty"`
	Run    RunInfo `json:"run"`
	From   int     `json:"from"` // Steps holds the steps after this one (Subscribe.from)
	Steps  Steps   `json:"steps"`
	Epochs []Epoch `json:"epochs"`
}

// Weights are the first layer W₁ after step Step: Units rows of 784 weights,
// each a 28×28 image. Each row is scaled on its own: pixel = 128 + 127·w/max|w|
// over the row, so 128 is zero, 255 the row's largest positive weight.
type Weights struct {
	Type   string    `json:"type"`
	Req    int64     `json:"req,omitempty"` // answering WeightsAt
	Run    string    `json:"run"`
	Step   int       `json:"step"`
	Units  int       `json:"units"`  // rows sent: the first min(hidden, MaxWeightUnits)
	Pixels []byte    `json:"pixels"` // Units × 784, base64 in JSON
	Scale  []float64 `json:"scale"`  // max|w| of each row
}
