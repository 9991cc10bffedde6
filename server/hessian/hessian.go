// Package hessian is the Hessian panel on the server: a page's hessian
// command is checked (Check), its weights found (Resolve: a live run's
// current weights, taken between two steps, or its last epoch's; a stored
// run's last checkpoint; a saved model), and its Hessian analysed
// (Analyze: mnist.AnalyzeHessian's top eigenvalues, trace and density, in
// float64, with progress) into a protocol.HessianResult with the sharpest
// direction drawn as first-layer tiles. The server runs Resolve and Analyze
// through package analysis, one at a time per page, below training's
// priority. Errors say "server:", as the server's own do.
package hessian

import (
	"fmt"

	"descent/mnist"
	"descent/server/protocol"
)

// Request is a checked hessian command.
type Request struct {
	Req     int64
	Run     string // a run id, or
	Model   string // a saved model's name
	At      string // protocol.AtCurrent or AtEpoch, for a run
	Top     int    // 1 to protocol.MaxHessianTop
	Density bool
	// Examples is the probe set asked for, at most --max-hessian-examples;
	// 0 for the default, which depends on the run (Resolve).
	Examples int
}

// Check validates a hessian command; maxExamples is --max-hessian-examples.
func Check(w *protocol.Hessian, maxExamples int) (Request, error) {
	r := Request{Run: w.Run, Model: w.Model, At: w.At, Top: w.Top, Density: w.Density, Examples: w.Examples}
	switch {
	case r.Run == "" && r.Model == "":
		return r, protocol.Missing("run", `a run id such as "r1", or a model from hello.models`)
	case r.Run != "" && r.Model != "":
		return r, protocol.Refuse(protocol.CodeInvalid, "model", "a run or a model, not both", "both a run and a model")
	case r.Model != "" && r.At != "":
		return r, protocol.Refuse(protocol.CodeInvalid, "at", "none for a model", "a model has one set of weights")
	}
	if r.At == "" && r.Run != "" {
		r.At = protocol.AtCurrent
	}
	if r.Run != "" && r.At != protocol.AtCurrent && r.At != protocol.AtEpoch {
		return r, protocol.Refuse(protocol.CodeUnknown, "at", protocol.AtCurrent+", "+protocol.AtEpoch, "unknown weights %q", r.At).With(r.At)
	}
	if r.Top == 0 {
		r.Top = protocol.DefaultHessianTop
	}
	if r.Top < 1 || r.Top > protocol.MaxHessianTop {
		return r, protocol.OutOfRange("top", fmt.Sprintf("1 to %d eigenvalues", protocol.MaxHessianTop), r.Top)
	}
	if r.Examples < 0 || r.Examples > maxExamples {
		e := protocol.OutOfRange("examples", fmt.Sprintf("1 to %d training images (--max-hessian-examples)", maxExamples), r.Examples)
		if r.Examples > maxExamples {
			e.Code = protocol.CodeLimit
		}
		return r, e
	}
	return r, nil
}

// Target is the weights a Hessian is taken at, and where they come from.
type Target struct {
	Model *mnist.Model
	Train *mnist.Dataset // the training set the weights were trained on: the probe set is its first Examples images
	At    string         // protocol.AtCurrent, AtEpoch or AtModel
	Step  int            // steps behind the weights
	Epoch int            // epochs behind the weights
	// Examples is the probe set, resolved: the request's, or the default
	// for the training set.
	Examples int
}

// checkTarget refuses what a Hessian cannot be taken of: a network past
// maxParams, a probe set larger than the training set, weights that are not
// finite.
func checkTarget(t *Target, r Request, maxParams int) error {
	if n := t.Model.Arch.NumParams(); n > maxParams {
		return protocol.Refuse(protocol.CodeLimit, "", fmt.Sprintf("networks of at most %d parameters (--max-hessian-params)", maxParams),
			"the network %s has %d parameters, too many for its Hessian", t.Model.Arch, n)
	}
	n := t.Train.N
	switch {
	case r.Examples == 0:
		t.Examples = min(protocol.DefaultSharpnessExamples, n)
	case r.Examples > n:
		return protocol.Refuse(protocol.CodeOutOfRange, "examples", fmt.Sprintf("1 to %d training images", n),
			"%d is more than the %d training images the network was trained on", r.Examples, n).With(r.Examples)
	default:
		t.Examples = r.Examples
	}
	for _, v := range t.Model.Params {
		if !protocol.Finite(float64(v)) {
			return protocol.Refuse(protocol.CodeInvalid, "at", protocol.AtEpoch, "the weights %s are not finite (the run diverged); ask for its last epoch's", describe(t, r))
		}
	}
	return nil
}

// describe names the weights of t for messages: "of run r3 after step 420".
func describe(t *Target, r Request) string {
	if r.Model != "" {
		return "of model " + r.Model
	}
	return fmt.Sprintf("of run %s after step %d", r.Run, t.Step)
}
