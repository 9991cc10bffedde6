package main

import (
	"flag"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"

	"descent/optim"
)

// The flags that `descent train` and `descent trajectory` share: one flag per
// optimizer hyperparameter, generated from optim's registry so that names,
// ranges and defaults live in one place, and the schedule's flags.

// hyperParam is a hyperparameter flag; set records that the user gave it.
type hyperParam struct {
	p   optim.Param
	v   float64
	set bool
}

func (t *hyperParam) String() string {
	if t == nil || !t.set {
		return ""
	}
	return strconv.FormatFloat(t.v, 'g', -1, 64)
}

func (t *hyperParam) Set(s string) error {
	switch {
	case t.p.Bool && (s == "true" || s == "1"):
		t.v = 1
	case t.p.Bool && (s == "false" || s == "0"):
		t.v = 0
	default:
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%q is not a finite number", s)
		}
		t.v = v
	}
	t.set = true
	return nil
}

func (t *hyperParam) IsBoolFlag() bool { return t.p.Bool }

// kebab turns weightDecay into weight-decay.
func kebab(name string) string {
	var b strings.Builder
	for _, r := range name {
		if unicode.IsUpper(r) {
			b.WriteByte('-')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// addHyperFlags adds a flag for every hyperparameter (except lr) of the
// methods that keep selects, into hyper by the parameter's registry name.
func addHyperFlags(fs *flag.FlagSet, hyper map[string]*hyperParam, keep func(optim.Spec) bool) {
	for _, s := range optim.Specs() {
		if !keep(s) {
			continue
		}
		for _, p := range s.Params {
			if _, dup := hyper[p.Name]; dup || p.Name == "lr" {
				continue
			}
			hyper[p.Name] = &hyperParam{p: p}
			usage := fmt.Sprintf("%s, in %s (default: per optimizer, torch's for torch's methods)", p.Doc, p.Range())
			if p.Bool {
				usage = fmt.Sprintf("%s (a switch: --%s, or --%s=false)", p.Doc, kebab(p.Name), kebab(p.Name))
			}
			fs.Var(hyper[p.Name], kebab(p.Name), usage)
		}
	}
}

// setHypers returns the hyperparameters that were given on the command line.
func setHypers(hyper map[string]*hyperParam) map[string]float64 {
	m := map[string]float64{}
	for name, h := range hyper {
		if h.set {
			m[name] = h.v
		}
	}
	return m
}

func scheduleFlags(fs *flag.FlagSet, s *optim.Schedule) {
	fs.StringVar(&s.Kind, "schedule", "constant", "learning-rate schedule: constant, step, exponential, cosine or warmup (t = step index)")
	fs.IntVar(&s.StepSize, "step-size", 0, "period of --schedule step, in steps")
	fs.Float64Var(&s.Gamma, "gamma", 0, "decay factor γ of --schedule step (default 0.1) and exponential")
	fs.IntVar(&s.TMax, "t-max", 0, "half period of --schedule cosine, in steps")
	fs.Float64Var(&s.EtaMin, "eta-min", 0, "smallest rate η of --schedule cosine")
	fs.IntVar(&s.WarmupSteps, "warmup-steps", 0, "length of --schedule warmup (default 5)")
	fs.Float64Var(&s.StartFactor, "start-factor", 0, "factor of α at step 0 of --schedule warmup (default 1/3)")
}
