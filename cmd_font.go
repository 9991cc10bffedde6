package main

import (
	"flag"
	"fmt"

	"descent/server/figures"
)

// fontFlag adds --font to fs, shared by serve and plot, and returns what
// loads it after parsing: nothing when it is empty, so that Korean figures
// look for a system font (figures.KoreanFontPaths) and fall back to English
// without one.
func fontFlag(fs *flag.FlagSet) func() error {
	path := fs.String("font", "", "TrueType/OpenType font with Hangul for Korean figures (default: a system font such as NanumGothic, else English)")
	return func() error {
		if *path == "" {
			return nil
		}
		if err := figures.LoadKoreanFont(*path); err != nil {
			return fmt.Errorf("--font: %w", err)
		}
		return nil
	}
}
