package server

import (
	"context"

	"descent/server/hessian"
	"descent/server/protocol"
)

// The hessian command (protocol.Hessian): checked against
// --max-hessian-examples, then carried out as the page's analysis of kind
// "hessian" (package analysis: at most --max-analyses at once, a new one
// replacing the page's last, ended with the page), its weights found and
// its Hessian computed there, off the reader and every training goroutine.

// analysisHessian is the hessian command's kind of analysis.
const analysisHessian = "hessian"

func checkHessian(s *Server, w *protocol.Hessian) (hessian.Request, error) {
	return hessian.Check(w, s.limits.MaxHessianExamples)
}

// doHessian refuses an unknown run or model at once, then hands the work to
// the analyses; a request replaced by a newer one, or whose page went, gets
// no answer.
func doHessian(c *conn, req int64, h hessian.Request) error {
	h.Req = req
	var err error
	if h.Model != "" {
		_, err = c.s.models.Snapshot(h.Model)
	} else {
		_, err = c.s.runs.Get(h.Run)
	}
	if err != nil {
		return err
	}
	c.s.analyses.Go(c.ctx, c, analysisHessian, func(ctx context.Context) { c.answerHessian(ctx, h) })
	return nil
}

// answerHessian finds the weights and computes their Hessian, on the
// analysis's goroutine, with progress frames; it answers unless ctx ended.
func (c *conn) answerHessian(ctx context.Context, h hessian.Request) {
	src := hessian.Sources{Runs: c.s.runs, Models: c.s.models, Train: c.s.cfg.Train, MaxParams: c.s.limits.MaxHessianParams}
	t, err := src.Resolve(ctx, h)
	if err == nil {
		var res protocol.HessianResult
		progress := hessian.Progress(h, func(p protocol.HessianProgress) { c.send(p) })
		if res, err = hessian.Analyze(ctx, h, t, progress); err == nil && ctx.Err() == nil {
			c.send(res)
			return
		}
	}
	if ctx.Err() == nil {
		c.sendError(protocol.CmdHessian, h.Req, err)
	}
}
