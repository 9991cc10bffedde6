package figures

import (
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"

	"golang.org/x/image/font/opentype"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/font/liberation"
	"gonum.org/v1/plot/text"

	"descent/server/figures/internal/plotkit"
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
// and ‖ as paths (plotkit.MathText).
var handler = plotkit.MathText{Plain: text.Plain{Fonts: fonts.cache}}

// LoadKoreanFont makes Korean figures use the TrueType or OpenType font at
// path (for a .ttc collection, its first font). The font must have Hangul.
// A command's font flag calls it; without it, the first Korean figure looks
// in KoreanFontPaths.
func LoadKoreanFont(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("figures: Korean font: %w", err)
	}
	f, err := plotkit.ParseFont(data)
	if err != nil {
		return fmt.Errorf("figures: Korean font %s: %w", path, err)
	}
	if !plotkit.HasRunes(f, "한글손실") {
		return fmt.Errorf("figures: %s has no Hangul glyphs; try NanumGothic (Debian: apt-get install fonts-nanum)", path)
	}
	fonts.mu.Lock()
	defer fonts.mu.Unlock()
	fonts.korean, fonts.path, fonts.searched = f, path, true
	fonts.cache.Add(font.Collection{{Font: koreanFont, Face: f}})
	return nil
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

// drawable replaces every rune that fnt cannot draw by its ASCII substitute
// or else by '?' (plotkit.Drawable), so that no figure shows the empty
// boxes of a missing glyph.
func drawable(s string, fnt font.Font) string {
	return plotkit.Drawable(fonts.cache.Lookup(fnt, 10).Face, s)
}
