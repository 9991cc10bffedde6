package protocol

import "descent/mnist"

// Learning one digit, under the same Version: a page makes named copies of
// a network (a run's snapshot or a saved model; never the run that trains)
// and steps them on one picture at a time, θ ← θ − α·update(∇J(θ)) with
// J = −log p_L, as mnist.Learner does. A copy belongs to the page that made
// it and goes with it; a copy that is kept becomes a saved model that every
// page can draw with and download. The watch link may do all of it: no run
// changes.
//
// Every learn command goes through the page's learn queue, in order: at most
// LearnQueue wait (more are refused with CodeBusy), and the server's learn
// workers (--learn-workers) take the pages' commands in turn, so that one
// page cannot hold up the others or the runs.

// Command and event types of learning.
const (
	CmdLearnStart   = "learnStart"   // LearnStart: make a copy
	CmdLearnStep    = "learnStep"    // LearnStep: one step of a copy on one picture
	CmdLearnReset   = "learnReset"   // LearnReset: back to the weights the copy was made from
	CmdLearnKeep    = "learnKeep"    // LearnKeep: the copy becomes a saved model
	CmdLearnDrop    = "learnDrop"    // LearnCopyCommand: forget a copy
	CmdModelDelete  = "modelDelete"  // ModelDelete: forget a kept model
	EvLearnCopy     = "learnCopy"    // LearnCopy: a copy as it is, after learnStart and learnReset
	EvLearned       = "learned"      // Learned: the answer to learnStep
	EvKept          = "kept"         // Kept: the answer to learnKeep
	EvLearnDropped  = "learnDropped" // LearnDropped: the answer to learnDrop
	EvModels        = "models"       // Models: the saved models changed (sent to every page)
	DefaultLearnOpt = "sgd"          // LearnStart's optimizer when missing
)

// Limits of learning that are not flags.
const (
	// LearnQueue is the number of learn commands and gradient checks of one
	// page that may wait for a learn worker.
	LearnQueue = 4
	// MaxCopyName bounds a copy's name: 1 to 32 letters, digits, '-' or '_'.
	MaxCopyName = 32
	// MaxModelName bounds a kept model's name, in characters.
	MaxModelName = 40
)

// LearnStart makes the page's copy Copy of a network: Run (a run id, or
// empty for the network that answers drawings, as in Predict) or Model (a
// saved model). The copy takes the weights the run answers with (those
// after its last finished epoch), so the run trains on untouched. Optimizer
// is a network optimizer of Hello.Optimizers (default DefaultLearnOpt) with
// its Hyper (missing ones take their defaults; the rate is each step's lr).
// A copy of the same name is replaced. Answered by LearnCopy.
//
//	{"type":"learnStart","req":11,"copy":"c1","run":"r2","optimizer":"sgd"}
type LearnStart struct {
	Type      string             `json:"type"`
	Req       int64              `json:"req,omitempty"`
	Copy      string             `json:"copy"`
	Run       string             `json:"run,omitempty"`
	Model     string             `json:"model,omitempty"`
	Optimizer string             `json:"optimizer,omitempty"`
	Hyper     map[string]float64 `json:"hyper,omitempty"`
}

// LearnStep takes one step of copy Copy on a picture with label Label (0 to
// 9) at rate LR in (0, Hello.Limits.MaxLR]. Answered by Learned.
//
//	{"type":"learnStep","req":12,"copy":"c1","width":140,"height":140,"pixels":"AAAA…","label":5,"lr":0.1}
type LearnStep struct {
	Type string `json:"type"`
	Req  int64  `json:"req,omitempty"`
	Copy string `json:"copy"`
	Picture
	Label *int     `json:"label"`
	LR    *float64 `json:"lr"`
}

// LearnReset puts copy Copy back to the weights it was made from and
// forgets its optimizer's state; with Optimizer (and Hyper) it steps with
// that optimizer from now on. Answered by LearnCopy.
//
//	{"type":"learnReset","req":13,"copy":"c1"}
type LearnReset struct {
	Type      string             `json:"type"`
	Req       int64              `json:"req,omitempty"`
	Copy      string             `json:"copy"`
	Optimizer string             `json:"optimizer,omitempty"`
	Hyper     map[string]float64 `json:"hyper,omitempty"`
}

// LearnKeep makes copy Copy, as it is now, a saved model called Name (1 to
// MaxModelName characters, no '/', '\' or control characters, not the name
// of another model): it answers drawings, explains and copies as the models
// of `descent serve --models` do, for the life of the server, and downloads
// from Download. At most --max-kept are kept. Answered by Kept, and every
// page gets Models.
//
//	{"type":"learnKeep","req":14,"copy":"c1","name":"my five"}
type LearnKeep struct {
	Type string `json:"type"`
	Req  int64  `json:"req,omitempty"`
	Copy string `json:"copy"`
	Name string `json:"name"`
}

// LearnCopyCommand names a copy: learnDrop forgets it and frees its memory.
//
//	{"type":"learnDrop","req":15,"copy":"c1"}
type LearnCopyCommand struct {
	Type string `json:"type"`
	Req  int64  `json:"req,omitempty"`
	Copy string `json:"copy"`
}

// ModelDelete forgets a kept model. The page that kept it may, while it is
// connected, and the control link may; models from --models may not be
// deleted. Answered by Models.
//
//	{"type":"modelDelete","req":16,"model":"my five"}
type ModelDelete struct {
	Type  string `json:"type"`
	Req   int64  `json:"req,omitempty"`
	Model string `json:"model"`
}

// LearnCopy is a copy as it is: where it came from, its optimizer, the
// steps since it was made or reset, and the accuracy and mean loss of its
// weights on the first EvalImages test images. Bytes is the memory the copy
// holds (counted against --max-learn-memory).
//
//	{"type":"learnCopy","req":11,"copy":"c1","run":"r2","epoch":3,"arch":{…},"optimizer":"sgd","steps":0,"evalImages":1000,"accuracy":0.93,"testLoss":0.24,"bytes":1590200}
type LearnCopy struct {
	Type       string             `json:"type"`
	Req        int64              `json:"req,omitempty"`
	Copy       string             `json:"copy"`
	Run        string             `json:"run,omitempty"`
	Model      string             `json:"model,omitempty"`
	Epoch      int                `json:"epoch"`
	Arch       mnist.Arch         `json:"arch"`
	Optimizer  string             `json:"optimizer"`
	Hyper      map[string]float64 `json:"hyper,omitempty"`
	Steps      int                `json:"steps"`
	EvalImages int                `json:"evalImages"`
	Accuracy   float64            `json:"accuracy"`
	TestLoss   float64            `json:"testLoss"`
	Bytes      int64              `json:"bytes"`
}

// Learned answers LearnStep: the picture as the network was given it, and
// mnist.LearnResult's fields: step, label, lr, lossBefore, lossAfter,
// probsBefore, probsAfter, topBefore, topAfter, gradNorm (‖∇J(θ)‖),
// deltaNorm (‖Δθ‖), updateRatio (‖Δθ‖/‖θ‖), evalImages, accuracyBefore,
// accuracyAfter, testLossBefore, testLossAfter. A step that makes the
// weights non-finite is refused (CodeInvalid) and the copy needs a reset.
//
//	{"type":"learned","req":12,"copy":"c1","image":"…","step":1,"label":5,"lr":0.1,"lossBefore":2.9,"lossAfter":1.2,…}
type Learned struct {
	Type      string `json:"type"`
	Req       int64  `json:"req,omitempty"`
	Copy      string `json:"copy"`
	TestIndex *int   `json:"testIndex,omitempty"`
	TestLabel *int   `json:"testLabel,omitempty"`
	Image     []byte `json:"image"`
	mnist.LearnResult
}

// Kept answers LearnKeep with the new model.
//
//	{"type":"kept","req":14,"copy":"c1","model":{"name":"my five",…,"kept":true}}
type Kept struct {
	Type  string    `json:"type"`
	Req   int64     `json:"req,omitempty"`
	Copy  string    `json:"copy"`
	Model ModelInfo `json:"model"`
}

// LearnDropped answers learnDrop.
type LearnDropped struct {
	Type string `json:"type"`
	Req  int64  `json:"req,omitempty"`
	Copy string `json:"copy"`
}

// Models lists the saved models after a change (a keep, a delete), as
// Hello.Models does; it answers ModelDelete with its req.
type Models struct {
	Type   string      `json:"type"`
	Req    int64       `json:"req,omitempty"`
	Models []ModelInfo `json:"models"`
}
