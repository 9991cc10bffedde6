package optim

import "math"

// rastrigin is J = 20 + (x² − 10 cos 2πx) + (y² − 10 cos 2πy) (Rastrigin
// 1974, in two dimensions), a bowl covered in local minima; the global
// minimum J = 0 is at (0, 0).
var rastrigin = Function{
	Name: "rastrigin", Title: "Rastrigin", Formula: "J = 20 + x² − 10 cos 2πx + y² − 10 cos 2πy",
	F: func(x, y float64) float64 {
		return 20 + (float64(x*x) - 10*math.Cos(2*math.Pi*x)) + (float64(y*y) - 10*math.Cos(2*math.Pi*y))
	},
	Grad: func(x, y float64) (gx, gy float64) {
		return 2*x + 20*math.Pi*math.Sin(2*math.Pi*x), 2*y + 20*math.Pi*math.Sin(2*math.Pi*y)
	},
	Hess: func(x, y float64) (hxx, hxy, hyy float64) {
		return 2 + 40*math.Pi*math.Pi*math.Cos(2*math.Pi*x), 0, 2 + 40*math.Pi*math.Pi*math.Cos(2*math.Pi*y)
	},
	Domain: [4]float64{-5.12, 5.12, -5.12, 5.12}, Minima: [][2]float64{{0, 0}}, FMin: 0,
	Starts: []Start{{X: [2]float64{3.2, -2.1}, Source: "this report: first-order methods stop in a local minimum"}},
}

// sixHumpCamel is J = (4 − 2.1x² + x⁴/3)x² + xy + (−4 + 4y²)y² (Dixon &
// Szegő 1978), six local minima, two of them global with J ≈ −1.0316.
var sixHumpCamel = Function{
	Name: "camel", Title: "Six-hump camel", Formula: "J = (4 − 2.1x² + x⁴/3)x² + xy + (−4 + 4y²)y²",
	F: func(x, y float64) float64 {
		x2, y2 := x*x, y*y
		return (4-2.1*x2+x2*x2/3)*x2 + x*y + (-4+4*y2)*y2
	},
	Grad: func(x, y float64) (gx, gy float64) {
		x2 := x * x
		return 8*x - 8.4*x2*x + 2*x2*x2*x + y, x - 8*y + 16*y*y*y
	},
	Hess: func(x, y float64) (hxx, hxy, hyy float64) {
		x2 := x * x
		return 8 - 25.2*x2 + 10*x2*x2, 1, -8 + 48*y*y
	},
	Domain: [4]float64{-3, 3, -2, 2}, FMin: -1.0316284534898774,
	Minima: [][2]float64{{0.08984201310031807, -0.7126564030207396}, {-0.08984201310031807, 0.7126564030207396}},
	Starts: []Start{{X: [2]float64{-1.5, -1}, Source: "this report"}},
}

// styblinskiTang is J = ½ Σ (xᵢ⁴ − 16xᵢ² + 5xᵢ) over xᵢ ∈ {x, y}
// (Styblinski & Tang 1990), minimum J ≈ −78.332 at x = y ≈ −2.9035.
var styblinskiTang = Function{
	Name: "styblinski-tang", Title: "Styblinski–Tang", Formula: "J = ½ Σ (xᵢ⁴ − 16xᵢ² + 5xᵢ)",
	F:      func(x, y float64) float64 { return 0.5 * (stPart(x) + stPart(y)) },
	Grad:   func(x, y float64) (gx, gy float64) { return stDeriv(x), stDeriv(y) },
	Hess:   func(x, y float64) (hxx, hxy, hyy float64) { return 6*x*x - 16, 0, 6*y*y - 16 },
	Domain: [4]float64{-5, 5, -5, 5}, FMin: -78.33233140754282,
	Minima: [][2]float64{{-2.903534027771177, -2.903534027771177}},
	Starts: []Start{
		{X: [2]float64{4, 4}, Source: "this report: descent stops in the local minimum near (2.75, 2.75)"},
		{X: [2]float64{0, 0}, Source: "this report"},
	},
}

func stPart(x float64) float64  { x2 := x * x; return x2*x2 - 16*x2 + 5*x }
func stDeriv(x float64) float64 { return 0.5 * (4*x*x*x - 32*x + 5) }

// goldsteinPrice is J = [1 + (x + y + 1)²P][30 + (2x − 3y)²Q] with
// P = 19 − 14x + 3x² − 14y + 6xy + 3y² and Q = 18 − 32x + 12x² + 48y − 36xy + 27y²
// (Goldstein & Price 1971), minimum J = 3 at (0, −1).
var goldsteinPrice = Function{
	Name: "goldstein-price", Title: "Goldstein–Price",
	Formula: "J = [1 + (x + y + 1)²(19 − 14x + 3x² − 14y + 6xy + 3y²)]·[30 + (2x − 3y)²(18 − 32x + 12x² + 48y − 36xy + 27y²)]",
	F: func(x, y float64) float64 {
		g := newGP(x, y)
		return g.a * g.b
	},
	Grad: func(x, y float64) (gx, gy float64) {
		g := newGP(x, y)
		return g.ax*g.b + g.a*g.bx, g.ay*g.b + g.a*g.by
	},
	Hess:   goldsteinPriceHess,
	Domain: [4]float64{-2, 2, -2, 2}, Minima: [][2]float64{{0, -1}}, FMin: 3, LogLevels: true,
	Starts: []Start{{X: [2]float64{-0.5, 1.5}, Source: "this report"}},
}

// gp holds the factors A = 1 + s²P and B = 30 + r²Q of Goldstein–Price and
// their first derivatives.
type gp struct {
	s, r, p, q, px, qx, qy float64
	a, b, ax, ay, bx, by   float64
}

func newGP(x, y float64) gp {
	var g gp
	g.s, g.r = x+y+1, 2*x-3*y
	g.p = 19 - 14*x + 3*x*x - 14*y + 6*x*y + 3*y*y
	g.q = 18 - 32*x + 12*x*x + 48*y - 36*x*y + 27*y*y
	g.px = -14 + 6*x + 6*y // = ∂P/∂y too
	g.qx, g.qy = -32+24*x-36*y, 48-36*x+54*y
	g.a, g.b = 1+g.s*g.s*g.p, 30+g.r*g.r*g.q
	g.ax = 2*g.s*g.p + g.s*g.s*g.px
	g.ay = g.ax
	g.bx = 4*g.r*g.q + g.r*g.r*g.qx
	g.by = -6*g.r*g.q + g.r*g.r*g.qy
	return g
}

func goldsteinPriceHess(x, y float64) (hxx, hxy, hyy float64) {
	g := newGP(x, y)
	s, r := g.s, g.r
	axx := 2*g.p + 4*s*g.px + 6*s*s // A's second derivatives (∂²P = 6 throughout)
	bxx := 8*g.q + 8*r*g.qx + 24*r*r
	bxy := -12*g.q + 4*r*g.qy - 6*r*g.qx - 36*r*r
	byy := 18*g.q - 12*r*g.qy + 54*r*r
	hxx = axx*g.b + 2*g.ax*g.bx + g.a*bxx
	hxy = axx*g.b + g.ax*g.by + g.ay*g.bx + g.a*bxy
	hyy = axx*g.b + 2*g.ay*g.by + g.a*byy
	return hxx, hxy, hyy
}
