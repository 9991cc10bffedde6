package mnist

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// IDX magic numbers: two zero bytes, the element type (0x08 = unsigned byte) and
// the number of dimensions.
const (
	imagesMagic = 0x00000803 // ubyte, 3 dimensions: count × rows × cols
	labelsMagic = 0x00000801 // ubyte, 1 dimension: count
)

// The geometry of an MNIST image.
const (
	Rows = 28
	Cols = 28
)

// maxImages bounds the count in a header, so that a corrupt file cannot make the
// loader allocate without limit before it notices the truncation.
const maxImages = 1 << 20

// fixHint ends every data error: the fix is always the same.
const fixHint = "run `make data`"

// The standard file names inside the data folder, as `make data` lays them out.
const (
	TrainImagesFile = "train-images-idx3-ubyte.gz"
	TrainLabelsFile = "train-labels-idx1-ubyte.gz"
	TestImagesFile  = "t10k-images-idx3-ubyte.gz"
	TestLabelsFile  = "t10k-labels-idx1-ubyte.gz"
)

// ReadImages reads an IDX image file (gzip-compressed or raw) and returns the
// pixels, count × 28 × 28 bytes, row-major.
func ReadImages(path string) (pixels []uint8, count int, err error) {
	err = readIDX(path, func(r io.Reader) error {
		dims, err := readHeader(r, imagesMagic, 3)
		if err != nil {
			return err
		}
		if dims[1] != Rows || dims[2] != Cols {
			return fmt.Errorf("images are %d×%d, want %d×%d", dims[1], dims[2], Rows, Cols)
		}
		count = dims[0]
		pixels = allocPixels(count * Rows * Cols)
		return readBody(r, pixels)
	})
	return pixels, count, err
}

// ReadLabels reads an IDX label file (gzip-compressed or raw). Every label is a
// digit 0 to 9.
func ReadLabels(path string) (labels []uint8, err error) {
	err = readIDX(path, func(r io.Reader) error {
		dims, err := readHeader(r, labelsMagic, 1)
		if err != nil {
			return err
		}
		labels = make([]uint8, dims[0])
		if err := readBody(r, labels); err != nil {
			return err
		}
		for i, l := range labels {
			if l > 9 {
				return fmt.Errorf("label %d is %d, above 9", i, l)
			}
		}
		return nil
	})
	return labels, err
}

// readIDX opens path, undoes gzip when the file starts with gzip's magic bytes,
// and hands the stream to parse. Every error names the file and the fix.
func readIDX(path string, parse func(io.Reader) error) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("mnist: %s not found; %s", path, fixHint)
	}
	if err != nil {
		return fmt.Errorf("mnist: %w; %s", err, fixHint)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<16)
	var r io.Reader = br
	if head, _ := br.Peek(2); bytes.Equal(head, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return fmt.Errorf("mnist: %s: corrupt gzip stream (%v); %s", path, err, fixHint)
		}
		defer zr.Close()
		r = zr
	}
	if err := parse(r); err != nil {
		return fmt.Errorf("mnist: %s: %v; %s", path, err, fixHint)
	}
	return nil
}

// readHeader reads the magic number and the n dimensions that follow it.
func readHeader(r io.Reader, magic uint32, n int) ([]int, error) {
	var got uint32
	if err := binary.Read(r, binary.BigEndian, &got); err != nil {
		return nil, fmt.Errorf("truncated header (%v)", err)
	}
	if got != magic {
		return nil, fmt.Errorf("bad magic number 0x%08x, want 0x%08x", got, magic)
	}
	dims := make([]int, n)
	for i := range dims {
		var d uint32
		if err := binary.Read(r, binary.BigEndian, &d); err != nil {
			return nil, fmt.Errorf("truncated header (%v)", err)
		}
		dims[i] = int(d)
	}
	if dims[0] > maxImages {
		return nil, fmt.Errorf("header claims %d items, more than %d", dims[0], maxImages)
	}
	return dims, nil
}

// readBody fills buf, and says how much was missing when the file is short or
// its compressed stream is damaged.
func readBody(r io.Reader, buf []uint8) error {
	n, err := io.ReadFull(r, buf)
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return fmt.Errorf("truncated: %d of %d data bytes", n, len(buf))
	case err != nil:
		return fmt.Errorf("corrupt after %d of %d data bytes (%v)", n, len(buf), err)
	}
	return nil
}

// Dataset is a set of images and their labels. Images holds N × 784 raw pixels
// (0 = background, 255 = ink), kept as uint8: one copy that every run shares
// read-only, normalised per minibatch.
type Dataset struct {
	Images []uint8
	Labels []uint8
	N      int
}

// Image returns the i-th image's 784 pixels (aliased, not copied).
func (d *Dataset) Image(i int) []uint8 { return d.Images[i*InputSize : (i+1)*InputSize] }

// LoadPair reads one image file and its label file and checks that they agree.
func LoadPair(imagesPath, labelsPath string) (*Dataset, error) {
	pixels, n, err := ReadImages(imagesPath)
	if err != nil {
		return nil, err
	}
	labels, err := ReadLabels(labelsPath)
	if err != nil {
		return nil, err
	}
	if len(labels) != n {
		return nil, fmt.Errorf("mnist: %s holds %d images but %s holds %d labels; %s",
			imagesPath, n, labelsPath, len(labels), fixHint)
	}
	return &Dataset{Images: pixels, Labels: labels, N: n}, nil
}

// Load reads the training and test sets from dir, laid out as `make data` does.
func Load(dir string) (train, test *Dataset, err error) {
	train, err = LoadPair(filepath.Join(dir, TrainImagesFile), filepath.Join(dir, TrainLabelsFile))
	if err != nil {
		return nil, nil, err
	}
	test, err = LoadPair(filepath.Join(dir, TestImagesFile), filepath.Join(dir, TestLabelsFile))
	if err != nil {
		return nil, nil, err
	}
	return train, test, nil
}
