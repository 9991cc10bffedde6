package kernels

import (
	"testing"

	"descent/internal/gentest"
)

// TestGeneratedFiles regenerates the GEMM micro-kernels as `make generate`
// does and checks that the committed files are its output, byte for byte.
func TestGeneratedFiles(t *testing.T) {
	gentest.Check(t, []string{"gen_kernels.go"}, "kern_avx512_amd64.s", "kern_avx2_amd64.s", "kern_decl_amd64.go")
}
