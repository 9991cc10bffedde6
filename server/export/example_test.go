package export_test

import (
	"fmt"

	"descent/mnist"
	"descent/server/export"
)

// A figure's caption is the settings of its run in one line, in the page's
// language; a sweep's caption keeps what its runs share, and the legend
// tells them apart.
func ExampleCaption() {
	report := mnist.DefaultConfig()
	fmt.Println(export.Caption([]export.RunData{{Config: report}}, "en"))
	fmt.Println(export.Caption([]export.RunData{{Config: report}}, "ko"))
	fast := report
	fast.LR = 0.5
	fmt.Println(export.Caption([]export.RunData{{Config: report}, {Config: fast}}, "en"))
	// Output:
	// 784-100-10 sigmoid · sgd α=0.1 · batch 64 · 10 epochs · seed 1
	// 784-100-10 sigmoid · sgd α=0.1 · 배치 64 · 에포크 10 · 시드 1
	// 784-100-10 sigmoid · batch 64 · 10 epochs · seed 1
}
