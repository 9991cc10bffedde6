package main

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"descent/mnist"
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

// fakeMNIST writes n random training and test images with their labels in
// MNIST's files, gzipped IDX, and returns the folder.
func fakeMNIST(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(uint64(n), 3))
	write := func(name string, magic uint32, dims []uint32, data []byte) {
		var raw bytes.Buffer
		binary.Write(&raw, binary.BigEndian, magic)
		binary.Write(&raw, binary.BigEndian, dims)
		raw.Write(data)
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(raw.Bytes())
		zw.Close()
		if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range [][2]string{{mnist.TrainImagesFile, mnist.TrainLabelsFile}, {mnist.TestImagesFile, mnist.TestLabelsFile}} {
		pixels, labels := make([]byte, n*mnist.InputSize), make([]byte, n)
		for i := range pixels {
			if rng.IntN(5) == 0 { // ink on a fifth of the pixels, as in MNIST
				pixels[i] = byte(rng.IntN(256))
			}
		}
		for i := range labels {
			labels[i] = byte(rng.IntN(10))
		}
		write(f[0], 0x803, []uint32{uint32(n), 28, 28}, pixels)
		write(f[1], 0x801, []uint32{uint32(n)}, labels)
	}
	return dir
}
