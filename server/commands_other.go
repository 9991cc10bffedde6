package server

import (
	"context"

	"descent/server/draw"
	"descent/server/landscape"
	"descent/server/protocol"
	"descent/server/traj"
)

// The checks and deeds of the drawing's, the surface's and the landscape's
// commands of the table (commands.go).

func checkPredict(_ *Server, w *protocol.Predict) (draw.Drawing, error) { return draw.Check(w) }

// doPredict hands a drawing to the page's predictor goroutine, started on
// the first one.
func doPredict(c *conn, req int64, d draw.Drawing) error {
	d.Req = req
	c.draw.Put(d, func() { go c.draw.Loop(c.done, c.answerDrawing) })
	return nil
}

// answerDrawing classifies one drawing, on the page's predictor goroutine.
func (c *conn) answerDrawing(d draw.Drawing) {
	res, err := draw.Predict(context.Background(), d, c.s.runs, c.s.models)
	if err != nil {
		c.sendError(protocol.CmdPredict, d.Req, err)
		return
	}
	c.send(res)
}

func checkTrajStart(s *Server, w *protocol.TrajStart) (traj.Plan, error) {
	return traj.Check(w, s.limits.MaxTrajSteps)
}

func doTrajStart(c *conn, req int64, p traj.Plan) error { return c.trajs.Start(p, req) }

func checkTrajControl(_ *Server, w *protocol.TrajControl) (protocol.TrajControl, error) {
	return *w, traj.CheckControl(w)
}

func doTrajControl(c *conn, _ int64, w protocol.TrajControl) error { return c.trajs.Control(w) }

func checkTrajDelete(_ *Server, w *protocol.TrajCommand) (string, error) {
	if w.Traj == "" {
		return "", protocol.Missing("traj", `a trajectory set id such as "t1"`)
	}
	return w.Traj, nil
}

func doTrajDelete(c *conn, _ int64, id string) error {
	st, err := c.trajs.Delete(id)
	if err == nil {
		c.send(st)
	}
	return err
}

// landscapeLimits are the limits the landscape's commands are checked
// against: the server's and the sizes of its data sets.
func (s *Server) landscapeLimits() landscape.Limits {
	l := landscape.Limits{MaxGrid: s.limits.MaxLandscapeGrid, MaxImages: s.limits.MaxLandscapeImages, TrainN: s.validator.trainN}
	if s.cfg.Test != nil {
		l.TestN = s.cfg.Test.N
	}
	return l
}

func checkLandscape(s *Server, w *protocol.Landscape) (landscape.Plan, error) {
	return landscape.Check(w, s.landscapeLimits())
}

// doLandscape replaces the page's landscape; the slice is made by the
// analysis scheduler and its frames go to the writer as they come.
func doLandscape(c *conn, req int64, p landscape.Plan) error {
	c.land.Start(p, req)
	return nil
}

func checkLandscapeLine(s *Server, w *protocol.LandscapeLine) (landscape.LinePlan, error) {
	return landscape.CheckLine(w, s.landscapeLimits())
}

func doLandscapeLine(c *conn, req int64, p landscape.LinePlan) error {
	c.land.Line(p, req)
	return nil
}

func doLandscapeCancel(c *conn, req int64, _ struct{}) error {
	c.land.Cancel(req)
	return nil
}
