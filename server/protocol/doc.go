// Package protocol is the websocket protocol between Descent's page and its
// server, version Version: one Go type per message, with the names that the
// page (web/src/protocol.js) and the tests use.
//
// Every frame is one JSON object with a "type" field. The page sends
// commands; the server sends events. Field names are the ones of
// mnist.Config, mnist.StepEvent and mnist.EpochEvent, so that the page, a
// script reading `descent train --json`, and the tests read the same names.
// Accuracy is a fraction in [0, 1]; the page shows percent.
//
// A command may carry "req", a number the page chooses; the events that
// answer it (runCreated, history, prediction, explanation, gradChecked,
// learnCopy, learned, kept, learnDropped, models, trajCreated, the
// landscape's frames, error) carry the same "req" back.
//
// The messages are grouped by what they serve: runs.go (training runs:
// start, sweep, the run commands, subscribe, and the run events), hello.go
// (the first event and the limits it carries), draw.go (the drawing panel),
// explain.go (the derivatives of one picture: explain, gradCheck), learn.go
// (learn copies and kept models), surface.go (the surface explorer),
// landscape.go (the network's loss landscape and its 1-D chart),
// sharpness.go (sharpness tracking beside a run), hessian.go (the Hessian
// panel), hessian_surface.go (the Hessian at a surface's start) and
// errors.go (refusals).
package protocol

// Version is sent in hello. It changes when a message changes shape:
// version 2 added a run's pace (start's and sweep's pace, the pace command,
// RunInfo.pace), weightsAt, and the codes and values of errors.
const Version = 2
