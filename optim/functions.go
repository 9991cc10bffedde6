package optim

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Function is a 2-D test surface J(x, y) with its analytic gradient ∇J and
// Hessian H = ∇²J. F, Grad and Hess allocate nothing, so a server can
// evaluate them on a grid and the runner at every step. Each is evaluated as
// the reference script evaluated it in PyTorch (left to right, x*x rather
// than a power, products rounded before they are added), which makes the
// reference trajectories of testdata/ reproducible to the bit.
type Function struct {
	// Name is the registry name, such as "rosenbrock".
	Name string `json:"name"`
	// Title is the human name, such as "Rosenbrock".
	Title string `json:"title"`
	// Formula is J(x, y) in the report's notation.
	Formula string `json:"formula"`
	// F returns J(x, y).
	F func(x, y float64) float64 `json:"-"`
	// Grad returns ∇J = (∂J/∂x, ∂J/∂y).
	Grad func(x, y float64) (gx, gy float64) `json:"-"`
	// Hess returns the entries of the symmetric H = [[hxx, hxy], [hxy, hyy]].
	Hess func(x, y float64) (hxx, hxy, hyy float64) `json:"-"`
	// Domain is the display window (xmin, xmax, ymin, ymax).
	Domain [4]float64 `json:"domain"`
	// Minima are the known global minimisers, where J = FMin (none for the saddle).
	Minima [][2]float64 `json:"minima"`
	// FMin is J at the global minima (0 when there are none).
	FMin float64 `json:"fMin"`
	// Unbounded says that J has no minimum (it goes to −∞, as the saddle's does).
	Unbounded bool `json:"unbounded,omitempty"`
	// Saddles are the known saddle points, where ∇J = 0 but H is indefinite.
	Saddles [][2]float64 `json:"saddles,omitempty"`
	// Starts are standard start points, the first being the default.
	Starts []Start `json:"starts"`
	// LogLevels says that contours look best on log(J − FMin + 1).
	LogLevels bool `json:"logLevels"`
	// Params are the function's own parameters (the quadratic's condition
	// number and angle), settable through NewFunction.
	Params []Param `json:"params,omitempty"`
}

// Start is a standard start point and where it comes from.
type Start struct {
	// X is the start point (x, y).
	X [2]float64 `json:"x"`
	// Source cites where the start comes from.
	Source string `json:"source"`
}

// Functions returns every test function in the order the page lists them.
// The slices inside are shared: do not modify them.
func Functions() []Function {
	return []Function{
		Quadratic(25, 0), rosenbrock, beale, himmelblau, booth, saddle,
		rastrigin, sixHumpCamel, styblinskiTang, goldsteinPrice,
	}
}

// LookupFunction returns the function registered under name, with default
// parameters.
func LookupFunction(name string) (Function, bool) {
	for _, f := range Functions() {
		if f.Name == name {
			return f, true
		}
	}
	return Function{}, false
}

// FunctionNames returns the registered names, sorted.
func FunctionNames() []string {
	var names []string
	for _, f := range Functions() {
		names = append(names, f.Name)
	}
	sort.Strings(names)
	return names
}

// NewFunction returns the function registered under name with its parameters
// (only the quadratic has any: "cond" and "angle") set from params; missing
// keys take their defaults. Unknown names, unknown keys and out-of-range
// values are errors.
func NewFunction(name string, params map[string]float64) (Function, error) {
	f, ok := LookupFunction(name)
	if !ok {
		return Function{}, fmt.Errorf("%w %q; known: %s", ErrUnknownFunction, name,
			strings.Join(FunctionNames(), ", "))
	}
	vals, err := resolve(name, f.Params, params)
	if err != nil {
		return Function{}, err
	}
	if name == "quadratic" {
		return Quadratic(vals["cond"], vals["angle"]), nil
	}
	return f, nil
}

// Quadratic returns the bowl J = ½(u² + κv²), where (u, v) are (x, y) turned
// by angle degrees, u = x cos φ + y sin φ and v = −x sin φ + y cos φ. Its
// Hessian has eigenvalues 1 and κ (the condition number): the larger κ, the
// narrower the valley along u. Quadratic(25, 0) is ½(x² + 25y²), the bowl of
// the reference runs.
func Quadratic(cond, angle float64) Function {
	c, s := math.Cos(angle*math.Pi/180), math.Sin(angle*math.Pi/180)
	if angle == 0 {
		c, s = 1, 0
	}
	q := bowl{k: cond, c: c, s: s}
	return Function{
		Name: "quadratic", Title: "Quadratic bowl",
		Formula: "J = ½(u² + κv²), (u, v) = (x, y) turned by φ",
		F:       q.f, Grad: q.grad, Hess: q.hess,
		Domain: [4]float64{-5, 5, -5, 5},
		Minima: [][2]float64{{0, 0}}, FMin: 0,
		Starts: []Start{
			{X: [2]float64{-4, 1.5}, Source: "this report: off both axes, so that gradient descent zig-zags across the valley"},
			{X: [2]float64{4, 4}, Source: "this report"},
		},
		Params: []Param{
			{Name: "cond", Default: 25, Min: 1, Max: 1e4, Log: true, Doc: "condition number κ, the ratio of the Hessian's eigenvalues"},
			{Name: "angle", Default: 0, Min: -90, Max: 90, Doc: "rotation φ of the valley, in degrees"},
		},
	}
}

// bowl is the rotated quadratic ½(u² + κv²).
type bowl struct{ k, c, s float64 }

func (q bowl) uv(x, y float64) (u, v float64) {
	if q.s == 0 {
		return x, y
	}
	return float64(q.c*x) + float64(q.s*y), float64(-q.s*x) + float64(q.c*y)
}

func (q bowl) f(x, y float64) float64 {
	u, v := q.uv(x, y)
	return 0.5 * (float64(u*u) + float64(q.k*v*v))
}

func (q bowl) grad(x, y float64) (gx, gy float64) {
	u, v := q.uv(x, y)
	gu, gv := u, q.k*v
	if q.s == 0 {
		return gu, gv
	}
	return float64(q.c*gu) - float64(q.s*gv), float64(q.s*gu) + float64(q.c*gv)
}

func (q bowl) hess(x, y float64) (hxx, hxy, hyy float64) {
	c, s, k := q.c, q.s, q.k
	return c*c + k*s*s, c * s * (1 - k), s*s + k*c*c
}
