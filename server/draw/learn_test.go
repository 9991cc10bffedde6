package draw

import (
	"math"
	"runtime"
	"strings"
	"testing"

	"descent/mnist"
	"descent/server/internal/fake"
	"descent/server/protocol"
)

// sineModel is a model whose weights are sines of their index.
func sineModel(arch mnist.Arch, phase float64) *mnist.Model {
	m := &mnist.Model{Arch: arch, Params: make([]float32, arch.NumParams())}
	for i := range m.Params {
		m.Params[i] = float32(0.1 * math.Sin(float64(i)+phase))
	}
	return m
}

var small = mnist.Arch{Hidden: []int{16}, Activation: mnist.Sigmoid}

// testPanel is a panel whose saved models are "a" and "b", of shape small.
func testPanel(t *testing.T, lim Limits) *Panel {
	t.Helper()
	models := NewModels(map[string]*mnist.Model{"a": sineModel(small, 0), "b": sineModel(small, 1)})
	p := NewPanel(nil, models, fake.Data(300, 2), lim)
	t.Cleanup(p.Close)
	return p
}

func wantRefusal(t *testing.T, what string, err error, code, allowed string) {
	t.Helper()
	fe, ok := err.(*protocol.FieldError)
	if !ok || fe.Code != code || !strings.Contains(fe.Allowed, allowed) {
		t.Errorf("%s: %v, want a %s refusal naming %q", what, err, code, allowed)
	}
}

// TestPageLimits: the copies of a page and of every page, and their memory,
// are bounded; a copy of the same name replaces the old one; a page that
// goes frees its copies.
func TestPageLimits(t *testing.T) {
	p := testPanel(t, Limits{MaxLearners: 2, MaxLearnersTotal: 3})
	a, b := p.NewPage(func() {}), p.NewPage(func() {})
	start := func(pg *Page, name string) error {
		_, err := pg.start(StartQuery{Copy: name, Model: "a", Optimizer: "sgd"})
		return err
	}
	for _, name := range []string{"c1", "c2", "c1"} { // the second c1 replaces the first
		if err := start(a, name); err != nil {
			t.Fatalf("page a, copy %s: %v", name, err)
		}
	}
	wantRefusal(t, "a third copy of a page", start(a, "c3"), protocol.CodeLimit, "--max-learners")
	if err := start(b, "c1"); err != nil {
		t.Fatal(err)
	}
	wantRefusal(t, "a fourth copy on the server", start(b, "c2"), protocol.CodeLimit, "--max-learners-total")
	one := LearnerBytes(small, "sgd")
	if n, bytes := p.Learners(); n != 3 || bytes != 3*one {
		t.Errorf("%d copies of %d bytes, want 3 of %d", n, bytes, 3*one)
	}
	a.Close()
	a.Close()
	if n, bytes := p.Learners(); n != 1 || bytes != one {
		t.Errorf("after page a went: %d copies of %d bytes, want 1 of %d", n, bytes, one)
	}
	if err := start(b, "c2"); err != nil {
		t.Errorf("room after page a went: %v", err)
	}

	tight := testPanel(t, Limits{MaxLearnBytes: 2*LearnerBytes(small, "sgd") + 1})
	c := tight.NewPage(func() {})
	for _, name := range []string{"x", "y"} {
		if err := start(c, name); err != nil {
			t.Fatal(err)
		}
	}
	wantRefusal(t, "past the memory", start(c, "z"), protocol.CodeLimit, "--max-learn-memory")
	_, err := c.reset(ResetQuery{Copy: "x", Optimizer: "adam"}) // more state: no room
	wantRefusal(t, "reset to adam past the memory", err, protocol.CodeLimit, "--max-learn-memory")
	if n, bytes := tight.Learners(); n != 2 || bytes != 2*LearnerBytes(small, "sgd") {
		t.Errorf("a refused reset changed the count: %d copies, %d bytes", n, bytes)
	}
}

// TestPageBusy: at most LearnQueue commands of a page are unanswered; an
// answer written makes room, and the workers never wait for the page.
func TestPageBusy(t *testing.T) {
	p := testPanel(t, Limits{})
	woken := make(chan struct{}, 100)
	pg := p.NewPage(func() { woken <- struct{}{} })
	for i := range protocol.LearnQueue {
		if err := pg.Drop(int64(i+1), "nothing"); err != nil { // each answers with an error event
			t.Fatal(err)
		}
	}
	wantRefusal(t, "one more unanswered", pg.Drop(99, "nothing"), protocol.CodeBusy, "unanswered")
	for range protocol.LearnQueue {
		<-woken
	}
	var got []protocol.Error
	if err := pg.Flush(func(v any) error { got = append(got, v.(protocol.Error)); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != protocol.LearnQueue || got[0].Req != 1 || got[0].Code != protocol.CodeUnknown || got[0].Command != protocol.CmdLearnDrop {
		t.Errorf("answers %+v, want %d unknown-copy errors in order", got, protocol.LearnQueue)
	}
	if err := pg.Drop(100, "nothing"); err != nil {
		t.Errorf("after the answers were written: %v", err)
	}
}

// TestLearnerBytes: the estimate that --max-learn-memory counts is at least
// what a copy holds, and not twice it.
func TestLearnerBytes(t *testing.T) {
	test := fake.Data(mnist.EvalImages, 2)
	img := fake.Data(1, 3).Image(0)
	for _, arch := range []mnist.Arch{mnist.DefaultArch(), {Hidden: []int{512}, Activation: mnist.ReLU}, {Hidden: []int{256, 128}, Activation: mnist.Tanh}} {
		for _, opt := range []string{"gd", "sgd", "adam", "rmsprop"} {
			hyper := map[string]float64{}
			if opt == "sgd" {
				hyper["momentum"] = 0.9
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			m := sineModel(arch, 0) // the copy keeps it: a run's snapshot may be the copy's alone
			l, err := mnist.NewLearner(m, opt, hyper, test)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := l.Step(img, 3, 1e-3); err != nil {
				t.Fatal(err)
			}
			runtime.GC()
			runtime.ReadMemStats(&after)
			held, est := int64(after.HeapAlloc)-int64(before.HeapAlloc), LearnerBytes(arch, opt)
			runtime.KeepAlive(l)
			runtime.KeepAlive(m)
			t.Logf("%s %s: holds %.2f MiB, estimated %.2f MiB", arch, opt, mib(held), mib(est))
			if est < held || est > 2*held {
				t.Errorf("%s with %s: holds %d bytes, estimated %d; want the estimate in [1, 2]× that", arch, opt, held, est)
			}
		}
	}
}

// TestExplainersReuse: an explain of the snapshot an idle Explainer holds
// reuses it; another snapshot of the same shape reuses it too, with its
// weights; the pool stays bounded.
func TestExplainersReuse(t *testing.T) {
	var pool Explainers
	m1, m2 := sineModel(small, 0), sineModel(small, 1)
	got := func(m *mnist.Model) (e *mnist.Explainer) {
		if err := pool.with(m, func(x *mnist.Explainer) error { e = x; return nil }); err != nil {
			t.Fatal(err)
		}
		return e
	}
	e1 := got(m1)
	if e := got(m1); e != e1 {
		t.Error("the same snapshot twice: a new Explainer, want the idle one")
	}
	if e := got(m2); e != e1 || e.Model() != m2 {
		t.Error("a snapshot of the same shape: want the idle Explainer with the new weights")
	}
	for i := range 3 * maxIdleExplainers {
		arch := mnist.Arch{Hidden: []int{i + 1}, Activation: mnist.ReLU}
		got(sineModel(arch, 0))
	}
	if n, bytes := pool.idle(); n > maxIdleExplainers || bytes > maxIdleExplainerBytes {
		t.Errorf("%d idle Explainers of %d bytes, want at most %d", n, bytes, maxIdleExplainers)
	}
}

// TestCheckNames: copy and model names.
func TestCheckNames(t *testing.T) {
	for _, name := range []string{"", "a b", "é", strings.Repeat("x", protocol.MaxCopyName+1), "../x"} {
		if CheckCopyName(name) == nil {
			t.Errorf("copy name %q accepted", name)
		}
	}
	for _, name := range []string{"c1", "my-copy_2"} {
		if err := CheckCopyName(name); err != nil {
			t.Errorf("copy name %q: %v", name, err)
		}
	}
	for _, name := range []string{"", "  ", "a/b", `a\b`, ".hidden", "tab\there", strings.Repeat("가", protocol.MaxModelName+1), "bad\ufffd"} {
		if _, err := CheckModelName(name); err == nil {
			t.Errorf("model name %q accepted", name)
		}
	}
	if got, err := CheckModelName("  내 숫자 5 "); err != nil || got != "내 숫자 5" {
		t.Errorf("model name: %q, %v, want it trimmed", got, err)
	}
	if got := DownloadPath("my five"); got != "/api/export/model/my%20five.descent" {
		t.Errorf("DownloadPath = %q", got)
	}
}
