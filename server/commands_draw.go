package server

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"descent/optim"
	"descent/server/draw"
	"descent/server/protocol"
)

// The drawing panel's derivatives and learn copies: the checks and the
// carrying out of their rows in the table (commands.go). Explains go
// through the page's explain Slot, as drawings do; gradient checks and
// learn commands through the page's learn queue (draw.Page), on the learn
// workers.

func checkExplain(s *Server, w *protocol.Explain) (draw.ExplainQuery, error) {
	return draw.CheckExplain(w, s.validator.testN)
}

// doExplain hands an explain to the page's explain goroutine, started on
// the first one.
func doExplain(c *conn, req int64, q draw.ExplainQuery) error {
	q.Req = req
	c.explain.Put(q, func() { go c.explain.Loop(c.done, c.answerExplain) })
	return nil
}

// answerExplain explains one picture, on the page's explain goroutine.
func (c *conn) answerExplain(q draw.ExplainQuery) {
	res, err := c.s.panel.Explain(context.Background(), q)
	if err != nil {
		c.sendError(protocol.CmdExplain, q.Req, err)
		return
	}
	c.send(res)
}

func checkGradCheck(s *Server, w *protocol.GradCheck) (draw.GradQuery, error) {
	return draw.CheckGradCheck(w, s.validator.testN)
}

func doGradCheck(c *conn, req int64, q draw.GradQuery) error {
	q.Req = req
	return c.learn.GradCheck(q)
}

func checkLearnStart(_ *Server, w *protocol.LearnStart) (draw.StartQuery, error) {
	q := draw.StartQuery{Copy: w.Copy, Run: w.Run, Model: w.Model}
	if err := draw.CheckCopyName(w.Copy); err != nil {
		return q, err
	}
	if err := draw.CheckSources(w.Run, w.Model); err != nil {
		return q, err
	}
	var err error
	q.Optimizer, q.Hyper, err = checkLearnOptimizer(w.Optimizer, w.Hyper)
	return q, err
}

// checkLearnOptimizer checks a copy's optimizer (default
// protocol.DefaultLearnOpt) and its hyperparameters as a run's are checked.
func checkLearnOptimizer(name string, hyper map[string]float64) (string, map[string]float64, error) {
	if name == "" {
		name = protocol.DefaultLearnOpt
	}
	spec, err := networkOptimizer(&name, "optimizer")
	if err != nil {
		return "", nil, err
	}
	h, err := checkHyper(spec, hyper, func(f string) string { return f })
	if err != nil {
		return "", nil, err
	}
	if _, err := optim.New[float32](spec.Name, h); err != nil { // cross-field rules
		return "", nil, protocol.Refuse(protocol.CodeInvalid, "hyper", "", "%v", err)
	}
	return spec.Name, h, nil
}

func doLearnStart(c *conn, req int64, q draw.StartQuery) error {
	q.Req = req
	return c.learn.Start(q)
}

func checkLearnStep(s *Server, w *protocol.LearnStep) (draw.StepQuery, error) {
	return draw.CheckLearnStep(w, s.validator.testN)
}

func doLearnStep(c *conn, req int64, q draw.StepQuery) error {
	q.Req = req
	return c.learn.Step(q)
}

func checkLearnReset(_ *Server, w *protocol.LearnReset) (draw.ResetQuery, error) {
	q := draw.ResetQuery{Copy: w.Copy}
	if err := draw.CheckCopyName(w.Copy); err != nil {
		return q, err
	}
	if w.Optimizer == "" {
		if w.Hyper != nil {
			return q, protocol.Refuse(protocol.CodeInvalid, "hyper", "hyper together with optimizer", "hyper without an optimizer")
		}
		return q, nil
	}
	var err error
	q.Optimizer, q.Hyper, err = checkLearnOptimizer(w.Optimizer, w.Hyper)
	return q, err
}

func doLearnReset(c *conn, req int64, q draw.ResetQuery) error {
	q.Req = req
	return c.learn.Reset(q)
}

func checkLearnKeep(_ *Server, w *protocol.LearnKeep) (draw.KeepQuery, error) {
	q := draw.KeepQuery{Copy: w.Copy}
	if err := draw.CheckCopyName(w.Copy); err != nil {
		return q, err
	}
	var err error
	q.Name, err = draw.CheckModelName(w.Name)
	return q, err
}

func doLearnKeep(c *conn, req int64, q draw.KeepQuery) error {
	q.Req = req
	return c.learn.Keep(q)
}

func checkLearnDrop(_ *Server, w *protocol.LearnCopyCommand) (string, error) {
	return w.Copy, draw.CheckCopyName(w.Copy)
}

func doLearnDrop(c *conn, req int64, name string) error { return c.learn.Drop(req, name) }

func checkModelDelete(_ *Server, w *protocol.ModelDelete) (string, error) {
	if w.Model == "" {
		return "", protocol.Missing("model", "the name of a kept model")
	}
	return w.Model, nil
}

// doModelDelete forgets a kept model at once (a map's entry) and answers
// with the models left; every other page gets them on its next flush.
func doModelDelete(c *conn, req int64, name string) error {
	if err := c.s.models.Delete(name, c.learn.ID(), c.role == RoleControl); err != nil {
		return err
	}
	c.send(protocol.Models{Type: protocol.EvModels, Req: req, Models: c.s.models.Infos()})
	return nil
}

// handleModel answers GET /api/export/model/{name}.descent: a saved model
// (a file of --models or a kept learn copy) in the model file format.
func (s *Server) handleModel(w http.ResponseWriter, r *http.Request) {
	file := r.PathValue("file")
	name, ok := strings.CutSuffix(file, draw.ModelExt)
	m, found := s.models.Model(name)
	if !ok || !found {
		http.Error(w, fmt.Sprintf("server: no saved model %q; the names are in hello.models", file), http.StatusNotFound)
		return
	}
	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", "attachment; filename="+strconv.Quote(safeFileName(name)+draw.ModelExt))
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	_, _ = w.Write(buf.Bytes())
}

// safeFileName keeps a model's name for a download's file name, with
// anything but letters, digits, '-', '_' and '.' as '_'.
func safeFileName(name string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r == '.' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') {
			return r
		}
		return '_'
	}, name)
}
