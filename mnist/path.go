package mnist

import (
	"fmt"
	"math/bits"
	"slices"
	"sync"
)

// DefaultPathBudget is the memory one run's path may take: 16 MiB, which
// holds θ₀ and about 100 snapshots of the report's network.
const DefaultPathBudget = 16 << 20

// maxEarly bounds the early points: powers of two below 2^maxEarly.
const maxEarly = 16

// Path keeps a run's weights every few steps within a memory budget, for
// drawing the run on a plane (PathPlane). It keeps θ₀ in float32 and each
// kept step as a Snapshot, and thins itself by halving:
//
//   - a step s is kept while s is a multiple of Every(), a power of two that
//     starts at 1 (every step);
//   - when the next kept step would not fit the budget, Every() doubles and
//     the kept steps that are no longer multiples of it are dropped, so that
//     between half and all of the budget holds points evenly spaced over the
//     whole run so far;
//   - the powers of two below Early() (steps 1, 2, 4, 8, …) are kept as well,
//     because training moves fastest at the start: a few points there draw
//     the first bend that even spacing would cut short.
//
// This is a pure rule on step numbers and Every(), so a store that is told
// Every() with each new snapshot keeps exactly the same points (see
// Keeps). Halving was chosen over a streaming sketch such as Frequent
// Directions (Liberty 2013): a sketch keeps the principal directions but not
// the points, and drawing the path needs every point's coordinates on a plane
// that is only known when the picture is asked for (and moves with the run's
// current weights). Methods are safe for concurrent use.
type Path struct {
	arch   Arch
	fs     []filter
	origin []float32
	budget int

	mu     sync.Mutex
	every  int
	early  int
	points []*Snapshot
}

// NewPath starts the path of a run of shape arch whose initial weights are
// theta0, within budget bytes (0 means DefaultPathBudget). It is an error
// when the budget holds fewer than 4 snapshots besides θ₀.
func NewPath(arch Arch, theta0 []float32, budget int) (*Path, error) {
	if err := arch.Validate(); err != nil {
		return nil, err
	}
	if len(theta0) != arch.NumParams() {
		return nil, fmt.Errorf("mnist: path of %s from %d weights, want %d", arch, len(theta0), arch.NumParams())
	}
	if budget == 0 {
		budget = DefaultPathBudget
	}
	p := &Path{arch: arch, fs: filters(arch), origin: slices.Clone(theta0), budget: budget, every: 1}
	capacity := (budget - 4*len(theta0)) / snapshotSize(len(theta0), len(p.fs))
	if capacity < 4 {
		return nil, fmt.Errorf("mnist: a path of %s needs %d bytes for θ₀ and 4 snapshots, more than its budget of %d",
			arch, 4*len(theta0)+4*snapshotSize(len(theta0), len(p.fs)), budget)
	}
	p.early = 1 << min(maxEarly, capacity/4)
	return p, nil
}

// RestorePath rebuilds a path from what a store kept: θ₀, the snapshots in
// step order and the Every() they were kept with. The early steps are
// derived from the budget, as NewPath does.
func RestorePath(arch Arch, theta0 []float32, budget, every int, snaps []*Snapshot) (*Path, error) {
	p, err := NewPath(arch, theta0, budget)
	if err != nil {
		return nil, err
	}
	if every < 1 || every&(every-1) != 0 {
		return nil, fmt.Errorf("mnist: a path's interval is %d, want a power of two", every)
	}
	p.every = every
	for _, s := range snaps {
		if len(s.q) != len(theta0) || len(s.scale) != len(p.fs) {
			return nil, fmt.Errorf("mnist: snapshot of step %d does not fit %s", s.Step, arch)
		}
		if n := len(p.points); n > 0 && s.Step <= p.points[n-1].Step {
			return nil, fmt.Errorf("mnist: snapshots out of order at step %d", s.Step)
		}
		p.points = append(p.points, s)
	}
	for p.size() > p.budget && p.halve() {
	}
	return p, nil
}

// Keeps reports whether a path at interval every with early steps below
// early keeps step: the rule that a store applies too.
func Keeps(step, every, early int) bool {
	return step > 0 && (step%every == 0 || step < early && bits.OnesCount(uint(step)) == 1)
}

// Every is the current interval between kept steps, a power of two.
func (p *Path) Every() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.every
}

// Early is the bound below which the powers of two are kept.
func (p *Path) Early() int { return p.early }

// Budget is the path's memory budget in bytes.
func (p *Path) Budget() int { return p.budget }

// Capacity is the number of snapshots the budget holds besides θ₀.
func (p *Path) Capacity() int {
	return (p.budget - 4*len(p.origin)) / snapshotSize(len(p.origin), len(p.fs))
}

// Arch is the shape of the network whose path this is.
func (p *Path) Arch() Arch { return p.arch }

// Origin returns θ₀ (not a copy: do not change it).
func (p *Path) Origin() []float32 { return p.origin }

// Due reports whether Add(step, …) would keep step now: a step hook calls
// it before reading the weights.
func (p *Path) Due(step int) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.due(step)
}

func (p *Path) due(step int) bool {
	if n := len(p.points); n > 0 && step <= p.points[n-1].Step {
		return false
	}
	return Keeps(step, p.every, p.early)
}

// Add keeps θ after step if the rule keeps it, thinning the path first when
// it is full, and returns the new snapshot (nil when the step is not kept).
// theta is read before Add returns and not kept.
func (p *Path) Add(step int, theta []float32) *Snapshot {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.due(step) || len(theta) != len(p.origin) {
		return nil
	}
	for p.size()+snapshotSize(len(p.origin), len(p.fs)) > p.budget {
		if !p.halve() || !Keeps(step, p.every, p.early) {
			return nil
		}
	}
	s := quantize(p.fs, p.origin, theta, step)
	p.points = append(p.points, s)
	return s
}

// halve doubles the interval and drops the steps it no longer keeps. It
// reports false when the interval cannot grow.
func (p *Path) halve() bool {
	if p.every > 1<<40 {
		return false
	}
	p.every *= 2
	p.points = slices.DeleteFunc(p.points, func(s *Snapshot) bool { return !Keeps(s.Step, p.every, p.early) })
	return true
}

// Snapshots returns the kept snapshots in step order.
func (p *Path) Snapshots() []*Snapshot {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.points)
}

// Size is the memory the path takes: θ₀ and its snapshots, in bytes.
func (p *Path) Size() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.size()
}

func (p *Path) size() int {
	return 4*len(p.origin) + len(p.points)*snapshotSize(len(p.origin), len(p.fs))
}

// RecordPath returns a step hook that adds the weights after each kept step
// to p and hands each new snapshot, with the path's interval after it, to
// then (when not nil): a run store's AddPathPoint, say. It runs on the
// training goroutine between steps, where the weights may be read; a step
// that is not kept costs one check. Call it from the run's Step hook.
func (t *Trainer) RecordPath(p *Path, then func(s *Snapshot, every int)) func(StepEvent) {
	return func(ev StepEvent) {
		if !p.Due(ev.Step) {
			return
		}
		if s := p.Add(ev.Step, t.net.Params); s != nil && then != nil {
			then(s, p.Every())
		}
	}
}

// InitialWeights returns the weights the run started from: the network
// drawn from the config's seed (after a resume, not the checkpoint's).
func (t *Trainer) InitialWeights() []float32 {
	n := newNet[float32](t.cfg.Arch)
	n.Init(t.cfg.Seed)
	return n.Params
}
