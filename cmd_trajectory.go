package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"descent/optim"
)

const trajUsage = `Usage: descent trajectory [flags]

Runs one or more optimizers from the same start on a 2-D test function, in
lockstep, and prints every iterate: the point w, J(w), ∇J(w), the step Δw,
the optimizer's internals, and the evaluations of J, ∇J and H so far. Each
trajectory ends converged (‖∇J‖ < tol), diverged, at the step limit, or failed.

--optimizer may be repeated (or a comma list), and so may --lr: every
optimizer runs once for each rate. Hyperparameter flags apply to every
selected optimizer that has that hyperparameter.

--format json prints one JSON document: {"function", "start", "steps", "tol",
"trajectories": [{"optimizer", "params", "schedule", "status", "reason",
"iterates": [{"step", "x", "f", "grad", "delta", "lr", "internals", …}]}]}.
--format csv prints one row per iterate, with a header.

Examples:
  descent trajectory --function rosenbrock --start -1.5,2 --optimizer adam --lr 0.05
  descent trajectory --optimizer gd,momentum,adam --lr 0.001 --format csv
  descent trajectory --function saddle --optimizer newton --optimizer newton-damped

Flags:
`

// trajFlags are the parsed flags of `descent trajectory`.
type trajFlags struct {
	function, start, format string
	out, lang               string
	optimizers, lrs         trajList
	steps                   int
	tol, cond, angle        float64
	sched                   optim.Schedule
	hyper                   map[string]*hyperParam // by optim name
}

// trajList is a repeatable flag that also accepts comma lists.
type trajList []string

func (l *trajList) String() string { return strings.Join(*l, ",") }
func (l *trajList) Set(s string) error {
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			*l = append(*l, v)
		}
	}
	return nil
}

func newTrajFlags(stderr io.Writer) (*flag.FlagSet, *trajFlags) {
	fs := flag.NewFlagSet("descent trajectory", flag.ContinueOnError)
	fs.SetOutput(stderr)
	f := &trajFlags{hyper: map[string]*hyperParam{}}
	fs.StringVar(&f.function, "function", "rosenbrock", "test function: "+strings.Join(optim.FunctionNames(), ", "))
	fs.StringVar(&f.start, "start", "", "start point x,y (default: the function's first standard start)")
	fs.Var(&f.optimizers, "optimizer", "optimizer, repeatable or a comma list: "+strings.Join(optim.Names(), ", ")+" (default gd)")
	fs.Var(&f.lrs, "lr", "learning rate α (step size for Newton), finite and ≥ 0; repeatable or a comma list, one trajectory per rate (default: each optimizer's)")
	fs.IntVar(&f.steps, "steps", 500, "step limit: iterations per trajectory (a CG/BFGS iteration is a whole line search)")
	fs.Float64Var(&f.tol, "tol", 1e-8, "converged when ‖∇J‖ < tol (0: never)")
	fs.StringVar(&f.format, "format", "json", "output: json (one document) or csv (one row per iterate)")
	fs.StringVar(&f.out, "out", "", "draw the trajectories over the surface into this .png (2× resolution) or .svg file instead of printing them")
	fs.StringVar(&f.lang, "lang", "en", "language of the figure's labels: en or ko (ko needs a Hangul font such as fonts-nanum)")
	fs.Float64Var(&f.cond, "cond", 25, "condition number κ of --function quadratic")
	fs.Float64Var(&f.angle, "angle", 0, "rotation in degrees of --function quadratic")
	scheduleFlags(fs, &f.sched)
	addHyperFlags(fs, f.hyper, func(optim.Spec) bool { return true })
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), trajUsage)
		fs.PrintDefaults()
	}
	return fs, f
}

// errTrajUsage marks bad input (exit code 2).
var errTrajUsage = errors.New("bad input")

func runTrajectory(args []string, stdout, stderr io.Writer) int {
	fs, f := newTrajFlags(stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "descent trajectory: unexpected argument %q (flags only; see -h)\n", fs.Arg(0))
		return 2
	}
	fn, start, cfgs, err := f.resolve(fs)
	if err != nil {
		fmt.Fprintf(stderr, "descent trajectory: %v\n", err)
		return 2
	}
	r, err := optim.NewRunner(fn, start, cfgs, f.steps, f.tol)
	if err != nil {
		fmt.Fprintf(stderr, "descent trajectory: %v\n", err)
		return 2
	}
	switch {
	case f.out != "":
		err = trajFigure(f.out, f.lang, r, fn, start, f.steps, cfgs)
	case f.format == "csv":
		err = trajCSV(stdout, r, cfgs)
	default:
		err = trajJSON(stdout, r, fn, start, f, cfgs)
	}
	if err != nil {
		fmt.Fprintf(stderr, "descent trajectory: %v\n", err)
		return 1
	}
	return 0
}

// resolve checks the flags and builds the function, start and configs.
func (f *trajFlags) resolve(fs *flag.FlagSet) (optim.Function, [2]float64, []optim.Config, error) {
	var start [2]float64
	if f.format != "json" && f.format != "csv" {
		return optim.Function{}, start, nil, fmt.Errorf("--format %q: want json or csv", f.format)
	}
	if ext := strings.ToLower(filepath.Ext(f.out)); f.out != "" && ext != ".png" && ext != ".svg" {
		return optim.Function{}, start, nil, fmt.Errorf("--out %q: want a .png or .svg file", f.out)
	}
	if f.lang != "en" && f.lang != "ko" {
		return optim.Function{}, start, nil, fmt.Errorf("--lang %q: want en or ko", f.lang)
	}
	if f.steps < 0 {
		return optim.Function{}, start, nil, fmt.Errorf("--steps %d: want ≥ 0", f.steps)
	}
	if math.IsNaN(f.tol) || f.tol < 0 {
		return optim.Function{}, start, nil, fmt.Errorf("--tol %g: want a number ≥ 0", f.tol)
	}
	fn, err := f.lookupFunction(fs)
	if err != nil {
		return fn, start, nil, err
	}
	start, err = trajStart(f.start, fn)
	if err != nil {
		return fn, start, nil, err
	}
	cfgs, err := f.configs()
	return fn, start, cfgs, err
}

// lookupFunction looks up --function with --cond and --angle.
func (f *trajFlags) lookupFunction(fs *flag.FlagSet) (optim.Function, error) {
	var params map[string]float64
	fs.Visit(func(fl *flag.Flag) {
		if fl.Name == "cond" || fl.Name == "angle" {
			if params == nil {
				params = map[string]float64{}
			}
			params[fl.Name] = map[string]float64{"cond": f.cond, "angle": f.angle}[fl.Name]
		}
	})
	if params != nil && f.function != "quadratic" {
		return optim.Function{}, fmt.Errorf("--cond and --angle apply to --function quadratic only, not %q", f.function)
	}
	return optim.NewFunction(f.function, params)
}

// trajStart parses "x,y", or takes the function's first standard start.
func trajStart(s string, fn optim.Function) ([2]float64, error) {
	if s == "" {
		return fn.Starts[0].X, nil
	}
	parts := strings.Split(s, ",")
	var p [2]float64
	if len(parts) != 2 {
		return p, fmt.Errorf("--start %q: want two numbers x,y such as -1.5,2", s)
	}
	for i, part := range parts {
		v, err := strconv.ParseFloat(strings.TrimSpace(part), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return p, fmt.Errorf("--start %q: %q is not a finite number", s, part)
		}
		p[i] = v
	}
	return p, nil
}

// configs makes one Config per optimizer and rate.
func (f *trajFlags) configs() ([]optim.Config, error) {
	names := f.optimizers
	if len(names) == 0 {
		names = trajList{"gd"}
	}
	lrs, err := trajRates(f.lrs)
	if err != nil {
		return nil, err
	}
	used := map[string]bool{}
	var cfgs []optim.Config
	for _, name := range names {
		spec, ok := optim.Lookup(name)
		if !ok {
			return nil, fmt.Errorf("unknown optimizer %q; known: %s", name, strings.Join(optim.Names(), ", "))
		}
		params := map[string]float64{}
		hasLR := false
		for _, p := range spec.Params {
			params[p.Name] = p.Default
			hasLR = hasLR || p.Name == "lr"
			if h := f.hyper[p.Name]; h != nil && h.set {
				params[p.Name], used[p.Name] = h.v, true
			}
		}
		rates := lrs
		if !hasLR || len(rates) == 0 {
			rates = []float64{math.NaN()} // the optimizer's own
		} else {
			used["lr"] = true
		}
		for _, lr := range rates {
			c := optim.Config{Method: name, Params: trajCopy(params), Schedule: f.sched}
			if !math.IsNaN(lr) {
				c.Params["lr"] = lr
			}
			cfgs = append(cfgs, c)
		}
	}
	return cfgs, f.unused(used, lrs)
}

// unused reports hyperparameter flags that no selected optimizer takes.
func (f *trajFlags) unused(used map[string]bool, lrs []float64) error {
	if len(lrs) > 0 && !used["lr"] {
		return fmt.Errorf("--lr: none of the selected optimizers has a learning rate (line searches choose their steps)")
	}
	for name, h := range f.hyper {
		if h.set && !used[name] {
			return fmt.Errorf("--%s: none of the selected optimizers has %s", kebab(name), name)
		}
	}
	return nil
}

// trajRates parses the --lr values: finite numbers ≥ 0.
func trajRates(vals []string) ([]float64, error) {
	var lrs []float64
	for _, s := range vals {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			return nil, fmt.Errorf("--lr %q: the learning rate must be a finite number ≥ 0", s)
		}
		lrs = append(lrs, v)
	}
	return lrs, nil
}

func trajCopy(m map[string]float64) map[string]float64 {
	c := make(map[string]float64, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// trajDoc is the JSON document of --format json.
type trajDoc struct {
	Function     string       `json:"function"`
	Title        string       `json:"title"`
	Start        [2]float64   `json:"start"`
	Steps        int          `json:"steps"`
	Tol          float64      `json:"tol"`
	Trajectories []trajOutput `json:"trajectories"`
}

// trajOutput is one trajectory of the document.
type trajOutput struct {
	Optimizer string             `json:"optimizer"`
	Params    map[string]float64 `json:"params"`
	Schedule  optim.Schedule     `json:"schedule"`
	Status    optim.Status       `json:"status"`
	Reason    string             `json:"reason"`
	Iterates  []optim.Iterate    `json:"iterates"`
}

func trajJSON(w io.Writer, r *optim.Runner, fn optim.Function, start [2]float64, f *trajFlags, cfgs []optim.Config) error {
	doc := trajDoc{Function: fn.Name, Title: fn.Title, Start: start, Steps: f.steps, Tol: f.tol}
	for _, c := range cfgs {
		doc.Trajectories = append(doc.Trajectories, trajOutput{Optimizer: c.Method, Params: c.Params, Schedule: c.Schedule})
	}
	r.Run(func(it optim.Iterate) {
		t := &doc.Trajectories[it.Trajectory]
		t.Iterates = append(t.Iterates, it)
		t.Status, t.Reason = it.Status, it.Reason
	})
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(doc)
}

var trajCSVHeader = []string{"trajectory", "optimizer", "lr", "step", "x", "y", "f", "gx", "gy", "dx", "dy",
	"fevals", "gevals", "hevals", "lambda", "curvature", "status", "reason"}

func trajCSV(w io.Writer, r *optim.Runner, cfgs []optim.Config) error {
	cw := csv.NewWriter(w)
	cw.Write(trajCSVHeader)
	num := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	r.Run(func(it optim.Iterate) {
		curv := ""
		if it.Curvature != nil {
			curv = it.Curvature.String()
		}
		lr, hasLR := cfgs[it.Trajectory].Params["lr"]
		if it.Step > 0 {
			lr = it.LR
		}
		lrText := ""
		if hasLR {
			lrText = num(lr)
		}
		cw.Write([]string{strconv.Itoa(it.Trajectory), cfgs[it.Trajectory].Method, lrText, strconv.Itoa(it.Step),
			num(it.X[0]), num(it.X[1]), num(it.F), num(it.Grad[0]), num(it.Grad[1]), num(it.Delta[0]), num(it.Delta[1]),
			strconv.Itoa(it.FEvals), strconv.Itoa(it.GEvals), strconv.Itoa(it.HEvals), num(it.Lambda), curv,
			it.Status.String(), it.Reason})
	})
	cw.Flush()
	return cw.Error()
}
