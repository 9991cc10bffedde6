package figures

import (
	"fmt"
	"image/color"

	"descent/server/figures/internal/plotkit"
)

// Palette is the colour of the i-th run of a sweep or comparison and of the
// i-th trajectory, the same list as the page's (web/src/charts.js, checked
// by a browser test), so that a run has one colour on the screen and in its
// figure. It leaves out red, which marks divergence (Diverged) alone.
var Palette = []color.NRGBA{
	{0x00, 0x72, 0xb2, 0xff}, {0xe6, 0x9f, 0x00, 0xff}, {0x00, 0x9e, 0x73, 0xff}, {0xcc, 0x79, 0xa7, 0xff},
	{0x56, 0xb4, 0xe9, 0xff}, {0x7b, 0x4f, 0xa0, 0xff}, {0x8c, 0x6d, 0x31, 0xff}, {0x3a, 0x3a, 0x3a, 0xff},
	{0x00, 0xa3, 0xa3, 0xff}, {0xb8, 0x86, 0x0b, 0xff}, {0x5b, 0x6b, 0xd6, 0xff}, {0x9c, 0x9c, 0x2e, 0xff},
}

// Diverged is the colour of divergence: its crosses and labels.
var Diverged = color.NRGBA{0xd6, 0x27, 0x28, 0xff}

// paletteColor is Palette[i], cycling.
func paletteColor(i int) color.Color { return Palette[i%len(Palette)] }

// metricColor is the colour of a run's metric, as on the page's charts: the
// loss Palette[0], the test loss Palette[1], the accuracy Palette[2], ‖∇J‖
// Palette[3], the update ratio Palette[4] and α Palette[5].
func metricColor(metric string) color.Color {
	i := map[string]int{"loss": 0, TestLoss: 1, "accuracy": 2, GradNorm: 3, UpdateRatio: 4, LearningRate: 5}[metric]
	return Palette[i]
}

// Hex writes a colour as the page does, "#0072b2".
func Hex(c color.NRGBA) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

// faded is c at alpha a, for a raw curve under its smoothed one.
func faded(c color.Color, a uint8) color.Color {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	n.A = a
	return n
}

// SurfaceHex returns the heat map's colours, darkest first, as the page
// writes them ("#1c0727"): the page draws a loss landscape's heat map in
// the same colours (web/src/landscapescale.js, checked by a browser test).
func SurfaceHex() []string {
	pal := plotkit.Kindlmann.Colors()
	out := make([]string, len(pal))
	for i, c := range pal {
		out[i] = Hex(color.NRGBAModel.Convert(c).(color.NRGBA))
	}
	return out
}
