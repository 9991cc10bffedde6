package protocol

import "descent/optim"

// The surface explorer's part of the protocol, under the same Version:
// optimizers moving on the 2-D test functions of optim. Hello lists the functions (Hello.Functions) and the limits below
// (Hello.Surface). The page starts a trajectory set with TrajStart; the
// server answers TrajCreated and then streams the iterates in TrajPoints
// batches, at most one every 50 ms, in order, each trajectory's
// steps increasing. TrajStatus reports each change of the set's state and
// the trajectories' statuses. A set belongs to its connection: it stops when
// the page goes. The surface images come from GET /api/surface (server/traj).

// Command types of the surface explorer, sent by the page.
const (
	CmdTrajStart   = "trajStart"   // TrajStart
	CmdTrajControl = "trajControl" // TrajControl
	CmdTrajDelete  = "trajDelete"  // TrajCommand
)

// Event types of the surface explorer, sent by the server.
const (
	EvTrajCreated = "trajCreated" // TrajCreated: the answer to trajStart
	EvTrajPoints  = "trajPoints"  // TrajPoints: new iterates of a set
	EvTrajStatus  = "trajStatus"  // TrajStatus: a set's state or statuses changed
)

// Limits of the surface explorer.
const (
	// MaxTrajSteps bounds the steps of one trajectory.
	MaxTrajSteps = 20000
	// MaxTrajOptimizers bounds the trajectories of one set.
	MaxTrajOptimizers = 12
	// MaxTrajSets is the number of sets one connection may hold at once.
	MaxTrajSets = 4
	// MaxTrajRate is the largest paced rate, in steps per second; 0 asks
	// for as fast as possible.
	MaxTrajRate = 1000
	// MaxTrajCoord bounds |x| and |y| of a start point and of a surface's
	// domain.
	MaxTrajCoord = 1e6
)

// TrajStart starts a set of trajectories: every optimizer from the same
// start on the same function, in lockstep, paused at step 0 unless Rate is
// given (then it plays at once). Steps is the step limit (1 to
// MaxTrajSteps) and Tol the tolerance on ‖∇J‖ (0 never converges).
//
//	{"type":"trajStart","req":3,"fn":"rosenbrock","start":[-1.5,2],"steps":2000,"tol":1e-6,
//	 "optimizers":[{"method":"adam","params":{"lr":0.05}},{"method":"gd","params":{"lr":0.001}}]}
type TrajStart struct {
	Type       string             `json:"type"`
	Req        int64              `json:"req,omitempty"`
	Fn         string             `json:"fn"`
	FnParams   map[string]float64 `json:"fnParams,omitempty"` // optim.NewFunction's parameters
	Start      [2]float64         `json:"start"`
	Optimizers []TrajOptimizer    `json:"optimizers"` // 1 to MaxTrajOptimizers
	Steps      int                `json:"steps"`
	Tol        float64            `json:"tol"`
	Rate       *float64           `json:"rate,omitempty"` // play at once at this rate (see TrajControl)
}

// TrajOptimizer is one trajectory of a set: a method registered in optim,
// its hyperparameters (missing ones take the defaults of Hello.Optimizers)
// and a label for the legend (at most MaxLabel characters).
type TrajOptimizer struct {
	Method string             `json:"method"`
	Params map[string]float64 `json:"params,omitempty"`
	Label  string             `json:"label,omitempty"`
}

// Trajectory set actions of TrajControl.
const (
	TrajPlay  = "play"  // take steps at Rate steps per second
	TrajPause = "pause" // stop taking steps
	TrajStep  = "step"  // pause, then take one step
	TrajReset = "reset" // pause and go back to step 0 (points with step 0 follow)
)

// TrajControl plays, pauses, single-steps or resets a set. Rate, for play,
// is in steps per second, from 0 to MaxTrajRate; 0 (or missing) means as
// fast as possible, still sent in batches.
//
//	{"type":"trajControl","traj":"t1","action":"play","rate":50}
type TrajControl struct {
	Type   string   `json:"type"`
	Req    int64    `json:"req,omitempty"`
	Traj   string   `json:"traj"`
	Action string   `json:"action"`
	Rate   *float64 `json:"rate,omitempty"`
}

// TrajCommand names a set: trajDelete stops it and forgets it.
type TrajCommand struct {
	Type string `json:"type"`
	Req  int64  `json:"req,omitempty"`
	Traj string `json:"traj"`
}

// TrajCreated answers TrajStart. Optimizers carry every hyperparameter,
// defaults filled in. The iterates at step 0 follow in a TrajPoints event.
type TrajCreated struct {
	Type       string          `json:"type"`
	Req        int64           `json:"req,omitempty"`
	Traj       string          `json:"traj"`
	Fn         optim.Function  `json:"fn"`
	Start      [2]float64      `json:"start"`
	Optimizers []TrajOptimizer `json:"optimizers"`
	Steps      int             `json:"steps"`
	Tol        float64         `json:"tol"`
	// StartHessian is the Hessian at the start point, for every function
	// that has one (hessian_surface.go).
	StartHessian *StartHessian `json:"startHessian,omitempty"`
}

// TrajPoints carries new iterates of a set, in the order they were taken:
// for each trajectory (Iterate.Trajectory, the index in TrajStart's
// optimizers) the steps increase, and the last iterate of a finished
// trajectory carries its final status and reason. An iterate with step 0
// starts the trajectory afresh (after a reset). Values that are not finite
// (a diverged method's internals) are left out.
type TrajPoints struct {
	Type   string          `json:"type"`
	Traj   string          `json:"traj"`
	Points []optim.Iterate `json:"points"`
}

// TrajStatus reports a set's state (paused, playing, done or deleted), its
// rate and each trajectory's latest step and status.
type TrajStatus struct {
	Type   string        `json:"type"`
	Traj   string        `json:"traj"`
	State  string        `json:"state"`
	Rate   float64       `json:"rate"`
	Trajs  []TrajSummary `json:"trajs"`
	Reason string        `json:"reason,omitempty"`
}

// Trajectory set states of TrajStatus.
const (
	TrajPaused  = "paused"
	TrajPlaying = "playing"
	TrajDone    = "done"
	TrajDeleted = "deleted"
)

// TrajSummary is a trajectory's row in the results table: its latest step,
// status and evaluation counts, and its point.
type TrajSummary struct {
	Step   int          `json:"step"`
	Status optim.Status `json:"status"`
	Reason string       `json:"reason,omitempty"`
	X      [2]float64   `json:"x"`
	F      float64      `json:"f"`
	FEvals int          `json:"fEvals"`
	GEvals int          `json:"gEvals"`
	HEvals int          `json:"hEvals"`
}

// SurfaceLimits are the surface explorer's limits, in Hello.Surface.
type SurfaceLimits struct {
	MaxSteps      int     `json:"maxSteps"`
	MaxOptimizers int     `json:"maxOptimizers"`
	MaxSets       int     `json:"maxSets"`
	MaxRate       float64 `json:"maxRate"`
	MaxCoord      float64 `json:"maxCoord"`
	MinWidth      float64 `json:"minWidth"` // of a zoomed domain
	MaxWidth      float64 `json:"maxWidth"`
	MinPixels     int     `json:"minPixels"` // of a surface image's side
	MaxPixels     int     `json:"maxPixels"`
}
