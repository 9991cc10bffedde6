package export

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"descent/server/figures"
)

// Exports hand every view's content over as a figure (PNG at 2× or SVG,
// drawn by package figures) or as data (CSV, JSON, the model file):
//
//	GET  /api/export/run/{id}.{csv|json}             every series of a run, with its settings
//	GET  /api/export/run/{id}/{kind}.{png|svg}       kind: loss, accuracy, confusion, weights,
//	                                                 gradnorm, ratio, lr, testloss, lrrange, sharpness
//	GET  /api/export/run/{id}/model.descent          the latest weights (mnist.Model.WriteTo)
//	GET  /api/export/sweep/{id}.{csv|json}           every run of a sweep or comparison
//	GET  /api/export/sweep/{id}/{kind}.{png|svg}     kind: sweep, compare, accuracy, sharpness
//	POST /api/export/trajectory/{kind}.{png|svg|csv} kind: surface, f, gradnorm; the body is a TrajectoryExport
//	GET  /api/export/landscape/{id}.{png|svg|csv|json} a loss landscape or 1-D chart a page made (landscape.go)
//	POST /api/export/hessian/{kind}.{png|svg|csv}    kind: density, eigenvalues; the body is a HessianExport
//
// Figures take ?lang=en|ko (default en) and the loss figure ?smooth= in
// [0, 1) (default DefaultSmoothing).

// MaxExports is the number of figures and data files made at once; more
// wait for their turn (or for the client to give up), so that exports,
// which copy a run's series and draw, do not crowd out training or grow
// memory without bound.
const MaxExports = 2

// Handler answers the export requests; its methods are the handlers that
// the server registers for the paths above.
type Handler struct {
	src   RunSource
	lands LandscapeSource // nil: no landscapes (descent plot)
	log   *slog.Logger
	turns chan struct{} // one token per export being made
}

// NewHandler returns a Handler reading runs from src.
func NewHandler(src RunSource, log *slog.Logger) *Handler {
	return &Handler{src: src, log: log, turns: make(chan struct{}, MaxExports)}
}

// begin answers a request refused with err, or else waits for a turn to
// make its export and returns the turn's release; ok is false when the
// request was answered or ended first.
func (s *Handler) begin(w http.ResponseWriter, r *http.Request, err error) (release func(), ok bool) {
	if err != nil {
		exportError(w, err)
		return nil, false
	}
	select {
	case s.turns <- struct{}{}:
		return func() { <-s.turns }, true
	case <-r.Context().Done():
		return nil, false
	}
}

// exportWhat reads whether a request is for a run or a sweep.
func exportWhat(r *http.Request) (string, error) {
	what := r.PathValue("what")
	if what != "run" && what != "sweep" {
		return what, fmt.Errorf("server: unknown export %q; want /api/export/run/… or /api/export/sweep/…: %w", what, errNotFound)
	}
	return what, nil
}

// idPattern is what a run or sweep id may look like.
var idPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,32}$`)

// ServeData answers GET /api/export/{run|sweep}/{file}: the runs as
// CSV or JSON, written one run at a time.
func (s *Handler) ServeData(w http.ResponseWriter, r *http.Request) {
	what, err := exportWhat(r)
	id, ext, ok := splitFile(r.PathValue("file"))
	if err == nil && (!ok || !idPattern.MatchString(id) || (ext != "csv" && ext != "json")) {
		err = fmt.Errorf("server: want /api/export/%s/ID.csv or ID.json, got %q", what, r.PathValue("file"))
	}
	release, ok := s.begin(w, r, err)
	if !ok {
		return
	}
	defer release()
	src, ctx, ids := s.src, r.Context(), []string{id}
	if what == "sweep" {
		if ids, err = src.SweepRuns(ctx, id); err != nil {
			exportError(w, err)
			return
		}
	}
	first, err := src.Run(ctx, ids[0], 0)
	if err != nil {
		exportError(w, err)
		return
	}
	w.Header().Set("Content-Type", exportTypes[ext])
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", "descent-"+what+"-"+id+"."+ext))
	bw := bufio.NewWriterSize(w, 64<<10)
	e, err := newRunsEncoder(bw, ext)
	if err == nil {
		err = e.run(first)
	}
	for _, rid := range ids[1:] {
		var d RunData
		if err == nil {
			d, err = src.Run(ctx, rid, 0)
		}
		if err == nil {
			err = e.run(d)
		}
	}
	if err == nil {
		err = e.end()
	}
	if err == nil {
		err = bw.Flush()
	}
	if err != nil { // the status is sent: cut the answer short, so it is not taken for a whole file
		s.log.Warn("server: export cut short", "path", r.URL.Path, "err", err)
		panic(http.ErrAbortHandler)
	}
}

// ServeFile answers GET /api/export/{run|sweep}/{id}/{file}: a
// figure, or a run's model.
func (s *Handler) ServeFile(w http.ResponseWriter, r *http.Request) {
	what, err := exportWhat(r)
	if err != nil {
		exportError(w, err)
		return
	}
	id := r.PathValue("id")
	kind, ext, ok := splitFile(r.PathValue("file"))
	if !idPattern.MatchString(id) || !ok {
		exportError(w, fmt.Errorf("server: want /api/export/%s/ID/KIND.png or .svg, got %q", what, r.URL.Path))
		return
	}
	if what == "run" && kind == "model" && ext == "descent" {
		s.serveModel(w, r, id)
		return
	}
	kinds := RunKinds
	if what == "sweep" {
		kinds = SweepKinds
	}
	if !slices.Contains(kinds, kind) || (ext != "png" && ext != "svg") {
		exportError(w, fmt.Errorf("server: unknown %s export %q; want KIND.png or KIND.svg with KIND one of %s",
			what, r.PathValue("file"), strings.Join(kinds, ", ")))
		return
	}
	o, err := figureOptions(r)
	release, ok := s.begin(w, r, err)
	if !ok {
		return
	}
	defer release()
	fig, err := ReadFigure(r.Context(), s.src, what, id, kind, o)
	if err != nil {
		exportError(w, err)
		return
	}
	sendFigure(w, fig, ext, "descent-"+id+"-"+kind)
}

// serveModel writes a run's latest weights in the model file format.
func (s *Handler) serveModel(w http.ResponseWriter, r *http.Request, id string) {
	m, err := s.src.Model(r.Context(), id)
	if err != nil {
		exportError(w, err)
		return
	}
	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		exportError(w, err)
		return
	}
	attach(w, "descent-"+id+".descent", buf.Bytes())
}

// figureOptions reads ?lang= and ?smooth=.
func figureOptions(r *http.Request) (FigureOptions, error) {
	q := r.URL.Query()
	o := FigureOptions{Lang: q.Get("lang"), Smoothing: DefaultSmoothing}
	switch o.Lang {
	case "":
		o.Lang = "en"
	case "en", "ko":
	default:
		return o, fmt.Errorf("server: lang %q is not en or ko", o.Lang)
	}
	if v := q.Get("smooth"); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || !(f >= 0 && f < 1) {
			return o, fmt.Errorf("server: smooth %q is outside [0, 1)", v)
		}
		o.Smoothing = f
	}
	return o, nil
}

// splitFile splits "name.ext" at its last dot.
func splitFile(file string) (name, ext string, ok bool) {
	i := strings.LastIndexByte(file, '.')
	if i <= 0 || i == len(file)-1 {
		return "", "", false
	}
	return file[:i], strings.ToLower(file[i+1:]), true
}

// sendFigure encodes fig (a PNG at 2×) and sends it as name.ext.
func sendFigure(w http.ResponseWriter, fig *figures.Figure, ext, name string) {
	var buf bytes.Buffer
	if err := figures.Encode(&buf, fig, ext, 0, 0, true); err != nil {
		exportError(w, err)
		return
	}
	attach(w, name+"."+ext, buf.Bytes())
}

// exportTypes are the exports' media types, by extension.
var exportTypes = map[string]string{
	"png": "image/png", "svg": "image/svg+xml", "csv": "text/csv; charset=utf-8",
	"json": "application/json", "descent": "application/octet-stream",
}

// attach sends b as a download named name.
func attach(w http.ResponseWriter, name string, b []byte) {
	_, ext, _ := splitFile(name)
	w.Header().Set("Content-Type", exportTypes[ext])
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	_, _ = w.Write(b)
}

// exportError answers 404 for an unknown run or sweep, 413 for a body too
// large, 500 for a failure to write, and 400 for every other bad request.
func exportError(w http.ResponseWriter, err error) {
	code := http.StatusBadRequest
	var tooLarge *http.MaxBytesError
	switch {
	case errors.Is(err, errNotFound):
		code = http.StatusNotFound
	case errors.As(err, &tooLarge):
		code = http.StatusRequestEntityTooLarge
	case errors.Is(err, io.ErrShortWrite):
		code = http.StatusInternalServerError
	}
	http.Error(w, err.Error(), code)
}
