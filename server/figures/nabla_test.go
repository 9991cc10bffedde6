package figures

import (
	"slices"
	"testing"

	"gonum.org/v1/plot/font"
)

// TestSigns splits text around the signs the handler draws, keeps them
// through drawable, and gives them width.
func TestSigns(t *testing.T) {
	if got, want := segments("‖∇J‖ (log)"), []string{"‖", "∇", "J", "‖", " (log)"}; !slices.Equal(got, want) {
		t.Errorf("segments = %q, want %q", got, want)
	}
	if got := drawable("‖∇J‖", latinFont); got != "‖∇J‖" {
		t.Errorf("drawable turned ‖∇J‖ into %q", got)
	}
	fnt := font.From(latinFont, 10)
	w, h, _ := handler.Box("‖∇J‖", fnt)
	wJ, _, _ := handler.Box("J", fnt)
	if !(w > wJ+2*handler.signWidth("‖", fnt)) || h <= 0 {
		t.Errorf("‖∇J‖ is %v wide and %v high; J alone %v", w, h, wJ)
	}
}

// TestRoundLogTicks labels powers of ten as plain decimals or "1e-5", never
// with float noise, and 2 and 5 too on a short axis.
func TestRoundLogTicks(t *testing.T) {
	var labels []string
	for _, tk := range (roundLogTicks{}).Ticks(1e-5, 10) {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	if want := []string{"1e-5", "0.0001", "0.001", "0.01", "0.1", "1", "10"}; !slices.Equal(labels, want) {
		t.Errorf("labels over [1e-5, 10] = %q, want %q", labels, want)
	}
	labels = labels[:0]
	for _, tk := range (roundLogTicks{}).Ticks(0.03, 0.9) {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	if want := []string{"0.05", "0.1", "0.2", "0.5"}; !slices.Equal(labels, want) {
		t.Errorf("labels over [0.03, 0.9] = %q, want %q", labels, want)
	}
}
