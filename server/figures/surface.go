package figures

import (
	"bytes"
	"fmt"
	"image"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"descent/optim"
	"descent/server/figures/internal/plotkit"
)

// SurfaceOptions tunes RenderSurface. The zero value gives the defaults.
type SurfaceOptions struct {
	// Scale chooses linear or log-spaced levels; ScaleAuto by default.
	Scale Scale
	// Levels is the number of contour lines; 0 means DefaultLevels and a
	// negative number none.
	Levels int
	// Lang is the language of the axis labels and title, "en" or "ko".
	Lang string
	// Title is drawn above the surface; empty means none (the page has its own).
	Title string
	// DPI is the resolution of the text and lines, 0 meaning DPI: a 12 pt
	// label is 12·DPI/72 pixels high. A page on a screen with
	// devicePixelRatio 2 asks for twice the pixels and twice the DPI.
	DPI float64
}

// Surface is a rendered heat map of J with contour lines, minima marked and
// axes carrying values: a PNG and where its data area lies.
type Surface struct {
	// PNG is the encoded image, Width × Height pixels.
	PNG []byte `json:"-"`
	// Width and Height are the image's size in pixels.
	Width  int `json:"width"`
	Height int `json:"height"`
	// Plot is the data area in image pixels: Domain maps onto it by
	// Domain.ToPixel. Its corners are whole pixels, and the heat map fills
	// it with one sample of J per pixel.
	Plot image.Rectangle `json:"plot"`
	// Domain is the window of the (x, y) plane shown.
	Domain Domain `json:"domain"`
	// Log says that the colours and Levels are log-spaced in J − min.
	Log bool `json:"log"`
	// Levels are the J values of the contour lines, ascending.
	Levels []float64 `json:"levels"`
	// Min and Max are the lowest and highest finite J over the pixels.
	Min float64 `json:"min"`
	Max float64 `json:"max"`
}

// Size limits for RenderSurface, in pixels.
const (
	MinSurfacePixels = 64
	MaxSurfacePixels = 4096
)

// RenderSurface draws J = fn.F over dom as a widthPx × heightPx PNG: a heat
// map (dark is low) with its colour bar at the right, contour lines at
// opts.Levels levels, log-spaced when the range is wide (see ScaleAuto), the
// known minima as stars and saddle points as crosses, and axes with values. The data area is aligned to
// whole pixels, and pixel (i, j) inside it shows J at
// dom.FromPixel(i + ½, j + ½, Plot).
func RenderSurface(fn optim.Function, dom Domain, widthPx, heightPx int, opts SurfaceOptions) (*Surface, error) {
	if err := dom.Validate(); err != nil {
		return nil, err
	}
	if fn.F == nil {
		return nil, fmt.Errorf("figures: function %q has no J", fn.Name)
	}
	for _, n := range [...]int{widthPx, heightPx} {
		if n < MinSurfacePixels || n > MaxSurfacePixels {
			return nil, fmt.Errorf("figures: surface of %d × %d pixels; each side must be in [%d, %d]",
				widthPx, heightPx, MinSurfacePixels, MaxSurfacePixels)
		}
	}
	dpi := opts.DPI
	if dpi == 0 {
		dpi = DPI
	}
	if !(dpi >= 24 && dpi <= 960) {
		return nil, fmt.Errorf("figures: DPI %g is outside [24, 960]", dpi)
	}
	n := opts.Levels
	if n == 0 {
		n = DefaultLevels
	}
	l := newLang(Meta{Lang: opts.Lang, Title: opts.Title})
	k := vg.Length(dpi / 72) // pixels per point
	w, h := vg.Length(widthPx)/k, vg.Length(heightPx)/k
	marks := markers(fn, dom, vg.Points(4.5))

	fig := surfaceFigure(l, dom, nil, nil, marks)
	c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(int(math.Round(dpi))))
	margin := vg.Points(6) // above the axes
	rest, strip := plotkit.SplitBar(draw.Crop(draw.New(c), 0, 0, 0, -margin))
	outer, area := plotkit.AlignDataArea(fig.Plot, rest, k, float64(heightPx))
	if area.Dx() < 8 || area.Dy() < 8 {
		return nil, fmt.Errorf("figures: %d × %d pixels leave no room for the surface inside the axes", widthPx, heightPx)
	}

	f := newField(fn, dom, area.Dx(), area.Dy(), opts.Scale, n)
	fig = surfaceFigure(l, dom, f.heatMap(), f.contours(fn), marks)
	fig.Plot.Draw(outer)
	if bar := f.colorBar(l, fig.Plot.Y.Tick.Label); bar != nil {
		da := fig.Plot.DataCanvas(outer)
		bar.Draw(strip, da.Min.Y, da.Max.Y)
	}
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("figures: encoding the surface: %w", err)
	}
	return &Surface{
		PNG: buf.Bytes(), Width: widthPx, Height: heightPx, Plot: area, Domain: dom,
		Log: f.t.Log, Levels: f.levels, Min: f.min, Max: f.max,
	}, nil
}

// surfaceFigure is the plot of a surface: axes exactly over dom with no
// padding, then the heat map, contours and markers that are not nil.
func surfaceFigure(l lang, dom Domain, heat, contours plot.Plotter, marks []plot.Plotter) *Figure {
	fig := newFigure(l, l.meta.Title, l.x, l.y)
	p := fig.Plot
	for _, q := range append([]plot.Plotter{heat, contours}, marks...) {
		if q != nil {
			p.Add(plotkit.PlotOnly(q))
		}
	}
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = dom.XMin, dom.XMax, dom.YMin, dom.YMax
	p.X.Padding, p.Y.Padding = 0, 0
	return fig
}
