// Package figures turns Descent's data into pictures with gonum/plot: the
// surface explorer's heat map with contour lines (RenderSurface, whose data
// area maps onto the function's domain by Domain.ToPixel, the one formula
// the page shares) with its colour bar, and the figures a report downloads
// as PNG or SVG (LossFigure, AccuracyFigure, SweepFigure, CompareFigure,
// StepFigure, RangeTestFigure, TrajectoryFigure, FvsStepFigure,
// GradStepFigure, ConfusionFigure, WeightsFigure, LineChartFigure,
// LandscapeFigure, SharpnessFigure, DensityFigure, EigenvaluesFigure,
// written by Encode). Runs and trajectories take the page's colours
// (Palette), red is kept for divergence, legends sit beside the data, and
// ∇ and ‖ are drawn as paths so that ‖∇J‖ reads in every font.
//
// It is a library from plain data to figures: no HTTP, no storage. Labels
// come in English and Korean; Korean needs a font with Hangul (see
// KoreanFont and LoadKoreanFont) and falls back to English, saying so once
// in the log, when there is none. English figures use the Liberation fonts
// that gonum/plot embeds, so they look the same everywhere; the golden
// images in testdata rely on that (`go test -regen` rewrites them).
//
// What a figure shows (its data, words, colours and scale) is decided
// here; how it is drawn is internal/plotkit's, which knows nothing of
// Descent: ticks, the ∇/‖ text handler, glyphs, the sampled grid and its
// log transform, colour maps, heat map, contours, colour bar and layout.
// Imports run one way, figures → plotkit, and plotkit's names are exported
// to figures alone.
package figures
