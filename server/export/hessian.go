package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"descent/server/figures"
	"descent/server/protocol"
)

// maxHessianExportBytes bounds the body of a Hessian export: a result with
// 10 eigenvalues, a density of 512 points and 100 tiles is about 150 KB.
const maxHessianExportBytes = 1 << 20

// HessianExport is the body of POST /api/export/hessian/{kind}.{ext}: the
// hessianResult the Hessian panel holds, for a figure or a CSV file.
type HessianExport struct {
	Lang    string                 `json:"lang,omitempty"` // "en" (default) or "ko"
	Caption string                 `json:"caption,omitempty"`
	Result  protocol.HessianResult `json:"result"`
}

// ServeHessian answers POST /api/export/hessian/{file}: density.png|svg
// (the spectral density on a log axis, with the top eigenvalues marked),
// eigenvalues.png|svg (the top eigenvalues against their rank), or
// KIND.csv (the eigenvalues, the trace and the density as rows).
func (s *Handler) ServeHessian(w http.ResponseWriter, r *http.Request) {
	kind, ext, ok := splitFile(r.PathValue("file"))
	if !ok || (kind != "density" && kind != "eigenvalues") || (ext != "png" && ext != "svg" && ext != "csv") {
		exportError(w, fmt.Errorf("server: want /api/export/hessian/density or eigenvalues .png|svg|csv, got %q", r.PathValue("file")))
		return
	}
	var req HessianExport
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxHessianExportBytes))
	err := dec.Decode(&req)
	if err != nil {
		err = fmt.Errorf("server: Hessian export body: %w", err)
	} else {
		err = req.check(kind, ext)
	}
	release, ok := s.begin(w, r, err)
	if !ok {
		return
	}
	defer release()
	name := "descent-hessian-" + fileSafe(req.Result.Run+req.Result.Model)
	if ext == "csv" {
		var buf bytes.Buffer
		if err := writeHessianCSV(&buf, req.Result); err != nil {
			exportError(w, err)
			return
		}
		attach(w, name+".csv", buf.Bytes())
		return
	}
	sp := figures.Spectrum{Eigenvalues: req.Result.Eigenvalues}
	if d := req.Result.Density; d != nil {
		sp.DensityX, sp.DensityY = d.X, d.Y
	}
	m := figures.Meta{Lang: req.Lang, Caption: req.Caption, CaptionEN: req.Caption}
	var fig *figures.Figure
	if kind == "density" {
		fig, err = figures.DensityFigure(sp, m)
	} else {
		fig, err = figures.EigenvaluesFigure(sp, m)
	}
	if err != nil {
		exportError(w, fmt.Errorf("server: %w", err))
		return
	}
	sendFigure(w, fig, ext, name+"-"+kind)
}

// check validates the body for kind and ext.
func (req HessianExport) check(kind, ext string) error {
	res := req.Result
	switch {
	case req.Lang != "" && req.Lang != "en" && req.Lang != "ko":
		return fmt.Errorf("server: lang %q is not en or ko", req.Lang)
	case len(req.Caption) > 500:
		return fmt.Errorf("server: caption is %d bytes; at most 500", len(req.Caption))
	case len(res.Eigenvalues) < 1 || len(res.Eigenvalues) > protocol.MaxHessianTop:
		return fmt.Errorf("server: %d eigenvalues; want 1 to %d", len(res.Eigenvalues), protocol.MaxHessianTop)
	case kind == "density" && ext != "csv" && res.Density == nil:
		return fmt.Errorf("server: the density figure needs result.density (ask for the Hessian with density)")
	case res.Density != nil && (len(res.Density.X) != len(res.Density.Y) || len(res.Density.X) > 4096):
		return fmt.Errorf("server: a density of %d x and %d y values; want as many of each, at most 4096", len(res.Density.X), len(res.Density.Y))
	}
	return nil
}

// writeHessianCSV writes one row per eigenvalue (record "eigenvalue", k,
// λ), one for the trace (its estimate and standard error) and one per point
// of the density (record "density", λ, φ).
func writeHessianCSV(w io.Writer, res protocol.HessianResult) error {
	cw := csv.NewWriter(w)
	src := res.Run + res.Model
	rows := [][]string{{"source", "at", "step", "examples", "record", "k", "lambda", "value", "stderr"}}
	head := []string{src, res.At, strconv.Itoa(res.Step), strconv.Itoa(res.Examples)}
	row := func(rest ...string) { rows = append(rows, append(append([]string(nil), head...), rest...)) }
	for k, v := range res.Eigenvalues {
		row("eigenvalue", strconv.Itoa(k+1), fmtFloat(v), "", "")
	}
	row("trace", "", "", fmtFloat(res.Trace), fmtFloat(res.TraceStdErr))
	if d := res.Density; d != nil {
		for i := range d.X {
			row("density", "", fmtFloat(d.X[i]), fmtFloat(d.Y[i]), "")
		}
	}
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return cw.Error()
}

// fileSafe keeps the letters, digits, '-' and '_' of s, at most 40, for a
// file name.
func fileSafe(s string) string {
	b := []byte{}
	for _, c := range []byte(s) {
		if len(b) < 40 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			b = append(b, c)
		}
	}
	return string(b)
}
