// Package gentest checks that generated files are what their generators
// write, so that an edit to a generator comes with its output and an edit
// to the output goes through the generator.
package gentest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Check runs `go run <generator's files> -dir <temporary folder>` in the
// current directory, a package's under go test, and fails t unless every
// one of files comes out byte for byte as the package holds it. The go
// command is the one on PATH, as `make test` runs it.
func Check(t testing.TB, generator []string, files ...string) {
	t.Helper()
	name := strings.Join(generator, " ")
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("gentest: no go command on PATH to run %s: %v", name, err)
	}
	dir := t.TempDir()
	cmd := exec.Command(goCmd, append(append([]string{"run"}, generator...), "-dir", dir)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gentest: go run %s: %v\n%s", name, err, out)
	}
	for _, f := range files {
		want, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatalf("gentest: %s did not write %s: %v", name, f, err)
		}
		got, err := os.ReadFile(f)
		if err != nil {
			t.Fatalf("gentest: %v", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from what %s writes; run `make generate` and commit the result", f, name)
		}
	}
}
