package landscape

import (
	"fmt"
	"strings"

	"descent/server/protocol"
)

// Plan is a checked Landscape command: what to slice, on which plane, the
// grid and the images.
type Plan struct {
	Run, Sweep, Model      string
	Plane                  string
	Seed                   uint64
	Grid                   int
	Range                  float64    // 0: the plane's default
	Domain                 [4]float64 // zero: from Range
	Examples, TestExamples int
	Follow                 bool
}

// LinePlan is a checked LandscapeLine command.
type LinePlan struct {
	Run, Sweep             string
	Examples, TestExamples int
}

// maxID bounds a run, sweep or model name.
const maxID = 64

// Limits are what the checks need of the server: its limits (the flags
// --max-landscape-grid and --max-landscape-images) and the sizes of its data
// sets.
type Limits struct {
	MaxGrid, MaxImages int
	TrainN, TestN      int
}

// Limits are the service's limits for Check and CheckLine.
func (s *Service) Limits() Limits {
	l := Limits{MaxGrid: s.cfg.MaxGrid, MaxImages: s.cfg.MaxImages}
	if s.cfg.Train != nil {
		l.TrainN = s.cfg.Train.N
	}
	if s.cfg.Test != nil {
		l.TestN = s.cfg.Test.N
	}
	return l
}

// withDefaults fills in the zero limits.
func (l Limits) withDefaults() Limits {
	if l.MaxGrid <= 0 {
		l.MaxGrid = DefaultMaxGrid
	}
	if l.MaxImages <= 0 {
		l.MaxImages = DefaultMaxImages
	}
	return l
}

// Check checks a Landscape command against the server's limits and the
// data's size, and fills in the defaults.
func Check(w *protocol.Landscape, l Limits) (Plan, error) {
	l = l.withDefaults()
	p := Plan{Run: w.Run, Sweep: w.Sweep, Model: w.Model, Plane: w.Plane, Grid: w.Grid, Range: w.Range, Follow: w.Follow, Seed: 1}
	if err := oneSource("run", w.Run, "sweep", w.Sweep, "model", w.Model); err != nil {
		return p, err
	}
	if err := checkPlane(&p); err != nil {
		return p, err
	}
	if w.Seed != nil {
		if *w.Seed > protocol.MaxSeed || p.Plane != protocol.PlaneRandom {
			return p, protocol.OutOfRange("seed", fmt.Sprintf("an integer from 0 to %d, on a random plane", uint64(protocol.MaxSeed)), *w.Seed)
		}
		p.Seed = *w.Seed
	}
	if p.Grid == 0 {
		p.Grid = protocol.LandscapeGrid
	}
	if p.Grid < 2 || p.Grid > l.MaxGrid {
		err := protocol.OutOfRange("grid", fmt.Sprintf("points a side from 2 to %d", l.MaxGrid), p.Grid)
		return p, protocol.Limited(err, "--max-landscape-grid", p.Grid > l.MaxGrid)
	}
	if err := checkDomain(&p, w); err != nil {
		return p, err
	}
	var err error
	if p.Examples, err = l.images("examples", w.Examples, protocol.LandscapeExamples, 1, l.TrainN); err != nil {
		return p, err
	}
	if p.TestExamples, err = l.images("testExamples", w.TestExamples, 0, 0, l.TestN); err != nil {
		return p, err
	}
	if p.Follow && p.Model != "" {
		return p, protocol.Refuse(protocol.CodeInvalid, "follow", "a run or a sweep", "a saved model does not train: there is nothing to follow")
	}
	return p, nil
}

// oneSource refuses a command that names no source or more than one; the
// sources are name, value pairs in the order they are offered.
func oneSource(srcs ...string) error {
	var given, names []string
	for i := 0; i+1 < len(srcs); i += 2 {
		name, v := srcs[i], srcs[i+1]
		names = append(names, name)
		if v == "" {
			continue
		}
		given = append(given, name)
		if len(v) > maxID {
			return protocol.Refuse(protocol.CodeTooLarge, name, fmt.Sprintf("at most %d characters", maxID), "%d characters", len(v))
		}
	}
	allowed := "one of " + strings.Join(names, ", ")
	switch len(given) {
	case 0:
		return protocol.Missing(names[0], allowed)
	case 1:
		return nil
	}
	return protocol.Refuse(protocol.CodeInvalid, given[1], allowed, "both %s and %s are given", given[0], given[1])
}

// checkPlane fills in the plane that fits the source and refuses one that
// does not.
func checkPlane(p *Plan) error {
	def, allowed := protocol.PlanePCA, "pca or random"
	switch {
	case p.Model != "":
		def, allowed = protocol.PlaneRandom, "random (a saved model has no path)"
	case p.Sweep != "":
		allowed = "pca (one plane for the sweep's paths)"
	}
	if p.Plane == "" {
		p.Plane = def
	}
	if !strings.Contains(allowed, p.Plane) || (p.Plane != protocol.PlanePCA && p.Plane != protocol.PlaneRandom) {
		return protocol.Refuse(protocol.CodeUnknown, "plane", allowed, "plane %q", p.Plane).With(p.Plane)
	}
	return nil
}

// checkDomain checks range and domain: one of them, finite, within
// ±MaxLandscapeRange, and not empty.
func checkDomain(p *Plan, w *protocol.Landscape) error {
	r := float64(protocol.MaxLandscapeRange)
	if w.Range != 0 && w.Domain != nil {
		return protocol.Refuse(protocol.CodeInvalid, "domain", "range or domain, not both", "both range and domain are given")
	}
	if !protocol.Finite(w.Range) || w.Range < 0 || w.Range > r {
		return protocol.OutOfRange("range", fmt.Sprintf("a number in (0, %g]; missing for the plane's default", r), w.Range)
	}
	if w.Domain == nil {
		return nil
	}
	d := *w.Domain
	for i, v := range d {
		if !protocol.Finite(v) || v < -r || v > r {
			return protocol.OutOfRange(fmt.Sprintf("domain[%d]", i), fmt.Sprintf("a number in [%g, %g]", -r, r), v)
		}
	}
	if !(d[0] < d[1]) || !(d[2] < d[3]) {
		return protocol.Refuse(protocol.CodeInvalid, "domain", "[aMin, aMax, bMin, bMax] with aMin < aMax and bMin < bMax",
			"the domain %v is empty", d)
	}
	p.Domain = d
	return nil
}

// images checks a number of probe images: 0 means def; within [lo, the
// server's limit and the data set's size].
func (l Limits) images(field string, n, def, lo, have int) (int, error) {
	if n == 0 {
		n = min(def, have)
	}
	most := min(l.MaxImages, have)
	if n < lo || n > most {
		err := protocol.OutOfRange(field, fmt.Sprintf("from %d to %d images", lo, most), n)
		return 0, protocol.Limited(err, "--max-landscape-images", n > l.MaxImages)
	}
	return n, nil
}

// CheckLine checks a LandscapeLine command.
func CheckLine(w *protocol.LandscapeLine, l Limits) (LinePlan, error) {
	l = l.withDefaults()
	p := LinePlan{Run: w.Run, Sweep: w.Sweep}
	if err := oneSource("run", w.Run, "sweep", w.Sweep); err != nil {
		return p, err
	}
	var err error
	if p.Examples, err = l.images("examples", w.Examples, protocol.LandscapeExamples, 1, l.TrainN); err != nil {
		return p, err
	}
	if w.TestExamples == nil { // the default: as many as there are, up to LineTestExamples
		p.TestExamples = min(protocol.LineTestExamples, l.MaxImages, l.TestN)
		return p, nil
	}
	p.TestExamples, err = l.images("testExamples", *w.TestExamples, 0, 0, l.TestN)
	return p, err
}
