package server

import (
	"fmt"

	"descent/mnist"
	"descent/server/protocol"
)

// trainExamples checks config.trainExamples: 0 (all) to the training
// images.
func (v validator) trainExamples(n int, field string) (int, error) {
	if n < 0 || n > max(v.trainN, 1) {
		return 0, protocol.OutOfRange(field, fmt.Sprintf("0 (all) to %d training images", v.trainN), n)
	}
	return n, nil
}

// trainSize is the number of training images a run trains on.
func (v validator) trainSize(cfg mnist.Config) int {
	if cfg.TrainExamples > 0 {
		return cfg.TrainExamples
	}
	return v.trainN
}

// sharpness checks a start's or a sweep's sharpness option for runs like
// cfg and returns their tracking's probe set, 0 when they are not tracked:
// byDefault says whether runs without the option are (a start's are, a
// sweep's are not). A network past --max-hessian-params is refused when
// tracking was asked for, and left untracked when it was the default.
func (v validator) sharpness(o *protocol.SharpnessOption, byDefault bool, cfg mnist.Config) (int, error) {
	if (o == nil && !byDefault) || (o != nil && o.Track != nil && !*o.Track) {
		return 0, nil
	}
	lim := v.lim()
	if p := Params(cfg.Arch); p > lim.MaxHessianParams {
		if o == nil {
			return 0, nil
		}
		return 0, protocol.Refuse(protocol.CodeLimit, "sharpness", fmt.Sprintf("networks of at most %d parameters (--max-hessian-params)", lim.MaxHessianParams),
			"the network %v has %d parameters, too many to track its sharpness; use a smaller one or leave sharpness out", cfg.Arch.Hidden, p)
	}
	n := v.trainSize(cfg)
	if o == nil || o.Examples == 0 {
		return max(min(protocol.DefaultSharpnessExamples, n, lim.MaxHessianExamples), 1), nil
	}
	return checkExamples("sharpness.examples", o.Examples, n, lim.MaxHessianExamples)
}

// checkExamples checks a probe set of k images against the n images of a
// run's training set and --max-hessian-examples.
func checkExamples(field string, k, n, limit int) (int, error) {
	top := min(n, limit)
	allowed := fmt.Sprintf("1 to %d training images", top)
	if n > limit {
		allowed = fmt.Sprintf("1 to %d training images (--max-hessian-examples)", top)
	}
	switch {
	case k < 1:
		return 0, protocol.OutOfRange(field, allowed, k)
	case k > limit && limit < n:
		e := protocol.OutOfRange(field, allowed, k)
		e.Code = protocol.CodeLimit
		return 0, e
	case k > n:
		return 0, protocol.Refuse(protocol.CodeOutOfRange, field, allowed, "%d is more than the %d training images of the run", k, n).With(k)
	}
	return k, nil
}
