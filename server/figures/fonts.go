package figures

import (
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"

	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/font/liberation"
	"gonum.org/v1/plot/text"
)

// KoreanFontPaths are the files tried, in order, the first time a Korean
// figure is asked for and LoadKoreanFont has not been called: Debian's
// fonts-nanum, then Noto Sans CJK (fonts-noto-cjk), then macOS's Apple SD
// Gothic Neo.
var KoreanFontPaths = []string{
	"/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
	"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
	"/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
	"/usr/share/fonts/truetype/noto/NotoSansKR-Regular.ttf",
	"/System/Library/Fonts/AppleSDGothicNeo.ttc",
}

// The typefaces of the package's font cache: Liberation Sans for English
// (embedded in gonum/plot's dependencies, so English figures never depend on
// the system) and the loaded Hangul font for Korean.
var (
	latinFont  = font.Font{Typeface: "Liberation", Variant: "Sans"}
	koreanFont = font.Font{Typeface: "Hangul"}
)

// fonts is the package's font cache and what it knows about Hangul.
var fonts = struct {
	cache    *font.Cache
	mu       sync.Mutex
	korean   *opentype.Font // nil until loaded
	path     string
	searched bool
	warn     sync.Once
}{cache: font.NewCache(liberation.Collection())}

// handler lays out and draws text with the package's font cache, drawing ∇
// where the font has no glyph for it (nabla.go).
var handler = mathText{text.Plain{Fonts: fonts.cache}}

// LoadKoreanFont makes Korean figures use the TrueType or OpenType font at
// path (for a .ttc collection, its first font). The font must have Hangul.
// A command's font flag calls it; without it, the first Korean figure looks
// in KoreanFontPaths.
func LoadKoreanFont(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("figures: Korean font: %w", err)
	}
	f, err := parseFont(data)
	if err != nil {
		return fmt.Errorf("figures: Korean font %s: %w", path, err)
	}
	if !hasRunes(f, "한글손실") {
		return fmt.Errorf("figures: %s has no Hangul glyphs; try NanumGothic (Debian: apt-get install fonts-nanum)", path)
	}
	fonts.mu.Lock()
	defer fonts.mu.Unlock()
	fonts.korean, fonts.path, fonts.searched = f, path, true
	fonts.cache.Add(font.Collection{{Font: koreanFont, Face: f}})
	return nil
}

// parseFont reads a single font or the first font of a collection.
func parseFont(data []byte) (*opentype.Font, error) {
	if len(data) >= 4 && string(data[:4]) == "ttcf" {
		c, err := opentype.ParseCollection(data)
		if err != nil {
			return nil, err
		}
		return c.Font(0)
	}
	return opentype.Parse(data)
}

// KoreanFont returns the path of the Hangul font in use, looking in
// KoreanFontPaths the first time, or "" when there is none.
func KoreanFont() string {
	fonts.mu.Lock()
	searched, path := fonts.searched, fonts.path
	fonts.mu.Unlock()
	if searched {
		return path
	}
	for _, p := range KoreanFontPaths {
		if _, err := os.Stat(p); err != nil {
			continue
		}
		if err := LoadKoreanFont(p); err == nil {
			return p
		}
	}
	fonts.mu.Lock()
	fonts.searched = true
	fonts.mu.Unlock()
	return ""
}

// resolveLang returns the language a figure is drawn in: "ko" when asked for
// and a Hangul font is there, otherwise "en" (warning once when Korean was
// asked for but no font was found).
func resolveLang(lang string) string {
	if !strings.HasPrefix(lang, "ko") {
		return "en"
	}
	if KoreanFont() != "" {
		return "ko"
	}
	fonts.warn.Do(func() {
		slog.Warn("figures: no font with Hangul found; Korean figures fall back to English",
			"tried", KoreanFontPaths, "hint", "apt-get install fonts-nanum, or pass a font file")
	})
	return "en"
}

// fontFor returns the font descriptor of lang ("en" or "ko", as resolved).
func fontFor(lang string) font.Font {
	if lang == "ko" {
		return koreanFont
	}
	return latinFont
}

// substitutes are ASCII stand-ins for symbols that some fonts lack
// (NanumGothic has no U+2212 minus sign).
var substitutes = map[rune]rune{'−': '-', '–': '-', '—': '-', '‖': '|', '·': '.'}

// drawable replaces every rune that fnt cannot draw by its ASCII substitute
// or else by '?', so that no figure shows the empty boxes of a missing glyph.
func drawable(s string, fnt font.Font) string {
	face := fonts.cache.Lookup(fnt, 10).Face
	if face == nil || hasRunes(face, s) {
		return s
	}
	var buf sfnt.Buffer
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == ' ' || drawn(r) { // the handler draws ∇ and ‖
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

// hasRunes reports whether f has a glyph for every rune of s but newlines.
func hasRunes(f *opentype.Font, s string) bool {
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
