package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// mnistDir is the real MNIST folder; without it a test skips on a
// developer's machine and fails under CI.
func mnistDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join("data", "mnist")
	if _, err := os.Stat(dir); err != nil && os.Getenv("CI") == "" {
		t.Skip("no MNIST data; run make data")
	}
	return dir
}

// trainModel runs `descent train` with args and --json, saving the model
// in a temporary file, and returns the model's path and what train printed.
func trainModel(t *testing.T, args ...string) (model string, out *bytes.Buffer) {
	t.Helper()
	model = filepath.Join(t.TempDir(), "m.descent")
	out = new(bytes.Buffer)
	var errb bytes.Buffer
	args = append([]string{"train", "--json", "--out", model, "--data", mnistDir(t)}, args...)
	if code := dispatch(args, out, &errb); code != 0 {
		t.Fatalf("descent %v: exit code %d: %s", args, code, errb.String())
	}
	return model, out
}
