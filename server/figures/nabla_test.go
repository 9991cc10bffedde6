package figures

import "testing"

// TestDrawableKeepsSigns keeps ∇ and ‖, which the handler draws, through
// drawable although Liberation Sans has no ∇.
func TestDrawableKeepsSigns(t *testing.T) {
	if got := drawable("‖∇J‖", latinFont); got != "‖∇J‖" {
		t.Errorf("drawable turned ‖∇J‖ into %q", got)
	}
}
