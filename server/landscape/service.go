// Package landscape is the loss landscape on the server: the pages' slices
// of a network's loss over a plane of its weights (mnist.Slicer), with the
// training paths on the plane, growing while the runs train, and the 1-D
// chart from the initial to the current weights (mnist.Line). Every slice
// and chart is made by the server's analysis scheduler (below training's
// priority, --max-analyses at once, one of each kind per page); their frames
// wait in the page's Page, merged for a slow page, until its writer takes
// them. Finished ones are kept for the exports (Result). Errors say
// "server:", as the server's own do.
package landscape

import (
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"

	"descent/mnist"
	"descent/server/analysis"
	"descent/server/protocol"
	"descent/server/runs"
)

// Kinds of analysis.Scheduler jobs: a page has at most one of each.
const (
	kindSlice = "landscape"
	kindLine  = "landscapeLine"
)

// Defaults of the limits that are flags of descent serve.
const (
	// DefaultMaxGrid bounds the points along each side of a slice
	// (--max-landscape-grid): 101² points take about four times Li et al.'s
	// 51², some ten seconds of one core on 10,000 images.
	DefaultMaxGrid = 101
	// DefaultMaxImages bounds the images of each probe set
	// (--max-landscape-images).
	DefaultMaxImages = 10000
)

// RunSource is where the runs are: *runs.Manager.
type RunSource interface {
	Get(id string) (runs.Run, error)
	List() []runs.Run
}

// ModelSource is where the saved models are: *draw.Models.
type ModelSource interface {
	Snapshot(name string) (runs.Snapshot, error)
}

// Config is what a Service needs.
type Config struct {
	Runs        RunSource
	Models      ModelSource
	Train, Test *mnist.Dataset
	Analyses    *analysis.Scheduler
	// MaxGrid and MaxImages are the server's limits; zero takes the defaults.
	MaxGrid, MaxImages int
	Logger             *slog.Logger
}

// Service makes the pages' landscapes and keeps the finished ones for the
// exports.
type Service struct {
	cfg     Config
	results results
	next    atomic.Int64 // ids
	wg      sync.WaitGroup
}

// New returns a Service.
func New(cfg Config) *Service {
	if cfg.MaxGrid <= 0 {
		cfg.MaxGrid = DefaultMaxGrid
	}
	if cfg.MaxImages <= 0 {
		cfg.MaxImages = DefaultMaxImages
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Service{cfg: cfg, results: results{byID: map[string]*Result{}}}
}

// Close waits for the pages' sessions, which end with their pages.
func (s *Service) Close() { s.wg.Wait() }

func (s *Service) newID() string { return fmt.Sprintf("l%d", s.next.Add(1)) }

// probes are the images a plan measures on.
func (s *Service) probes(examples, testExamples int) []mnist.Probe {
	ps := []mnist.Probe{{Data: s.cfg.Train, N: examples}}
	if testExamples > 0 {
		ps = append(ps, mnist.Probe{Data: s.cfg.Test, N: testExamples})
	}
	return ps
}

// checkProbes refuses probe sets whose first-layer products a network of
// arch cannot keep (mnist.MaxProductBytes).
func checkProbes(arch mnist.Arch, examples, testExamples int) error {
	if most := mnist.MaxProbeImages(arch); examples > most || testExamples > most {
		return protocol.Refuse(protocol.CodeLimit, "examples", fmt.Sprintf("at most %d images for %s", most, arch),
			"a slice of %s over %d images needs more memory than a slice may take", arch, max(examples, testExamples))
	}
	return nil
}
