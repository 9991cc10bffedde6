// Package web holds the live page. Its sources are in src/, bundled by
// `npm run build` (run by `make web`) into dist/, which is embedded in the
// binary so that the page works offline.
package web

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Dist returns the built page: index.html and assets/. Before `make web` it
// holds only .gitkeep, and the server says the page is not built.
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // "dist" is a valid path, so this cannot happen
	}
	return sub
}
