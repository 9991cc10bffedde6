package optim

import (
	"fmt"

	"gonum.org/v1/gonum/optimize"
)

// Line-search methods (conjugate gradient, BFGS, Newton with line search)
// reuse gonum/optimize: its CG and BFGS compute the directions, its
// MoreThuente and Bisection line searches the step sizes, and its
// LinesearchMethod ties them together. Rather than optimize.Minimize, which
// runs to completion on goroutines (its Recorder could only replay a finished
// run), lineSearchWalker drives LinesearchMethod's Init/Iterate protocol
// itself: every requested evaluation is done here and counted, and each call
// to step returns at the next MajorIteration. So a line-search trajectory is
// steppable one major iteration at a time, in lockstep with the others, and
// it can be paused indefinitely without goroutines to clean up.

// maxLineEvals bounds the evaluations of one line search.
const maxLineEvals = 100

// lineSearchWalker takes one major iteration of a gonum LinesearchMethod.
type lineSearchWalker struct {
	ls      optimize.LinesearchMethod
	loc     optimize.Location
	x, g    []float64 // storage of loc
	started bool
	newton  *newtonDirectioner // set for newton-ls, to report H and λ
}

// newLineSearchWalker sets up CG (Polak–Ribière, or Fletcher–Reeves),
// BFGS, or damped Newton with gonum's defaults made explicit.
func newLineSearchWalker(name string, v map[string]float64) *lineSearchWalker {
	w := &lineSearchWalker{x: make([]float64, 2), g: make([]float64, 2)}
	switch name {
	case "cg":
		var beta optimize.CGVariant = &optimize.PolakRibierePolyak{}
		if v["fletcherReeves"] == 1 {
			beta = &optimize.FletcherReeves{}
		}
		w.ls.NextDirectioner = &optimize.CG{Variant: beta, InitialStep: &optimize.FirstOrderStepSize{},
			IterationRestartFactor: 6, AngleRestartThreshold: -0.9}
		w.ls.Linesearcher = &optimize.MoreThuente{CurvatureFactor: 0.1} // strong Wolfe, as CG needs
	case "bfgs":
		w.ls.NextDirectioner = &optimize.BFGS{}
		w.ls.Linesearcher = &optimize.Bisection{} // weak Wolfe, gonum's default for BFGS
	case "newton-ls":
		w.newton = &newtonDirectioner{n: Newton{Alpha: 1, Damped: true, Damping: v["damping"]}}
		w.ls.NextDirectioner = w.newton
		w.ls.Linesearcher = &optimize.Backtracking{} // Armijo from the full step t = 1
	}
	return w
}

func (w *lineSearchWalker) step(s *surface, it *Iterate) error {
	if w.newton != nil {
		w.newton.s, w.newton.it = s, it
	}
	var op optimize.Operation
	var err error
	if !w.started {
		w.started = true
		copy(w.x, it.X[:])
		copy(w.g, it.Grad[:])
		w.loc = optimize.Location{X: w.x, F: it.F, Gradient: w.g}
		op, err = w.ls.Init(&w.loc)
	} else {
		op, err = w.ls.Iterate(&w.loc)
	}
	for n := 0; op != optimize.MajorIteration; n++ {
		if err != nil {
			return fmt.Errorf("line search: %w", err)
		}
		if n == maxLineEvals {
			return fmt.Errorf("line search: no acceptable step after %d evaluations", maxLineEvals)
		}
		w.evaluate(s, op)
		op, err = w.ls.Iterate(&w.loc)
	}
	it.X, it.F, it.Grad = [2]float64(w.loc.X), w.loc.F, [2]float64(w.loc.Gradient)
	return nil
}

// evaluate does the evaluations that op asks for at loc.X.
func (w *lineSearchWalker) evaluate(s *surface, op optimize.Operation) {
	x := [2]float64(w.loc.X)
	if op&optimize.FuncEvaluation != 0 {
		w.loc.F = s.f(x)
	}
	if op&optimize.GradEvaluation != 0 {
		g := s.grad(x)
		copy(w.loc.Gradient, g[:])
	}
}

// newtonDirectioner gives gonum's LinesearchMethod the damped Newton
// direction d = −(H + λI)⁻¹∇J with a first trial step t = 1.
type newtonDirectioner struct {
	n  Newton
	s  *surface
	it *Iterate
}

// InitDirection is NextDirection at the start point.
func (d *newtonDirectioner) InitDirection(loc *optimize.Location, dir []float64) float64 {
	return d.NextDirection(loc, dir)
}

// NextDirection evaluates H at loc.X and puts −(H + λI)⁻¹∇J into dir.
func (d *newtonDirectioner) NextDirection(loc *optimize.Location, dir []float64) float64 {
	h := d.s.hess([2]float64(loc.X))
	ns, err := d.n.Direction([2]float64(loc.Gradient), h)
	noteNewton(d.it, h, ns)
	if err != nil { // only with μ = 0: fall back on steepest descent
		dir[0], dir[1] = -loc.Gradient[0], -loc.Gradient[1]
		return 1
	}
	dir[0], dir[1] = ns.D[0], ns.D[1]
	return 1
}
