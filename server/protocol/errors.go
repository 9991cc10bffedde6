package protocol

import (
	"errors"
	"fmt"
	"math"
)

// Error refuses a command. Code names the kind of refusal (the Code*
// constants) so that the page can say it in its own language; Field names
// the offending field as a path such as "config.lr" or "variants[2].batch",
// Value the offending value and Allowed its allowed values or range; they
// are empty when the frame as a whole is bad. Message says it all in
// English. The connection stays open.
//
//	{"type":"error","req":1,"command":"start","code":"outOfRange","field":"config.lr","value":"0","allowed":"(0, 1000]","message":"0 is out of range"}
type Error struct {
	Type    string `json:"type"`
	Req     int64  `json:"req,omitempty"`
	Command string `json:"command,omitempty"`
	Code    string `json:"code,omitempty"`
	Field   string `json:"field,omitempty"`
	Value   string `json:"value,omitempty"`
	Allowed string `json:"allowed,omitempty"`
	Message string `json:"message"`
}

// Codes of Error, one per kind of refusal.
const (
	CodeMissing    = "missing"    // a required field is absent
	CodeOutOfRange = "outOfRange" // a number or a length outside its range
	CodeUnknown    = "unknown"    // a name that is not known: a run, an optimizer, a model, a field…
	CodeBadType    = "badType"    // a value of the wrong JSON type
	CodeTooLarge   = "tooLarge"   // a frame or a value too large
	CodeLimit      = "limit"      // a limit of the server; Allowed names its flag
	CodeEnded      = "ended"      // the run has already ended
	CodeBusy       = "busy"       // try again shortly
	CodeWatchOnly  = "watchOnly"  // a watch-only link cannot do this
	CodeRate       = "rate"       // too many messages
	CodeInvalid    = "invalid"    // anything else
)

// FieldError is a refused command: its code, the field (a path such as
// "config.lr"), the offending value, its allowed range, and what was wrong.
// It becomes an Error event.
type FieldError struct {
	Code    string
	Field   string
	Value   string
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

// Refuse returns a FieldError of the given code.
func Refuse(code, field, allowed, format string, a ...any) *FieldError {
	return &FieldError{Code: code, Field: field, Allowed: allowed, Message: fmt.Sprintf(format, a...)}
}

// Missing refuses a required field that is absent.
func Missing(field, allowed string) *FieldError {
	return Refuse(CodeMissing, field, allowed, "missing")
}

// OutOfRange refuses value v of field.
func OutOfRange(field, allowed string, v any) *FieldError {
	e := Refuse(CodeOutOfRange, field, allowed, "%v is out of range", v)
	e.Value = fmt.Sprint(v)
	return e
}

// With returns e with its Value set to v.
func (e *FieldError) With(v any) *FieldError {
	e.Value = fmt.Sprint(v)
	return e
}

// Event turns a FieldError into the Error event that answers command
// typ with req.
func (e *FieldError) Event(typ string, req int64) Error {
	return Error{Type: EvError, Req: req, Command: typ, Code: e.Code, Field: e.Field, Value: e.Value,
		Allowed: e.Allowed, Message: e.Message}
}

// ErrorEvent turns any error into the Error event that answers command typ
// with req: a FieldError keeps its code and field; another error is
// CodeInvalid with its message.
func ErrorEvent(typ string, req int64, err error) Error {
	var fe *FieldError
	if !errors.As(err, &fe) {
		fe = &FieldError{Code: CodeInvalid, Message: err.Error()}
	}
	return fe.Event(typ, req)
}

// Int checks lo ≤ *p ≤ hi for a required integer field.
func Int(field string, p *int, lo, hi int) (int, error) {
	allowed := fmt.Sprintf("an integer from %d to %d", lo, hi)
	if p == nil {
		return 0, Missing(field, allowed)
	}
	if *p < lo || *p > hi {
		return 0, OutOfRange(field, allowed, *p)
	}
	return *p, nil
}

// Label checks a label of at most MaxLabel characters.
func Label(field, s string) error {
	if n := len([]rune(s)); n > MaxLabel {
		return Refuse(CodeTooLarge, field, fmt.Sprintf("at most %d characters", MaxLabel), "%d characters", n)
	}
	return nil
}

// Limited adds the flag that sets a server limit to a refusal's allowed
// range, and marks it as a refusal by that limit (CodeLimit) when over is
// set: the value passed the limit, rather than being wrong in itself.
func Limited(err error, flag string, over bool) error {
	if fe, ok := err.(*FieldError); ok {
		fe.Allowed += " (" + flag + ")"
		if over {
			fe.Code = CodeLimit
		}
	}
	return err
}

// Finite reports whether x is neither NaN nor ±Inf.
func Finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
