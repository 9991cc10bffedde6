package draw

import (
	"fmt"
	"sync"

	"descent/mnist"
	"descent/server/protocol"
)

// Limits bound what the pages' learn copies and kept models may take. Each
// is a flag of `descent serve` (server.Limits); zero fields take the
// defaults below.
type Limits struct {
	MaxLearners      int   // copies of one page (--max-learners)
	MaxLearnersTotal int   // copies of every page together (--max-learners-total)
	MaxLearnBytes    int64 // the copies' memory together (--max-learn-memory)
	MaxKept          int   // kept models (--max-kept)
	Workers          int   // learn workers (--learn-workers)
}

// Defaults of Limits.
const (
	// DefaultMaxLearners lets a page compare a few copies (two rates, two
	// optimizers).
	DefaultMaxLearners = 4
	// DefaultMaxLearnersTotal is 16 pages of a classroom with 4 copies each.
	DefaultMaxLearnersTotal = 64
	// DefaultMaxLearnBytes is 512 MiB: about 310 copies of the report's
	// network with SGD (1.6 MiB each), 24 of 1024 hidden units with Adam.
	DefaultMaxLearnBytes = 512 << 20
	// DefaultMaxKept bounds the kept models, which live as long as the
	// server: 32 of the report's network take 10 MB.
	DefaultMaxKept = 32
	// DefaultWorkers is one core for the pages' learn steps, whatever the
	// number of pages: the runs and the other cores' pages keep the rest.
	DefaultWorkers = 1
)

// WithDefaults returns l with each zero field set to its default.
func (l Limits) WithDefaults() Limits {
	def := func(p *int, v int) {
		if *p <= 0 {
			*p = v
		}
	}
	def(&l.MaxLearners, DefaultMaxLearners)
	def(&l.MaxLearnersTotal, DefaultMaxLearnersTotal)
	def(&l.MaxKept, DefaultMaxKept)
	def(&l.Workers, DefaultWorkers)
	if l.MaxLearnBytes <= 0 {
		l.MaxLearnBytes = DefaultMaxLearnBytes
	}
	return l
}

// Panel is the server's side of explain, gradCheck and learn, shared by
// every page: the networks that answer (the runs and the saved models), the
// test set, the idle Explainers, the learn workers, and the count of the
// pages' copies against the limits.
type Panel struct {
	runs       Answering
	models     *Models
	test       *mnist.Dataset
	lim        Limits
	explainers Explainers
	workers    *Workers

	mu     sync.Mutex
	copies int   // every page's copies
	bytes  int64 // and their memory
}

// NewPanel starts the learn workers; test (may be nil) gives the test images
// by index and the accuracy of learn steps.
func NewPanel(rs Answering, models *Models, test *mnist.Dataset, lim Limits) *Panel {
	lim = lim.WithDefaults()
	return &Panel{runs: rs, models: models, test: test, lim: lim, workers: NewWorkers(lim.Workers)}
}

// Limits returns the panel's limits, with their defaults.
func (p *Panel) Limits() Limits { return p.lim }

// TestSize is the number of test images a command may name.
func (p *Panel) TestSize() int {
	if p.test == nil {
		return 0
	}
	return p.test.N
}

// Close stops the learn workers once the steps that run end.
func (p *Panel) Close() { p.workers.Close() }

// Learners returns the copies of every page and their estimated memory.
func (p *Panel) Learners() (copies int, bytes int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.copies, p.bytes
}

// reserve counts a new copy of bytes for a page that holds mine copies, in
// place of one of replaced bytes when replacing, or refuses it by the limit
// it would pass.
func (p *Panel) reserve(bytes int64, mine int, replaced int64, replacing bool) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	added := 1
	if replacing {
		added = 0
	}
	switch {
	case mine+added > p.lim.MaxLearners:
		return protocol.Refuse(protocol.CodeLimit, "copy", fmt.Sprintf("at most %d copies per page (--max-learners)", p.lim.MaxLearners),
			"this page has %d copies; drop one first", mine)
	case p.copies+added > p.lim.MaxLearnersTotal:
		return protocol.Refuse(protocol.CodeLimit, "copy", fmt.Sprintf("at most %d copies on the server (--max-learners-total)", p.lim.MaxLearnersTotal),
			"the pages hold %d copies; try again when one is dropped", p.copies)
	case p.bytes-replaced+bytes > p.lim.MaxLearnBytes:
		return protocol.Refuse(protocol.CodeLimit, "copy", fmt.Sprintf("at most %d MiB of copies on the server (--max-learn-memory)", p.lim.MaxLearnBytes>>20),
			"a copy of this network takes %.1f MiB and the pages' copies hold %.1f MiB", mib(bytes), mib(p.bytes))
	}
	p.copies += added
	p.bytes += bytes - replaced
	return nil
}

// release gives back what copies of bytes held.
func (p *Panel) release(copies int, bytes int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.copies -= copies
	p.bytes -= bytes
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

// stateSlabs are the parameter-sized buffers each optimizer keeps, at most
// (Adam's amsgrad adds v_max; RMSprop keeps its square average, its mean
// gradient and its momentum buffer).
var stateSlabs = map[string]int64{"gd": 0, "sgd": 1, "momentum": 1, "nesterov": 1, "adagrad": 1, "adam": 3, "adamw": 3, "rmsprop": 3}

// LearnerBytes estimates what a copy of arch that steps with optimizer
// holds: the weights it was made from (a run's snapshot that the run may
// have left behind since), its float32 weights and gradients, the
// optimizer's state, and about 2 bytes a parameter and 256 KiB of workspace
// and bookkeeping (measured in TestLearnerBytes). The copy's model, made on
// a keep, is the kept model's.
func LearnerBytes(arch mnist.Arch, optimizer string) int64 {
	slabs, ok := stateSlabs[optimizer]
	if !ok {
		slabs = 3
	}
	return int64(arch.NumParams())*(4+8+4*slabs+2) + 256<<10
}
