package server

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"descent/mnist"
)

// ModelExt is the extension of the model files that LoadModels reads.
const ModelExt = ".descent"

// LoadModels reads every model file (*.descent) in dir, by file name without
// the extension, for Config.Models: saved networks that answer drawings
// beside the runs. A file that does not load is an error that names it.
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

// savedModel is a model from Config.Models, with its idle Predictors.
type savedModel struct {
	model *mnist.Model
	pool  predictorPool
}

func savedModels(models map[string]*mnist.Model) map[string]*savedModel {
	out := make(map[string]*savedModel, len(models))
	for name, m := range models {
		out[name] = &savedModel{model: m}
	}
	return out
}

// modelInfos lists the saved models by name, for Hello.
func (s *Server) modelInfos() []ModelInfo {
	out := []ModelInfo{}
	for name, m := range s.models {
		out = append(out, ModelInfo{Name: name, Arch: m.model.Arch, Meta: m.model.Meta})
	}
	slices.SortFunc(out, func(a, b ModelInfo) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// savedModel returns the saved model that answers a drawing.
func (s *Server) savedModel(name string) (*savedModel, error) {
	m, ok := s.models[name]
	if !ok {
		return nil, fieldErr("model", "the name of a model in hello.models", "unknown model %q", name)
	}
	return m, nil
}
