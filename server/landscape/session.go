package landscape

import (
	"context"
	"fmt"
	"sync"
	"time"

	"descent/mnist"
	"descent/server/protocol"
	"descent/server/runs"
)

// pathPeriod is how often a session looks for new points of its paths and,
// when it follows, for a new epoch.
const pathPeriod = protocol.PathSeconds * time.Second

// session is a page's landscape: one slice, or with Follow one after each
// epoch, and the growth of its paths, until the page cancels or replaces it,
// goes, or its runs end. Its goroutine waits for the slices, which the
// analysis scheduler makes, and streams the paths; it never computes a
// slice itself.
type session struct {
	page   *Page
	plan   Plan
	req    int64
	ctx    context.Context
	cancel context.CancelFunc

	mu    sync.Mutex
	id    string // the current slice's
	scene *scene // the current slice's, once made
}

// Start replaces the page's landscape with a new one of plan, answering
// req; it returns at once.
func (p *Page) Start(plan Plan, req int64) {
	ss := &session{page: p, plan: plan, req: req}
	ss.ctx, ss.cancel = context.WithCancel(p.ctx)
	p.mu.Lock()
	old := p.session
	p.session = ss
	p.dropSlices()
	p.mu.Unlock()
	if old != nil {
		old.cancel()
	}
	p.svc.wg.Add(1)
	go ss.run()
}

// Cancel ends the page's landscape and its 1-D chart, answering req with
// a cancelled LandscapeDone.
func (p *Page) Cancel(req int64) {
	p.mu.Lock()
	ss := p.session
	p.session = nil
	p.dropSlices()
	done := protocol.LandscapeDone{Type: protocol.EvLandscapeDone, Req: req, Cancelled: true}
	if ss != nil {
		done.ID = ss.currentID()
	}
	p.queue = append(p.queue, &item{msg: done})
	p.mu.Unlock()
	if ss != nil {
		ss.cancel()
	}
	p.svc.cfg.Analyses.Cancel(p, kindLine)
	p.wake()
}

func (ss *session) currentID() string {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return ss.id
}

// run makes the slice, and with Follow one after each epoch, streaming the
// paths meanwhile, until the session ends.
func (ss *session) run() {
	defer ss.page.svc.wg.Done()
	defer ss.cancel()
	tick := time.NewTicker(pathPeriod)
	defer tick.Stop()
	for {
		epochs := ss.epochs()
		id := ss.page.svc.newID()
		ss.mu.Lock()
		ss.id, ss.scene = id, nil
		ss.mu.Unlock()
		ss.page.post(ss, id, protocol.LandscapeQueued{Type: protocol.EvLandscapeQueued, Req: ss.req, ID: id})
		done := make(chan *computed, 1)
		queued := time.Now()
		ss.page.svc.cfg.Analyses.Go(ss.ctx, ss.page, kindSlice, func(ctx context.Context) { done <- ss.compute(ctx, id, queued) })
		c := ss.waitFor(done, tick)
		if c == nil {
			return
		}
		ss.finish(id, c)
		if !ss.afterSlice(epochs, tick) {
			return
		}
	}
}

// computed is a slice that compute made.
type computed struct {
	sc    *scene
	sl    *mnist.Slice
	times protocol.LandscapeTimes
}

// waitFor streams the paths until the slice is made; it returns nil when
// the slice failed or the session ended.
func (ss *session) waitFor(done chan *computed, tick *time.Ticker) *computed {
	for {
		select {
		case c := <-done:
			return c
		case <-tick.C:
			ss.grow()
		case <-ss.ctx.Done():
			return nil
		}
	}
}

// finish keeps a made slice for the exports and answers with its
// LandscapeDone, the paths as they are now.
func (ss *session) finish(id string, c *computed) {
	res := ss.result(id, c.sc, c.sl)
	ss.page.svc.results.add(res)
	ss.page.post(ss, id, done(ss.req, res, c.sc, c.times))
}

// afterSlice streams the paths while runs train, and reports true when a
// followed run has finished an epoch since the slice began: time for the
// next. It reports false when nothing is left to follow or stream.
func (ss *session) afterSlice(epochs int, tick *time.Ticker) bool {
	for {
		live := ss.grow()
		if ss.plan.Follow && ss.epochs() > epochs {
			return true
		}
		if !live {
			return false
		}
		select {
		case <-tick.C:
		case <-ss.ctx.Done():
			return false
		}
	}
}

// epochs counts the epochs finished by the live runs of the session's
// source.
func (ss *session) epochs() int {
	n := 0
	for _, r := range ss.sourceRuns() {
		if l, ok := r.(*runs.Live); ok {
			n += l.EpochsDone()
		}
	}
	return n
}

// sourceRuns are the runs that the plan slices.
func (ss *session) sourceRuns() []runs.Run {
	src := ss.page.svc.cfg.Runs
	switch {
	case ss.plan.Run != "":
		if r, err := src.Get(ss.plan.Run); err == nil {
			return []runs.Run{r}
		}
	case ss.plan.Sweep != "":
		var out []runs.Run
		for _, r := range src.List() {
			if r.Sweep() == ss.plan.Sweep {
				out = append(out, r)
			}
		}
		return out
	}
	return nil
}

// fail answers the session's command with an error.
func (ss *session) fail(err error) {
	ss.page.post(ss, "", protocol.ErrorEvent(protocol.CmdLandscape, ss.req, err))
}

// compute makes one slice on the analysis goroutine: the scene, the
// LandscapeStart and the rows as they are measured. It returns nil when the
// slice failed (its error sent) or was cancelled.
func (ss *session) compute(ctx context.Context, id string, queued time.Time) *computed {
	times := protocol.LandscapeTimes{Queued: time.Since(queued).Seconds()}
	t0 := time.Now()
	sc, slicer, opts, err := ss.prepare(ctx)
	if err != nil {
		if ctx.Err() == nil {
			ss.fail(err)
		}
		return nil
	}
	a, b, preview, _ := opts.Axes() // checked by prepare
	start := ss.start(id, sc, a, b, preview)
	ss.mu.Lock()
	ss.scene = sc // from here on its tracks are the session goroutine's
	ss.mu.Unlock()
	times.Plane = time.Since(t0).Seconds()
	ss.page.post(ss, id, start)
	t1 := time.Now()
	sl, err := slicer.Compute(ctx, opts, func(f mnist.Frame) {
		if f.Pass == mnist.PassPreview && f.RowsDone == f.Rows {
			times.Preview = time.Since(t1).Seconds()
		}
		ss.page.postFrame(ss, id, f)
	})
	if err != nil {
		if ctx.Err() == nil {
			ss.fail(err)
		}
		return nil
	}
	times.Slice = time.Since(t1).Seconds()
	return &computed{sc: sc, sl: sl, times: times}
}

// prepare makes the scene, the slice's options and its Slicer.
func (ss *session) prepare(ctx context.Context) (*scene, *mnist.Slicer[float32], mnist.SliceOptions, error) {
	svc, p := ss.page.svc, ss.plan
	sc, err := svc.resolve(ctx, p)
	if err != nil {
		return nil, nil, mnist.SliceOptions{}, err
	}
	opts := mnist.SliceOptions{Grid: p.Grid, Domain: sc.domain, Workers: 1}
	if _, _, _, err := opts.Axes(); err != nil {
		return nil, nil, opts, protocol.Refuse(protocol.CodeInvalid, "domain", "a domain with room for the grid", "%v", err)
	}
	if err := checkProbes(sc.plane.Arch, p.Examples, p.TestExamples); err != nil {
		return nil, nil, opts, err
	}
	slicer, err := mnist.NewSlicer[float32](sc.plane, svc.probes(p.Examples, p.TestExamples)...)
	if err != nil {
		return nil, nil, opts, fmt.Errorf("server: %w", err)
	}
	return sc, slicer, opts, nil
}
