package mnist

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// idxBytes builds an IDX file: magic, dims, then data.
func idxBytes(magic uint32, dims []uint32, data []byte) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.BigEndian, magic)
	for _, d := range dims {
		binary.Write(&b, binary.BigEndian, d)
	}
	b.Write(data)
	return b.Bytes()
}

func gz(t *testing.T, raw []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write(raw)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func goodImages(n int) []byte {
	px := make([]byte, n*Rows*Cols)
	for i := range px {
		px[i] = byte(i * 7)
	}
	return idxBytes(imagesMagic, []uint32{uint32(n), Rows, Cols}, px)
}

func TestReadGoodFiles(t *testing.T) {
	dir := t.TempDir()
	labels := idxBytes(labelsMagic, []uint32{3}, []byte{7, 0, 9})
	for _, compress := range []bool{false, true} {
		img, lab := goodImages(3), labels
		if compress {
			img, lab = gz(t, img), gz(t, lab)
		}
		d, err := LoadPair(writeFile(t, dir, "i", img), writeFile(t, dir, "l", lab))
		if err != nil {
			t.Fatalf("gzip=%v: %v", compress, err)
		}
		if d.N != 3 || len(d.Images) != 3*784 || d.Labels[2] != 9 || d.Image(1)[0] != byte(784*7%256) {
			t.Errorf("gzip=%v: got N=%d, %d pixels, labels %v", compress, d.N, len(d.Images), d.Labels)
		}
	}
}

func TestReadBadFiles(t *testing.T) {
	dir := t.TempDir()
	good := goodImages(2)
	cases := []struct {
		name, want string
		images     []byte
		labels     []byte
	}{
		{"bad image magic", "bad magic number 0x00000801", idxBytes(labelsMagic, []uint32{2, 28, 28}, make([]byte, 2*784)), nil},
		{"bad label magic", "bad magic number 0x00000803", nil, idxBytes(imagesMagic, []uint32{2}, []byte{1, 2})},
		{"wrong size", "images are 27×28", idxBytes(imagesMagic, []uint32{2, 27, 28}, make([]byte, 2*27*28)), nil},
		{"truncated pixels", "truncated: 1000 of 1568", good[:16+1000], nil},
		{"truncated header", "truncated header", good[:6], nil},
		{"empty file", "truncated header", []byte{}, nil},
		{"count mismatch", "holds 2 images but", nil, idxBytes(labelsMagic, []uint32{3}, []byte{1, 2, 3})},
		{"label above 9", "label 1 is 12, above 9", nil, idxBytes(labelsMagic, []uint32{2}, []byte{1, 12})},
		{"absurd count", "more than", idxBytes(imagesMagic, []uint32{1 << 30, 28, 28}, nil), nil},
		{"corrupt gzip", "", append([]byte{0x1f, 0x8b, 8, 0}, bytes.Repeat([]byte{0xff}, 40)...), nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			img, lab := c.images, c.labels
			if img == nil {
				img = good
			}
			if lab == nil {
				lab = idxBytes(labelsMagic, []uint32{2}, []byte{1, 2})
			}
			ip := writeFile(t, dir, "images.gz", img)
			_, err := LoadPair(ip, writeFile(t, dir, "labels.gz", lab))
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			for _, w := range []string{"mnist: ", "make data", c.want} {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not contain %q", msg, w)
				}
			}
			if !strings.Contains(msg, dir) {
				t.Errorf("error %q does not name the file", msg)
			}
		})
	}
}

func TestMissingFile(t *testing.T) {
	_, _, err := Load(t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "train-images-idx3-ubyte.gz not found; run `make data`") {
		t.Fatalf("got %v", err)
	}
}

// FuzzReadImages checks that no input makes the loader panic.
func FuzzReadImages(f *testing.F) {
	f.Add(goodImages(1))
	f.Add(goodImages(1)[:20])
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(dir, "fuzz")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		ReadImages(p)
		ReadLabels(p)
	})
}
