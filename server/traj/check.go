package traj

import (
	"fmt"
	"math"
	"strings"

	"descent/optim"
	"descent/server/figures"
	"descent/server/protocol"
)

// Plan is a validated TrajStart: its function, its optimizers as optim
// configs, and the TrajCreated that answers it.
type Plan struct {
	fn      optim.Function
	configs []optim.Config
	rate    *float64
	created protocol.TrajCreated
}

// Check validates a TrajStart against maxSteps (--max-traj-steps) and
// returns its plan. Errors name the field ("start[0]",
// "optimizers[1].params").
func Check(c *protocol.TrajStart, maxSteps int) (Plan, error) {
	fn, err := optim.NewFunction(c.Fn, c.FnParams)
	if err != nil {
		field, code := "fn", protocol.CodeUnknown
		if _, ok := optim.LookupFunction(c.Fn); ok {
			field, code = "fnParams", protocol.CodeOutOfRange
		}
		return Plan{}, protocol.Refuse(code, field, "", "%s", strings.TrimPrefix(err.Error(), "optim: "))
	}
	for i, x := range c.Start {
		if !protocol.Finite(x) || math.Abs(x) > protocol.MaxTrajCoord {
			return Plan{}, protocol.OutOfRange(fmt.Sprintf("start[%d]", i),
				fmt.Sprintf("a number from %g to %g", -protocol.MaxTrajCoord, protocol.MaxTrajCoord), x)
		}
	}
	if _, err := protocol.Int("steps", &c.Steps, 1, maxSteps); err != nil {
		return Plan{}, protocol.Limited(err, "--max-traj-steps", c.Steps > maxSteps)
	}
	if !protocol.Finite(c.Tol) || c.Tol < 0 || c.Tol > 1e3 {
		return Plan{}, protocol.OutOfRange("tol", "a number from 0 to 1000", c.Tol)
	}
	if err := checkRate("rate", c.Rate); err != nil {
		return Plan{}, err
	}
	configs, err := checkOptimizers(fn, c)
	if err != nil {
		return Plan{}, err
	}
	opts := make([]protocol.TrajOptimizer, len(c.Optimizers))
	for i, o := range c.Optimizers {
		opts[i] = protocol.TrajOptimizer{Method: o.Method, Params: withDefaults(o.Method, o.Params), Label: o.Label}
	}
	created := protocol.TrajCreated{Type: protocol.EvTrajCreated, Fn: fn, Start: c.Start, Optimizers: opts, Steps: c.Steps, Tol: c.Tol,
		StartHessian: startHessian(fn, c.Start, configs)}
	return Plan{fn: fn, configs: configs, rate: c.Rate, created: created}, nil
}

// checkOptimizers validates each optimizer of a set and returns their
// configs.
func checkOptimizers(fn optim.Function, c *protocol.TrajStart) ([]optim.Config, error) {
	n := len(c.Optimizers)
	if n == 0 || n > protocol.MaxTrajOptimizers {
		return nil, protocol.OutOfRange("optimizers", fmt.Sprintf("1 to %d optimizers", protocol.MaxTrajOptimizers), n)
	}
	configs := make([]optim.Config, n)
	for i, o := range c.Optimizers {
		field := fmt.Sprintf("optimizers[%d]", i)
		if err := protocol.Label(field+".label", o.Label); err != nil {
			return nil, err
		}
		if _, ok := optim.Lookup(o.Method); !ok {
			return nil, protocol.Refuse(protocol.CodeUnknown, field+".method", strings.Join(optim.Names(), ", "),
				"unknown method %q", o.Method).With(o.Method)
		}
		configs[i] = optim.Config{Method: o.Method, Params: o.Params}
		if _, err := optim.NewRunner(fn, c.Start, configs[i:i+1], 0, 0); err != nil {
			return nil, protocol.Refuse(protocol.CodeOutOfRange, field+".params", "", "%s", strings.TrimPrefix(err.Error(), "optim: "))
		}
	}
	return configs, nil
}

// CheckControl validates a TrajControl.
func CheckControl(c *protocol.TrajControl) error {
	if c.Traj == "" {
		return protocol.Missing("traj", `a trajectory set id such as "t1"`)
	}
	switch c.Action {
	case protocol.TrajPlay, protocol.TrajPause, protocol.TrajStep, protocol.TrajReset:
	default:
		return protocol.Refuse(protocol.CodeUnknown, "action", "play, pause, step, reset", "unknown action %q", c.Action).With(c.Action)
	}
	return checkRate("rate", c.Rate)
}

func checkRate(field string, r *float64) error {
	if r != nil && (!protocol.Finite(*r) || *r < 0 || *r > protocol.MaxTrajRate) {
		return protocol.OutOfRange(field, fmt.Sprintf("steps per second from 0 (as fast as possible) to %d", protocol.MaxTrajRate), *r)
	}
	return nil
}

// Limits are the surface explorer's limits sent in hello, with maxSteps
// (--max-traj-steps).
func Limits(maxSteps int) protocol.SurfaceLimits {
	return protocol.SurfaceLimits{MaxSteps: maxSteps, MaxOptimizers: protocol.MaxTrajOptimizers, MaxSets: protocol.MaxTrajSets,
		MaxRate: protocol.MaxTrajRate, MaxCoord: protocol.MaxTrajCoord, MinWidth: MinSurfaceWidth, MaxWidth: MaxSurfaceWidth,
		MinPixels: figures.MinSurfacePixels, MaxPixels: figures.MaxSurfacePixels}
}
