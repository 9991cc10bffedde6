package draw

import (
	"encoding/base64"
	"sync"
	"testing"
	"time"

	"descent/server/protocol"
)

// TestSlotAnswersTheLatest puts drawings faster than PredictHz: the loop
// answers at most PredictHz a second, and the last drawing is answered.
func TestSlotAnswersTheLatest(t *testing.T) {
	var s Slot[Drawing]
	done := make(chan struct{})
	var mu sync.Mutex
	var answered []int64
	var wg sync.WaitGroup
	start := func() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.Loop(done, func(d Drawing) { mu.Lock(); answered = append(answered, d.Req); mu.Unlock() })
		}()
	}
	began := time.Now()
	for i := range 100 {
		s.Put(Drawing{Req: int64(i + 1)}, start)
		time.Sleep(2 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
	close(done)
	wg.Wait()
	elapsed := time.Since(began).Seconds()
	if n := float64(len(answered)); n > elapsed*protocol.PredictHz+2 || n == 0 {
		t.Errorf("%g answers in %.2f s, want at most %d a second", n, elapsed, protocol.PredictHz)
	}
	if answered[len(answered)-1] != 100 {
		t.Errorf("the last answer is to drawing %d, want the latest, 100", answered[len(answered)-1])
	}
}

func TestCheckRefuses(t *testing.T) {
	w, h, small := 28, 28, 27
	ok := base64.StdEncoding.EncodeToString(make([]byte, 28*28))
	for _, tc := range []struct {
		name        string
		p           protocol.Predict
		field, code string
	}{
		{"no width", protocol.Predict{Height: &h, Pixels: ok}, "width", protocol.CodeMissing},
		{"too small", protocol.Predict{Width: &small, Height: &h, Pixels: ok}, "width", protocol.CodeOutOfRange},
		{"no pixels", protocol.Predict{Width: &w, Height: &h}, "pixels", protocol.CodeMissing},
		{"not base64", protocol.Predict{Width: &w, Height: &h, Pixels: "!!"}, "pixels", protocol.CodeBadType},
		{"wrong size", protocol.Predict{Width: &w, Height: &h, Pixels: "AAAA"}, "pixels", protocol.CodeOutOfRange},
		{"run and model", protocol.Predict{Width: &w, Height: &h, Pixels: ok, Run: "r1", Model: "m"}, "model", protocol.CodeInvalid},
	} {
		_, err := Check(&tc.p)
		fe, isField := err.(*protocol.FieldError)
		if !isField || fe.Field != tc.field || fe.Code != tc.code {
			t.Errorf("%s: %v, want a %s refusal of %s", tc.name, err, tc.code, tc.field)
		}
	}
	if d, err := Check(&protocol.Predict{Width: &w, Height: &h, Pixels: ok}); err != nil || d.W != 28 || len(d.pix) != 784 {
		t.Errorf("a good drawing: %+v, %v", d, err)
	}
}
