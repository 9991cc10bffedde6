package protocol

import "descent/mnist"

// The drawing panel's part of the protocol, under the same Version:
// the page sends a drawing with "predict" and gets a "prediction" back. The
// runs that can answer are the ones in Hello.Runs and the runCreated and status
// events; nothing else is needed to list them.

// Command and event types of the drawing panel.
const (
	CmdPredict   = "predict"    // Predict: classify a drawing
	EvPrediction = "prediction" // PredictResult: the answer to Predict
)

// Limits of a drawing.
const (
	// MaxPredictBytes bounds a predict frame, which alone may pass
	// MaxCommandBytes: a 280×280 canvas sent as it is takes 104,536 bytes of
	// base64. The page sends 140×140 (26 KB); larger drawings are refused.
	MaxPredictBytes = 128 << 10
	// PredictHz is the most predictions one page gets a second. Drawings that
	// come faster are merged: only the latest one waiting is answered.
	PredictHz = 30
	// UnsureBelow is the top probability under which the page says "not
	// sure" and shows the top two digits.
	UnsureBelow = 0.5
)

// Predict asks a run's network what a drawing is. Run is a run id, or empty
// for the default: the finished run (done or stopped after at least one
// epoch) with the best test accuracy, else the latest running one. Model
// names a saved model instead (Hello.Models; not with run). Pixels are
// Width×Height grey levels, row-major, 0 the background and 255 the ink,
// base64 in JSON; each side is from mnist.MinCanvas (28) to mnist.MaxCanvas
// (1024), and the frame at most MaxPredictBytes. A running run answers with
// the weights after its last finished epoch, so the answer follows each epoch.
//
//	{"type":"predict","req":7,"run":"","width":140,"height":140,"pixels":"AAAA…"}
//
// Drawings sent faster than PredictHz are merged: a drawing that a newer one
// replaces before its turn gets no answer.
type Predict struct {
	Type   string `json:"type"`
	Req    int64  `json:"req,omitempty"`
	Run    string `json:"run,omitempty"`
	Model  string `json:"model,omitempty"` // a saved model from Hello.Models instead of a run
	Width  *int   `json:"width"`
	Height *int   `json:"height"`
	Pixels string `json:"pixels"`
}

// PredictResult answers Predict: the ten probabilities softmax(z) of the
// digits 0…9, the most likely digit, and the exact 28×28 image the network
// was given (the drawing cropped to its ink, fitted into 20×20 and centred by
// its mass, as MNIST was made; see mnist.Preprocess). A drawing without ink is
// blank: no probabilities, top −1, and no error.
//
//	{"type":"prediction","req":7,"run":"r2","epoch":3,"probs":[…],"top":1,"blank":false,"image":"AAAA…"}
type PredictResult struct {
	Type  string    `json:"type"`
	Req   int64     `json:"req,omitempty"`
	Run   string    `json:"run"`             // the run that answered (the default's choice when Predict.Run was empty)
	Model string    `json:"model,omitempty"` // or the saved model that answered
	Epoch int       `json:"epoch"`           // epochs behind the weights that answered; 0 for the initial weights
	Probs []float64 `json:"probs"`           // 10 probabilities, or empty when blank
	Top   int       `json:"top"`             // argmax of probs, −1 when blank
	Blank bool      `json:"blank"`
	Image []byte    `json:"image"` // 784 bytes, row-major 28×28, base64 in JSON
}

// ModelInfo describes a saved model in Hello.Models and Models: one file of
// the folder given to `descent serve --models DIR`, by its name without
// ".descent", or a learn copy that a page kept (LearnKeep). Download is the
// path of its model file, GET /api/export/model/{name}.descent.
type ModelInfo struct {
	Name     string          `json:"name"`
	Arch     mnist.Arch      `json:"arch"`
	Meta     mnist.ModelMeta `json:"meta"`            // how it was trained: optimizer, lr, epochs, testAccuracy…
	Kept     bool            `json:"kept,omitempty"`  // a kept learn copy, not a file of --models
	From     string          `json:"from,omitempty"`  // a kept copy's origin: "run r2, epoch 3" or "model sine"
	Steps    int             `json:"steps,omitempty"` // a kept copy's learn steps
	Download string          `json:"download"`
}
