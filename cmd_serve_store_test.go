package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"descent/server/store"
)

// TestServeStoreErrors: a run store that cannot be used is an error at start,
// printed as the store says it, with exit code 1; the file is left as it is.
func TestServeStoreErrors(t *testing.T) {
	if _, err := os.Stat("data/mnist/train-images-idx3-ubyte.gz"); err != nil {
		t.Skip("data/mnist is missing: run make data")
	}
	locked := t.TempDir()
	st, err := store.Open(context.Background(), locked)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	damaged := t.TempDir()
	garbage := []byte("not a database, and not empty either")
	if err := os.WriteFile(filepath.Join(damaged, "descent.db"), garbage, 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, dir, stderr string }{
		{"in use", locked, "another descent is using " + locked},
		{"damaged", damaged, "move it aside"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			args := []string{"--addr", "127.0.0.1:0", "--data", "data/mnist", "--data-dir", tc.dir}
			if code := runServe(args, &out, &errb); code != 1 || !strings.Contains(errb.String(), tc.stderr) {
				t.Errorf("descent serve %v = %d, stderr %q; want 1 containing %q", args, code, errb.String(), tc.stderr)
			}
		})
	}
	if b, _ := os.ReadFile(filepath.Join(damaged, "descent.db")); !bytes.Equal(b, garbage) {
		t.Errorf("the damaged file was changed to %q", b)
	}
}
