// Package plotkit holds the drawing primitives of package figures that do
// not depend on Descent's data, on top of gonum/plot:
//
//   - ticks.go: round ticks on linear (NiceTicks) and log axes (LogTicks),
//     and integer labels (IntTicks);
//   - mathtext.go, glyphcheck.go: the text handler that draws ∇ and ‖ as
//     paths (MathText), and the substitution of runes a font lacks (Drawable);
//   - glyphs.go: the marks of minima (Star), saddle points and divergence
//     (Cross) and current weights (Dot);
//   - grid.go: a function sampled at cell centres (Grid, Sample, CellsFor)
//     and the colour scale's transform t = log₁₀(J − Jₘᵢₙ + ε) (Transform,
//     Spread, Levels);
//   - colormap.go, heat.go, colorbar.go: the colour maps (Kindlmann, Blues,
//     Diverging), the rasterized heat map, contour lines and colour bar;
//   - mosaic.go: square tiles of values side by side, each on its own
//     diverging scale (Mosaic), as the first layer's weights, and an image
//     in the data area at its own aspect ratio (AspectImage);
//   - layout.go, plotters.go: a figure's parts around gonum's plot (title,
//     caption, legend beside, stacked plots, a data area on whole pixels) and
//     small plotters (stems, rugs, bands, marked lines).
//
// It is internal to figures, which decides what a figure shows (its data,
// words, colours and scale: figures.Scale, LogDecades, LogFloor) and
// imports plotkit; plotkit imports nothing of Descent. Its exported names
// are figures' alone, so that moving a primitive here adds nothing to
// figures' API. Input is checked in figures: nothing here returns an error
// but ParseFont, whose error figures wraps.
package plotkit
