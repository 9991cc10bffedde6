package export

import (
	"bufio"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"strings"

	"descent/mnist"
	"descent/server/figures"
	"descent/server/landscape"
)

// The loss landscape's exports: a slice or a 1-D chart that a page made
// (its id is in its LandscapeDone or LandscapeLineChart), kept by the
// server for a while (landscape.MaxResults):
//
//	GET /api/export/landscape/{id}.{png|svg|csv|json}
//
// A slice's figure is the heat map with its contours, the paths (faded
// where they leave the plane) and the current weights (figures.
// LandscapeFigure); a chart's the loss above the accuracy along t
// (figures.LineChartFigure). Figures take ?lang=en|ko.

// LandscapeSource holds the finished landscapes: *landscape.Service.
type LandscapeSource interface {
	Result(id string) (*landscape.Result, bool)
}

// WithLandscapes makes h serve the landscapes of ls.
func (s *Handler) WithLandscapes(ls LandscapeSource) *Handler {
	s.lands = ls
	return s
}

var landscapeID = regexp.MustCompile(`^l[0-9]{1,18}$`)

// ServeLandscape answers GET /api/export/landscape/{file}.
func (s *Handler) ServeLandscape(w http.ResponseWriter, r *http.Request) {
	id, ext, ok := splitFile(r.PathValue("file"))
	var err error
	switch {
	case !ok || !landscapeID.MatchString(id) || !strings.Contains(" png svg csv json ", " "+ext+" "):
		err = fmt.Errorf("server: want /api/export/landscape/ID.png, .svg, .csv or .json with ID such as l3, got %q", r.PathValue("file"))
	case s.lands == nil:
		err = fmt.Errorf("server: no landscapes here: %w", errNotFound)
	}
	o, oerr := figureOptions(r)
	if err == nil {
		err = oerr
	}
	var res *landscape.Result
	if err == nil {
		if res, ok = s.lands.Result(id); !ok {
			err = fmt.Errorf("server: no landscape %q: it was never made, or is too old (the server keeps the last %d); make it again: %w",
				id, landscape.MaxResults, errNotFound)
		}
	}
	release, ok := s.begin(w, r, err)
	if !ok {
		return
	}
	defer release()
	name := "descent-landscape-" + id
	if ext == "png" || ext == "svg" {
		fig, err := LandscapeFigure(res, o.Lang)
		if err != nil {
			exportError(w, err)
			return
		}
		sendFigure(w, fig, ext, name)
		return
	}
	w.Header().Set("Content-Type", exportTypes[ext])
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name+"."+ext))
	bw := bufio.NewWriterSize(w, 64<<10)
	if ext == "csv" {
		err = writeLandscapeCSV(bw, res)
	} else {
		err = writeLandscapeJSON(bw, res)
	}
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		s.log.Warn("server: export cut short", "path", r.URL.Path, "err", err)
		panic(http.ErrAbortHandler)
	}
}

// landscapeWords are the axis labels and the caption's words.
var landscapeWords = map[string]struct{ randomX, randomY, pcX, pcY, pcXs, grid, images, test, seed, offPlane string }{
	"en": {"δ (filter-normalised random direction)", "η (filter-normalised random direction)",
		"PC1 (%.0f %% of the path)", "PC2 (%.0f %%)", "PC1 (%.0f %% of each path, on average)",
		"%d×%d grid, ", "%d training images", ", %d test images", "random directions of seed %d",
		"the path is not drawn: it lies almost wholly off this random plane (see the PCA plane)"},
	"ko": {"δ (필터 정규화 무작위 방향)", "η (필터 정규화 무작위 방향)",
		"PC1 (경로의 %.0f %%)", "PC2 (%.0f %%)", "PC1 (경로마다 평균 %.0f %%)",
		"%d×%d 격자, ", "학습 이미지 %d개", ", 테스트 이미지 %d개", "시드 %d의 무작위 방향",
		"경로는 이 무작위 평면을 거의 벗어나 있어 그리지 않았습니다 (PCA 평면을 보세요)"},
}

// LandscapeFigure draws a kept slice or chart in lang.
func LandscapeFigure(res *landscape.Result, lang string) (*figures.Figure, error) {
	m := figures.Meta{Lang: lang, Caption: landscapeCaption(res, lang), CaptionEN: landscapeCaption(res, "en")}
	if res.IsLine() {
		lc := figures.LineChart{}
		for _, l := range res.Lines {
			c := l.Chart
			lc.T = c.T
			lc.Runs = append(lc.Runs, figures.LineRun{Label: l.Label, TrainLoss: c.TrainLoss, TrainAccuracy: c.TrainAccuracy,
				TestLoss: c.TestLoss, TestAccuracy: c.TestAccuracy})
		}
		return figures.LineChartFigure(lc, m)
	}
	w, ok := landscapeWords[lang]
	if !ok {
		w = landscapeWords["en"]
	}
	sl := res.Slice
	ls := figures.Landscape{A: sl.A, B: sl.B, Loss: sl.Loss, XLabel: w.randomX, YLabel: w.randomY}
	if ex := res.Explained; ex != nil {
		ls.XLabel, ls.YLabel = fmt.Sprintf(w.pcX, 100*ex[0]), fmt.Sprintf(w.pcY, 100*ex[1])
		if len(res.Tracks) > 1 {
			ls.XLabel = fmt.Sprintf(w.pcXs, 100*ex[0])
		}
	}
	hidden := false
	for _, t := range res.Tracks {
		if len(t.Points) == 0 {
			continue
		}
		last := t.Points[len(t.Points)-1]
		ls.Current = append(ls.Current, [2]float64{last.A, last.B})
		if res.Plane == mnist.PlaneRandom && tiny(t.Points, sl) {
			hidden = true // a heap of labels on the centre would say nothing
			continue
		}
		ls.Paths = append(ls.Paths, pathOnFigure(t.Label, t.Points))
	}
	if len(ls.Paths) == 1 {
		ls.Paths[0].Label = ""
	}
	if ls.Current == nil && res.Sweep == "" {
		ls.Current = [][2]float64{{0, 0}}
	}
	if hidden {
		m.Caption, m.CaptionEN = joinWords(m.Caption, w.offPlane), joinWords(m.CaptionEN, landscapeWords["en"].offPlane)
	}
	return figures.LandscapeFigure(ls, m)
}

// tiny reports whether a path's projection spans less than 2 % of the
// slice's domain: random directions are almost orthogonal to a path, which
// then projects onto a speck at the centre.
func tiny(pts []mnist.PathPoint, sl *mnist.Slice) bool {
	lo, hi := [2]float64{math.Inf(1), math.Inf(1)}, [2]float64{math.Inf(-1), math.Inf(-1)}
	for _, p := range pts {
		lo, hi = [2]float64{min(lo[0], p.A), min(lo[1], p.B)}, [2]float64{max(hi[0], p.A), max(hi[1], p.B)}
	}
	w, h := sl.A[len(sl.A)-1]-sl.A[0], sl.B[len(sl.B)-1]-sl.B[0]
	return hi[0]-lo[0] < 0.02*w && hi[1]-lo[1] < 0.02*h
}

func joinWords(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// pathOnFigure is a track as a figure draws it: each point off the plane
// by its distance as a share of the track's reach, its largest ‖θᵢ − c‖
// (as descent landscape draws it).
func pathOnFigure(label string, pts []mnist.PathPoint) figures.LandscapePath {
	p := figures.LandscapePath{Label: label}
	reach := 0.0
	for _, q := range pts {
		reach = max(reach, q.Norm)
	}
	for _, q := range pts {
		p.Points, p.Steps = append(p.Points, [2]float64{q.A, q.B}), append(p.Steps, q.Step)
		off := 0.0
		if reach > 0 {
			off = q.Dist / reach
		}
		p.Off = append(p.Off, off)
	}
	return p
}

// landscapeCaption says what was sliced and how: the runs' settings (or
// the model's), the plane, the grid and the images.
func landscapeCaption(res *landscape.Result, lang string) string {
	w, ok := landscapeWords[lang]
	if !ok {
		w = landscapeWords["en"]
	}
	var parts []string
	rds := make([]RunData, len(res.Runs))
	for i, r := range res.Runs {
		rds[i] = RunData{ID: r.ID, Label: r.Label, Config: r.Config}
	}
	switch {
	case res.Model != "":
		s := fmt.Sprintf("%s %s", res.Model, res.Arch)
		if mm := res.ModelMeta; mm.Optimizer != "" {
			s += fmt.Sprintf(", %s α=%g, batch %d, %d epochs", mm.Optimizer, mm.LR, mm.Batch, mm.Epochs)
		}
		parts = append(parts, s)
	case len(rds) > 0:
		parts = append(parts, Caption(rds, lang))
	}
	if res.Run != "" {
		parts = append(parts, fmt.Sprintf("%s, step %d", res.Run, res.Step))
	}
	if res.Sweep != "" {
		parts = append(parts, res.Sweep)
	}
	if res.Plane == mnist.PlaneRandom {
		parts = append(parts, fmt.Sprintf(w.seed, res.Seed))
	}
	g := fmt.Sprintf(w.images, res.Examples)
	if sl := res.Slice; sl != nil {
		g = fmt.Sprintf(w.grid, len(sl.A), len(sl.B)) + g
	}
	if res.TestExamples > 0 {
		g += fmt.Sprintf(w.test, res.TestExamples)
	}
	parts = append(parts, g)
	return strings.Join(parts, " · ")
}
