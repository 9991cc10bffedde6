package vec

import (
	"testing"

	"descent/internal/gentest"
)

// TestGeneratedFiles regenerates the update kernels as `make generate` does
// and checks that the committed files are its output, byte for byte.
func TestGeneratedFiles(t *testing.T) {
	gentest.Check(t, []string{"gen_vec.go", "gen_vec_table.go"}, "vec_avx512_amd64.s", "vec_avx2_amd64.s", "vec_decl_amd64.go")
}
