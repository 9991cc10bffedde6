package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"

	"descent/optim"
	"descent/server/figures"
	"descent/server/protocol"
)

// maxTrajExportBytes bounds the body of a trajectory export: the page's
// largest set, protocol.MaxTrajOptimizers trajectories of protocol.MaxTrajSteps points with
// J, is about 12 MB as JSON (the page sends no gradient norms: the server
// takes them from the function at the points).
const maxTrajExportBytes = 16 << 20

// TrajectoryExport is the body of POST /api/export/trajectory/{kind}.{ext}:
// the trajectories the surface page holds, for a figure or a CSV file.
type TrajectoryExport struct {
	Fn           string             `json:"fn"`
	FnParams     map[string]float64 `json:"fnParams,omitempty"`
	Domain       *figures.Domain    `json:"domain,omitempty"` // the view; the function's window when nil
	Lang         string             `json:"lang,omitempty"`   // "en" (default) or "ko"
	Caption      string             `json:"caption,omitempty"`
	Trajectories []ExportTrajectory `json:"trajectories"`
}

// ExportTrajectory is one optimizer's path: its iterates from the start, J
// and the gradient norm ‖∇J‖ at each (both optional) and how it ended.
type ExportTrajectory struct {
	Label  string       `json:"label"`
	Points [][2]float64 `json:"points"`
	F      []float64    `json:"f,omitempty"`
	Grad   []float64    `json:"grad,omitempty"`
	Status string       `json:"status,omitempty"`
}

// ServeTrajectory answers POST /api/export/trajectory/{file}:
// surface.png|svg (the trajectories over J), f.png|svg (J against the
// step), gradnorm.png|svg (‖∇J‖ against the step) or any KIND.csv (the
// iterates).
func (s *Handler) ServeTrajectory(w http.ResponseWriter, r *http.Request) {
	kind, ext, ok := splitFile(r.PathValue("file"))
	if !ok || (kind != "surface" && kind != "f" && kind != "gradnorm") || (ext != "png" && ext != "svg" && ext != "csv") {
		exportError(w, fmt.Errorf("server: want /api/export/trajectory/surface, f or gradnorm .png|svg|csv, got %q", r.PathValue("file")))
		return
	}
	var req TrajectoryExport
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxTrajExportBytes))
	if err := dec.Decode(&req); err != nil {
		exportError(w, fmt.Errorf("server: trajectory export body: %w", err))
		return
	}
	fn, trajs, err := req.check()
	release, ok := s.begin(w, r, err)
	if !ok {
		return
	}
	defer release()
	if ext == "csv" {
		var buf bytes.Buffer
		if err := writeTrajectoriesCSV(&buf, fn.Name, trajs); err != nil {
			exportError(w, err)
			return
		}
		attach(w, "descent-"+fn.Name+"-trajectories.csv", buf.Bytes())
		return
	}
	m := figures.Meta{Lang: req.Lang, Caption: req.Caption, CaptionEN: req.Caption}
	var fig *figures.Figure
	switch kind {
	case "surface":
		dom := figures.DomainOf(fn)
		if req.Domain != nil {
			dom = *req.Domain
		}
		fig, err = figures.TrajectoryFigure(fn, dom, trajs, m)
	case "gradnorm":
		grads := make([][]float64, len(req.Trajectories))
		for i, t := range req.Trajectories {
			grads[i] = t.Grad
		}
		fig, err = figures.GradStepFigure(fn, trajs, grads, m)
	default:
		fig, err = figures.FvsStepFigure(fn, trajs, m)
	}
	if err != nil {
		exportError(w, fmt.Errorf("server: %w", err))
		return
	}
	sendFigure(w, fig, ext, "descent-"+fn.Name+"-"+kind)
}

// check validates the request and returns its function and trajectories.
func (req TrajectoryExport) check() (optim.Function, []figures.Trajectory, error) {
	fn, err := optim.NewFunction(req.Fn, req.FnParams)
	if err != nil {
		return fn, nil, fmt.Errorf("server: %w", err)
	}
	if req.Lang != "" && req.Lang != "en" && req.Lang != "ko" {
		return fn, nil, fmt.Errorf("server: lang %q is not en or ko", req.Lang)
	}
	if len(req.Caption) > 500 {
		return fn, nil, fmt.Errorf("server: caption is %d bytes; at most 500", len(req.Caption))
	}
	if req.Domain != nil {
		if err := req.Domain.Validate(); err != nil {
			return fn, nil, fmt.Errorf("server: domain: %w", err)
		}
	}
	n := len(req.Trajectories)
	if n < 1 || n > protocol.MaxTrajOptimizers*protocol.MaxTrajSets {
		return fn, nil, fmt.Errorf("server: %d trajectories; want 1 to %d", n, protocol.MaxTrajOptimizers*protocol.MaxTrajSets)
	}
	trajs := make([]figures.Trajectory, n)
	for i, t := range req.Trajectories {
		if len(t.Points) > protocol.MaxTrajSteps+1 {
			return fn, nil, fmt.Errorf("server: trajectory %d has %d points; at most %d", i+1, len(t.Points), protocol.MaxTrajSteps+1)
		}
		if len(t.F) != 0 && len(t.F) != len(t.Points) {
			return fn, nil, fmt.Errorf("server: trajectory %d has %d points and %d values of J", i+1, len(t.Points), len(t.F))
		}
		if len(t.Grad) != 0 && len(t.Grad) != len(t.Points) {
			return fn, nil, fmt.Errorf("server: trajectory %d has %d points and %d gradient norms", i+1, len(t.Points), len(t.Grad))
		}
		if len(t.Label) > protocol.MaxLabel {
			return fn, nil, fmt.Errorf("server: trajectory %d's label is longer than %d", i+1, protocol.MaxLabel)
		}
		trajs[i] = figures.Trajectory{Label: t.Label, Points: t.Points, F: t.F, Status: t.Status}
	}
	return fn, trajs, nil
}
