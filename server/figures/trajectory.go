package figures

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"descent/optim"
	"descent/server/figures/internal/plotkit"
)

// Trajectory is the path of one optimizer on a surface: the iterates from
// the start, J at each (optional: computed from the function when nil) and
// how it ended ("converged", "diverged", "stepLimit", "failed").
type Trajectory struct {
	Label  string
	Points [][2]float64
	F      []float64
	Status string
}

// TrajectoriesFrom collects the iterates of a Runner (as Run hands them out,
// in any interleaving) into one Trajectory per optim.Iterate.Trajectory
// index, labelled by labels[i] when there is one.
func TrajectoriesFrom(its []optim.Iterate, labels []string) []Trajectory {
	var ts []Trajectory
	for _, it := range its {
		for len(ts) <= it.Trajectory {
			i := len(ts)
			ts = append(ts, Trajectory{Label: fmt.Sprint("#", i+1)})
			if i < len(labels) {
				ts[i].Label = labels[i]
			}
		}
		t := &ts[it.Trajectory]
		t.Points = append(t.Points, it.X)
		t.F = append(t.F, it.F)
		t.Status = it.Status.String()
	}
	return ts
}

// trajectoryCells is the heat map's resolution in TrajectoryFigure, along
// the longer side; the raster is scaled to the figure's size.
const trajectoryCells = 300

// TrajectoryFigure draws the surface of fn over dom (as RenderSurface, with
// the default levels) and the trajectories over it: each a line from a
// circle at its start, ending in a cross when it diverged, and a legend.
func TrajectoryFigure(fn optim.Function, dom Domain, trajs []Trajectory, m Meta) (*Figure, error) {
	if err := dom.Validate(); err != nil {
		return nil, err
	}
	if fn.F == nil {
		return nil, fmt.Errorf("figures: function %q has no J", fn.Name)
	}
	l := newLang(m)
	if l.meta.Title == "" {
		l.meta.Title = fn.Title
	}
	cols, rows := plotkit.CellsFor(plotkit.Rect(dom), trajectoryCells)
	fd := newField(fn, dom, cols, rows, ScaleAuto, DefaultLevels)
	f := surfaceFigure(l, dom, fd.heatMap(), fd.contours(fn), markers(fn, dom, vg.Points(4.5)))
	f.bar = fd.colorBar(l, f.Plot.Y.Tick.Label)
	for i, t := range trajs {
		ps, err := pathPlotters(t, paletteColor(i))
		if err != nil {
			return nil, err
		}
		for _, q := range ps {
			f.Plot.Add(plotkit.PlotOnly(q))
		}
		label := t.Label
		if t.Status != "" {
			label += " (" + l.status(t.Status) + ")"
		}
		f.Plot.Legend.Add(f.label(label), ps[1].(plot.Thumbnailer))
	}
	f.Plot.Legend.ThumbnailWidth = vg.Points(14)
	f.outsideLegend()
	return f, nil
}

// pathPlotters returns t's light outline and its line (in colour c, so
// that it reads on the dark end of the map too), its start as a circle and,
// if it diverged, a red cross at its last point.
func pathPlotters(t Trajectory, c color.Color) ([]plot.Plotter, error) {
	var xys plotter.XYs
	for _, p := range t.Points {
		if !isFinite(p[0]) || !isFinite(p[1]) {
			break
		}
		xys = append(xys, plotter.XY{X: p[0], Y: p[1]})
	}
	if len(xys) == 0 {
		return nil, fmt.Errorf("figures: trajectory %q has no finite point", t.Label)
	}
	line, err := plotter.NewLine(xys)
	if err != nil {
		return nil, fmt.Errorf("figures: %w", err)
	}
	line.Color, line.Width = c, vg.Points(1.4)
	halo, _ := plotter.NewLine(xys)
	halo.Color, halo.Width = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xd0}, vg.Points(3.2)
	start, _ := plotter.NewScatter(xys[:1])
	start.GlyphStyle = draw.GlyphStyle{Color: c, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
	ps := []plot.Plotter{halo, line, start}
	if t.Status == optim.Diverged.String() {
		end, _ := plotter.NewScatter(xys[len(xys)-1:])
		end.GlyphStyle = draw.GlyphStyle{Color: Diverged, Radius: vg.Points(4), Shape: plotkit.Cross{}}
		ps = append(ps, end)
	}
	return ps, nil
}

// FvsStepFigure plots J against the step for each trajectory. When fn has a
// finite minimum value J*, it plots J − J* on a log scale (values at or
// below 1e-16 are drawn at 1e-16), otherwise J on a linear scale.
func FvsStepFigure(fn optim.Function, trajs []Trajectory, m Meta) (*Figure, error) {
	l := newLang(m)
	gap := isFinite(fn.FMin) && !fn.Unbounded
	yLabel := l.j
	if gap {
		yLabel = l.jGap
	}
	f := newFigure(l, l.title(fmt.Sprintf(l.fTitle, fn.Title)), l.step, yLabel)
	for i, t := range trajs {
		var xys plotter.XYs
		for k, p := range t.Points {
			j := math.NaN()
			if k < len(t.F) {
				j = t.F[k]
			} else if fn.F != nil {
				j = fn.F(p[0], p[1])
			}
			if !isFinite(j) {
				break
			}
			if gap {
				j = math.Max(j-fn.FMin, 1e-16)
			}
			xys = append(xys, plotter.XY{X: float64(k), Y: j})
		}
		line, err := plotter.NewLine(xys)
		if err != nil {
			return nil, fmt.Errorf("figures: trajectory %q: %w", t.Label, err)
		}
		line.Color, line.Width = paletteColor(i), vg.Points(1.2)
		f.Plot.Add(line)
		f.Plot.Legend.Add(f.label(t.Label), line)
	}
	if gap {
		f.Plot.Y.Scale = plot.LogScale{}
		f.Plot.Y.Tick.Marker = plotkit.LogTicks{}
	}
	f.outsideLegend()
	return f, nil
}
