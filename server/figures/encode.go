package figures

import (
	"fmt"
	"io"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// DPI is the resolution of a PNG at scale 1: a DefaultWidth × DefaultHeight
// figure is 400 × 300 pixels, and twice that with scale2x.
const DPI = 96

// The default size of a figure, in points (400 × 300 pixels at DPI).
const (
	DefaultWidth  vg.Length = 300
	DefaultHeight vg.Length = 225
)

// Encode writes f as format, "png" or "svg", width × height in size (zero
// means DefaultWidth or DefaultHeight). With scale2x a PNG is rendered at
// 2 × DPI, so that it stays sharp on a high-density screen or in print; an
// SVG is resolution-free and ignores it. SVG text names its font family
// ("Liberation Sans", or the Hangul font's family) instead of embedding it,
// so the file stays small; a viewer without it substitutes a similar font.
func Encode(w io.Writer, f *Figure, format string, width, height vg.Length, scale2x bool) error {
	if width <= 0 {
		width = DefaultWidth
	}
	if height <= 0 {
		height = DefaultHeight
	}
	var c interface {
		vg.CanvasSizer
		io.WriterTo
	}
	switch format {
	case "png":
		dpi := DPI
		if scale2x {
			dpi *= 2
		}
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(dpi))}
	case "svg":
		c = vgsvg.New(width, height)
	default:
		return fmt.Errorf("figures: unknown format %q; want png or svg", format)
	}
	f.Draw(draw.New(c))
	if _, err := c.WriteTo(w); err != nil {
		return fmt.Errorf("figures: writing %s: %w", format, err)
	}
	return nil
}
