package server

import (
	"fmt"
	"slices"
	"strings"

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
