package protocol

import (
	"descent/mnist"
	"descent/optim"
)

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
	Functions   []optim.Function     `json:"functions"` // the surface explorer's
	Surface     SurfaceLimits        `json:"surface"`
	Models      []ModelInfo          `json:"models"`  // saved models that answer drawings
	Role        string               `json:"role"`    // RoleControl, or RoleWatch for a watch-only link
	Hessian     HessianLimits        `json:"hessian"` // the Hessian panel's and sharpness tracking's limits
}

// Roles, sent in Hello.Role.
const (
	RoleControl = "control" // may do everything
	RoleWatch   = "watch"   // may not start, stop, pause, resume, restart, delete or rename runs
)

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

	// The limits that a classroom leans on, each a flag of descent serve.
	MaxQueued      int     `json:"maxQueued"`      // runs waiting for a slot (--max-queued)
	MaxRunsPerConn int     `json:"maxRunsPerConn"` // unfinished runs one page may start (--max-runs-per-conn)
	MaxParams      int     `json:"maxParams"`      // weights and biases of a network (--max-params)
	MaxTrajSteps   int     `json:"maxTrajSteps"`   // steps of a trajectory (--max-traj-steps)
	MaxMessage     int     `json:"maxMessage"`     // bytes of a command frame (--max-message)
	MaxRate        float64 `json:"maxRate"`        // commands a second (--max-rate)
	RateBurst      int     `json:"rateBurst"`      // commands at once
	MaxConns       int     `json:"maxConns"`       // open websockets (--max-conns)
	MaxAnalyses    int     `json:"maxAnalyses"`    // heavy analyses at once (--max-analyses)

	// The drawing panel's derivatives and learn copies.
	MaxLearners      int `json:"maxLearners"`      // learn copies of one page (--max-learners)
	MaxLearnersTotal int `json:"maxLearnersTotal"` // learn copies of every page (--max-learners-total)
	MaxLearnMemory   int `json:"maxLearnMemory"`   // MiB of learn copies together (--max-learn-memory)
	MaxKept          int `json:"maxKept"`          // learn copies kept as models (--max-kept)
	LearnWorkers     int `json:"learnWorkers"`     // learn steps and gradient checks at once (--learn-workers)
	LearnQueue       int `json:"learnQueue"`       // a page's learn commands and gradient checks unanswered at once
	MaxGradWeights   int `json:"maxGradWeights"`   // weights of one gradCheck
	EvalImages       int `json:"evalImages"`       // test images of a learn step's accuracy
	TestSize         int `json:"testSize"`         // test images a testIndex may name
	// The loss landscape's: points along each side of a slice
	// (--max-landscape-grid) and images of each probe set
	// (--max-landscape-images).
	MaxLandscapeGrid   int `json:"maxLandscapeGrid"`
	MaxLandscapeImages int `json:"maxLandscapeImages"`
}

// Samples are the first test images, whose predictions each Epoch event
// carries: the report's ending.
type Samples struct {
	Pixels []byte `json:"pixels"` // len(labels) × 784 raw pixels, base64 in JSON
	Labels []int  `json:"labels"`
}
