package optim

// The test functions of the report. Gradients and Hessians are analytic and
// checked against finite differences (gonum/diff/fd) in functions_test.go.
// Start points cite their source; "this report" marks starts chosen here to
// show a behaviour. Products are wrapped in float64(…) where an add follows,
// so that no compiler fuses them into an FMA, as PyTorch does not fuse them.

// rosenbrock is J = (1 − x)² + 100(y − x²)² (Rosenbrock 1960), a curved
// valley with its minimum J = 0 at (1, 1).
var rosenbrock = Function{
	Name: "rosenbrock", Title: "Rosenbrock", Formula: "J = (1 − x)² + 100(y − x²)²",
	F: rosenbrockF, Grad: rosenbrockGrad, Hess: rosenbrockHess,
	Domain: [4]float64{-2, 2, -1, 3}, Minima: [][2]float64{{1, 1}}, FMin: 0, LogLevels: true,
	Starts: []Start{
		{X: [2]float64{-1.5, 2}, Source: "the report's reference runs (PyTorch 1.13 and SciPy 1.10, optim/testdata)"},
		{X: [2]float64{-1.2, 1}, Source: "Rosenbrock (1960); Moré, Garbow & Hillstrom (1981), problem 1"},
	},
}

func rosenbrockF(x, y float64) float64 {
	a, b := 1-x, y-float64(x*x)
	return float64(a*a) + float64(100*(b*b))
}

func rosenbrockGrad(x, y float64) (gx, gy float64) {
	a, b := 1-x, y-float64(x*x)
	return float64(-2*a) - float64(400*x*b), 200 * b
}

func rosenbrockHess(x, y float64) (hxx, hxy, hyy float64) {
	return 1200*x*x - 400*y + 2, -400 * x, 200
}

// beale is J = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²
// (Beale 1958), flat plateaus and sharp ridges, minimum J = 0 at (3, 0.5).
var beale = Function{
	Name: "beale", Title: "Beale",
	Formula: "J = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²",
	F:       bealeF, Grad: bealeGrad, Hess: bealeHess,
	Domain: [4]float64{-4.5, 4.5, -4.5, 4.5}, Minima: [][2]float64{{3, 0.5}}, FMin: 0, LogLevels: true,
	Starts: []Start{
		{X: [2]float64{1, 1}, Source: "Moré, Garbow & Hillstrom (1981), problem 5"},
		{X: [2]float64{1, 1.5}, Source: "this report: SGD with momentum at α = 0.01 diverges from here (as in PyTorch)"},
	},
}

func bealeTerms(x, y float64) (y2, y3, a1, a2, a3 float64) {
	y2 = float64(y * y)
	y3 = float64(y2 * y)
	a1 = 1.5 - x + float64(x*y)
	a2 = 2.25 - x + float64(x*y2)
	a3 = 2.625 - x + float64(x*y3)
	return
}

func bealeF(x, y float64) float64 {
	_, _, a1, a2, a3 := bealeTerms(x, y)
	return float64(a1*a1) + float64(a2*a2) + float64(a3*a3)
}

func bealeGrad(x, y float64) (gx, gy float64) {
	y2, y3, a1, a2, a3 := bealeTerms(x, y)
	gx = float64(2*a1*(y-1)) + float64(2*a2*(y2-1)) + float64(2*a3*(y3-1))
	gy = float64(2*a1*x) + float64(2*a2*(2*x*y)) + float64(2*a3*(3*x*y2))
	return gx, gy
}

func bealeHess(x, y float64) (hxx, hxy, hyy float64) {
	y2, y3, a1, a2, a3 := bealeTerms(x, y)
	dx1, dx2, dx3 := y-1, y2-1, y3-1  // ∂aᵢ/∂x
	dy1, dy2, dy3 := x, 2*x*y, 3*x*y2 // ∂aᵢ/∂y
	hxx = 2 * (dx1*dx1 + dx2*dx2 + dx3*dx3)
	hxy = 2 * (dy1*dx1 + a1 + dy2*dx2 + a2*2*y + dy3*dx3 + a3*3*y2)
	hyy = 2 * (dy1*dy1 + dy2*dy2 + a2*2*x + dy3*dy3 + a3*6*x*y)
	return hxx, hxy, hyy
}

// himmelblau is J = (x² + y − 11)² + (x + y² − 7)² (Himmelblau 1972), four
// minima with J = 0 and a local maximum near (−0.27, −0.92).
var himmelblau = Function{
	Name: "himmelblau", Title: "Himmelblau", Formula: "J = (x² + y − 11)² + (x + y² − 7)²",
	F: himmelblauF, Grad: himmelblauGrad, Hess: himmelblauHess,
	Domain: [4]float64{-5, 5, -5, 5}, FMin: 0, LogLevels: true,
	Minima: [][2]float64{{3, 2}, {-2.805118086952745, 3.131312518250573},
		{-3.779310253377747, -3.283185991286169}, {3.5844283403304917, -1.8481265269644034}},
	Starts: []Start{
		{X: [2]float64{0, 0}, Source: "this report: which of the four minima a method reaches depends on it"},
		{X: [2]float64{-0.27, -0.9}, Source: "this report: next to the local maximum"},
	},
}

func himmelblauF(x, y float64) float64 {
	u, v := float64(x*x)+y-11, x+float64(y*y)-7
	return float64(u*u) + float64(v*v)
}

func himmelblauGrad(x, y float64) (gx, gy float64) {
	u, v := float64(x*x)+y-11, x+float64(y*y)-7
	return float64(4*x*u) + float64(2*v), float64(2*u) + float64(4*y*v)
}

func himmelblauHess(x, y float64) (hxx, hxy, hyy float64) {
	u, v := x*x+y-11, x+y*y-7
	return 4*u + 8*x*x + 2, 4*x + 4*y, 2 + 4*v + 8*y*y
}

// booth is J = (x + 2y − 7)² + (2x + y − 5)², a quadratic with minimum J = 0
// at (1, 3).
var booth = Function{
	Name: "booth", Title: "Booth", Formula: "J = (x + 2y − 7)² + (2x + y − 5)²",
	F: func(x, y float64) float64 {
		a, b := x+2*y-7, 2*x+y-5
		return float64(a*a) + float64(b*b)
	},
	Grad: func(x, y float64) (gx, gy float64) {
		a, b := x+2*y-7, 2*x+y-5
		return float64(2*a) + float64(4*b), float64(4*a) + float64(2*b)
	},
	Hess:   func(x, y float64) (hxx, hxy, hyy float64) { return 10, 8, 10 },
	Domain: [4]float64{-10, 10, -10, 10}, Minima: [][2]float64{{1, 3}}, FMin: 0,
	Starts: []Start{{X: [2]float64{-8, -8}, Source: "this report"}},
}

// saddle is J = x² − y², unbounded below, with a saddle point at (0, 0):
// H = diag(2, −2) is not positive definite, and pure Newton jumps onto it.
var saddle = Function{
	Name: "saddle", Title: "Saddle", Formula: "J = x² − y²",
	F:      func(x, y float64) float64 { return float64(x*x) - float64(y*y) },
	Grad:   func(x, y float64) (gx, gy float64) { return 2 * x, -2 * y },
	Hess:   func(x, y float64) (hxx, hxy, hyy float64) { return 2, 0, -2 },
	Domain: [4]float64{-2, 2, -2, 2}, Unbounded: true, Saddles: [][2]float64{{0, 0}},
	Starts: []Start{
		{X: [2]float64{-1.5, 0.05}, Source: "this report: near the ridge y = 0, so gradient descent stalls at the saddle before it escapes"},
		{X: [2]float64{1, 1}, Source: "this report"},
	},
}
