package draw

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"descent/mnist"
	"descent/server/protocol"
)

// StartQuery is a validated LearnStart; the server has checked the
// optimizer and its hyperparameters (they are the training's own rules).
type StartQuery struct {
	Req        int64
	Copy       string
	Run, Model string
	Optimizer  string
	Hyper      map[string]float64
}

// StepQuery is a validated LearnStep.
type StepQuery struct {
	Req     int64
	Copy    string
	Picture Picture
	Label   int
	LR      float64
}

// ResetQuery is a validated LearnReset; Optimizer is empty to keep the
// copy's.
type ResetQuery struct {
	Req       int64
	Copy      string
	Optimizer string
	Hyper     map[string]float64
}

// KeepQuery is a validated LearnKeep.
type KeepQuery struct {
	Req        int64
	Copy, Name string
}

var copyName = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// CheckCopyName checks a copy's name: 1 to MaxCopyName letters, digits, '-'
// or '_'.
func CheckCopyName(name string) error {
	allowed := fmt.Sprintf("1 to %d letters, digits, '-' or '_', such as \"c1\"", protocol.MaxCopyName)
	switch {
	case name == "":
		return protocol.Missing("copy", allowed)
	case len(name) > protocol.MaxCopyName:
		return protocol.Refuse(protocol.CodeTooLarge, "copy", allowed, "%d characters", len(name))
	case !copyName.MatchString(name):
		return protocol.Refuse(protocol.CodeInvalid, "copy", allowed, "%q is not a copy's name", name).With(name)
	}
	return nil
}

// CheckModelName checks and trims a kept model's name: 1 to MaxModelName
// characters, without '/', '\', control characters or a leading '.'.
func CheckModelName(name string) (string, error) {
	allowed := fmt.Sprintf("1 to %d characters, without / \\ or control characters", protocol.MaxModelName)
	name = strings.TrimSpace(name)
	switch n := len([]rune(name)); {
	case n == 0:
		return "", protocol.Missing("name", allowed)
	case n > protocol.MaxModelName:
		return "", protocol.Refuse(protocol.CodeTooLarge, "name", allowed, "%d characters", n)
	case strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, ".") ||
		strings.IndexFunc(name, func(r rune) bool { return unicode.IsControl(r) || r == unicode.ReplacementChar }) >= 0:
		return "", protocol.Refuse(protocol.CodeInvalid, "name", allowed, "%q cannot name a model", name).With(name)
	}
	return name, nil
}

// CheckLearnStep validates a LearnStep for a test set of testN images.
func CheckLearnStep(s *protocol.LearnStep, testN int) (StepQuery, error) {
	q := StepQuery{Req: s.Req, Copy: s.Copy}
	if err := CheckCopyName(s.Copy); err != nil {
		return q, err
	}
	pic, err := CheckPicture(&s.Picture, testN)
	if err != nil {
		return q, err
	}
	q.Picture = pic
	if q.Label, err = protocol.Int("label", s.Label, 0, mnist.Classes-1); err != nil {
		return q, err
	}
	lrAllowed := fmt.Sprintf("(0, %g]", float64(mnist.MaxLR))
	switch {
	case s.LR == nil:
		return q, protocol.Missing("lr", lrAllowed)
	case !protocol.Finite(*s.LR) || *s.LR <= 0 || *s.LR > mnist.MaxLR:
		return q, protocol.OutOfRange("lr", lrAllowed, *s.LR)
	}
	q.LR = *s.LR
	return q, nil
}
