// Package draw is the drawing panel on the server: a page's drawings are
// checked, queued (the newest replaces one that waits), preprocessed as MNIST
// was made, and answered by a run's snapshot or a saved model, never on a
// training goroutine. Errors say "server:", as the server's own do.
package draw

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"descent/mnist"
	"descent/server/protocol"
	"descent/server/runs"
)

// ModelExt is the extension of the model files that LoadModels reads.
const ModelExt = ".descent"

// LoadModels reads every model file (*.descent) in dir, by file name without
// the extension: saved networks that answer drawings beside the runs. A file
// that does not load is an error that names it.
func LoadModels(dir string) (map[string]*mnist.Model, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*"+ModelExt))
	if err != nil {
		return nil, fmt.Errorf("server: models in %s: %w", dir, err)
	}
	if len(paths) == 0 {
		if _, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("server: models: %w", err)
		}
	}
	models := make(map[string]*mnist.Model, len(paths))
	for _, p := range paths {
		m, err := mnist.LoadModel(p)
		if err != nil {
			return nil, fmt.Errorf("server: model %s: %w", p, err)
		}
		models[strings.TrimSuffix(filepath.Base(p), ModelExt)] = m
	}
	return models, nil
}

// Models are the saved models that answer drawings, by name, each with its
// idle Predictors.
type Models struct {
	byName map[string]*saved
}

type saved struct {
	model *mnist.Model
	pool  runs.PredictorPool
}

// NewModels keeps models (which may be nil) for drawings.
func NewModels(models map[string]*mnist.Model) *Models {
	out := &Models{byName: make(map[string]*saved, len(models))}
	for name, m := range models {
		out.byName[name] = &saved{model: m}
	}
	return out
}

// Infos lists the models by name, for Hello.
func (ms *Models) Infos() []protocol.ModelInfo {
	out := []protocol.ModelInfo{}
	for name, m := range ms.byName {
		out = append(out, protocol.ModelInfo{Name: name, Arch: m.model.Arch, Meta: m.model.Meta})
	}
	slices.SortFunc(out, func(a, b protocol.ModelInfo) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// Snapshot returns the model called name as a snapshot that answers
// drawings.
func (ms *Models) Snapshot(name string) (runs.Snapshot, error) {
	m, ok := ms.byName[name]
	if !ok {
		return runs.Snapshot{}, protocol.Refuse(protocol.CodeUnknown, "model", "the name of a model in hello.models",
			"unknown model %q", name).With(name)
	}
	return runs.Snapshot{Model: m.model, Epoch: m.model.Meta.Epochs, Pool: &m.pool}, nil
}
