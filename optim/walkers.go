package optim

import "fmt"

// surface evaluates a Function and counts what it evaluates.
type surface struct {
	fn         Function
	fe, ge, he int
}

func (s *surface) f(x [2]float64) float64 { s.fe++; return s.fn.F(x[0], x[1]) }

func (s *surface) grad(x [2]float64) [2]float64 {
	s.ge++
	gx, gy := s.fn.Grad(x[0], x[1])
	return [2]float64{gx, gy}
}

func (s *surface) hess(x [2]float64) [3]float64 {
	s.he++
	hxx, hxy, hyy := s.fn.Hess(x[0], x[1])
	return [3]float64{hxx, hxy, hyy}
}

// walker moves a point on a surface by one iteration: from it.X, it.F and
// it.Grad (the previous point) to the next, filling the method's own fields.
type walker interface {
	step(s *surface, it *Iterate) error
}

// trajectory is one optimizer's run.
type trajectory struct {
	surface surface
	walker  walker
	cur     Iterate
}

// newTrajectory validates c and evaluates the start point.
func newTrajectory(fn Function, start [2]float64, c Config) (*trajectory, error) {
	spec, vals, err := resolveSpec(c.Method, c.Params)
	if err != nil {
		return nil, err
	}
	if err := c.Schedule.Validate(); err != nil {
		return nil, err
	}
	if spec.NeedsHessian && fn.Hess == nil {
		return nil, fmt.Errorf("optim: %s needs the Hessian, and %s has none", spec.Name, fn.Name)
	}
	t := &trajectory{surface: surface{fn: fn}}
	t.walker, err = newWalker(spec, vals, c.Schedule)
	if err != nil {
		return nil, err
	}
	t.cur = Iterate{X: start, F: fn.F(start[0], start[1]), Grad: t.surface.grad(start)}
	if spec.Kind == LineSearch || spec.Name == "newton-ls" {
		t.surface.fe++ // the line search needs J(w₀)
	}
	t.cur.GEvals, t.cur.FEvals = t.surface.ge, t.surface.fe
	return t, nil
}

// newWalker builds the surface stepper of a validated spec.
func newWalker(spec Spec, v map[string]float64, sched Schedule) (walker, error) {
	switch spec.Name {
	case "newton":
		return &newtonWalker{n: Newton{Alpha: v["lr"]}}, nil
	case "newton-damped":
		return &newtonWalker{n: Newton{Alpha: v["lr"], Damped: true, Damping: v["damping"]}}, nil
	case "newton-ls", "cg", "bfgs":
		return newLineSearchWalker(spec.Name, v), nil
	}
	m, err := newFirstOrder[float64](spec.Name, v)
	if err != nil {
		return nil, err
	}
	return &firstOrderWalker{m: m, base: v["lr"], sched: sched}, nil
}

// firstOrderWalker steps a Method[float64]: θ ← update(θ, ∇J(θ)) at αₜ.
type firstOrderWalker struct {
	m     Method[float64]
	base  float64
	sched Schedule
}

func (w *firstOrderWalker) step(s *surface, it *Iterate) error {
	it.LR = w.sched.LR(w.base, it.Step-1) // t = 0 for the first step
	w.m.SetLR(it.LR)
	w.m.Step(it.X[:], it.Grad[:])
	it.F = s.fn.F(it.X[0], it.X[1]) // for display: the method does not use J
	it.Grad = s.grad(it.X)
	if ins := w.m.Internals(); len(ins) > 0 {
		it.Internals = make(map[string][2]float64, len(ins))
		for _, in := range ins {
			it.Internals[in.Name] = [2]float64{in.Values[0], in.Values[1]}
		}
	}
	return nil
}

// newtonWalker takes w ← w − α(H + λI)⁻¹∇J without a line search.
type newtonWalker struct {
	n Newton
}

func (w *newtonWalker) step(s *surface, it *Iterate) error {
	h := s.hess(it.X)
	ns, err := w.n.Direction(it.Grad, h)
	noteNewton(it, h, ns)
	if err != nil {
		return fmt.Errorf("%w; newton-damped (H + λI) or newton-ls carries on", err)
	}
	it.LR = w.n.Alpha
	it.X = [2]float64{it.X[0] + w.n.Alpha*ns.D[0], it.X[1] + w.n.Alpha*ns.D[1]} // w ← w − αH⁻¹∇J
	it.F = s.fn.F(it.X[0], it.X[1])                                             // for display
	it.Grad = s.grad(it.X)
	return nil
}

// noteNewton records H, its eigenvalues and curvature, and λ on the iterate.
func noteNewton(it *Iterate, h [3]float64, ns NewtonStep) {
	e, c := ns.Eigen, ns.Curvature
	it.Hessian, it.Eigen, it.Curvature, it.Lambda = &h, &e, &c, ns.Lambda
}
