package plotkit

import (
	"strings"

	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
)

// substitutes are ASCII stand-ins for symbols that some fonts lack
// (NanumGothic has no U+2212 minus sign).
var substitutes = map[rune]rune{'−': '-', '–': '-', '—': '-', '‖': '|', '·': '.'}

// Drawable replaces every rune of s that face cannot draw by its ASCII
// substitute or else by '?', so that no figure shows the empty boxes of a
// missing glyph; newlines, spaces and the signs MathText draws (Drawn) are
// kept. A nil face keeps s as it is.
func Drawable(face *opentype.Font, s string) string {
	if face == nil || HasRunes(face, s) {
		return s
	}
	var buf sfnt.Buffer
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == ' ' || Drawn(r) {
			return r
		}
		if i, err := face.GlyphIndex(&buf, r); err == nil && i != 0 {
			return r
		}
		if sub, ok := substitutes[r]; ok {
			return sub
		}
		return '?'
	}, s)
}

// HasRunes reports whether f has a glyph for every rune of s but newlines.
func HasRunes(f *opentype.Font, s string) bool {
	var buf sfnt.Buffer
	for _, r := range s {
		if r == '\n' {
			continue
		}
		if i, err := f.GlyphIndex(&buf, r); err != nil || i == 0 {
			return false
		}
	}
	return true
}

// ParseFont reads a single TrueType or OpenType font, or the first font of
// a collection (.ttc).
func ParseFont(data []byte) (*opentype.Font, error) {
	if len(data) >= 4 && string(data[:4]) == "ttcf" {
		c, err := opentype.ParseCollection(data)
		if err != nil {
			return nil, err
		}
		return c.Font(0)
	}
	return opentype.Parse(data)
}
