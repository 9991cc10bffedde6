package server

import (
	"descent/mnist"
	"descent/optim"
)

// The websocket protocol between the page and the server, version
// ProtocolVersion. Every frame is one JSON object with a "type" field. The page
// sends commands; the server sends events. Field names are the ones of
// mnist.Config, mnist.StepEvent and mnist.EpochEvent, so that the page, a
// script reading `descent train --json`, and the tests read the same names.
// Accuracy is a fraction in [0, 1]; the page shows percent.
//
// A command may carry "req", a number the page chooses; the events that answer
// it (runCreated, error) carry the same "req" back.
//
// Room is left for later issues: "trajectory" (the surface explorer),
// "predict" (the drawing panel) and "export" commands will be added under new
// type names without changing the ones below.

// ProtocolVersion is sent in hello. It changes when a message changes shape.
const ProtocolVersion = 1

// Command types, sent by the page.
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
	CmdRestart     = "restart"     // RunCommand: continue an interrupted run (Restart)
	CmdRename      = "rename"      // Rename
)

// Event types, sent by the server.
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

// Start starts one training run.
//
//	{"type":"start","req":1,"config":{"optimizer":"sgd","lr":0.1,"batch":64,"epochs":3}}
type Start struct {
	Type   string    `json:"type"`
	Req    int64     `json:"req,omitempty"`
	Label  string    `json:"label,omitempty"` // shown in legends; at most 40 characters
	Config RunConfig `json:"config"`
}

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
}

// Sweep starts one run per variant. Each variant overrides some fields of
// base; everything else, the seed above all, is shared, so every run starts
// from identical initial weights and sees an identical minibatch order. A
// learning-rate sweep varies lr, an optimizer comparison varies optimizer,
// hyper and lr, and a batch comparison varies batch.
//
//	{"type":"sweep","req":2,"base":{…},"variants":[{"lr":0.01},{"lr":0.1},{"lr":1}]}
type Sweep struct {
	Type     string    `json:"type"`
	Req      int64     `json:"req,omitempty"`
	Base     RunConfig `json:"base"`
	Variants []Variant `json:"variants"` // 1 to MaxSweep
}

// Variant is one run of a sweep: the fields that differ from the base.
type Variant struct {
	Label     string             `json:"label,omitempty"`
	Optimizer *string            `json:"optimizer,omitempty"`
	Hyper     map[string]float64 `json:"hyper,omitempty"`
	LR        *float64           `json:"lr,omitempty"`
	Batch     *int               `json:"batch,omitempty"`
}

// RunCommand names a run: pause, resume, stop, delete and unsubscribe.
//
//	{"type":"pause","run":"r3"}
type RunCommand struct {
	Type string `json:"type"`
	Req  int64  `json:"req,omitempty"`
	Run  string `json:"run"`
}

// Restart (a RunCommand of type "restart") continues an interrupted or
// stopped run from the checkpoint saved at its last finished epoch, or from
// its start when it finished none. Only runs kept in the store (descent serve
// --data-dir) can restart. A run that was alive when the server stopped or
// died is listed after the next start with status "interrupted" and a
// statusText such as "interrupted in epoch 3 (was running)". The run keeps its
// id; it goes back to "queued", then "running" (status events to every
// page), and with the same seed it ends exactly as a run that was never
// interrupted. Steps and epochs recorded after the checkpoint are dropped.
// A page that watches the run subscribes to it again after its status event.
//
//	{"type":"restart","req":4,"run":"r7"}
//
// Runs from earlier sessions (loaded from the store at start) have no
// trainer: their history comes from the store, down-sampled to at most
// Limits.HistoryPoints points that keep each bucket's lowest and highest loss
// (so without lossMin and lossMax), and only their last epoch carries the
// samples' predictions.

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

// MaxName bounds a run's name given by Rename, in characters.
const MaxName = 80

// Subscribe asks for a run's history and then its live stream. With weights,
// the first layer's images come too (at most WeightsHz a second). A page that
// reconnects sends from, the last step it holds, and gets only the steps
// after it, so that its own copy keeps its full resolution.
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

// Hello is the first event on every connection. It carries everything the
// page needs to build its forms, so that the page holds no second copy of the
// defaults and ranges.
type Hello struct {
	Type        string               `json:"type"`
	Version     int                  `json:"version"`
	Instance    string               `json:"instance"`   // changes when the server restarts; without a run store (--data-dir) run ids start again
	Optimizers  []optim.Spec         `json:"optimizers"` // network == true: can train the network
	Schedules   []optim.ScheduleSpec `json:"schedules"`
	Activations []mnist.Activation   `json:"activations"`
	Defaults    mnist.Config         `json:"defaults"`
	Limits      Limits               `json:"limits"`
	Samples     Samples              `json:"samples"`
	Runs        []RunInfo            `json:"runs"`
	Functions   []optim.Function     `json:"functions"` // the surface explorer's (protocol_surface.go)
	Surface     SurfaceLimits        `json:"surface"`
	Models      []ModelInfo          `json:"models"` // saved models that answer drawings (protocol_draw.go)
	Role        string               `json:"role"`   // "control", or "watch" for a watch-only link (access.go)
}

// Limits are the allowed ranges that the page's controls use.
type Limits struct {
	MaxEpochs       int     `json:"maxEpochs"`
	MaxBatch        int     `json:"maxBatch"` // also the size of the training set: batch GD
	MaxHiddenUnits  int     `json:"maxHiddenUnits"`
	MaxHiddenLayers int     `json:"maxHiddenLayers"`
	MaxLR           float64 `json:"maxLR"`
	MaxSteps        int     `json:"maxSteps"` // epochs × ⌈N/batch⌉
	MaxSweep        int     `json:"maxSweep"`
	MaxRuns         int     `json:"maxRuns"`    // runs kept at once
	Concurrent      int     `json:"concurrent"` // runs training at once; the rest queue
	MaxSeed         uint64  `json:"maxSeed"`    // 2⁵³, exact in JavaScript
	MaxEvalLimit    int     `json:"maxEvalLimit"`
	TrainSize       int     `json:"trainSize"`
	HistoryPoints   int     `json:"historyPoints"` // points per series in a History event

	// Configurable limits (limits.go), each a flag of descent serve.
	MaxQueued      int     `json:"maxQueued"`      // runs waiting for a slot (--max-queued)
	MaxRunsPerConn int     `json:"maxRunsPerConn"` // unfinished runs one page may start (--max-runs-per-conn)
	MaxParams      int     `json:"maxParams"`      // weights and biases of a network (--max-params)
	MaxTrajSteps   int     `json:"maxTrajSteps"`   // steps of a trajectory (--max-traj-steps)
	MaxMessage     int     `json:"maxMessage"`     // bytes of a command frame (--max-message)
	MaxRate        float64 `json:"maxRate"`        // commands a second (--max-rate)
	RateBurst      int     `json:"rateBurst"`      // commands at once
	MaxConns       int     `json:"maxConns"`       // open websockets (--max-conns)
}

// Samples are the first test images, whose predictions each Epoch event
// carries: the report's ending.
type Samples struct {
	Pixels []byte `json:"pixels"` // len(labels) × 784 raw pixels, base64 in JSON
	Labels []int  `json:"labels"`
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
}

// Run statuses. Paused is a running run waiting on Resume.
const (
	StatusQueued   = "queued"
	StatusRunning  = "running"
	StatusPaused   = "paused"
	StatusDone     = mnist.StatusDone
	StatusStopped  = mnist.StatusStopped
	StatusDiverged = mnist.StatusDiverged
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
// steps up to and including step[i]: loss, gradNorm and updateRatio are means
// over them, lr and samplesPerSec the last values, and lossMin and lossMax
// hold the extremes so that spikes survive decimation. Unmerged frames omit
// lossMin and lossMax.
type Steps struct {
	Type          string `json:"type,omitempty"`
	Run           string `json:"run,omitempty"`
	Step          []int  `json:"step"`
	Loss          Column `json:"loss"`
	LossMin       Column `json:"lossMin,omitempty"`
	LossMax       Column `json:"lossMax,omitempty"`
	GradNorm      Column `json:"gradNorm"`
	UpdateRatio   Column `json:"updateRatio"`
	LR            Column `json:"lr"`
	SamplesPerSec Column `json:"samplesPerSec"`
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

// History is a run so far, sent after Subscribe, before the live stream:
// the steps after From down-sampled to at most Limits.HistoryPoints points,
// every epoch, and then the latest weights when they were asked for. Steps that follow continue
// after the last step here.
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
	Run    string    `json:"run"`
	Step   int       `json:"step"`
	Units  int       `json:"units"`  // rows sent: the first min(hidden, MaxWeightUnits)
	Pixels []byte    `json:"pixels"` // Units × 784, base64 in JSON
	Scale  []float64 `json:"scale"`  // max|w| of each row
}

// Error refuses a command. Field names the offending field as a path such as
// "config.lr" or "variants[2].batch", and Allowed its allowed values or range;
// both are empty when the frame as a whole is bad. The connection stays open.
type Error struct {
	Type    string `json:"type"`
	Req     int64  `json:"req,omitempty"`
	Command string `json:"command,omitempty"`
	Field   string `json:"field,omitempty"`
	Allowed string `json:"allowed,omitempty"`
	Message string `json:"message"`
}
