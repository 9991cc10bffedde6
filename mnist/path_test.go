package mnist

import (
	"bytes"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

var pathArch = Arch{Hidden: []int{5}, Activation: Sigmoid} // 3985 parameters

func randomWeights(n int, rng *rand.Rand, scale float64) []float32 {
	w := make([]float32, n)
	for i := range w {
		w[i] = float32(rng.NormFloat64() * scale)
	}
	return w
}

func TestSnapshotRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	n := pathArch.NumParams()
	theta0 := randomWeights(n, rng, 0.1)
	theta := slices.Clone(theta0)
	for i := range theta {
		theta[i] += float32(rng.NormFloat64() * 0.01 * float64(1+i%7))
	}
	theta[5] = theta0[5] // a filter with one unchanged weight
	fs := filters(pathArch)
	s := quantize(fs, theta0, theta, 77)
	data, _ := s.MarshalBinary()
	back, err := ParseSnapshot(pathArch, data)
	if err != nil {
		t.Fatal(err)
	}
	got := back.Weights(pathArch, theta0)
	for k, f := range fs {
		bound := float64(s.scale[k])/2 + 1e-7
		for i := f.lo; i < f.hi; i++ {
			if math.Abs(float64(got[i])-float64(theta[i])) > bound {
				t.Fatalf("weight %d: %g after the round trip, was %g (filter %d's bound %g)", i, got[i], theta[i], k, bound)
			}
		}
	}
	if back.Step != 77 || back.Size() != s.Size() {
		t.Errorf("step %d, size %d; want 77 and %d", back.Step, back.Size(), s.Size())
	}
	for name, bad := range map[string][]byte{
		"short":     data[:10],
		"magic":     append([]byte("XSNP"), data[4:]...),
		"flipped":   flipByte(data, len(data)/2),
		"truncated": data[:len(data)-6],
	} {
		if _, err := ParseSnapshot(pathArch, bad); err == nil {
			t.Errorf("%s snapshot parsed", name)
		}
	}
	if _, err := ParseSnapshot(DefaultArch(), data); err == nil {
		t.Error("a snapshot of another shape parsed")
	}
}

func flipByte(b []byte, i int) []byte {
	c := slices.Clone(b)
	c[i] ^= 0x40
	return c
}

func FuzzParseSnapshot(f *testing.F) {
	rng := rand.New(rand.NewPCG(2, 2))
	n := pathArch.NumParams()
	theta0 := randomWeights(n, rng, 0.1)
	good, _ := quantize(filters(pathArch), theta0, randomWeights(n, rng, 0.1), 9).MarshalBinary()
	f.Add(good)
	f.Add(good[:40])
	f.Add([]byte("DSNP\x01\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseSnapshot(pathArch, data)
		if err != nil {
			return
		}
		again, _ := s.MarshalBinary()
		if !bytes.Equal(again, data) {
			t.Fatalf("a parsed snapshot encodes to other bytes")
		}
		s.Weights(pathArch, theta0)
	})
}

// TestPathThinning adds every step of a long run to a small budget: the
// path never takes more than its budget, keeps between a third and all of
// its room in evenly spaced steps plus the early powers of two, and always
// follows the rule a store applies (Keeps).
func TestPathThinning(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	n := pathArch.NumParams()
	theta0 := randomWeights(n, rng, 0.1)
	snap := snapshotSize(n, len(filters(pathArch)))
	budget := 4*n + 40*snap + 100 // room for 40 snapshots
	p, err := NewPath(pathArch, theta0, budget)
	if err != nil {
		t.Fatal(err)
	}
	if p.Early() != 1<<10 {
		t.Errorf("Early() = %d, want 2^10 for a room of 40", p.Early())
	}
	theta := slices.Clone(theta0)
	for step := 1; step <= 20000; step++ {
		theta[step%n] += 0.01
		if !p.Due(step) {
			if p.Add(step, theta) != nil {
				t.Fatalf("step %d was added though not due", step)
			}
			continue
		}
		p.Add(step, theta)
		if p.Size() > budget {
			t.Fatalf("step %d: the path takes %d bytes, over its budget of %d", step, p.Size(), budget)
		}
	}
	snaps := p.Snapshots()
	every := p.Every()
	var uniform []int
	for _, s := range snaps {
		if !Keeps(s.Step, every, p.Early()) {
			t.Errorf("step %d is kept but the rule (every %d) drops it", s.Step, every)
		}
		if s.Step%every == 0 {
			uniform = append(uniform, s.Step)
		}
	}
	if len(snaps) < 40/3 || len(snaps) > 40 {
		t.Errorf("%d snapshots kept, want between 13 and 40", len(snaps))
	}
	for k := 1; k < len(uniform); k++ {
		if uniform[k]-uniform[k-1] != every {
			t.Errorf("uniform steps %v are not evenly spaced by %d", uniform, every)
			break
		}
	}
	for _, s := range []int{1, 2, 4, 8, 16, 32, 64, 128, 512} {
		if !slices.ContainsFunc(snaps, func(x *Snapshot) bool { return x.Step == s }) {
			t.Errorf("early step %d was dropped", s)
		}
	}
	t.Logf("20000 steps: %d snapshots, every %d, %d bytes of %d", len(snaps), every, p.Size(), budget)
}

// TestDefaultPathBudget: the report's network fits about a hundred
// snapshots in 16 MiB, and a run of 10 epochs stays within it.
func TestDefaultPathBudget(t *testing.T) {
	a := DefaultArch()
	theta0 := make([]float32, a.NumParams())
	p, err := NewPath(a, theta0, 0)
	if err != nil {
		t.Fatal(err)
	}
	theta := slices.Clone(theta0)
	for step := 1; step <= 9380; step++ {
		if p.Due(step) {
			theta[step] = float32(step)
			p.Add(step, theta)
		}
		if p.Size() > DefaultPathBudget {
			t.Fatalf("step %d: %d bytes, over 16 MiB", step, p.Size())
		}
	}
	if n := len(p.Snapshots()); n < 50 {
		t.Errorf("%d snapshots after 10 epochs, want at least 50", n)
	}
	t.Logf("10 epochs of the report's network: %d snapshots, every %d steps, %.1f MiB",
		len(p.Snapshots()), p.Every(), float64(p.Size())/(1<<20))
	if _, err := NewPath(Arch{Hidden: []int{4096}, Activation: ReLU}, make([]float32, Arch{Hidden: []int{4096}, Activation: ReLU}.NumParams()), 0); err == nil {
		t.Error("NewPath took a network whose θ₀ and 4 snapshots exceed 16 MiB")
	}
}

// TestRestorePath: a path rebuilt from its snapshots and interval goes on
// exactly as the original.
func TestRestorePath(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	n := pathArch.NumParams()
	theta0 := randomWeights(n, rng, 0.1)
	budget := 4*n + 20*snapshotSize(n, len(filters(pathArch)))
	a, _ := NewPath(pathArch, theta0, budget)
	theta := slices.Clone(theta0)
	var b *Path
	for step := 1; step <= 3000; step++ {
		theta[step%n] -= 0.02
		a.Add(step, theta)
		if step == 1000 {
			var err error
			if b, err = RestorePath(pathArch, theta0, budget, a.Every(), a.Snapshots()); err != nil {
				t.Fatal(err)
			}
		}
		if step > 1000 {
			b.Add(step, theta)
		}
	}
	steps := func(p *Path) (s []int) {
		for _, x := range p.Snapshots() {
			s = append(s, x.Step)
		}
		return s
	}
	if !slices.Equal(steps(a), steps(b)) || a.Every() != b.Every() {
		t.Errorf("restored path kept %v (every %d), the original %v (every %d)", steps(b), b.Every(), steps(a), a.Every())
	}
	if _, err := RestorePath(pathArch, theta0, budget, 3, nil); err == nil {
		t.Error("RestorePath took an interval of 3")
	}
}
