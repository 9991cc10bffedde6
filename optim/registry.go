package optim

import (
	"fmt"
	"sort"
	"strings"
)

// Kind says what a method needs besides the gradient ∇J.
type Kind int

const (
	// FirstOrder methods need only ∇J; they train the network too.
	FirstOrder Kind = iota
	// SecondOrder methods need the Hessian H = ∇²J (Newton).
	SecondOrder
	// LineSearch methods choose each step size by searching along a direction
	// (conjugate gradient, BFGS), evaluating J several times per step.
	LineSearch
)

var kindNames = [...]string{"firstOrder", "secondOrder", "lineSearch"}

// String returns "firstOrder", "secondOrder" or "lineSearch".
func (k Kind) String() string { return kindNames[k] }

// MarshalText writes the kind as its String, for JSON.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Spec describes a registered method for the page and the command line.
type Spec struct {
	// Name is the registry name, such as "adam".
	Name string `json:"name"`
	// Title is the human name, such as "Adam".
	Title string `json:"title"`
	// Formula is the update in the report's notation, such as "θ ← θ − α∇J(θ)".
	Formula string `json:"formula"`
	// Kind says what the method needs besides the gradient.
	Kind Kind `json:"kind"`
	// Params are the hyperparameters with torch's defaults and allowed ranges.
	Params []Param `json:"params"`
	// NeedsHessian is true for methods that evaluate H = ∇²J.
	NeedsHessian bool `json:"needsHessian"`
	// Network is true for the methods that can train the network (first order).
	Network bool `json:"network"`
	// NetworkLR is the rate α the page starts this method at on the report's
	// network: 0.1 for plain SGD (the report's), α/(1 − μ) = 0.1 for the
	// momentum methods, and the usual rates of the adaptive ones; each
	// reaches 92–94 % after one epoch (seed 1). The surfaces use the lr
	// Param's default instead.
	NetworkLR float64 `json:"networkLR,omitempty"`
	// WhyNotNetwork explains, for the others, why they are for surfaces only.
	WhyNotNetwork string `json:"whyNotNetwork,omitempty"`
}

// Param is one hyperparameter: its default (torch's, for torch's methods),
// its allowed range [Min, Max] (with MinOpen/MaxOpen excluding an end), and
// whether a slider should be logarithmic. Booleans are 0 or 1.
type Param struct {
	// Name is the key in the hyperparameter map, such as "beta1".
	Name string `json:"name"`
	// Default is the value a missing key takes.
	Default float64 `json:"default"`
	// Min and Max bound the allowed values; MinOpen and MaxOpen exclude them.
	Min     float64 `json:"min"`
	Max     float64 `json:"max"`
	MinOpen bool    `json:"minOpen,omitempty"`
	MaxOpen bool    `json:"maxOpen,omitempty"`
	// Log asks for a logarithmic slider.
	Log bool `json:"log,omitempty"`
	// Bool marks a switch, 0 or 1.
	Bool bool `json:"bool,omitempty"`
	// Doc names the symbol and says what it does, such as "momentum μ".
	Doc string `json:"doc"`
}

// Range writes the allowed range as "[0, 1)".
func (p Param) Range() string {
	lo, hi := "[", "]"
	if p.MinOpen {
		lo = "("
	}
	if p.MaxOpen {
		hi = ")"
	}
	return fmt.Sprintf("%s%g, %g%s", lo, p.Min, p.Max, hi)
}

// Check returns an error naming the method, the parameter and its range if v
// is not finite, outside the range, or (for a boolean) not 0 or 1.
func (p Param) Check(method string, v float64) error {
	if p.Bool && v != 0 && v != 1 {
		return fmt.Errorf("optim: %s: %s = %g must be 0 or 1", method, p.Name, v)
	}
	if v != v || v < p.Min || v > p.Max || (p.MinOpen && v == p.Min) || (p.MaxOpen && v == p.Max) {
		return fmt.Errorf("optim: %s: %s = %g is out of range %s", method, p.Name, v, p.Range())
	}
	return nil
}

// Specs returns every registered method, first-order methods first.
func Specs() []Spec { return append([]Spec(nil), specs...) }

// Lookup returns the method registered under name.
func Lookup(name string) (Spec, bool) {
	for _, s := range specs {
		if s.Name == name {
			return s, true
		}
	}
	return Spec{}, false
}

// Names returns the registered method names in registry order.
func Names() []string {
	names := make([]string, len(specs))
	for i, s := range specs {
		names[i] = s.Name
	}
	return names
}

// New returns the first-order method registered under name, for parameters of
// type T, with its hyperparameters from hp (booleans as 0 or 1; missing keys
// take torch's defaults). Unknown names and keys, non-finite and out-of-range
// values are errors that start with "optim: " and name the field and its
// range. Newton, CG and BFGS return an error wrapping ErrNeedsSurface.
func New[T Float](name string, hp map[string]float64) (Method[T], error) {
	spec, vals, err := resolveSpec(name, hp)
	if err != nil {
		return nil, err
	}
	if !spec.Network {
		return nil, surfaceOnlyError{name: name, reason: spec.WhyNotNetwork}
	}
	return newFirstOrder[T](spec.Name, vals)
}

// resolveSpec looks name up and validates hp against its Params.
func resolveSpec(name string, hp map[string]float64) (Spec, map[string]float64, error) {
	spec, ok := Lookup(name)
	if !ok {
		return Spec{}, nil, fmt.Errorf("%w %q; known: %s", ErrUnknownMethod, name, strings.Join(Names(), ", "))
	}
	vals, err := resolve(name, spec.Params, hp)
	if err != nil {
		return Spec{}, nil, err
	}
	return spec, vals, crossCheck(name, vals)
}

// resolve checks hp against params and fills in the defaults.
func resolve(name string, params []Param, hp map[string]float64) (map[string]float64, error) {
	vals := make(map[string]float64, len(params))
	for _, p := range params {
		vals[p.Name] = p.Default
	}
	keys := make([]string, 0, len(hp))
	for k := range hp {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		p, ok := findParam(params, k)
		if !ok {
			return nil, fmt.Errorf("optim: %s: unknown hyperparameter %q; known: %s", name, k, paramNames(params))
		}
		if err := p.Check(name, hp[k]); err != nil {
			return nil, err
		}
		vals[k] = hp[k]
	}
	return vals, nil
}

// crossCheck applies torch's rules that involve two hyperparameters.
func crossCheck(name string, v map[string]float64) error {
	if v["nesterov"] == 1 && (v["momentum"] <= 0 || v["dampening"] != 0) {
		return fmt.Errorf("optim: %s: nesterov needs momentum > 0 and dampening = 0 (momentum = %g, dampening = %g)",
			name, v["momentum"], v["dampening"])
	}
	return nil
}

func findParam(params []Param, name string) (Param, bool) {
	for _, p := range params {
		if p.Name == name {
			return p, true
		}
	}
	return Param{}, false
}

func paramNames(params []Param) string {
	if len(params) == 0 {
		return "none"
	}
	names := make([]string, len(params))
	for i, p := range params {
		names[i] = p.Name
	}
	return strings.Join(names, ", ")
}
