package landscape

import (
	"context"
	"errors"
	"testing"

	"descent/mnist"
	"descent/server/protocol"
)

// pageWithSession is a page whose current landscape is ss, without its
// goroutine: the test posts as the session would.
func pageWithSession(t *testing.T) (*Page, *session, *int) {
	t.Helper()
	woken := 0
	p := New(Config{}).NewPage(context.Background(), func() { woken++ })
	ss := &session{page: p}
	p.session = ss
	return p, ss, &woken
}

func frame(pass, row int, loss float64) mnist.Frame {
	f := mnist.Frame{Pass: pass, Row: row, Loss: []float64{loss, loss}, Accuracy: []float64{0.5, 0.5}, RowsDone: row + 1, Rows: 4, Examples: 100}
	if pass == mnist.PassPreview {
		f.Cols = []int{0, 3}
	}
	return f
}

// TestSlowPageGetsRowsMerged: rows that wait for a slow writer are merged
// into one frame per pass with each row's latest values, a full row drops
// the preview's row at the same b, path points are appended to one frame,
// and the order of the slice's frames is kept.
func TestSlowPageGetsRowsMerged(t *testing.T) {
	p, ss, woken := pageWithSession(t)
	p.post(ss, "l1", protocol.LandscapeStart{Type: protocol.EvLandscapeStart, ID: "l1"})
	for j := range 4 {
		p.postFrame(ss, "l1", frame(mnist.PassPreview, j, 9))
	}
	p.postPath(ss, "l1", []protocol.LandscapeTrack{{Run: "r1", Step: []int{5}}})
	p.postFrame(ss, "l1", frame(mnist.PassFull, 1, 3))
	p.postFrame(ss, "l1", frame(mnist.PassFull, 1, 2)) // measured again: replaces
	p.postPath(ss, "l1", []protocol.LandscapeTrack{{Run: "r1", Step: []int{6, 7}}, {Run: "r2", Step: []int{1}}})
	p.post(ss, "l1", protocol.LandscapeDone{Type: protocol.EvLandscapeDone, ID: "l1"})
	if *woken != 10 {
		t.Errorf("the writer was woken %d times, want once a post", *woken)
	}
	var got []any
	if err := p.Flush(func(v any) error { got = append(got, v); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 5 {
		t.Fatalf("%d frames, want start, preview rows, full rows, path, done: %#v", len(got), got)
	}
	prev, full := got[1].(protocol.LandscapeRows), got[2].(protocol.LandscapeRows)
	if prev.Pass != protocol.PassPreview || len(prev.Rows) != 3 || prev.Rows[0].J != 0 || prev.Rows[1].J != 2 || prev.RowsDone != 4 {
		t.Errorf("preview frame %+v, want rows 0, 2 and 3 (row 1 is replaced by its full row)", prev)
	}
	if full.Pass != protocol.PassFull || len(full.Rows) != 1 || full.Rows[0].Loss[0] != 2 || full.Rows[0].Cols != nil {
		t.Errorf("full frame %+v, want row 1's latest values", full)
	}
	path := got[3].(protocol.LandscapePath)
	if len(path.Tracks) != 2 || len(path.Tracks[0].Step) != 3 || path.Tracks[0].Step[2] != 7 {
		t.Errorf("path frame %+v, want r1's three points and r2's one", path)
	}
	if _, ok := got[4].(protocol.LandscapeDone); !ok {
		t.Errorf("last frame %T, want the done", got[4])
	}
	if err := p.Flush(func(any) error { t.Fatal("a second flush wrote again"); return nil }); err != nil {
		t.Fatal(err)
	}
}

// TestReplacedSessionPostsNothing: once a page has a new landscape, the old
// one's frames are dropped, those queued and those it posts later, while
// other answers stay; a writer's error stops the flush.
func TestReplacedSessionPostsNothing(t *testing.T) {
	p, old, _ := pageWithSession(t)
	p.postFrame(old, "l1", frame(mnist.PassFull, 0, 1))
	p.post(nil, "", protocol.Error{Type: protocol.EvError, Message: "kept"})
	p.mu.Lock()
	p.session = &session{page: p}
	p.dropSlices()
	p.mu.Unlock()
	p.postFrame(old, "l1", frame(mnist.PassFull, 1, 1))
	p.post(old, "l1", protocol.LandscapeDone{ID: "l1"})
	var got []any
	if err := p.Flush(func(v any) error { got = append(got, v); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].(protocol.Error).Message != "kept" {
		t.Errorf("flushed %#v, want only the error", got)
	}
	p.post(nil, "", protocol.Error{})
	p.post(nil, "", protocol.Error{})
	calls := 0
	bad := errors.New("gone")
	if err := p.Flush(func(any) error { calls++; return bad }); err != bad || calls != 1 {
		t.Errorf("flush into a failing writer: %v after %d writes", err, calls)
	}
}
