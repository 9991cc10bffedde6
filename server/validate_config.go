package server

import (
	"fmt"
	"sort"
	"strings"

	"descent/mnist"
	"descent/optim"
	"descent/server/protocol"
)

// config checks a RunConfig field by field and returns the mnist.Config it
// describes. name turns a field ("lr", "hyper.beta1") into the path that an
// error reports ("config.lr", "variants[2].lr").
func (v validator) config(rc protocol.RunConfig, name func(string) string) (mnist.Config, error) {
	cfg := mnist.DefaultConfig()
	if rc.Arch != nil {
		if err := checkArch(*rc.Arch, name); err != nil {
			return cfg, err
		}
		cfg.Arch = mnist.Arch{Hidden: append([]int(nil), rc.Arch.Hidden...), Activation: rc.Arch.Activation}
	}
	spec, err := networkOptimizer(rc.Optimizer, name("optimizer"))
	if err != nil {
		return cfg, err
	}
	cfg.Optimizer = spec.Name
	if cfg.Hyper, err = checkHyper(spec, rc.Hyper, name); err != nil {
		return cfg, err
	}
	if cfg.Batch, err = protocol.Int(name("batch"), rc.Batch, 1, mnist.MaxBatch); err != nil {
		return cfg, err
	}
	if cfg.Epochs, err = protocol.Int(name("epochs"), rc.Epochs, 1, v.lim().MaxEpochs); err != nil {
		return cfg, protocol.Limited(err, "--max-epochs", rc.Epochs != nil && *rc.Epochs > v.lim().MaxEpochs)
	}
	if cfg.TrainExamples, err = v.trainExamples(rc.TrainExamples, name("trainExamples")); err != nil {
		return cfg, err
	}
	if err := v.checkSteps(cfg.Batch, cfg.Epochs, v.trainSize(cfg), name("epochs")); err != nil {
		return cfg, err
	}
	if err := checkRates(&cfg, rc, name); err != nil {
		return cfg, err
	}
	if rc.Seed != nil {
		if *rc.Seed > protocol.MaxSeed {
			return cfg, protocol.Refuse(protocol.CodeOutOfRange, name("seed"), fmt.Sprintf("an integer from 0 to %d", uint64(protocol.MaxSeed)),
				"%d is too large", *rc.Seed).With(*rc.Seed)
		}
		cfg.Seed = *rc.Seed
	}
	if rc.EvalLimit < 0 || rc.EvalLimit > 10000 {
		return cfg, protocol.OutOfRange(name("evalLimit"), "0 (all) to 10000", rc.EvalLimit)
	}
	cfg.EvalLimit = rc.EvalLimit
	if rc.Schedule != nil {
		if err := checkSchedule(*rc.Schedule, name); err != nil {
			return cfg, err
		}
		cfg.Schedule = *rc.Schedule
	}
	if err := cfg.Validate(); err != nil { // a last guard: mnist's own rules
		return cfg, protocol.Refuse(protocol.CodeInvalid, strings.TrimSuffix(name(""), "."), "", "%v", err)
	}
	if _, err := optim.New[float32](cfg.Optimizer, cfg.Hyper); err != nil { // cross-field rules
		return cfg, protocol.Refuse(protocol.CodeInvalid, name("hyper"), "", "%v", err)
	}
	return cfg, nil
}

func checkArch(a mnist.Arch, name func(string) string) error {
	if len(a.Hidden) < 1 || len(a.Hidden) > mnist.MaxHiddenLayers {
		return protocol.Refuse(protocol.CodeOutOfRange, name("arch.hidden"), fmt.Sprintf("1 to %d layers", mnist.MaxHiddenLayers),
			"%d layers", len(a.Hidden)).With(len(a.Hidden))
	}
	for i, h := range a.Hidden {
		if h < 1 || h > mnist.MaxHiddenUnits {
			return protocol.OutOfRange(name(fmt.Sprintf("arch.hidden[%d]", i)), fmt.Sprintf("1 to %d units", mnist.MaxHiddenUnits), h)
		}
	}
	acts := make([]string, 0, 3)
	for _, x := range mnist.Activations() {
		if x == a.Activation {
			return nil
		}
		acts = append(acts, string(x))
	}
	return protocol.Refuse(protocol.CodeUnknown, name("arch.activation"), strings.Join(acts, ", "), "unknown activation %q", a.Activation).With(a.Activation)
}

// networkOptimizer looks up a first-order method by name.
func networkOptimizer(p *string, field string) (optim.Spec, error) {
	var names []string
	for _, s := range optim.Specs() {
		if s.Network {
			names = append(names, s.Name)
		}
	}
	allowed := strings.Join(names, ", ")
	if p == nil {
		return optim.Spec{}, protocol.Missing(field, allowed)
	}
	spec, ok := optim.Lookup(*p)
	if !ok {
		return spec, protocol.Refuse(protocol.CodeUnknown, field, allowed, "unknown optimizer %q", *p).With(*p)
	}
	if !spec.Network {
		return spec, protocol.Refuse(protocol.CodeInvalid, field, allowed, "%s cannot train the network: %s", spec.Title, spec.WhyNotNetwork).With(*p)
	}
	return spec, nil
}

// checkHyper checks each hyperparameter against the method's Params; the
// learning rate is lr, never hyper.lr.
func checkHyper(spec optim.Spec, hp map[string]float64, name func(string) string) (map[string]float64, error) {
	var known []string
	for _, p := range spec.Params {
		if p.Name != "lr" {
			known = append(known, p.Name)
		}
	}
	keys := make([]string, 0, len(hp))
	for k := range hp {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make(map[string]float64, len(hp))
	for _, k := range keys {
		field, val := name("hyper."+k), hp[k]
		p, ok := findParam(spec.Params, k)
		if !ok || k == "lr" {
			return nil, protocol.Refuse(protocol.CodeUnknown, field, "one of "+strings.Join(known, ", ")+" (the rate is config lr)",
				"unknown hyperparameter for %s", spec.Name)
		}
		if err := p.Check(spec.Name, val); err != nil {
			allowed := p.Range()
			if p.Bool {
				allowed = "0 or 1"
			}
			return nil, protocol.OutOfRange(field, allowed, val)
		}
		out[k] = val
	}
	return out, nil
}

func findParam(params []optim.Param, name string) (optim.Param, bool) {
	for _, p := range params {
		if p.Name == name {
			return p, true
		}
	}
	return optim.Param{}, false
}

// checkSteps bounds epochs × ⌈N/batch⌉ for a run on n training images.
func (v validator) checkSteps(batch, epochs, n int, field string) error {
	per := (n + batch - 1) / batch
	if per > 0 && per*epochs > protocol.MaxSteps {
		return protocol.Refuse(protocol.CodeOutOfRange, field, fmt.Sprintf("1 to %d at batch %d (at most %d steps)", max(protocol.MaxSteps/per, 1), batch, protocol.MaxSteps),
			"%d epochs are %d steps", epochs, per*epochs).With(epochs)
	}
	return nil
}

// checkRates sets lr, or for an LR range test lrMin and lrMax.
func checkRates(cfg *mnist.Config, rc protocol.RunConfig, name func(string) string) error {
	lrAllowed := fmt.Sprintf("(0, %g]", float64(mnist.MaxLR))
	if rc.LRRange {
		lo, hi := rc.LRMin, rc.LRMax
		if lo == 0 {
			lo = 1e-5
		}
		if hi == 0 {
			hi = 10
		}
		if !protocol.Finite(lo) || lo <= 0 || lo > mnist.MaxLR {
			return protocol.OutOfRange(name("lrMin"), lrAllowed, lo)
		}
		if !protocol.Finite(hi) || hi <= lo || hi > mnist.MaxLR {
			return protocol.OutOfRange(name("lrMax"), fmt.Sprintf("(lrMin, %g]", float64(mnist.MaxLR)), hi)
		}
		cfg.LRRange, cfg.LRMin, cfg.LRMax, cfg.LR = true, lo, hi, lo
		return nil
	}
	if rc.LR == nil {
		return protocol.Missing(name("lr"), lrAllowed)
	}
	if lr := *rc.LR; !protocol.Finite(lr) || lr <= 0 || lr > mnist.MaxLR {
		return protocol.OutOfRange(name("lr"), lrAllowed, lr)
	}
	cfg.LR = *rc.LR
	return nil
}

func checkSchedule(s optim.Schedule, name func(string) string) error {
	var kinds []string
	for _, sp := range optim.ScheduleSpecs() {
		kinds = append(kinds, sp.Kind)
		if sp.Kind != s.Kind && !(s.Kind == "" && sp.Kind == "constant") {
			continue
		}
		vals := map[string]float64{"stepSize": float64(s.StepSize), "gamma": s.Gamma, "tMax": float64(s.TMax),
			"etaMin": s.EtaMin, "warmupSteps": float64(s.WarmupSteps), "startFactor": s.StartFactor}
		for _, p := range sp.Params {
			if err := p.Check("schedule", vals[p.Name]); err != nil {
				return protocol.OutOfRange(name("schedule."+p.Name), p.Range(), vals[p.Name])
			}
		}
		if err := s.Validate(); err != nil {
			return protocol.Refuse(protocol.CodeInvalid, name("schedule"), "", "%v", err)
		}
		return nil
	}
	return protocol.Refuse(protocol.CodeUnknown, name("schedule.kind"), strings.Join(kinds, ", "), "unknown schedule %q", s.Kind).With(s.Kind)
}
