package server

import (
	"fmt"
	"math"
	"strings"

	"descent/optim"
	"descent/server/figures"
)

// trajStart validates a TrajStart and returns its function and the
// optimizers as optim configs. Errors name the field ("start[0]",
// "optimizers[1].params").
func (v validator) trajStart(c *TrajStart) (optim.Function, []optim.Config, error) {
	fn, err := optim.NewFunction(c.Fn, c.FnParams)
	if err != nil {
		field := "fn"
		if _, ok := optim.LookupFunction(c.Fn); ok {
			field = "fnParams"
		}
		return fn, nil, fieldErr(field, "", "%s", strings.TrimPrefix(err.Error(), "optim: "))
	}
	for i, x := range c.Start {
		if !finite(x) || math.Abs(x) > MaxTrajCoord {
			return fn, nil, fieldErr(fmt.Sprintf("start[%d]", i), fmt.Sprintf("a number from %g to %g", -MaxTrajCoord, MaxTrajCoord),
				"%g is out of range", x)
		}
	}
	if _, err := rangeInt("steps", &c.Steps, 1, v.lim().MaxTrajSteps); err != nil {
		return fn, nil, limited(err, "--max-traj-steps")
	}
	if !finite(c.Tol) || c.Tol < 0 || c.Tol > 1e3 {
		return fn, nil, fieldErr("tol", "a number from 0 to 1000", "%g is out of range", c.Tol)
	}
	if err := checkRate("rate", c.Rate); err != nil {
		return fn, nil, err
	}
	n := len(c.Optimizers)
	if n == 0 || n > MaxTrajOptimizers {
		return fn, nil, fieldErr("optimizers", fmt.Sprintf("1 to %d optimizers", MaxTrajOptimizers), "%d optimizers", n)
	}
	configs := make([]optim.Config, n)
	for i, o := range c.Optimizers {
		field := fmt.Sprintf("optimizers[%d]", i)
		if err := checkLabel(field+".label", o.Label); err != nil {
			return fn, nil, err
		}
		if _, ok := optim.Lookup(o.Method); !ok {
			return fn, nil, fieldErr(field+".method", strings.Join(optim.Names(), ", "), "unknown method %q", o.Method)
		}
		configs[i] = optim.Config{Method: o.Method, Params: o.Params}
		if _, err := optim.NewRunner(fn, c.Start, configs[i:i+1], 0, 0); err != nil {
			return fn, nil, fieldErr(field+".params", "", "%s", strings.TrimPrefix(err.Error(), "optim: "))
		}
	}
	return fn, configs, nil
}

// trajControl validates a TrajControl.
func (v validator) trajControl(c *TrajControl) error {
	if c.Traj == "" {
		return fieldErr("traj", `a trajectory set id such as "t1"`, "missing")
	}
	switch c.Action {
	case TrajPlay, TrajPause, TrajStep, TrajReset:
	default:
		return fieldErr("action", "play, pause, step, reset", "unknown action %q", c.Action)
	}
	return checkRate("rate", c.Rate)
}

func checkRate(field string, r *float64) error {
	if r != nil && (!finite(*r) || *r < 0 || *r > MaxTrajRate) {
		return fieldErr(field, fmt.Sprintf("steps per second from 0 (as fast as possible) to %d", MaxTrajRate),
			"%g is out of range", *r)
	}
	return nil
}

// surfaceLimits are the limits sent in hello.
func surfaceLimits() SurfaceLimits {
	return SurfaceLimits{MaxSteps: MaxTrajSteps, MaxOptimizers: MaxTrajOptimizers, MaxSets: MaxTrajSets,
		MaxRate: MaxTrajRate, MaxCoord: MaxTrajCoord, MinWidth: MinSurfaceWidth, MaxWidth: MaxSurfaceWidth,
		MinPixels: figures.MinSurfacePixels, MaxPixels: figures.MaxSurfacePixels}
}
