package plotkit

import (
	"slices"
	"testing"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/font/liberation"
	"gonum.org/v1/plot/text"
)

// TestSigns splits text around the signs MathText draws and gives them
// width.
func TestSigns(t *testing.T) {
	if got, want := segments("‖∇J‖ (log)"), []string{"‖", "∇", "J", "‖", " (log)"}; !slices.Equal(got, want) {
		t.Errorf("segments = %q, want %q", got, want)
	}
	h := MathText{Plain: text.Plain{Fonts: font.NewCache(liberation.Collection())}}
	fnt := font.From(font.Font{Typeface: "Liberation", Variant: "Sans"}, 10)
	w, ht, _ := h.Box("‖∇J‖", fnt)
	wJ, _, _ := h.Box("J", fnt)
	if !(w > wJ+2*h.signWidth("‖", fnt)) || ht <= 0 {
		t.Errorf("‖∇J‖ is %v wide and %v high; J alone %v", w, ht, wJ)
	}
}
