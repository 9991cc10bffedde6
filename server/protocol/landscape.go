package protocol

import (
	"math"
	"strconv"

	"descent/mnist"
	"descent/server/steps"
)

// The loss landscape's part of the protocol, under the same Version: the
// network's own loss over a 2-D slice of its weights, f(a, b) = L(θ + a·δ +
// b·η) on a grid (Li et al. 2018, "Visualizing the Loss Landscape of Neural
// Nets"), with the training paths on the plane, and the 1-D line from the
// initial to the current weights (Goodfellow et al. 2015).
//
// The page sends Landscape for a run (live, at its current weights, or
// stored), a sweep (one plane for all its runs) or a saved model. The
// server answers, in order:
//
//  1. LandscapeQueued at once, with the slice's id: the work waits for one of
//     the server's --max-analyses slots (below training's priority).
//  2. LandscapeStart when the plane is made: the grid's axes, the preview's
//     indices, the plane's explained variance and each run's path on it.
//  3. LandscapeRows as rows are measured: first the preview (every few
//     columns of every few rows, on a share of the images), then every row
//     of the full grid, which replaces the preview's values in place. A
//     slow page gets rows merged: each row's latest values, in one frame.
//  4. LandscapePath while a live run trains: the new points of its path on
//     the same plane, about every PathSeconds.
//  5. LandscapeDone: the centre's loss L(θ), the timings, the paths again,
//     and the id under which the exports find the slice
//     (/api/export/landscape/{id}.png, .svg, .csv, .json).
//
// With Follow, a live run's slice is made again after each of its epochs
// (another LandscapeQueued … LandscapeDone with a new id; an epoch that ends
// while a slice is being made waits for it), until the run ends. A page has
// at most one landscape at a time: a new Landscape replaces the one before
// (its frames stop; the page keeps the newest id only), LandscapeCancel ends
// it (answered by LandscapeDone with Cancelled), and it ends when the page
// goes. LandscapeLine asks for the 1-D chart; its answer is one
// LandscapeLineChart. Refusals are Error events with the command and req,
// before or after LandscapeQueued (a run without a path on a PCA plane, say).
//
// Numbers that are not finite (a loss that overflowed far from the centre)
// are null. Losses are the mean cross-entropy, accuracies fractions in
// [0, 1].

// Command types of the landscape, sent by the page.
const (
	CmdLandscape       = "landscape"       // Landscape: a slice of the loss
	CmdLandscapeLine   = "landscapeLine"   // LandscapeLine: the 1-D chart
	CmdLandscapeCancel = "landscapeCancel" // LandscapeCancel: end the page's landscape
)

// Event types of the landscape, sent by the server.
const (
	EvLandscapeQueued    = "landscapeQueued"    // LandscapeQueued: a slice was accepted
	EvLandscapeStart     = "landscapeStart"     // LandscapeStart: its plane and grid
	EvLandscapeRows      = "landscapeRows"      // LandscapeRows: measured rows
	EvLandscapePath      = "landscapePath"      // LandscapePath: new points of the paths
	EvLandscapeDone      = "landscapeDone"      // LandscapeDone: the slice is complete, or cancelled
	EvLandscapeLineChart = "landscapeLineChart" // LandscapeLineChart: the answer to LandscapeLine
)

// Planes of Landscape.Plane.
const (
	PlaneRandom = mnist.PlaneRandom // two filter-normalised random directions around the weights
	PlanePCA    = mnist.PlanePCA    // the top two principal directions of the path(s)
)

// Passes of LandscapeRows.Pass.
const (
	PassPreview = "preview"
	PassFull    = "full"
)

// Defaults and fixed bounds of the landscape; the bounds that a server sets
// are in Hello.Limits (maxLandscapeGrid, maxLandscapeImages).
const (
	// LandscapeGrid is the default points along each side (Li et al.'s 51).
	LandscapeGrid = mnist.DefaultGrid
	// LandscapePreview is the side of the preview, on LandscapePreviewShare
	// of the images; a grid of at most this many points has none.
	LandscapePreview      = mnist.DefaultPreview
	LandscapePreviewShare = mnist.DefaultPreviewShare
	// LandscapeExamples is the default number of training images (the
	// first ones) the loss is measured on; LineTestExamples the test images
	// of the 1-D chart (a slice has none unless asked).
	LandscapeExamples = 10000
	LineTestExamples  = 10000
	// MaxLandscapeRange bounds |a| and |b| of a slice's domain.
	MaxLandscapeRange = 1000
	// PathSeconds is how often the path of a live run grows on the page.
	PathSeconds = 1
)

// Landscape asks for a slice of a network's loss. Exactly one of Run,
// Sweep and Model names what is sliced:
//
//   - Run: a run at its current weights (a live run's after its latest step,
//     a stored run's last checkpoint or path point). Plane "pca" (the
//     default) is spanned by the top two principal directions of its path
//     θᵢ − θ (mnist.PathPlane) and centred on θ; "random" by two
//     filter-normalised random directions around θ (mnist.RandomPlane,
//     biases not moved; Seed picks them).
//   - Sweep: every run of a sweep on one plane through the θ₀ they share,
//     spanned by the principal directions of all their paths, each run
//     weighted equally; plane "pca" only.
//   - Model: a saved model from Hello.Models; plane "random" only (a model
//     has no path).
//
// Grid is the points along each side (2 to Hello.Limits.maxLandscapeGrid,
// default LandscapeGrid); the grid spans [−Range, Range]² (default 1 on a
// random plane, the paths' extent with a margin of 15 % on a PCA plane), or
// Domain [aMin, aMax, bMin, bMax] when given, within ±MaxLandscapeRange.
// The loss is measured on the first Examples training images (1 to
// maxLandscapeImages, default LandscapeExamples) and, when TestExamples is
// above 0, on the first TestExamples test images too. Follow makes the slice
// again after each epoch of a live run.
//
//	{"type":"landscape","req":5,"run":"r3","grid":51,"testExamples":2000,"follow":true}
//	{"type":"landscape","req":6,"model":"report","plane":"random","seed":2,"range":0.5}
//	{"type":"landscape","req":7,"sweep":"s2","domain":[-4,12,-3,3]}
type Landscape struct {
	Type         string      `json:"type"`
	Req          int64       `json:"req,omitempty"`
	Run          string      `json:"run,omitempty"`
	Sweep        string      `json:"sweep,omitempty"`
	Model        string      `json:"model,omitempty"`
	Plane        string      `json:"plane,omitempty"`
	Seed         *uint64     `json:"seed,omitempty"` // 1 to MaxSeed; default 1
	Grid         int         `json:"grid,omitempty"`
	Range        float64     `json:"range,omitempty"`
	Domain       *[4]float64 `json:"domain,omitempty"`
	Examples     int         `json:"examples,omitempty"`
	TestExamples int         `json:"testExamples,omitempty"`
	Follow       bool        `json:"follow,omitempty"`
}

// LandscapeLine asks for the loss and accuracy along the line from a run's
// initial weights θ₀ to its current weights θ_end, (1 − t)·θ₀ + t·θ_end for
// t from −0.5 to 1.5 in steps of 0.05 (Goodfellow et al. 2015), on the
// first Examples training images (default LandscapeExamples) and the first
// TestExamples test images (default LineTestExamples; 0 asks for none). For
// a sweep, one line per run, all from their shared θ₀.
//
//	{"type":"landscapeLine","req":8,"run":"r3"}
type LandscapeLine struct {
	Type         string `json:"type"`
	Req          int64  `json:"req,omitempty"`
	Run          string `json:"run,omitempty"`
	Sweep        string `json:"sweep,omitempty"`
	Examples     int    `json:"examples,omitempty"`
	TestExamples *int   `json:"testExamples,omitempty"`
}

// LandscapeCancel ends the page's landscape: its slice being made (answered
// by LandscapeDone with Cancelled and the slice's id; with no landscape,
// the id is empty), its path's growth, its following, and its 1-D chart
// being made (which then gets no answer).
//
//	{"type":"landscapeCancel","req":9}
type LandscapeCancel struct {
	Type string `json:"type"`
	Req  int64  `json:"req,omitempty"`
}

// LandscapeQueued says that a slice was accepted and waits for an analysis
// slot; ID names it in every later frame and in the exports.
//
//	{"type":"landscapeQueued","req":5,"id":"l4"}
type LandscapeQueued struct {
	Type string `json:"type"`
	Req  int64  `json:"req,omitempty"`
	ID   string `json:"id"`
}

// LandscapeStart describes a slice before its values: what is sliced and
// where, the grid (the values of a along each row and of b, one per row;
// the preview's indices along each side, empty for none), the images, and
// the plane with each run's path on it. Step is the step of the centre's
// weights (0 for a sweep's θ₀ and for a model). Explained is, on a PCA
// plane, the share of the paths' Σ‖θᵢ − centre‖² along each direction
// (their mean for a sweep). The white dot of the current weights is each
// track's last point, or (0, 0) without tracks.
//
//	{"type":"landscapeStart","req":5,"id":"l4","run":"r3","plane":"pca","step":4690,"arch":{…},
//	 "a":[-3.1,…],"b":[-1.2,…],"preview":[0,5,…,50],"examples":10000,"explained":[0.82,0.11],"tracks":[…]}
type LandscapeStart struct {
	Type         string           `json:"type"`
	Req          int64            `json:"req,omitempty"`
	ID           string           `json:"id"`
	Run          string           `json:"run,omitempty"`
	Sweep        string           `json:"sweep,omitempty"`
	Model        string           `json:"model,omitempty"`
	Plane        string           `json:"plane"`
	Seed         uint64           `json:"seed,omitempty"` // of a random plane
	Step         int              `json:"step"`
	Arch         mnist.Arch       `json:"arch"`
	A            []float64        `json:"a"`
	B            []float64        `json:"b"`
	Preview      []int            `json:"preview"`
	Examples     int              `json:"examples"`
	TestExamples int              `json:"testExamples,omitempty"`
	Explained    *[2]float64      `json:"explained,omitempty"`
	Tracks       []LandscapeTrack `json:"tracks"`
	Follow       bool             `json:"follow,omitempty"`
}

// LandscapeTrack is one run's path on the plane, in columns, in step order:
// at each point its step, its coordinates (a, b), Dist, how far the
// weights are from the plane, ‖θ − c − a·X − b·Y‖, and Norm, their distance
// from the centre, ‖θ − c‖ (a page fades a point by Dist as a share of the
// track's largest Norm, so that a path that leaves the plane never looks as
// if it lay on it). Explained is this track's share along each direction of
// a PCA plane. In LandscapePath a track holds only the new points.
type LandscapeTrack struct {
	Run       string      `json:"run"`
	Label     string      `json:"label,omitempty"`
	Step      []int       `json:"step"`
	A         []Num       `json:"a"`
	B         []Num       `json:"b"`
	Dist      []Num       `json:"dist"`
	Norm      []Num       `json:"norm"`
	Explained *[2]float64 `json:"explained,omitempty"`
}

// LandscapeRows carries measured rows of one pass. A row j holds the points
// (a[i], b[j]) for i in Cols (every i when Cols is missing), and replaces
// what the page showed at them: the full pass's rows replace the preview's.
// RowsDone of Rows rows of the pass are finished; Examples (and
// TestExamples) are the images behind the values, a share of them in the
// preview.
//
//	{"type":"landscapeRows","id":"l4","pass":"preview","rows":[{"j":0,"cols":[0,5,…],"loss":[2.31,…],"accuracy":[0.11,…]}],
//	 "rowsDone":1,"rows":11,"examples":2560}
type LandscapeRows struct {
	Type         string         `json:"type"`
	ID           string         `json:"id"`
	Pass         string         `json:"pass"`
	Rows         []LandscapeRow `json:"rows"`
	RowsDone     int            `json:"rowsDone"`
	RowsTotal    int            `json:"rowsTotal"`
	Examples     int            `json:"examples"`
	TestExamples int            `json:"testExamples,omitempty"`
}

// LandscapeRow is one row of a slice: the loss and accuracy at each of its
// columns, on the training images and, when asked, on the test images.
type LandscapeRow struct {
	J            int          `json:"j"`
	Cols         []int        `json:"cols,omitempty"`
	Loss         steps.Column `json:"loss"`
	Accuracy     steps.Column `json:"accuracy"`
	TestLoss     steps.Column `json:"testLoss,omitempty"`
	TestAccuracy steps.Column `json:"testAccuracy,omitempty"`
}

// LandscapePath carries the points that live runs' paths kept since the
// last frame (or since LandscapeStart), on the slice's plane, to append to
// the tracks of the same run. A run that ended sends its final weights as
// its last point.
type LandscapePath struct {
	Type   string           `json:"type"`
	ID     string           `json:"id"`
	Tracks []LandscapeTrack `json:"tracks"`
}

// LandscapeDone ends a slice: the loss and accuracy at the centre, L(θ) on
// the same images (and on the test images when asked), the lowest and
// highest loss of the grid, the paths as LandscapeStart had them, and the
// timings in seconds (queued: waiting for a slot; plane: reading the runs
// and making the plane; preview: from the start of the slice to its last
// preview row; slice: the whole slice). Cancelled says the page's
// LandscapeCancel ended it first; then only ID (and Req) are set.
//
//	{"type":"landscapeDone","req":5,"id":"l4","center":0.21,"centerAccuracy":0.94,"lossMin":0.2,"lossMax":9.7,
//	 "seconds":{"queued":0,"plane":0.31,"preview":0.09,"slice":2.4},"tracks":[…]}
type LandscapeDone struct {
	Type               string           `json:"type"`
	Req                int64            `json:"req,omitempty"`
	ID                 string           `json:"id"`
	Cancelled          bool             `json:"cancelled,omitempty"`
	Center             Num              `json:"center"`
	CenterAccuracy     Num              `json:"centerAccuracy"`
	TestCenter         *Num             `json:"testCenter,omitempty"`
	TestCenterAccuracy *Num             `json:"testCenterAccuracy,omitempty"`
	LossMin            Num              `json:"lossMin"`
	LossMax            Num              `json:"lossMax"`
	Explained          *[2]float64      `json:"explained,omitempty"`
	Tracks             []LandscapeTrack `json:"tracks,omitempty"`
	Seconds            LandscapeTimes   `json:"seconds"`
}

// LandscapeTimes are a slice's or a chart's timings, in seconds.
type LandscapeTimes struct {
	Queued  float64 `json:"queued"`
	Plane   float64 `json:"plane"`
	Preview float64 `json:"preview,omitempty"`
	Slice   float64 `json:"slice"`
}

// LandscapeLineChart answers LandscapeLine: the t of every point and one
// line per run, each the loss and accuracy at each t on the training images
// and, when asked, the test images; Step is the step of the run's θ_end.
// ID names the chart for the exports (/api/export/landscape/{id}.png, …).
//
//	{"type":"landscapeLineChart","req":8,"id":"l5","t":[-0.5,…,1.5],"lines":[{"run":"r3","step":4690,"trainLoss":[…],…}],
//	 "examples":10000,"testExamples":10000,"seconds":{"queued":0,"plane":0.01,"slice":0.2}}
type LandscapeLineChart struct {
	Type         string         `json:"type"`
	Req          int64          `json:"req,omitempty"`
	ID           string         `json:"id"`
	T            []float64      `json:"t"`
	Lines        []LineCurve    `json:"lines"`
	Examples     int            `json:"examples"`
	TestExamples int            `json:"testExamples,omitempty"`
	Seconds      LandscapeTimes `json:"seconds"`
}

// LineCurve is one run's line in a LandscapeLineChart.
type LineCurve struct {
	Run           string       `json:"run"`
	Label         string       `json:"label,omitempty"`
	Step          int          `json:"step"`
	TrainLoss     steps.Column `json:"trainLoss"`
	TrainAccuracy steps.Column `json:"trainAccuracy"`
	TestLoss      steps.Column `json:"testLoss,omitempty"`
	TestAccuracy  steps.Column `json:"testAccuracy,omitempty"`
}

// Num is a number that is null in JSON when it is not finite.
type Num float64

// MarshalJSON writes the shortest decimal of the number, or null.
func (n Num) MarshalJSON() ([]byte, error) {
	if f := float64(n); math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, float64(n), 'g', -1, 64), nil
}
