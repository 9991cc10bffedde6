package server

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"descent/mnist"
	"descent/server/draw"
	"descent/server/landscape"
	"descent/server/protocol"
	"descent/server/runs"
)

// Limits are the limits that let a classroom lean on one server. Each is a
// flag of `descent serve`; a command that would pass one gets an Error event
// (code "limit") that names the limit and its flag, and the connection stays
// open. They are sent in Hello.Limits, beside the ranges of the page's
// controls.
type Limits struct {
	MaxEpochs      int     // epochs of one run (--max-epochs)
	MaxQueued      int     // runs waiting for a slot (--max-queued)
	MaxRunsPerConn int     // unfinished runs one page may start (--max-runs-per-conn)
	MaxParams      int     // weights and biases of a network (--max-params)
	MaxTrajSteps   int     // steps of a trajectory (--max-traj-steps)
	MaxMessage     int     // bytes of a command frame (--max-message)
	MaxRate        float64 // commands a second (--max-rate)
	RateBurst      int     // commands at once
	MaxConns       int     // open websockets (--max-conns)
	MaxAnalyses    int     // heavy analyses (a Hessian, a landscape) at once (--max-analyses)

	// The drawing panel's learn copies (draw.Limits).
	MaxLearners      int // learn copies of one page (--max-learners)
	MaxLearnersTotal int // learn copies of every page together (--max-learners-total)
	MaxLearnMemory   int // MiB of learn copies together (--max-learn-memory)
	MaxKept          int // learn copies kept as models (--max-kept)
	LearnWorkers     int // goroutines for learn steps and gradient checks (--learn-workers)
	// MaxLandscapeGrid bounds the points along each side of a landscape's
	// slice (--max-landscape-grid), MaxLandscapeImages the images of each of
	// its probe sets (--max-landscape-images): a slice costs grid² points
	// times the images.
	MaxLandscapeGrid   int
	MaxLandscapeImages int
	// The Hessian panel's and sharpness tracking's (limits_hessian.go).
	MaxHessianExamples int     // the probe set of a Hessian or a tracker (--max-hessian-examples)
	MaxHessianParams   int     // parameters of a network that has a Hessian (--max-hessian-params)
	SharpnessBudget    float64 // each tracker's share of its run's work (--sharpness-budget)
}

// Defaults of the configurable limits (Config.Limits).
const (
	// DefaultMaxEpochs bounds a run's epochs: mnist's own bound, as MaxSteps
	// bounds a run's length anyway. A lesson may want fewer.
	DefaultMaxEpochs = mnist.MaxEpochs
	// DefaultMaxQueued is the number of runs that may wait for a training slot.
	DefaultMaxQueued = 32
	// DefaultMaxRunsPerConn is the number of unfinished runs (queued, training
	// or paused) that one page may have started: a sweep of MaxSweep fits.
	DefaultMaxRunsPerConn = 16
	// DefaultMaxParams bounds a network's weights and biases: 4 M float64s are
	// 32 MB, and an optimizer such as Adam keeps two more copies.
	DefaultMaxParams = 4_000_000
	// DefaultMaxMessage bounds a command frame in bytes; a drawing may take
	// protocol.MaxPredictBytes.
	DefaultMaxMessage = protocol.MaxCommandBytes
	// DefaultMaxRate is the commands a page may send a second on average; the
	// page sends at most 20 drawings a second.
	DefaultMaxRate = 50
	// DefaultRateBurst is how many commands a page may send at once, such as
	// the subscriptions after a reconnect.
	DefaultRateBurst = 100
	// DefaultMaxConns bounds the open websockets.
	DefaultMaxConns = 256
	// DefaultMaxLearners and the four below are draw's defaults, in flags.
	DefaultMaxLearners      = draw.DefaultMaxLearners
	DefaultMaxLearnersTotal = draw.DefaultMaxLearnersTotal
	DefaultMaxLearnMemory   = draw.DefaultMaxLearnBytes >> 20 // MiB
	DefaultMaxKept          = draw.DefaultMaxKept
	DefaultLearnWorkers     = draw.DefaultWorkers
	// maxLearnMemoryCeiling bounds --max-learn-memory, in MiB (1 TiB).
	maxLearnMemoryCeiling = 1 << 20
	// maxLearnWorkers bounds --learn-workers.
	maxLearnWorkers = 64
	// maxMessageCeiling bounds --max-message: the hard frame limit is twice it.
	maxMessageCeiling = 8 << 20
	// floodFor is how long a page may keep sending faster than its rate before
	// the server closes its connection.
	floodFor = 10 * time.Second
)

// DefaultMaxAnalyses is one analysis at once for every two cores, at least
// one.
func DefaultMaxAnalyses() int { return max(1, runtime.NumCPU()/2) }

// withDefaults returns l with each zero limit set to its default.
func (l Limits) withDefaults() Limits {
	def := func(p *int, v int) {
		if *p <= 0 {
			*p = v
		}
	}
	def(&l.MaxEpochs, DefaultMaxEpochs)
	def(&l.MaxQueued, DefaultMaxQueued)
	def(&l.MaxRunsPerConn, DefaultMaxRunsPerConn)
	def(&l.MaxParams, DefaultMaxParams)
	def(&l.MaxTrajSteps, protocol.MaxTrajSteps)
	def(&l.MaxMessage, DefaultMaxMessage)
	def(&l.RateBurst, DefaultRateBurst)
	def(&l.MaxConns, DefaultMaxConns)
	def(&l.MaxAnalyses, DefaultMaxAnalyses())
	def(&l.MaxLearners, DefaultMaxLearners)
	def(&l.MaxLearnersTotal, DefaultMaxLearnersTotal)
	def(&l.MaxLearnMemory, DefaultMaxLearnMemory)
	def(&l.MaxKept, DefaultMaxKept)
	def(&l.LearnWorkers, DefaultLearnWorkers)
	def(&l.MaxLandscapeGrid, landscape.DefaultMaxGrid)
	def(&l.MaxLandscapeImages, landscape.DefaultMaxImages)
	if l.MaxRate <= 0 {
		l.MaxRate = DefaultMaxRate
	}
	l.hessianDefaults()
	l.MaxEpochs = min(l.MaxEpochs, mnist.MaxEpochs)
	l.MaxMessage = min(l.MaxMessage, maxMessageCeiling)
	l.MaxLearnMemory = min(l.MaxLearnMemory, maxLearnMemoryCeiling)
	l.LearnWorkers = min(l.LearnWorkers, maxLearnWorkers)
	return l
}

// drawLimits are the limits of the drawing panel's learn copies.
func (l Limits) drawLimits() draw.Limits {
	return draw.Limits{MaxLearners: l.MaxLearners, MaxLearnersTotal: l.MaxLearnersTotal,
		MaxLearnBytes: int64(l.MaxLearnMemory) << 20, MaxKept: l.MaxKept, Workers: l.LearnWorkers}
}

// Check reports the first limit outside its allowed range, for the flags.
func (l Limits) Check() error {
	switch {
	case l.MaxEpochs < 0 || l.MaxEpochs > mnist.MaxEpochs:
		return fmt.Errorf("server: --max-epochs %d is out of range (allowed: 1 to %d)", l.MaxEpochs, mnist.MaxEpochs)
	case l.MaxMessage < 0 || l.MaxMessage > maxMessageCeiling:
		return fmt.Errorf("server: --max-message %d is out of range (allowed: 1 to %d bytes)", l.MaxMessage, maxMessageCeiling)
	case l.MaxTrajSteps < 0 || l.MaxTrajSteps > 10_000_000:
		return fmt.Errorf("server: --max-traj-steps %d is out of range (allowed: 1 to 10000000)", l.MaxTrajSteps)
	case l.MaxLearnMemory < 0 || l.MaxLearnMemory > maxLearnMemoryCeiling:
		return fmt.Errorf("server: --max-learn-memory %d is out of range (allowed: 1 to %d MiB)", l.MaxLearnMemory, maxLearnMemoryCeiling)
	case l.LearnWorkers < 0 || l.LearnWorkers > maxLearnWorkers:
		return fmt.Errorf("server: --learn-workers %d is out of range (allowed: 1 to %d)", l.LearnWorkers, maxLearnWorkers)
	case l.MaxLandscapeGrid < 0 || l.MaxLandscapeGrid == 1 || l.MaxLandscapeGrid > mnist.MaxGrid:
		return fmt.Errorf("server: --max-landscape-grid %d is out of range (allowed: 2 to %d)", l.MaxLandscapeGrid, mnist.MaxGrid)
	case l.MaxLandscapeImages < 0 || l.MaxLandscapeImages > mnist.MaxBatch:
		return fmt.Errorf("server: --max-landscape-images %d is out of range (allowed: 1 to %d)", l.MaxLandscapeImages, mnist.MaxBatch)
	case l.MaxRate < 0 || l.MaxQueued < 0 || l.MaxRunsPerConn < 0 || l.MaxParams < 0 || l.MaxConns < 0 || l.RateBurst < 0 ||
		l.MaxLearners < 0 || l.MaxLearnersTotal < 0 || l.MaxKept < 0 || l.MaxAnalyses < 0:
		return fmt.Errorf("server: limits must be positive")
	}
	return l.checkHessian()
}

// lim returns the validator's limits: those of the server, or the defaults.
func (v validator) lim() Limits {
	if v.limits == nil {
		return Limits{}.withDefaults()
	}
	return *v.limits
}

// frameLimit is the largest frame allowed for a command type: a drawing
// may take MaxPredictBytes.
func (v validator) frameLimit(typ string) int {
	if typ == protocol.CmdPredict {
		return max(protocol.MaxPredictBytes, v.lim().MaxMessage)
	}
	return v.lim().MaxMessage
}

// readLimit is the largest frame that is read and answered; larger ones up
// to hardLimit are discarded with an error.
func (v validator) readLimit() int { return max(protocol.MaxPredictBytes, v.lim().MaxMessage) }

// hardLimit is the frame size that closes the connection.
func (v validator) hardLimit() int64 { return max(maxMessageSize, 2*int64(v.readLimit())) }

// Params returns the weights and biases of a network: Σ (inₗ + 1)·outₗ.
func Params(a mnist.Arch) int {
	n, in := 0, mnist.InputSize
	for _, h := range append(append([]int(nil), a.Hidden...), mnist.Classes) {
		n += (in + 1) * h
		in = h
	}
	return n
}

// checkSize refuses a network with more than MaxParams parameters.
func (l Limits) checkSize(field string, rc protocol.RunConfig) error {
	arch := mnist.DefaultConfig().Arch
	if rc.Arch != nil {
		arch = *rc.Arch
	}
	if n := Params(arch); n > l.MaxParams {
		return protocol.Refuse(protocol.CodeLimit, field, fmt.Sprintf("at most %d parameters (--max-params)", l.MaxParams),
			"the network %v has %d parameters; use fewer or smaller hidden layers", arch.Hidden, n)
	}
	return nil
}

// gate is the server's shared state for the limits: the open websockets and
// a lock that makes checking and creating runs one step.
type gate struct {
	conns atomic.Int64
	mu    sync.Mutex // held across the check and the creation of runs
}

// enter reserves a websocket, or reports false when MaxConns are open.
func (g *gate) enter(max int) bool {
	if g.conns.Add(1) > int64(max) {
		g.conns.Add(-1)
		return false
	}
	return true
}

func (g *gate) leave() { g.conns.Add(-1) }

// connLimits is a connection's share of the limits; only its reader uses it.
type connLimits struct {
	started []*runs.Live // runs this page started, unfinished when last looked

	tokens     float64   // the rate's token bucket
	last       time.Time // when tokens was last filled
	warned     time.Time // when the last rate error was sent
	floodStart time.Time // first refused frame of the current flood
	lastDrop   time.Time
	kicked     bool
}

// admit takes a token from the page's bucket, which fills at MaxRate a
// second up to RateBurst. A refused frame is dropped; the page gets one
// error a second, and after floodFor of refusals its connection is closed.
func (c *conn) admit() bool {
	l, cl := c.s.limits, &c.lim
	now := time.Now()
	if cl.last.IsZero() {
		cl.tokens = float64(l.RateBurst)
	} else {
		cl.tokens = min(float64(l.RateBurst), cl.tokens+now.Sub(cl.last).Seconds()*l.MaxRate)
	}
	cl.last = now
	if cl.tokens >= 1 {
		cl.tokens--
		return true
	}
	if cl.kicked {
		return false
	}
	if cl.floodStart.IsZero() || now.Sub(cl.lastDrop) > time.Second {
		cl.floodStart = now
	}
	cl.lastDrop = now
	if now.Sub(cl.floodStart) > c.s.floodFor {
		cl.kicked = true
		c.s.log.Warn("server: closing a flooding connection", "remote", c.ws.RemoteAddr().String())
		c.enqueue(func() error {
			msg := websocket.FormatCloseMessage(websocket.ClosePolicyViolation, "server: too many messages for too long (--max-rate)")
			_ = c.ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second))
			return fmt.Errorf("server: flooding")
		})
		return false
	}
	if now.Sub(cl.warned) >= time.Second {
		cl.warned = now
		c.send(protocol.Error{Type: protocol.EvError, Code: protocol.CodeRate,
			Allowed: fmt.Sprintf("at most %g messages a second, %d at once (--max-rate)", l.MaxRate, l.RateBurst),
			Message: "too many messages: some were dropped"})
	}
	return false
}

// createRuns creates runs unless they would pass MaxQueued or
// MaxRunsPerConn.
func (c *conn) createRuns(n newRuns) ([]*runs.Live, error) {
	g, l := &c.s.gate, c.s.limits
	g.mu.Lock()
	defer g.mu.Unlock()
	live := c.lim.started[:0]
	for _, r := range c.lim.started {
		if !r.Finished() {
			live = append(live, r)
		}
	}
	clear(c.lim.started[len(live):])
	c.lim.started = live
	if len(live)+len(n.cfgs) > l.MaxRunsPerConn {
		return nil, protocol.Refuse(protocol.CodeLimit, "", fmt.Sprintf("at most %d unfinished runs per page (--max-runs-per-conn)", l.MaxRunsPerConn),
			"this page has %d runs queued or training, too many for %d more; wait for one to end or stop one", len(live), len(n.cfgs))
	}
	unfinished, slots := c.s.runs.Unfinished(), c.s.runs.Concurrent()
	if queued := unfinished + len(n.cfgs) - slots; queued > l.MaxQueued {
		return nil, protocol.Refuse(protocol.CodeLimit, "", fmt.Sprintf("at most %d runs queued (--max-queued) behind %d training (--max-runs)", l.MaxQueued, slots),
			"%d runs are queued or training, too many for %d more; wait for one to end or stop one", unfinished, len(n.cfgs))
	}
	made, err := c.s.runs.CreateWith(n.cfgs, n.labels, runs.Options{EpochSeconds: n.epochSeconds, Sharpness: n.sharpness})
	if err == nil {
		c.lim.started = append(c.lim.started, made...)
	}
	return made, err
}

// helloLimits are the limits sent in hello: the server's, and the ranges of
// the page's controls.
func (s *Server) helloLimits() protocol.Limits {
	l, trainN := s.limits, s.validator.trainN
	return protocol.Limits{MaxEpochs: l.MaxEpochs, MaxBatch: max(min(mnist.MaxBatch, trainN), 1),
		MaxHiddenUnits: mnist.MaxHiddenUnits, MaxHiddenLayers: mnist.MaxHiddenLayers, MaxLR: mnist.MaxLR,
		MaxSteps: protocol.MaxSteps, MaxSweep: protocol.MaxSweep, MaxRuns: runs.MaxKept, Concurrent: s.runs.Concurrent(),
		MaxSeed: protocol.MaxSeed, MaxEvalLimit: 10000, TrainSize: trainN, HistoryPoints: protocol.HistoryPoints,
		MaxQueued: l.MaxQueued, MaxRunsPerConn: l.MaxRunsPerConn, MaxParams: l.MaxParams, MaxTrajSteps: l.MaxTrajSteps,
		MaxMessage: l.MaxMessage, MaxRate: l.MaxRate, RateBurst: l.RateBurst, MaxConns: l.MaxConns, MaxAnalyses: l.MaxAnalyses,
		MaxLearners: l.MaxLearners, MaxLearnersTotal: l.MaxLearnersTotal, MaxLearnMemory: l.MaxLearnMemory, MaxKept: l.MaxKept,
		LearnWorkers: l.LearnWorkers, LearnQueue: protocol.LearnQueue, MaxGradWeights: mnist.MaxChecks,
		EvalImages: min(mnist.EvalImages, s.validator.testN), TestSize: s.validator.testN,
		MaxLandscapeGrid: l.MaxLandscapeGrid, MaxLandscapeImages: l.MaxLandscapeImages}
}
