package figures

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"strings"
	"testing"

	"golang.org/x/image/font/sfnt"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// needKorean skips the test without a Hangul font, unless CI is set, where
// the font is installed (fonts-nanum) and its absence is a failure.
func needKorean(t *testing.T) string {
	t.Helper()
	path := KoreanFont()
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("no Hangul font in %v; CI installs fonts-nanum", KoreanFontPaths)
		}
		t.Skipf("no Hangul font in %v; apt-get install fonts-nanum to run this test", KoreanFontPaths)
	}
	return path
}

// inkText draws s in fnt at 40 pt on white and returns the picture.
func inkText(s string, fnt font.Font) *image.RGBA {
	c := vgimg.NewWith(vgimg.UseWH(200, 60), vgimg.UseDPI(72), vgimg.UseBackgroundColor(color.White))
	sty := text.Style{Color: color.Black, Font: font.From(fnt, 40), Handler: handler}
	dc := draw.New(c)
	dc.FillText(sty, vg.Point{X: 5, Y: 15}, s)
	return c.Image().(*image.RGBA)
}

func inkCount(img *image.RGBA) int {
	n := 0
	for i := 0; i < len(img.Pix); i += 4 {
		if img.Pix[i] < 128 {
			n++
		}
	}
	return n
}

// A Korean label must be drawn with the Hangul font's own glyphs: the runes
// map to glyphs other than .notdef (index 0), those glyphs have outlines,
// and the drawing has ink and differs from two .notdef boxes.
func TestKoreanLabelHasRealGlyphs(t *testing.T) {
	path := needKorean(t)
	face := fonts.cache.Lookup(koreanFont, 40).Face
	if face == nil {
		t.Fatalf("%s is not in the font cache", path)
	}
	var buf sfnt.Buffer
	for _, r := range "손실" {
		i, err := face.GlyphIndex(&buf, r)
		if err != nil || i == 0 {
			t.Fatalf("%s: no glyph for %q (index %d, %v)", path, r, i, err)
		}
		segs, err := face.LoadGlyph(&buf, i, 1000, nil)
		if err != nil || len(segs) == 0 {
			t.Fatalf("%s: glyph of %q has no outline (%v)", path, r, err)
		}
	}
	hangul := inkText("손실", koreanFont)
	notdef := inkText("\uE000\uE001", koreanFont) // private use: no glyph in the font
	if n := inkCount(hangul); n < 100 {
		t.Errorf("%s: \"손실\" drew %d dark pixels; want real glyphs", path, n)
	}
	if bytes.Equal(hangul.Pix, notdef.Pix) {
		t.Errorf("%s: \"손실\" looks like two .notdef boxes", path)
	}
}

// A Korean figure uses the Hangul font for every text and its labels.
func TestKoreanFigure(t *testing.T) {
	needKorean(t)
	f, err := LossFigure(lossCurve("SGD", 50, 0.05), 0.6, Meta{Lang: "ko", Caption: "배치 64, 시드 1"})
	if err != nil {
		t.Fatal(err)
	}
	if f.Lang != "ko" || f.Plot.X.Label.Text != "스텝" || f.Plot.Title.Text != "스텝별 학습 손실" {
		t.Errorf("Korean figure: lang %q, x label %q, title %q", f.Lang, f.Plot.X.Label.Text, f.Plot.Title.Text)
	}
	if got := f.Plot.Y.Label.TextStyle.Font.Typeface; got != koreanFont.Typeface {
		t.Errorf("y label typeface %q, want %q", got, koreanFont.Typeface)
	}
	if strings.Contains(f.Caption, "?") {
		t.Errorf("caption %q lost runes", f.Caption)
	}
	if _, err := png.Decode(bytes.NewReader(encodePNG(t, f))); err != nil {
		t.Fatal(err)
	}
}

// Without a Hangul font, Korean falls back to English (the Meta's English
// title included), and runes the Latin font lacks become '?', never boxes.
func TestKoreanFallsBackToEnglish(t *testing.T) {
	KoreanFont() // finish discovery before faking its result
	fonts.mu.Lock()
	saved, savedPath := fonts.korean, fonts.path
	fonts.korean, fonts.path = nil, ""
	fonts.mu.Unlock()
	t.Cleanup(func() {
		fonts.mu.Lock()
		fonts.korean, fonts.path = saved, savedPath
		fonts.mu.Unlock()
	})
	f, err := LossFigure(lossCurve("SGD", 50, 0.05), 0.6,
		Meta{Lang: "ko", Title: "손실", TitleEN: "Loss", Caption: "배치 64"})
	if err != nil {
		t.Fatal(err)
	}
	if f.Lang != "en" || f.Plot.Title.Text != "Loss" || f.Plot.X.Label.Text != "step" {
		t.Errorf("fallback: lang %q, title %q, x label %q; want en, Loss, step", f.Lang, f.Plot.Title.Text, f.Plot.X.Label.Text)
	}
	if f.Caption != "?? 64" {
		t.Errorf("fallback caption %q, want %q", f.Caption, "?? 64")
	}
}

func TestLoadKoreanFontRejects(t *testing.T) {
	if err := LoadKoreanFont("testdata/no-such-font.ttf"); err == nil {
		t.Error("LoadKoreanFont(missing file) = nil")
	}
	if err := LoadKoreanFont("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"); err == nil {
		if _, statErr := os.Stat("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"); statErr == nil {
			t.Error("LoadKoreanFont(DejaVu Sans, which has no Hangul) = nil")
		}
	}
	if err := LoadKoreanFont("fonts_test.go"); err == nil {
		t.Error("LoadKoreanFont(a Go file) = nil")
	}
}
