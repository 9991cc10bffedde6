package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"descent/optim"
	"descent/server/figures"
)

// trajFigure runs the trajectories to the end and draws them over the
// function's surface, with a legend, into path (.png at 2× or .svg).
func trajFigure(path, lang string, r *optim.Runner, fn optim.Function, start [2]float64, steps int, cfgs []optim.Config) error {
	var its []optim.Iterate
	r.Run(func(it optim.Iterate) { its = append(its, it) })
	labels := make([]string, len(cfgs))
	for i, c := range cfgs {
		labels[i] = c.Method
		if lr, ok := c.Params["lr"]; ok {
			labels[i] += fmt.Sprintf(" α=%g", lr)
		}
	}
	trajs := figures.TrajectoriesFrom(its, labels)
	caption := fmt.Sprintf("%s from (%g, %g), at most %d steps", fn.Title, start[0], start[1], steps)
	title := fn.Title + ": " + fn.Formula
	fig, err := figures.TrajectoryFigure(fn, figures.DomainOf(fn), trajs, figures.Meta{
		Title: title, TitleEN: title, Caption: caption, CaptionEN: caption, Lang: lang})
	if err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	format := strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
	err = figures.Encode(f, fig, format, figures.DefaultWidth*2, figures.DefaultHeight*2, format == "png")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
