package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"descent/mnist"
	"descent/server/protocol"
)

// validator checks commands against the limits of one server.
type validator struct {
	trainN int     // training images, for the number of steps of a run
	testN  int     // test images, that a picture's testIndex may name
	limits *Limits // the server's; nil for the defaults
}

// head reads a frame's type and req, after checking its size against the
// largest frame any command may have.
func (v validator) head(frame []byte) (typ string, req int64, err error) {
	if len(frame) > v.readLimit() {
		return "", 0, protocol.Refuse(protocol.CodeTooLarge, "", fmt.Sprintf("at most %d bytes (--max-message), %d for predict",
			v.frameLimit(""), v.frameLimit(protocol.CmdPredict)), "frame of %d bytes is too large", len(frame))
	}
	var head struct {
		Type json.RawMessage `json:"type"`
		Req  json.RawMessage `json:"req"`
	}
	if err := json.Unmarshal(frame, &head); err != nil {
		return "", 0, protocol.Refuse(protocol.CodeInvalid, "", "a JSON object", "not valid JSON: %v", err)
	}
	_ = json.Unmarshal(head.Req, &req) // a bad req is reported by the strict decode
	if head.Type == nil {
		return "", req, protocol.Missing("type", commandNames())
	}
	if err := json.Unmarshal(head.Type, &typ); err != nil {
		return "", req, protocol.Refuse(protocol.CodeBadType, "type", commandNames(), "must be a string")
	}
	return typ, req, nil
}

// decodeStrict decodes frame into dst, refusing unknown fields, and turns
// encoding/json's errors into a *protocol.FieldError naming the field.
func decodeStrict(frame []byte, dst any) error {
	dec := json.NewDecoder(bytes.NewReader(frame))
	dec.DisallowUnknownFields()
	err := dec.Decode(dst)
	var te *json.UnmarshalTypeError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &te):
		field := jsonPath(te.Field)
		if strings.HasPrefix(te.Value, "number") && strings.Contains(te.Type.String(), "float") {
			v := strings.TrimPrefix(te.Value, "number ")
			return protocol.OutOfRange(field, "a finite number", v)
		}
		return protocol.Refuse(protocol.CodeBadType, field, "a value of type "+jsonType(te.Type.String()), "got %s", te.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return protocol.Refuse(protocol.CodeUnknown, name, "", "unknown field")
	}
	return protocol.Refuse(protocol.CodeInvalid, "", "a JSON object", "not valid JSON: %v", err)
}

// jsonPath drops from a decoding error's field path the names of embedded
// Go structs (protocol.Picture): the protocol's JSON names are camelCase, so
// an element that begins with a capital is one.
func jsonPath(field string) string {
	parts := strings.Split(field, ".")
	kept := parts[:0]
	for _, p := range parts {
		if p == "" || !unicode.IsUpper(rune(p[0])) {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, ".")
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

func checkRunID(id string) error {
	if id == "" {
		return protocol.Missing("run", `a run id such as "r1"`)
	}
	return nil
}

// checkRename validates a Rename: a run id and a name of 1 to MaxName
// characters, trimmed.
func checkRename(c *protocol.Rename) (string, error) {
	if err := checkRunID(c.Run); err != nil {
		return "", err
	}
	allowed := fmt.Sprintf("1 to %d characters", protocol.MaxName)
	name := strings.TrimSpace(c.Name)
	if name == "" {
		return "", protocol.Missing("name", allowed)
	}
	if n := len([]rune(name)); n > protocol.MaxName {
		return "", protocol.Refuse(protocol.CodeTooLarge, "name", allowed, "%d characters", n)
	}
	return name, nil
}

// sweep merges each variant into the base and validates the result; errors
// name "variants[i].field" for a field the variant set, "base.field" else.
func (v validator) sweep(s *protocol.Sweep) ([]mnist.Config, error) {
	if len(s.Variants) == 0 || len(s.Variants) > protocol.MaxSweep {
		return nil, protocol.OutOfRange("variants", fmt.Sprintf("1 to %d variants", protocol.MaxSweep), len(s.Variants))
	}
	cfgs := make([]mnist.Config, len(s.Variants))
	for i, va := range s.Variants {
		set := map[string]bool{"optimizer": va.Optimizer != nil, "hyper": va.Hyper != nil, "lr": va.LR != nil, "batch": va.Batch != nil}
		name := func(f string) string {
			if set[strings.SplitN(f, ".", 2)[0]] {
				return fmt.Sprintf("variants[%d].%s", i, f)
			}
			return "base." + f
		}
		if err := protocol.Label(fmt.Sprintf("variants[%d].label", i), va.Label); err != nil {
			return nil, err
		}
		cfg, err := v.config(s.Base.With(va), name)
		if err != nil {
			return nil, err
		}
		cfgs[i] = cfg
	}
	return cfgs, nil
}
