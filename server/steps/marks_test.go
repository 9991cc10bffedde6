package steps

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// markedSeries is 10 steps with marks at steps 2, 3, 5, 9 and 11 (the last
// one beyond the steps recorded).
func markedSeries() *Series {
	var s Series
	for i := range 10 {
		s.Add(Point{Loss: float32(i), LR: 0.5})
	}
	for _, k := range []int{2, 3, 5, 9, 11} {
		s.AddMark(Mark{Step: k, Sharpness: float32(k), Threshold: 4, LR: 0.5})
	}
	return &s
}

// TestThinMarks checks the rule for marks: every mark of the steps when they
// are not grouped, each group's last mark at its own step when they are,
// none beyond the steps thinned.
func TestThinMarks(t *testing.T) {
	s := markedSeries()
	all := s.Points(0, 10, 0)
	if got := all.SharpnessStep; len(got) != 4 || got[3] != 9 || all.Sharpness[1] != 3 {
		t.Errorf("unthinned marks at %v (%v), want 2 3 5 9", got, all.Sharpness)
	}
	th := s.Points(0, 10, 4) // groups of 3 steps: 1–3, 4–6, 7–9, 10
	if got := th.SharpnessStep; len(got) != 3 || got[0] != 3 || got[1] != 5 || got[2] != 9 {
		t.Errorf("thinned marks at %v, want each group's last: 3 5 9", got)
	}
	if part := s.Points(2, 6, 0); len(part.SharpnessStep) != 2 || part.SharpnessStep[0] != 3 {
		t.Errorf("marks of steps 3–6: %v, want 3 and 5", part.SharpnessStep)
	}
	again := th.Thin(2) // points at 3 6 9 10 → groups (…, 6] and (6, 10]
	if got := again.SharpnessStep; len(got) != 2 || got[0] != 5 || got[1] != 9 {
		t.Errorf("thinned twice: marks at %v, want 5 and 9", got)
	}
	if after := all.After(4); len(after.SharpnessStep) != 2 || after.SharpnessStep[0] != 5 || after.Step[0] != 5 {
		t.Errorf("after step 4: marks %v, steps from %d; want 5 9 and 5", after.SharpnessStep, after.Step[0])
	}
	if none := all.After(9); none.SharpnessStep != nil {
		t.Errorf("after the last mark: %v, want none", none.SharpnessStep)
	}
}

// TestMarksJSON: columns without marks leave the sharpness columns out; a
// threshold that does not apply is null.
func TestMarksJSON(t *testing.T) {
	var c Columns
	c.Add(1, Point{Loss: 1})
	b, _ := json.Marshal(c)
	if strings.Contains(string(b), "sharpness") || strings.Contains(string(b), "threshold") {
		t.Errorf("no marks: %s, want no sharpness columns", b)
	}
	c.AddMark(Mark{Step: 1, Sharpness: 4.25, Threshold: float32(math.NaN()), LR: 0.01})
	b, _ = json.Marshal(c)
	want := `"sharpnessStep":[1],"sharpness":[4.25],"threshold":[null],"sharpnessLR":[0.01]`
	if !strings.Contains(string(b), want) {
		t.Errorf("marks: %s, want %s", b, want)
	}
	var back Columns
	if err := json.Unmarshal(b, &back); err != nil || back.MarkLen() != 1 || !math.IsNaN(float64(back.Threshold[0])) {
		t.Errorf("read back: %+v %v", back, err)
	}
}

// TestMarkCounts: marks come in step order, a late or repeated step is
// dropped, and the count up to a step is what a frame may carry.
func TestMarkCounts(t *testing.T) {
	s := markedSeries()
	s.AddMark(Mark{Step: 7}) // before the last: dropped
	if n, all := s.MarkCount(10); n != 4 || all != 5 {
		t.Errorf("MarkCount(10) = %d of %d, want 4 of 5", n, all)
	}
	if got := s.MarkRange(1, 3); len(got) != 2 || got[0].Step != 3 || got[1].Step != 5 {
		t.Errorf("MarkRange(1, 3) = %v", got)
	}
	if got := s.MarkRange(4, 9); len(got) != 1 || got[0].Step != 11 {
		t.Errorf("MarkRange(4, 9) = %v, want the last mark", got)
	}
}

// TestUpto: a view of the first marks thins only those.
func TestUpto(t *testing.T) {
	s := markedSeries()
	if got := Thin(s.Upto(2), 0, 10, 0).SharpnessStep; len(got) != 2 || got[1] != 3 {
		t.Errorf("the first two marks: %v", got)
	}
	if got := Thin(s.Upto(0), 0, 10, 4); got.SharpnessStep != nil || got.Len() != 4 {
		t.Errorf("no marks: %v, %d points", got.SharpnessStep, got.Len())
	}
}
