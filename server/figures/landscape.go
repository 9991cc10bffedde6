package figures

import (
	"errors"
	"fmt"
	"image/color"
	"sort"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"descent/optim"
	"descent/server/figures/internal/plotkit"
)

// Landscape is a slice of a network's loss over a plane of its weights,
// L(a, b) at the grid points (A[i], B[j]), with training paths on the plane
// (mnist.Slice and mnist.Projection hold these numbers).
type Landscape struct {
	A, B []float64   // the grid's axes, ascending
	Loss [][]float64 // Loss[j][i] at (A[i], B[j]): one row per b
	// XLabel and YLabel name the directions, such as "δ (filter-normalised)"
	// or "PC1 (87 % of the path)"; empty means "a" and "b".
	XLabel, YLabel string
	Paths          []LandscapePath
	// Current marks the current weights, white dots: the centre (0, 0) of
	// a random plane, each run's last point on a path plane.
	Current [][2]float64
}

// LandscapePath is one run's path on the plane: its points in step order,
// each point's step, and how far each is off the plane, in [0, 1] (nil for
// none): its distance from the plane as a share of the path's reach, say. The line
// fades where the path leaves the plane (and is dashed where it is more
// than a quarter off), so that it never looks as if it lay on the plane
// where it does not.
type LandscapePath struct {
	Label  string
	Points [][2]float64
	Steps  []int
	Off    []float64
}

// landscapeCells is the heat map's resolution, along the longer side.
const landscapeCells = 300

// landscapeWords are the figure's own words.
var landscapeWords = map[string]struct{ title, a, b, current, faded, scale, log string }{
	"en": {"Loss landscape", "a", "b", "current weights", "the path fades where it leaves the plane",
		"loss from %.4g (dark) to %.4g (light)", ", log-spaced contours"},
	"ko": {"손실 지형", "a", "b", "현재 가중치", "경로가 평면을 벗어난 곳은 흐리게 그렸습니다",
		"손실 %.4g(어두움)에서 %.4g(밝음)까지", ", 로그 간격 등고선"},
}

// LandscapeFigure draws the slice as the surface explorer draws a 2-D
// function (RenderSurface): a heat map of L (bilinear between the grid
// points) with contour lines, on a log scale when the loss spans decades;
// then each path as a line with a mark at every kept step, the first and
// last steps and a few between labelled, faded where the path is off the
// plane; and the current weights as white dots.
func LandscapeFigure(ls Landscape, m Meta) (*Figure, error) {
	if err := ls.check(); err != nil {
		return nil, err
	}
	l := newLang(m)
	words := landscapeWords[l.code]
	if l.meta.Title == "" {
		l.meta.Title = words.title
	}
	dom := Domain{XMin: ls.A[0], XMax: ls.A[len(ls.A)-1], YMin: ls.B[0], YMax: ls.B[len(ls.B)-1]}
	fn := optim.Function{Name: "landscape", F: ls.at}
	cols, rows := plotkit.CellsFor(plotkit.Rect(dom), landscapeCells)
	fd := newField(fn, dom, cols, rows, ScaleAuto, DefaultLevels)
	f := surfaceFigure(l, dom, fd.heatMap(), fd.contours(fn), nil)
	f.Plot.X.Label.Text = f.label(orDefault(ls.XLabel, words.a))
	f.Plot.Y.Label.Text = f.label(orDefault(ls.YLabel, words.b))
	faded := false
	for i, p := range ls.Paths {
		ps, fades, err := landscapePath(p, paletteColor(i), f.Plot.X.Tick.Label)
		if err != nil {
			return nil, err
		}
		faded = faded || fades
		for _, q := range ps {
			f.Plot.Add(plotkit.PlotOnly(q))
		}
		if p.Label != "" {
			f.Plot.Legend.Add(f.label(p.Label), ps[0].(plot.Thumbnailer))
		}
	}
	if dots := currentDots(ls.Current); dots != nil {
		f.Plot.Add(plotkit.PlotOnly(dots))
		f.Plot.Legend.Add(f.label(words.current), dots)
	}
	f.Plot.Legend.Left = true
	f.Plot.Legend.ThumbnailWidth = vg.Points(14)
	f.outsideLegend()
	scale := fmt.Sprintf(words.scale, fd.min, fd.max)
	if fd.t.Log {
		scale += words.log
	}
	f.Caption = joinCaption(f.Caption, f.label(scale))
	if faded {
		f.Caption = joinCaption(f.Caption, f.label(words.faded))
	}
	return f, nil
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func joinCaption(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// check refuses a landscape that cannot be drawn.
func (ls *Landscape) check() error {
	if len(ls.A) < 2 || len(ls.B) < 2 || len(ls.Loss) != len(ls.B) {
		return fmt.Errorf("figures: landscape of %d × %d points with %d rows; want at least 2 × 2 and one row per b",
			len(ls.A), len(ls.B), len(ls.Loss))
	}
	for _, axis := range [][]float64{ls.A, ls.B} {
		if !sort.Float64sAreSorted(axis) || !(axis[0] < axis[len(axis)-1]) || !isFinite(axis[0]) || !isFinite(axis[len(axis)-1]) {
			return errors.New("figures: a landscape's axes must be finite and ascending")
		}
	}
	finite := false
	for _, row := range ls.Loss {
		if len(row) != len(ls.A) {
			return fmt.Errorf("figures: a landscape row has %d values, want %d", len(row), len(ls.A))
		}
		for _, v := range row {
			finite = finite || isFinite(v)
		}
	}
	if !finite {
		return errors.New("figures: a landscape with no finite loss")
	}
	return nil
}

// at is L(a, b), bilinear between the grid points.
func (ls *Landscape) at(a, b float64) float64 {
	i, s := cell(ls.A, a)
	j, t := cell(ls.B, b)
	r0, r1 := ls.Loss[j], ls.Loss[j+1]
	return (1-t)*((1-s)*r0[i]+s*r0[i+1]) + t*((1-s)*r1[i]+s*r1[i+1])
}

// cell returns the i with axis[i] ≤ x ≤ axis[i+1] (clamped to the ends)
// and x's fraction of the way through it.
func cell(axis []float64, x float64) (int, float64) {
	i := sort.SearchFloat64s(axis, x) - 1
	i = max(0, min(i, len(axis)-2))
	return i, max(0, min(1, (x-axis[i])/(axis[i+1]-axis[i])))
}

// landscapePath returns p's line (faded segment by segment where it is
// off the plane), its step marks and step labels, and whether any segment
// was faded.
func landscapePath(p LandscapePath, c color.Color, tick text.Style) ([]plot.Plotter, bool, error) {
	if len(p.Points) == 0 || len(p.Steps) != len(p.Points) || (p.Off != nil && len(p.Off) != len(p.Points)) {
		return nil, false, fmt.Errorf("figures: path %q has %d points, %d steps and %d distances", p.Label, len(p.Points), len(p.Steps), len(p.Off))
	}
	off := func(k int) float64 {
		if p.Off == nil || !isFinite(p.Off[k]) {
			return 0
		}
		return max(0, min(1, p.Off[k]))
	}
	alpha := func(o float64) color.Color { return faded(c, uint8(255*(1-0.85*o))) }
	var ps []plot.Plotter
	faded := false
	for k := range max(1, len(p.Points)-1) {
		k1 := min(k+1, len(p.Points)-1)
		seg, err := plotter.NewLine(plotter.XYs{{X: p.Points[k][0], Y: p.Points[k][1]}, {X: p.Points[k1][0], Y: p.Points[k1][1]}})
		if err != nil {
			return nil, false, fmt.Errorf("figures: path %q: %w", p.Label, err)
		}
		o := max(off(k), off(k1))
		faded = faded || o > 0.05
		seg.Color, seg.Width = alpha(o), vg.Points(1.4)
		if o > 0.25 { // far enough off to be dashed as well
			seg.Dashes = []vg.Length{vg.Points(3), vg.Points(2)}
		}
		ps = append(ps, seg)
	}
	var xys plotter.XYs
	for _, q := range p.Points {
		xys = append(xys, plotter.XY{X: q[0], Y: q[1]})
	}
	marks, err := plotter.NewScatter(xys)
	if err != nil {
		return nil, false, fmt.Errorf("figures: path %q: %w", p.Label, err)
	}
	marks.GlyphStyleFunc = func(k int) draw.GlyphStyle {
		r := vg.Points(1.6)
		if k == 0 {
			r = vg.Points(3)
		}
		return draw.GlyphStyle{Color: alpha(off(k)), Radius: r, Shape: draw.CircleGlyph{}}
	}
	labels, err := stepLabels(p, xys, tick)
	if err != nil {
		return nil, false, err
	}
	return append(ps, marks, labels), faded, nil
}

// stepLabels writes the step beside the first and last points and three
// evenly spaced between them.
func stepLabels(p LandscapePath, xys plotter.XYs, tick text.Style) (*plotter.Labels, error) {
	var at plotter.XYLabels
	n := len(p.Points)
	picked := map[int]bool{}
	for q := range 5 {
		k := q * (n - 1) / 4
		if picked[k] {
			continue
		}
		picked[k] = true
		at.XYs = append(at.XYs, xys[k])
		at.Labels = append(at.Labels, strconv.Itoa(p.Steps[k]))
	}
	labels, err := plotter.NewLabels(at)
	if err != nil {
		return nil, fmt.Errorf("figures: path %q: %w", p.Label, err)
	}
	sty := tick
	sty.Font = font.From(sty.Font, 6.5)
	sty.Color = color.White
	for i := range labels.TextStyle {
		labels.TextStyle[i] = sty
	}
	labels.Offset = vg.Point{X: vg.Points(4), Y: vg.Points(3)}
	return labels, nil
}

// currentDots marks the current weights as white dots edged in black, or
// returns nil when there is no finite point.
func currentDots(pts [][2]float64) *plotter.Scatter {
	var xys plotter.XYs
	for _, p := range pts {
		if isFinite(p[0]) && isFinite(p[1]) {
			xys = append(xys, plotter.XY{X: p[0], Y: p[1]})
		}
	}
	if len(xys) == 0 {
		return nil
	}
	s, _ := plotter.NewScatter(xys)
	s.GlyphStyle = draw.GlyphStyle{Color: color.White, Radius: vg.Points(4), Shape: plotkit.Dot{}}
	return s
}
