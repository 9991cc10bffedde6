package landscape

import (
	"context"
	"slices"
	"sync"

	"descent/mnist"
	"descent/server/protocol"
	"descent/server/steps"
)

// Page is one page's landscape panel on the server: its landscape (at most
// one session at a time) and its 1-D chart, and the frames they made that
// its writer has not taken yet. The page's reader starts and cancels, the
// sessions post, the writer flushes; none of them waits for another.
//
// A slow page never holds anything up: frames wait here, and rows and path
// points that wait are merged (a row measured again replaces its earlier
// values, a full row the preview's at the same b; path points are appended
// to one frame), so what waits is bounded by one slice and its path.
type Page struct {
	svc  *Service
	ctx  context.Context // ends when the page goes
	wake func()          // asks the writer to flush soon, without waiting

	mu      sync.Mutex
	queue   []*item
	session *session // the current landscape, or nil
}

// item is one frame waiting for the writer: a ready event, or the rows or
// path points of one slice merged so far.
type item struct {
	id   string // the slice's; empty for errors and charts
	msg  any
	rows *rowsAcc
	path *pathAcc
}

// rowsAcc merges the rows of one slice, per pass.
type rowsAcc struct {
	pass [2]passRows
}

type passRows struct {
	rows                    map[int]protocol.LandscapeRow
	done, total, ex, testEx int
}

// pathAcc merges new path points of one slice, per run.
type pathAcc struct {
	tracks []protocol.LandscapeTrack
}

// NewPage returns the landscape state of a page whose context ends when it
// goes and whose writer wake wakes.
func (s *Service) NewPage(ctx context.Context, wake func()) *Page {
	return &Page{svc: s, ctx: ctx, wake: wake}
}

// post queues a ready event of session ss (nil for one of no session),
// unless ss is no longer the page's landscape.
func (p *Page) post(ss *session, id string, msg any) {
	p.mu.Lock()
	if ss != nil && ss != p.session {
		p.mu.Unlock()
		return
	}
	p.queue = append(p.queue, &item{id: id, msg: msg})
	p.mu.Unlock()
	p.wake()
}

// find returns the queued item of slice id that holds rows (or path
// points), adding one at the end when none waits.
func (p *Page) find(id string, rows bool) *item {
	for _, it := range p.queue {
		if it.id == id && (rows && it.rows != nil || !rows && it.path != nil) {
			return it
		}
	}
	it := &item{id: id}
	if rows {
		it.rows = &rowsAcc{}
	} else {
		it.path = &pathAcc{}
	}
	p.queue = append(p.queue, it)
	return it
}

// postFrame merges one row of slice id.
func (p *Page) postFrame(ss *session, id string, f mnist.Frame) {
	row := protocol.LandscapeRow{J: f.Row, Cols: f.Cols, Loss: column(f.Loss), Accuracy: column(f.Accuracy)}
	if f.TestLoss != nil {
		row.TestLoss, row.TestAccuracy = column(f.TestLoss), column(f.TestAccuracy)
	}
	p.mu.Lock()
	if ss != p.session {
		p.mu.Unlock()
		return
	}
	acc := p.find(id, true).rows
	pr := &acc.pass[f.Pass]
	if pr.rows == nil {
		pr.rows = map[int]protocol.LandscapeRow{}
	}
	pr.rows[f.Row] = row
	if f.Pass == mnist.PassFull {
		delete(acc.pass[mnist.PassPreview].rows, f.Row) // replaced in place
	}
	pr.done, pr.total, pr.ex, pr.testEx = max(pr.done, f.RowsDone), f.Rows, f.Examples, f.TestExamples
	p.mu.Unlock()
	p.wake()
}

// postPath appends new points to the tracks of slice id.
func (p *Page) postPath(ss *session, id string, tracks []protocol.LandscapeTrack) {
	p.mu.Lock()
	if ss != p.session {
		p.mu.Unlock()
		return
	}
	acc := p.find(id, false).path
	for _, t := range tracks {
		i := slices.IndexFunc(acc.tracks, func(u protocol.LandscapeTrack) bool { return u.Run == t.Run })
		if i < 0 {
			acc.tracks = append(acc.tracks, t)
			continue
		}
		u := &acc.tracks[i]
		u.Step, u.A, u.B = append(u.Step, t.Step...), append(u.A, t.A...), append(u.B, t.B...)
		u.Dist, u.Norm = append(u.Dist, t.Dist...), append(u.Norm, t.Norm...)
	}
	p.mu.Unlock()
	p.wake()
}

// dropSlices forgets the queued frames of every slice; p.mu is held.
func (p *Page) dropSlices() {
	p.queue = slices.DeleteFunc(p.queue, func(it *item) bool { return it.id != "" })
}

// Flush writes every waiting frame, in order, with write; it runs on the
// page's writer.
func (p *Page) Flush(write func(any) error) error {
	p.mu.Lock()
	queue := p.queue
	p.queue = nil
	p.mu.Unlock()
	for _, it := range queue {
		var err error
		switch {
		case it.rows != nil:
			err = it.rows.write(it.id, write)
		case it.path != nil:
			err = write(protocol.LandscapePath{Type: protocol.EvLandscapePath, ID: it.id, Tracks: it.path.tracks})
		default:
			err = write(it.msg)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// write sends the preview's rows, then the full pass's, in order of j.
func (acc *rowsAcc) write(id string, write func(any) error) error {
	for k, name := range []string{protocol.PassPreview, protocol.PassFull} {
		pr := acc.pass[k]
		if len(pr.rows) == 0 {
			continue
		}
		js := make([]int, 0, len(pr.rows))
		for j := range pr.rows {
			js = append(js, j)
		}
		slices.Sort(js)
		f := protocol.LandscapeRows{Type: protocol.EvLandscapeRows, ID: id, Pass: name, RowsDone: pr.done, RowsTotal: pr.total,
			Examples: pr.ex, TestExamples: pr.testEx, Rows: make([]protocol.LandscapeRow, len(js))}
		for i, j := range js {
			f.Rows[i] = pr.rows[j]
		}
		if err := write(f); err != nil {
			return err
		}
	}
	return nil
}

// column is a row's values as float32, null where not finite.
func column(v []float64) steps.Column {
	c := make(steps.Column, len(v))
	for i, x := range v {
		c[i] = float32(x)
	}
	return c
}
