package plotkit

import (
	"image/color"
	"math"

	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
)

// Colors is a fixed palette.Palette.
type Colors []color.Color

// Colors returns the colours, darkest first.
func (c Colors) Colors() []color.Color { return c }

// Kindlmann is the surface heat map's palette: Moreland's Kindlmann map
// (black, purple, blue, green, yellow), perceptually uniform, from dark at
// the lowest J to light at the highest, stopping short of white so that the
// white contour lines stay visible. The page draws a loss landscape in the
// same 256 colours (web/src/landscapescale.js).
var Kindlmann = func() palette.Palette {
	cm := moreland.Kindlmann()
	cm.SetMin(0)
	cm.SetMax(1)
	var p Colors
	for i := range 256 {
		c, err := cm.At(0.05 + 0.83*float64(i)/255)
		if err != nil {
			panic(err) // only for a value outside [min, max]
		}
		p = append(p, c)
	}
	return p
}()

// Blues runs from white to dark blue in 256 steps, for shares from 0 to 1.
var Blues = func() Colors {
	lo, hi := [3]float64{255, 255, 255}, [3]float64{0x08, 0x30, 0x6b}
	var p Colors
	for i := range 256 {
		t := float64(i) / 255
		mix := func(k int) uint8 { return uint8(lo[k] + t*(hi[k]-lo[k]) + 0.5) }
		p = append(p, color.NRGBA{R: mix(0), G: mix(1), B: mix(2), A: 0xFF})
	}
	return p
}()

// The ends of the diverging map, the same as the page's
// (web/src/pictures.js): t = −1 is negBlue, 0 white, +1 posOrange.
var (
	negBlue   = [3]float64{0x21, 0x66, 0xac}
	posOrange = [3]float64{0xb3, 0x58, 0x06}
)

// Diverging is the colour of t in [−1, 1] on a diverging map: blue below
// 0, white at 0 and orange above (red is kept for divergence).
func Diverging(t float64) color.NRGBA {
	end := posOrange
	if t < 0 {
		end = negBlue
	}
	a := math.Min(math.Abs(t), 1)
	mix := func(k int) uint8 { return uint8(math.Round(255 + a*(end[k]-255))) }
	return color.NRGBA{R: mix(0), G: mix(1), B: mix(2), A: 0xFF}
}
