package server

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"descent/mnist"
	"descent/server/draw"
	"descent/server/hessian"
	"descent/server/landscape"
	"descent/server/protocol"
	"descent/server/runs"
	"descent/server/traj"
)

// The one table of commands. Each command type has one entry that decodes
// its frame strictly into its wire type W, checks it and the server's limits
// into the value V that is carried out, and carries V out. A refusal at any
// stage is an Error event (sendError); the connection stays open and the
// other pages and runs go on. Adding a command is adding one entry.
var commandTable = []commandSpec{
	{protocol.CmdStart, true, false, entry[protocol.Start, newRuns]{checkStart, doCreate}},
	{protocol.CmdSweep, true, false, entry[protocol.Sweep, newRuns]{checkSweep, doCreate}},
	{protocol.CmdPause, true, false, runAction(func(c *conn, r *runs.Live) error { return r.Pause() })},
	{protocol.CmdResume, true, false, runAction(func(c *conn, r *runs.Live) error { return r.Resume() })},
	{protocol.CmdStop, true, false, runAction(func(c *conn, r *runs.Live) error { return r.Stop() })},
	{protocol.CmdDelete, true, false, runCommand(func(c *conn, _ int64, id string) error { return c.s.runs.Remove(id) })},
	{protocol.CmdRestart, true, false, runCommand(func(c *conn, _ int64, id string) error { return c.s.runs.Restart(id) })},
	{protocol.CmdRename, true, false, entry[protocol.Rename, protocol.Rename]{checkRenameCmd, doRename}},
	{protocol.CmdPace, true, false, entry[protocol.PaceCommand, protocol.PaceCommand]{checkPace, doPace}},
	{protocol.CmdWeightsAt, false, false, entry[protocol.WeightsAt, protocol.WeightsAt]{checkWeightsAt, doWeightsAt}},
	{protocol.CmdSubscribe, false, false, entry[protocol.Subscribe, protocol.Subscribe]{checkSubscribe, doSubscribe}},
	{protocol.CmdUnsubscribe, false, false, runCommand(doUnsubscribe)},
	{protocol.CmdList, false, false, entry[protocol.List, struct{}]{checkNothing[protocol.List], doList}},
	{protocol.CmdPredict, false, true, entry[protocol.Predict, draw.Drawing]{checkPredict, doPredict}},
	{protocol.CmdExplain, false, true, entry[protocol.Explain, draw.ExplainQuery]{checkExplain, doExplain}},
	{protocol.CmdGradCheck, false, true, entry[protocol.GradCheck, draw.GradQuery]{checkGradCheck, doGradCheck}},
	{protocol.CmdLearnStart, false, false, entry[protocol.LearnStart, draw.StartQuery]{checkLearnStart, doLearnStart}},
	{protocol.CmdLearnStep, false, true, entry[protocol.LearnStep, draw.StepQuery]{checkLearnStep, doLearnStep}},
	{protocol.CmdLearnReset, false, false, entry[protocol.LearnReset, draw.ResetQuery]{checkLearnReset, doLearnReset}},
	{protocol.CmdLearnKeep, false, false, entry[protocol.LearnKeep, draw.KeepQuery]{checkLearnKeep, doLearnKeep}},
	{protocol.CmdLearnDrop, false, false, entry[protocol.LearnCopyCommand, string]{checkLearnDrop, doLearnDrop}},
	{protocol.CmdModelDelete, false, false, entry[protocol.ModelDelete, string]{checkModelDelete, doModelDelete}},
	{protocol.CmdPresent, true, false, entry[protocol.Present, presentState]{checkPresent, doPresent}},
	{protocol.CmdTrajStart, false, false, entry[protocol.TrajStart, traj.Plan]{checkTrajStart, doTrajStart}},
	{protocol.CmdTrajControl, false, false, entry[protocol.TrajControl, protocol.TrajControl]{checkTrajControl, doTrajControl}},
	{protocol.CmdTrajDelete, false, false, entry[protocol.TrajCommand, string]{checkTrajDelete, doTrajDelete}},
	{protocol.CmdLandscape, false, false, entry[protocol.Landscape, landscape.Plan]{checkLandscape, doLandscape}},
	{protocol.CmdLandscapeLine, false, false, entry[protocol.LandscapeLine, landscape.LinePlan]{checkLandscapeLine, doLandscapeLine}},
	{protocol.CmdLandscapeCancel, false, false, entry[protocol.LandscapeCancel, struct{}]{checkNothing[protocol.LandscapeCancel], doLandscapeCancel}},
	{protocol.CmdHessian, false, false, entry[protocol.Hessian, hessian.Request]{checkHessian, doHessian}},
}

// commandSpec is one row of the table.
type commandSpec struct {
	name    string
	control bool // only the control role may send it; a watch-only link may not
	drawing bool // its frame may take protocol.MaxPredictBytes: it may carry a drawing
	cmd     command
}

// command is what a row of the table does with a frame of its type.
type command interface {
	// parse decodes the frame strictly and checks it and the server's
	// limits, and returns the value that carry carries out.
	parse(s *Server, frame []byte) (any, error)
	carry(c *conn, req int64, v any) error
}

// entry is a command whose frames decode into W and whose check returns
// the V that do carries out: the validated value is what is carried out.
type entry[W, V any] struct {
	check func(s *Server, w *W) (V, error)
	do    func(c *conn, req int64, v V) error
}

func (e entry[W, V]) parse(s *Server, frame []byte) (any, error) {
	w := new(W)
	if err := decodeStrict(frame, w); err != nil {
		return nil, err
	}
	return e.check(s, w)
}

func (e entry[W, V]) carry(c *conn, req int64, v any) error { return e.do(c, req, v.(V)) }

// lookupCommand returns the row of the table for a command type.
func lookupCommand(typ string) (commandSpec, bool) {
	i := slices.IndexFunc(commandTable, func(c commandSpec) bool { return c.name == typ })
	if i < 0 {
		return commandSpec{}, false
	}
	return commandTable[i], true
}

// commandNames lists the command types for error messages.
func commandNames() string {
	names := make([]string, len(commandTable))
	for i, c := range commandTable {
		names[i] = c.name
	}
	return strings.Join(names, ", ")
}

// handle carries out one frame of the page, if its rate allows.
func (c *conn) handle(frame []byte) {
	if !c.admit() {
		return
	}
	spec, typ, req, v, err := c.s.parse(frame, c.role)
	if err == nil {
		err = spec.cmd.carry(c, req, v)
	}
	if err != nil {
		c.sendError(typ, req, err)
	}
}

// parse reads a frame of a page with the given role: its type and req, then
// the role's right to it, the frame's size, and the command's own checks.
func (s *Server) parse(frame []byte, role string) (spec commandSpec, typ string, req int64, v any, err error) {
	typ, req, err = s.validator.head(frame)
	if err != nil {
		return spec, typ, req, nil, err
	}
	spec, ok := lookupCommand(typ)
	if !ok {
		return spec, typ, req, nil, protocol.Refuse(protocol.CodeUnknown, "type", commandNames(), "unknown command %q", typ).With(typ)
	}
	if spec.control && role == RoleWatch {
		return spec, typ, req, nil, errWatchOnly(typ)
	}
	limit := s.validator.frameLimit("")
	if spec.drawing {
		limit = s.validator.frameLimit(protocol.CmdPredict)
	}
	if len(frame) > limit {
		return spec, typ, req, nil, protocol.Refuse(protocol.CodeTooLarge, "", fmt.Sprintf("at most %d bytes (--max-message)", limit),
			"frame of %d bytes is too large", len(frame))
	}
	v, err = spec.cmd.parse(s, frame)
	return spec, typ, req, v, err
}

// sendError answers a refused command with an Error event.
func (c *conn) sendError(typ string, req int64, err error) {
	c.send(protocol.ErrorEvent(typ, req, err))
}

// newRuns are the validated runs of a start or a sweep, their pace and
// their sharpness tracking's probe set (0: not tracked).
type newRuns struct {
	cfgs         []mnist.Config
	labels       []string
	epochSeconds float64
	sharpness    int
}

func checkStart(s *Server, w *protocol.Start) (newRuns, error) {
	if err := protocol.Label("label", w.Label); err != nil {
		return newRuns{}, err
	}
	cfg, err := s.validator.config(w.Config, func(f string) string { return "config." + f })
	if err == nil {
		err = s.limits.checkSize("config.arch.hidden", w.Config)
	}
	n := newRuns{cfgs: []mnist.Config{cfg}, labels: []string{w.Label}}
	if err == nil {
		n.epochSeconds, err = checkPaceOf(w.Pace)
	}
	if err == nil {
		n.sharpness, err = s.validator.sharpness(w.Sharpness, true, cfg)
	}
	return n, err
}

func checkSweep(s *Server, w *protocol.Sweep) (newRuns, error) {
	cfgs, err := s.validator.sweep(w)
	if err == nil {
		err = s.limits.checkSize("base.arch.hidden", w.Base)
	}
	n := newRuns{cfgs: cfgs, labels: make([]string, len(w.Variants))}
	for i, v := range w.Variants {
		n.labels[i] = v.Label
	}
	if err == nil {
		n.epochSeconds, err = checkPaceOf(w.Pace)
	}
	if err == nil {
		n.sharpness, err = s.validator.sharpness(w.Sharpness, false, cfgs[0])
	}
	return n, err
}

// checkPaceOf returns a start's pace: as fast as it goes when missing.
func checkPaceOf(p *protocol.Pace) (float64, error) {
	if p == nil {
		return 0, nil
	}
	return p.EpochSeconds, checkEpochSeconds("pace.epochSeconds", p.EpochSeconds)
}

func checkEpochSeconds(field string, s float64) error {
	if !protocol.Finite(s) || s < 0 || s > protocol.MaxEpochSeconds {
		return protocol.OutOfRange(field, fmt.Sprintf("seconds an epoch from 0 (as fast as it goes) to %d", protocol.MaxEpochSeconds), s)
	}
	return nil
}

func checkPace(_ *Server, w *protocol.PaceCommand) (protocol.PaceCommand, error) {
	if err := checkRunID(w.Run); err != nil {
		return *w, err
	}
	return *w, checkEpochSeconds("epochSeconds", w.EpochSeconds)
}

func doPace(c *conn, _ int64, w protocol.PaceCommand) error {
	r, err := c.s.runs.Live(w.Run)
	if err != nil {
		return err
	}
	return r.SetPace(w.EpochSeconds)
}

func checkWeightsAt(_ *Server, w *protocol.WeightsAt) (protocol.WeightsAt, error) {
	if w.Step < 0 {
		return *w, protocol.OutOfRange("step", "a step number ≥ 0", w.Step)
	}
	return *w, checkRunID(w.Run)
}

// doWeightsAt reads the weights on the reader (a stored run's from the
// disk) and hands the answer to the writer.
func doWeightsAt(c *conn, req int64, w protocol.WeightsAt) error {
	r, err := c.s.runs.Get(w.Run)
	if err != nil {
		return err
	}
	b, err := r.WeightsAt(context.Background(), req, w.Step)
	if err != nil {
		return err
	}
	c.enqueue(func() error { return c.writeBytes(b) })
	return nil
}

// doCreate starts runs, within the page's and the queue's limits, and
// answers with one RunCreated each.
func doCreate(c *conn, req int64, n newRuns) error {
	made, err := c.createRuns(n)
	if err != nil {
		return err
	}
	c.enqueue(func() error {
		for _, r := range made {
			c.known[r.ID()] = r.Version()
			if err := c.write(protocol.RunCreated{Type: protocol.EvRunCreated, Req: req, Run: r.Info()}); err != nil {
				return err
			}
		}
		return nil
	})
	return nil
}

// runCommand is a command that names a run.
func runCommand(do func(c *conn, req int64, id string) error) command {
	return entry[protocol.RunCommand, string]{
		check: func(_ *Server, w *protocol.RunCommand) (string, error) { return w.Run, checkRunID(w.Run) },
		do:    do,
	}
}

// runAction is a command that acts on a live run.
func runAction(act func(c *conn, r *runs.Live) error) command {
	return runCommand(func(c *conn, _ int64, id string) error {
		r, err := c.s.runs.Live(id)
		if err != nil {
			return err
		}
		return act(c, r)
	})
}

func checkRenameCmd(_ *Server, w *protocol.Rename) (protocol.Rename, error) {
	name, err := checkRename(w)
	w.Name = name
	return *w, err
}

func doRename(c *conn, _ int64, w protocol.Rename) error { return c.s.runs.Rename(w.Run, w.Name) }

func checkSubscribe(_ *Server, w *protocol.Subscribe) (protocol.Subscribe, error) {
	if w.From < 0 {
		return *w, protocol.OutOfRange("from", "a step number ≥ 0", w.From)
	}
	return *w, checkRunID(w.Run)
}

// doSubscribe opens the run's stream here, on the reader (a stored run's
// history is read from the disk now), and hands it to the writer.
func doSubscribe(c *conn, req int64, w protocol.Subscribe) error {
	r, err := c.s.runs.Get(w.Run)
	if err != nil {
		return err
	}
	sub, err := r.Subscribe(context.Background(), req, w.From, w.Weights)
	if err != nil {
		return err
	}
	c.enqueue(func() error { return c.subscribe(r, sub) })
	return nil
}

func doUnsubscribe(c *conn, _ int64, id string) error {
	c.enqueue(func() error { delete(c.subs, id); return nil })
	return nil
}

func checkNothing[W any](*Server, *W) (struct{}, error) { return struct{}{}, nil }

func doList(c *conn, req int64, _ struct{}) error {
	c.send(protocol.Runs{Type: protocol.EvRuns, Req: req, Runs: c.s.runs.Infos()})
	return nil
}

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
