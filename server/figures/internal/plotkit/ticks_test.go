package plotkit

import (
	"slices"
	"strings"
	"testing"
)

// TestRoundLogTicks labels powers of ten as plain decimals or "1e-5", never
// with float noise, and 2 and 5 too on a short axis.
func TestRoundLogTicks(t *testing.T) {
	var labels []string
	for _, tk := range (LogTicks{}).Ticks(1e-5, 10) {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	if want := []string{"1e-5", "0.0001", "0.001", "0.01", "0.1", "1", "10"}; !slices.Equal(labels, want) {
		t.Errorf("labels over [1e-5, 10] = %q, want %q", labels, want)
	}
	labels = labels[:0]
	for _, tk := range (LogTicks{}).Ticks(0.03, 0.9) {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	if want := []string{"0.05", "0.1", "0.2", "0.5"}; !slices.Equal(labels, want) {
		t.Errorf("labels over [0.03, 0.9] = %q, want %q", labels, want)
	}
}

func TestNiceTicks(t *testing.T) {
	for _, tc := range []struct {
		min, max float64
		want     string
	}{
		{0, 299, "0 100 200"},
		{-2, 2, "-2 -1 0 1 2"},
		{0.1, 2.5, "0.5 1.0 1.5 2.0 2.5"},
		{94.2, 98.1, "95 96 97 98"},
	} {
		var labels []string
		for _, tk := range (NiceTicks{}).Ticks(tc.min, tc.max) {
			if tk.Label != "" {
				labels = append(labels, tk.Label)
			}
		}
		if got := strings.Join(labels, " "); got != tc.want {
			t.Errorf("ticks on [%g, %g] = %q, want %q", tc.min, tc.max, got, tc.want)
		}
	}
}
