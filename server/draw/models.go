// Package draw is the drawing panel on the server: a page's drawings are
// checked, queued (the newest replaces one that waits), preprocessed as MNIST
// was made, and answered by a run's snapshot or a saved model, never on a
// training goroutine. It also explains a picture (the derivatives behind the
// answer, with pooled mnist.Explainers), checks the gradient, and keeps each
// page's learn copies (mnist.Learner), whose steps its Workers carry out, the
// pages' in turn, within Limits; a kept copy joins the saved Models. Errors
// say "server:", as the server's own do.
package draw

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

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
// idle Predictors: the files of --models, and the learn copies that pages
// kept (LearnKeep), which live as long as the server. Every method may be
// called from any goroutine.
type Models struct {
	mu      sync.Mutex
	byName  map[string]*saved
	version atomic.Int64 // bumped on every keep and delete
}

type saved struct {
	model *mnist.Model
	pool  runs.PredictorPool
	info  protocol.ModelInfo
	owner uint64 // the page that kept it; 0 for a file of --models
}

// NewModels keeps models (which may be nil) for drawings.
func NewModels(models map[string]*mnist.Model) *Models {
	out := &Models{byName: make(map[string]*saved, len(models))}
	for name, m := range models {
		out.byName[name] = &saved{model: m, info: protocol.ModelInfo{Name: name, Arch: m.Arch, Meta: m.Meta, Download: DownloadPath(name)}}
	}
	return out
}

// DownloadPath is where a saved model's file downloads from.
func DownloadPath(name string) string {
	return "/api/export/model/" + url.PathEscape(name) + ModelExt
}

// Version changes whenever a model is kept or deleted.
func (ms *Models) Version() int64 { return ms.version.Load() }

// Infos lists the models by name, for Hello and Models.
func (ms *Models) Infos() []protocol.ModelInfo {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	out := []protocol.ModelInfo{}
	for _, m := range ms.byName {
		out = append(out, m.info)
	}
	slices.SortFunc(out, func(a, b protocol.ModelInfo) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// Model returns the model called name.
func (ms *Models) Model(name string) (*mnist.Model, bool) {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	m, ok := ms.byName[name]
	if !ok {
		return nil, false
	}
	return m.model, true
}

// Snapshot returns the model called name as a snapshot that answers
// drawings.
func (ms *Models) Snapshot(name string) (runs.Snapshot, error) {
	ms.mu.Lock()
	m, ok := ms.byName[name]
	ms.mu.Unlock()
	if !ok {
		return runs.Snapshot{}, protocol.Refuse(protocol.CodeUnknown, "model", "the name of a model in hello.models",
			"unknown model %q", name).With(name)
	}
	return runs.Snapshot{Model: m.model, Epoch: m.model.Meta.Epochs, Pool: &m.pool}, nil
}

// Keep adds a page's learn copy m as the model called name, unless the
// name is taken or max models are kept already; owner is the page.
func (ms *Models) Keep(name string, m *mnist.Model, from string, steps int, owner uint64, max int) (protocol.ModelInfo, error) {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	if _, ok := ms.byName[name]; ok {
		return protocol.ModelInfo{}, protocol.Refuse(protocol.CodeInvalid, "name", "a name that no model has (hello.models, models)",
			"a model called %q exists already", name).With(name)
	}
	kept := 0
	for _, s := range ms.byName {
		if s.info.Kept {
			kept++
		}
	}
	if kept >= max {
		return protocol.ModelInfo{}, protocol.Refuse(protocol.CodeLimit, "name", fmt.Sprintf("at most %d kept models (--max-kept)", max),
			"%d models are kept; delete one first (modelDelete)", kept)
	}
	info := protocol.ModelInfo{Name: name, Arch: m.Arch, Meta: m.Meta, Kept: true, From: from, Steps: steps, Download: DownloadPath(name)}
	ms.byName[name] = &saved{model: m, info: info, owner: owner}
	ms.version.Add(1)
	return info, nil
}

// Delete forgets the kept model called name: owner's (the page that kept
// it), or any with control.
func (ms *Models) Delete(name string, owner uint64, control bool) error {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	m, ok := ms.byName[name]
	switch {
	case !ok:
		return protocol.Refuse(protocol.CodeUnknown, "model", "the name of a kept model", "unknown model %q", name).With(name)
	case !m.info.Kept:
		return protocol.Refuse(protocol.CodeInvalid, "model", "a kept model; the files of --models stay", "model %q is a file of --models", name).With(name)
	case m.owner != owner && !control:
		return protocol.Refuse(protocol.CodeWatchOnly, "model", "a model this page kept", "model %q was kept by another page", name).With(name)
	}
	delete(ms.byName, name)
	ms.version.Add(1)
	return nil
}
