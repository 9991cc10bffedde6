package mnist

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"

	"descent/optim"
)

// Model is a trained network's shape and weights, immutable once made. It is
// what a snapshot, a model file and the drawing panel's predictions use.
type Model struct {
	Arch   Arch
	Params []float32
	Meta   ModelMeta
}

// ModelMeta describes how a model was trained; every field is optional.
type ModelMeta struct {
	Optimizer    string  `json:"optimizer,omitempty"`
	LR           float64 `json:"lr,omitempty"`
	Batch        int     `json:"batch,omitempty"`
	Epochs       int     `json:"epochs,omitempty"`
	Seed         uint64  `json:"seed,omitempty"`
	TestAccuracy float64 `json:"testAccuracy,omitempty"`
}

// Model copies the network's current weights into a Model.
func (n *Net[T]) Model() *Model {
	m := &Model{Arch: n.Arch, Params: make([]float32, len(n.Params))}
	for i, v := range n.Params {
		m.Params[i] = float32(v)
	}
	return m
}

// NetFrom returns a network that holds a copy of m's weights.
func NetFrom[T optim.Float](m *Model) (*Net[T], error) {
	if err := m.Arch.Validate(); err != nil {
		return nil, err
	}
	if len(m.Params) != m.Arch.NumParams() {
		return nil, fmt.Errorf("mnist: model has %d parameters, %s needs %d", len(m.Params), m.Arch, m.Arch.NumParams())
	}
	n := newNet[T](m.Arch)
	for i, v := range m.Params {
		n.Params[i] = T(v)
	}
	return n, nil
}

// The model file format, version 1. All integers are little-endian.
//
//	magic    8 bytes  "DESCENT\n"
//	version  uint32   1
//	hlen     uint32   length of the header
//	header   hlen bytes of JSON: {"arch": {"hidden": [100], "activation": "sigmoid"},
//	                              "params": 79510, "dtype": "float32", "meta": {…}}
//	params   header.params float32 values: W₁ (out×in, row-major), b₁, W₂, b₂, …
//	crc      uint32   CRC-32 (IEEE) of every byte before it
const (
	modelMagic   = "DESCENT\n"
	ModelVersion = 1
	maxHeaderLen = 1 << 16
)

type modelHeader struct {
	Arch   Arch      `json:"arch"`
	Params int       `json:"params"`
	DType  string    `json:"dtype"`
	Meta   ModelMeta `json:"meta"`
}

// WriteTo writes m in the model file format.
func (m *Model) WriteTo(w io.Writer) (int64, error) {
	header, err := json.Marshal(modelHeader{Arch: m.Arch, Params: len(m.Params), DType: "float32", Meta: m.Meta})
	if err != nil {
		return 0, fmt.Errorf("mnist: %w", err)
	}
	var buf bytes.Buffer
	buf.WriteString(modelMagic)
	binary.Write(&buf, binary.LittleEndian, uint32(ModelVersion))
	binary.Write(&buf, binary.LittleEndian, uint32(len(header)))
	buf.Write(header)
	binary.Write(&buf, binary.LittleEndian, m.Params)
	binary.Write(&buf, binary.LittleEndian, crc32.ChecksumIEEE(buf.Bytes()))
	return buf.WriteTo(w)
}

// Save writes m to path, through a temporary file so that a failed write never
// leaves half a model behind.
func (m *Model) Save(path string) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("mnist: %w", err)
	}
	_, err = m.WriteTo(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("mnist: saving model: %w", err)
	}
	return nil
}

// LoadModel reads a model file written by Save.
func LoadModel(path string) (*Model, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("mnist: %w", err)
	}
	m, err := ParseModel(data)
	if err != nil {
		return nil, fmt.Errorf("mnist: %s: %w", path, err)
	}
	return m, nil
}

// ParseModel decodes a model file held in memory. It checks the magic, the
// version, the checksum and that the weights fit the shape in the header.
func ParseModel(data []byte) (*Model, error) {
	const fixed = len(modelMagic) + 8
	if len(data) < fixed+4 || string(data[:len(modelMagic)]) != modelMagic {
		return nil, errors.New("not a descent model file (bad magic)")
	}
	if v := binary.LittleEndian.Uint32(data[8:]); v != ModelVersion {
		return nil, fmt.Errorf("model file version %d, this build reads version %d", v, ModelVersion)
	}
	hlen := int(binary.LittleEndian.Uint32(data[12:]))
	if hlen > maxHeaderLen || fixed+hlen+4 > len(data) {
		return nil, fmt.Errorf("truncated or corrupt header (%d bytes claimed)", hlen)
	}
	body, sum := data[:len(data)-4], binary.LittleEndian.Uint32(data[len(data)-4:])
	if crc32.ChecksumIEEE(body) != sum {
		return nil, errors.New("checksum mismatch: the file is truncated or corrupt")
	}
	var h modelHeader
	if err := json.Unmarshal(data[fixed:fixed+hlen], &h); err != nil {
		return nil, fmt.Errorf("corrupt header: %v", err)
	}
	if err := h.Arch.Validate(); err != nil {
		return nil, err
	}
	if h.DType != "float32" || h.Params != h.Arch.NumParams() {
		return nil, fmt.Errorf("header says %d %s parameters, %s needs %d float32", h.Params, h.DType, h.Arch, h.Arch.NumParams())
	}
	raw := body[fixed+hlen:]
	if len(raw) != 4*h.Params {
		return nil, fmt.Errorf("%d bytes of weights, want %d", len(raw), 4*h.Params)
	}
	m := &Model{Arch: h.Arch, Params: make([]float32, h.Params), Meta: h.Meta}
	for i := range m.Params {
		m.Params[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
	}
	return m, nil
}
