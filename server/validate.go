package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"

	"descent/mnist"
)

// Limits on commands, beyond those of mnist.Config.
const (
	// MaxCommandBytes bounds a command frame: the largest, a sweep of MaxSweep
	// variants with every hyperparameter, takes about 4 KB.
	MaxCommandBytes = 16 << 10
	// MaxSweep is the number of runs one sweep may start.
	MaxSweep = 12
	// MaxSteps bounds a run's length, epochs × ⌈60000/batch⌉, so that its
	// full-resolution history (20 bytes a step) stays under 120 MB.
	MaxSteps = 6_000_000
	// MaxSeed is 2⁵³, the largest integer a JavaScript number holds exactly.
	MaxSeed = 1 << 53
	// MaxLabel bounds a run's label, in characters.
	MaxLabel = 40
)

// FieldError is a refused command: the field (a path such as "config.lr"),
// its allowed range, and what was wrong.
type FieldError struct {
	Field   string
	Allowed string
	Message string
}

func (e *FieldError) Error() string {
	s := "server: "
	if e.Field != "" {
		s += e.Field + ": "
	}
	s += e.Message
	if e.Allowed != "" {
		s += " (allowed: " + e.Allowed + ")"
	}
	return s
}

func fieldErr(field, allowed, format string, a ...any) *FieldError {
	return &FieldError{Field: field, Allowed: allowed, Message: fmt.Sprintf(format, a...)}
}

// validator checks commands against the limits of one server.
type validator struct {
	trainN int     // training images, for the number of steps of a run
	limits *Limits // the server's (limits.go); nil for the defaults
}

// commandTypes lists the command types for error messages.
var commandTypes = strings.Join([]string{CmdStart, CmdSweep, CmdPause, CmdResume, CmdStop,
	CmdDelete, CmdSubscribe, CmdUnsubscribe, CmdList, CmdPredict, CmdRestart, CmdRename,
	CmdTrajStart, CmdTrajControl, CmdTrajDelete}, ", ")

// parse decodes one frame into a command struct (*Start, *Sweep, *RunCommand,
// *Subscribe or *List), or returns the type it could read, its req, and a
// *FieldError.
func (v validator) parse(frame []byte) (cmd any, typ string, req int64, err error) {
	if len(frame) > v.readLimit() {
		return nil, "", 0, fieldErr("", fmt.Sprintf("at most %d bytes (--max-message), %d for predict", v.frameLimit(""), v.frameLimit(CmdPredict)),
			"frame of %d bytes is too large", len(frame))
	}
	var head struct {
		Type json.RawMessage `json:"type"`
		Req  json.RawMessage `json:"req"`
	}
	if err := json.Unmarshal(frame, &head); err != nil {
		return nil, "", 0, fieldErr("", "a JSON object", "not valid JSON: %v", err)
	}
	_ = json.Unmarshal(head.Req, &req) // a bad req is reported by the strict decode below
	if head.Type == nil {
		return nil, "", req, fieldErr("type", commandTypes, "missing")
	}
	if err := json.Unmarshal(head.Type, &typ); err != nil {
		return nil, "", req, fieldErr("type", commandTypes, "must be a string")
	}
	switch typ {
	case CmdStart:
		cmd = new(Start)
	case CmdSweep:
		cmd = new(Sweep)
	case CmdPause, CmdResume, CmdStop, CmdDelete, CmdUnsubscribe, CmdRestart:
		cmd = new(RunCommand)
	case CmdRename:
		cmd = new(Rename)
	case CmdSubscribe:
		cmd = new(Subscribe)
	case CmdList:
		cmd = new(List)
	case CmdPredict:
		cmd = new(Predict)
	case CmdTrajStart:
		cmd = new(TrajStart)
	case CmdTrajControl:
		cmd = new(TrajControl)
	case CmdTrajDelete:
		cmd = new(TrajCommand)
	default:
		return nil, typ, req, fieldErr("type", commandTypes, "unknown command %q", typ)
	}
	if limit := v.frameLimit(typ); len(frame) > limit {
		return nil, typ, req, fieldErr("", fmt.Sprintf("at most %d bytes (--max-message)", limit), "frame of %d bytes is too large", len(frame))
	}
	if err := decodeStrict(frame, cmd); err != nil {
		return nil, typ, req, err
	}
	return cmd, typ, req, v.check(cmd)
}

// decodeStrict decodes frame into dst, refusing unknown fields, and turns
// encoding/json's errors into a *FieldError naming the field.
func decodeStrict(frame []byte, dst any) error {
	dec := json.NewDecoder(bytes.NewReader(frame))
	dec.DisallowUnknownFields()
	err := dec.Decode(dst)
	var te *json.UnmarshalTypeError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &te):
		field := te.Field
		if strings.HasPrefix(te.Value, "number") && strings.Contains(te.Type.String(), "float") {
			return fieldErr(field, "a finite number", "%s is out of range", strings.TrimPrefix(te.Value, "number "))
		}
		return fieldErr(field, "a value of type "+jsonType(te.Type.String()), "got %s", te.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return fieldErr(name, "", "unknown field")
	}
	return fieldErr("", "a JSON object", "not valid JSON: %v", err)
}

// jsonType names a Go type the way the page thinks of it.
func jsonType(goType string) string {
	switch {
	case strings.Contains(goType, "int"):
		return "integer"
	case strings.Contains(goType, "float"):
		return "number"
	case strings.Contains(goType, "bool"):
		return "boolean"
	case strings.Contains(goType, "string"):
		return "string"
	case strings.HasPrefix(goType, "[]"):
		return "array"
	}
	return "object"
}

// check validates a decoded command's values.
func (v validator) check(cmd any) error {
	switch c := cmd.(type) {
	case *Start:
		if err := checkLabel("label", c.Label); err != nil {
			return err
		}
		_, err := v.config(c.Config, func(f string) string { return "config." + f })
		return err
	case *Sweep:
		_, err := v.sweep(c)
		return err
	case *RunCommand:
		return checkRunID(c.Run)
	case *Rename:
		return checkRename(c)
	case *Predict:
		return checkPredict(c)
	case *TrajStart:
		_, _, err := v.trajStart(c)
		return err
	case *TrajControl:
		return v.trajControl(c)
	case *TrajCommand:
		if c.Traj == "" {
			return fieldErr("traj", `a trajectory set id such as "t1"`, "missing")
		}
	case *Subscribe:
		if c.From < 0 {
			return fieldErr("from", "a step number ≥ 0", "%d is negative", c.From)
		}
		return checkRunID(c.Run)
	}
	return nil
}

func checkRunID(id string) error {
	if id == "" {
		return fieldErr("run", "a run id such as \"r1\"", "missing")
	}
	return nil
}

func checkLabel(field, s string) error {
	if n := len([]rune(s)); n > MaxLabel {
		return fieldErr(field, fmt.Sprintf("at most %d characters", MaxLabel), "%d characters", n)
	}
	return nil
}

// sweep merges each variant into the base and validates the result; errors
// name "variants[i].field" for a field the variant set, "base.field" else.
func (v validator) sweep(s *Sweep) ([]mnist.Config, error) {
	if len(s.Variants) == 0 || len(s.Variants) > MaxSweep {
		return nil, fieldErr("variants", fmt.Sprintf("1 to %d variants", MaxSweep), "%d variants", len(s.Variants))
	}
	cfgs := make([]mnist.Config, len(s.Variants))
	for i, va := range s.Variants {
		name := func(f string) string {
			set := map[string]bool{"optimizer": va.Optimizer != nil, "hyper": va.Hyper != nil,
				"lr": va.LR != nil, "batch": va.Batch != nil}
			if set[strings.SplitN(f, ".", 2)[0]] {
				return fmt.Sprintf("variants[%d].%s", i, f)
			}
			return "base." + f
		}
		if err := checkLabel(fmt.Sprintf("variants[%d].label", i), va.Label); err != nil {
			return nil, err
		}
		cfg, err := v.config(s.Base.with(va), name)
		if err != nil {
			return nil, err
		}
		cfgs[i] = cfg
	}
	return cfgs, nil
}

// with returns the base with the variant's fields set.
func (rc RunConfig) with(va Variant) RunConfig {
	if va.Optimizer != nil {
		rc.Optimizer = va.Optimizer
		rc.Hyper = nil
	}
	if va.Hyper != nil {
		rc.Hyper = va.Hyper
	}
	if va.LR != nil {
		rc.LR = va.LR
	}
	if va.Batch != nil {
		rc.Batch = va.Batch
	}
	return rc
}

// rangeInt checks lo ≤ *p ≤ hi for a required integer field.
func rangeInt(name string, p *int, lo, hi int) (int, error) {
	allowed := fmt.Sprintf("an integer from %d to %d", lo, hi)
	if p == nil {
		return 0, fieldErr(name, allowed, "missing")
	}
	if *p < lo || *p > hi {
		return 0, fieldErr(name, allowed, "%d is out of range", *p)
	}
	return *p, nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
