package protocol

import "descent/mnist"

// The derivatives of one image, under the same Version: "explain" asks for
// the answer of a network with the gradient of the chosen class's
// log-probability with respect to the input (and, on demand, every layer's
// forward and backward values); "gradCheck" compares backpropagation with
// central differences on a few weights. Both take a drawing, as Predict does,
// or a test image by index, and a run or a saved model, as Predict does.

// Command and event types of the derivatives.
const (
	CmdExplain    = "explain"     // Explain: the derivatives of one image
	CmdGradCheck  = "gradCheck"   // GradCheck: ∂J/∂w by backprop and by central differences
	EvExplanation = "explanation" // ExplainResult: the answer to Explain
	EvGradChecked = "gradChecked" // GradCheckResult: the answer to GradCheck
)

// Details of an explanation, Explain.Detail.
const (
	DetailSaliency = "saliency" // the probabilities and the saliency map (2.6 KB of JSON)
	DetailLayers   = "layers"   // and every layer's z, a, σ′(z), ∂J/∂a and δ
)

// DefaultGradWeights is the number of weights GradCheck compares when
// Weights is missing; at most mnist.MaxChecks (64).
const DefaultGradWeights = 8

// Picture is the image a command of the drawing panel is about: a drawing,
// as Predict sends it (Width × Height grey levels, base64, preprocessed as
// MNIST was made), or test image TestIndex (0 to Hello.Limits.TestSize − 1)
// exactly as it is in the set. Exactly one of Pixels and TestIndex is given.
type Picture struct {
	Width     *int   `json:"width,omitempty"`
	Height    *int   `json:"height,omitempty"`
	Pixels    string `json:"pixels,omitempty"`
	TestIndex *int   `json:"testIndex,omitempty"`
}

// Explain asks a run's network (or a saved model's) for its answer on a
// picture and the derivatives behind it. Run and Model are as in Predict.
// Class is C of the saliency ∂ log p_C/∂u and Label is L of the backward
// pass J = −log p_L, each 0 to 9, or −1 or missing for the top class. Detail
// is DetailSaliency (the default: what a page needs while the user draws)
// or DetailLayers (the chain rule layer by layer, 8.8 KB for the
// report's network). Explains go through the page's own queue, as drawings
// do: at most PredictHz a second are answered, and one that a newer explain
// replaces before its turn gets no answer.
//
//	{"type":"explain","req":8,"run":"r2","width":140,"height":140,"pixels":"AAAA…","class":5,"detail":"saliency"}
//	{"type":"explain","req":9,"model":"mine","testIndex":8,"label":5,"detail":"layers"}
type Explain struct {
	Type  string `json:"type"`
	Req   int64  `json:"req,omitempty"`
	Run   string `json:"run,omitempty"`
	Model string `json:"model,omitempty"`
	Picture
	Class  *int   `json:"class,omitempty"`
	Label  *int   `json:"label,omitempty"`
	Detail string `json:"detail,omitempty"`
}

// ExplainResult answers Explain. Image is the exact 28×28 image the network
// was given (base64 of 784 grey levels u·255), Probs = softmax(z), Loss
// J = −log p_L. Saliency is ∂ log p_C/∂u over the 784 pixels u = grey/255 as
// a signed image: value ≈ (pixel − 128)/127 · scale, 128 for zero, above
// for "more ink here raises p_C", below for "lowers it". Layers (with
// DetailLayers) are mnist.LayerValues, the report's layer l+1 at index l:
// z, a (p for the last), slope σ′(z) and gradA ∂J/∂a for the hidden layers,
// delta δ = ∂J/∂z = ∂J/∂b, and gradWNorm ‖∂J/∂W‖. ∂J/∂W_l = δ_l a_{l−1}ᵀ is
// of rank one and is not sent: row j of ∂J/∂W₁ (hidden unit j's 28×28
// tile) is x scaled by δ₁ⱼ, with x = (image/255 − 0.1307)/0.3081. For a
// drawing, Placement says where its ink went: canvas point (x, y) is image
// point (dx + (x − x0)·ow/w, dy + (y − y0)·oh/h), so that the saliency can be
// laid over the canvas. A blank drawing has no answer: blank, top −1, empty
// probs, no saliency.
//
//	{"type":"explanation","req":8,"run":"r2","epoch":3,"blank":false,"image":"…","probs":[…],"top":6,"class":5,"label":6,"loss":0.09,"saliency":{"rows":28,"cols":28,"pixels":"…","scale":0.74},"detail":"saliency","arch":{…}}
type ExplainResult struct {
	Type      string              `json:"type"`
	Req       int64               `json:"req,omitempty"`
	Run       string              `json:"run"`
	Model     string              `json:"model,omitempty"`
	Epoch     int                 `json:"epoch"`
	TestIndex *int                `json:"testIndex,omitempty"` // the test image explained
	TestLabel *int                `json:"testLabel,omitempty"` // and its label in the set
	Blank     bool                `json:"blank"`
	Image     []byte              `json:"image"`               // 784 bytes, row-major 28×28, base64 in JSON
	Placement *mnist.Placement    `json:"placement,omitempty"` // a drawing's: where its ink went in the image
	Probs     []float64           `json:"probs"`               // 10, empty when blank
	Top       int                 `json:"top"`                 // −1 when blank
	Class     int                 `json:"class"`               // C of the saliency
	Label     int                 `json:"label"`               // L of the backward pass
	Loss      float64             `json:"loss"`                // J = −log p_L
	Saliency  *mnist.Signed       `json:"saliency,omitempty"`
	Detail    string              `json:"detail"`
	Arch      *mnist.Arch         `json:"arch,omitempty"` // the network's shape; missing when a blank drawing had none to answer
	Layers    []mnist.LayerValues `json:"layers,omitempty"`
}

// GradCheck compares ∂J/∂w by backpropagation, δ_l[r]·a_{l−1}[c], with the
// central difference (J(w + h) − J(w − h))/2h on Weights random weights (1
// to mnist.MaxChecks, default DefaultGradWeights), taking the layers in
// turn, for J = −log p_L on a picture (Label 0 to 9, −1 or missing for the
// top class). Seed picks the weights (missing: a new seed each time, sent
// back). It goes through the page's learn queue (LearnQueue).
//
//	{"type":"gradCheck","req":10,"run":"r2","testIndex":8,"weights":8}
type GradCheck struct {
	Type  string `json:"type"`
	Req   int64  `json:"req,omitempty"`
	Run   string `json:"run,omitempty"`
	Model string `json:"model,omitempty"`
	Picture
	Label   *int    `json:"label,omitempty"`
	Weights *int    `json:"weights,omitempty"`
	Seed    *uint64 `json:"seed,omitempty"` // 0 to MaxSeed
}

// GradCheckResult answers GradCheck: the picture as the network was given
// it, the seed, and mnist.GradCheck's fields: label, loss, step (h), checks
// (one per weight: layer, row, col, index, weight, backprop, numeric,
// relError) and maxRelError.
//
//	{"type":"gradChecked","req":10,"run":"r2","epoch":3,"image":"…","seed":42,"label":6,"loss":0.09,"step":1e-6,"checks":[{"layer":0,"row":17,"col":402,…}],"maxRelError":3e-11}
type GradCheckResult struct {
	Type      string `json:"type"`
	Req       int64  `json:"req,omitempty"`
	Run       string `json:"run"`
	Model     string `json:"model,omitempty"`
	Epoch     int    `json:"epoch"`
	TestIndex *int   `json:"testIndex,omitempty"`
	TestLabel *int   `json:"testLabel,omitempty"`
	Image     []byte `json:"image"`
	Seed      uint64 `json:"seed"`
	mnist.GradCheck
}
