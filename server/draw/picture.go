package draw

import (
	"encoding/base64"
	"fmt"

	"descent/mnist"
	"descent/server/protocol"
)

// Picture is a validated protocol.Picture: a drawing's decoded grey levels,
// or the index of a test image.
type Picture struct {
	W, H int
	pix  []byte // the drawing, W×H row-major; nil for a test image
	Test int    // the test image; −1 for a drawing
}

// CheckPicture validates p for a test set of testN images: a drawing as
// Check takes it, or a test index from 0 to testN − 1, not both.
func CheckPicture(p *protocol.Picture, testN int) (Picture, error) {
	if p.TestIndex == nil {
		return checkDrawing(p.Width, p.Height, p.Pixels, " (or testIndex, a test image)")
	}
	if p.Width != nil || p.Height != nil || p.Pixels != "" {
		return Picture{}, protocol.Refuse(protocol.CodeInvalid, "testIndex", "either a drawing (width, height, pixels) or testIndex, not both",
			"both a drawing and test image %d", *p.TestIndex)
	}
	if testN < 1 {
		return Picture{}, protocol.Refuse(protocol.CodeUnknown, "testIndex", "a drawing: the server has no test set", "no test images")
	}
	i, err := protocol.Int("testIndex", p.TestIndex, 0, testN-1)
	return Picture{Test: i}, err
}

// checkDrawing validates a drawing's size and decodes its pixels; or names
// what else the command takes when the pixels are missing.
func checkDrawing(width, height *int, pixels, or string) (Picture, error) {
	if width == nil && height == nil && pixels == "" && or != "" {
		return Picture{}, protocol.Missing("pixels", "a drawing: width, height and pixels"+or)
	}
	w, err := protocol.Int("width", width, mnist.MinCanvas, mnist.MaxCanvas)
	if err != nil {
		return Picture{}, err
	}
	h, err := protocol.Int("height", height, mnist.MinCanvas, mnist.MaxCanvas)
	if err != nil {
		return Picture{}, err
	}
	allowed := fmt.Sprintf("base64 of width×height = %d grey levels (0 background … 255 ink)", w*h)
	if pixels == "" {
		return Picture{}, protocol.Missing("pixels", allowed)
	}
	pix, err := base64.StdEncoding.DecodeString(pixels)
	if err != nil {
		return Picture{}, protocol.Refuse(protocol.CodeBadType, "pixels", allowed, "not base64: %v", err)
	}
	if len(pix) != w*h {
		return Picture{}, protocol.Refuse(protocol.CodeOutOfRange, "pixels", allowed, "%d bytes for a %d×%d drawing", len(pix), w, h)
	}
	return Picture{W: w, H: h, pix: pix, Test: -1}, nil
}

// Image returns the 28×28 grey levels the network is given: the drawing
// preprocessed as MNIST was made (blank when it has no ink), or the test
// image exactly as it is in the set.
func (p Picture) Image(test *mnist.Dataset) (img []uint8, blank bool, err error) {
	img, blank, _, err = p.Place(test)
	return img, blank, err
}

// Place is Image with, for a drawing with ink, where its ink went in the
// image (mnist.Place); nil for a test image.
func (p Picture) Place(test *mnist.Dataset) (img []uint8, blank bool, at *mnist.Placement, err error) {
	if p.Test < 0 {
		img, blank, pl, err := mnist.Place(p.pix, p.W, p.H)
		if err != nil || blank {
			return img, blank, nil, err
		}
		return img, false, &pl, nil
	}
	if test == nil || p.Test >= test.N {
		return nil, false, nil, protocol.Refuse(protocol.CodeOutOfRange, "testIndex", "a test image of the server's set", "no test image %d", p.Test)
	}
	return append([]uint8(nil), test.Image(p.Test)...), false, nil, nil
}

// testFields are a result's testIndex and testLabel: nil for a drawing.
func (p Picture) testFields(test *mnist.Dataset) (index, label *int) {
	if p.Test < 0 || test == nil || p.Test >= test.N {
		return nil, nil
	}
	i, l := p.Test, int(test.Labels[p.Test])
	return &i, &l
}

// inked returns the picture's image, refusing a blank drawing, for the
// commands that need ink (gradCheck, learnStep).
func (p Picture) inked(test *mnist.Dataset) ([]uint8, error) {
	img, blank, err := p.Image(test)
	if err != nil {
		return nil, serverErr(err)
	}
	if blank {
		return nil, protocol.Refuse(protocol.CodeInvalid, "pixels", "a drawing with ink, or testIndex", "the drawing is blank")
	}
	return img, nil
}

// serverErr gives an error from below the server the server's prefix; a
// refusal already has it.
func serverErr(err error) error {
	if _, ok := err.(*protocol.FieldError); ok || err == nil {
		return err
	}
	return fmt.Errorf("server: %w", err)
}
