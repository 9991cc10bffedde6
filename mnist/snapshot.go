package mnist

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
)

// Snapshot is one point of a training path: the weights θ after Step, kept
// as the change from the initial weights, u = θ − θ₀, in 16 bits with one
// scale per filter (each row of every W_l, and each layer's bias vector):
//
//	u ≈ q·s,  s = max|u_filter| / 32767,  q = round(u/s) ∈ [−32767, 32767],
//
// so every value is off by at most s/2, a 65534th of its filter's largest
// change. Per filter, not per snapshot, because the layers move by different
// amounts. A snapshot takes half the memory of the float32 weights, so a path
// holds twice the points in its budget. Snapshots are immutable.
type Snapshot struct {
	Step  int
	scale []float32 // per filter
	q     []int16   // per parameter, in the slab layout
}

// filter is one run of the slab that shares a scale.
type filter struct{ lo, hi int }

// filters lists the slab's filters in order: each row of W_l, then b_l.
func filters(a Arch) []filter {
	var fs []filter
	for _, ly := range layout(a) {
		for r := range ly.out {
			fs = append(fs, filter{ly.w + r*ly.in, ly.w + (r+1)*ly.in})
		}
		fs = append(fs, filter{ly.b, ly.b + ly.out})
	}
	return fs
}

// quantize makes the snapshot of θ at step, relative to θ₀. It runs for
// every kept step of a training run, so it is written for speed (about a
// third of the time of a plain float64 version, under a training step of
// the report's network): float32 differences (exact to 6·10⁻⁸ of the
// change, far below the 16 bits kept), a branch-free |·| (the signs of a
// change are random, a branch on them mispredicts half the time), and
// round-half-even by the float32 trick x + 1.5·2²³, whose low mantissa bits
// are then round(x) for |x| < 2²².
func quantize(fs []filter, theta0, theta []float32, step int) *Snapshot {
	s := &Snapshot{Step: step, scale: make([]float32, len(fs)), q: make([]int16, len(theta))}
	for k, f := range fs {
		t0, t := theta0[f.lo:f.hi], theta[f.lo:f.hi]
		t = t[:len(t0)]
		var m float32
		for i, v := range t {
			if d := math.Float32frombits(math.Float32bits(v-t0[i]) &^ (1 << 31)); d > m {
				m = d
			}
		}
		if m == 0 {
			continue
		}
		sc := float32(float64(m) / 32767)
		s.scale[k] = sc
		inv := 1 / sc
		q := s.q[f.lo:f.hi]
		q = q[:len(t0)]
		for i, v := range t {
			r := int32(math.Float32bits((v-t0[i])*inv+roundMagic)) - roundMagicBits
			q[i] = int16(max(-32767, min(32767, r)))
		}
	}
	return s
}

// roundMagic is 1.5·2²³: adding it to a float32 x with |x| < 2²² leaves
// round-half-even(x) in the low bits of the sum, which minus roundMagicBits
// is that integer.
const (
	roundMagic     = 12582912
	roundMagicBits = 0x4B400000
)

// delta writes u = θ − θ₀ for the parameters [lo, hi) into dst[:hi−lo].
func (s *Snapshot) delta(fs []filter, dst []float32, lo, hi int) {
	for k, f := range fs {
		a, b := max(f.lo, lo), min(f.hi, hi)
		if a >= b {
			continue
		}
		sc := s.scale[k]
		for i := a; i < b; i++ {
			dst[i-lo] = float32(s.q[i]) * sc
		}
	}
}

// Weights returns the snapshot's θ = θ₀ + u, given the path's θ₀.
func (s *Snapshot) Weights(arch Arch, theta0 []float32) []float32 {
	th := make([]float32, len(s.q))
	s.delta(filters(arch), th, 0, len(th))
	for i := range th {
		th[i] += theta0[i]
	}
	return th
}

// Size is the memory a snapshot takes, in bytes.
func (s *Snapshot) Size() int { return snapshotSize(len(s.q), len(s.scale)) }

func snapshotSize(params, filters int) int { return 2*params + 4*filters + 64 }

// The snapshot encoding, version 1, little-endian:
//
//	magic    4 bytes "DSNP"
//	version  uint32  1
//	step     uint64
//	params   uint32  the parameters of the network
//	filters  uint32  the scales that follow
//	scales   filters float32, each finite and ≥ 0
//	q        params int16
//	crc      uint32  CRC-32 (IEEE) of every byte before it
const (
	snapMagic   = "DSNP"
	snapVersion = 1
	snapHeader  = 4 + 4 + 8 + 4 + 4
)

// MarshalBinary encodes the snapshot for a run store.
func (s *Snapshot) MarshalBinary() ([]byte, error) {
	b := make([]byte, 0, snapHeader+4*len(s.scale)+2*len(s.q)+4)
	b = append(b, snapMagic...)
	b = binary.LittleEndian.AppendUint32(b, snapVersion)
	b = binary.LittleEndian.AppendUint64(b, uint64(s.Step))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(s.q)))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(s.scale)))
	for _, v := range s.scale {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
	}
	for _, v := range s.q {
		b = binary.LittleEndian.AppendUint16(b, uint16(v))
	}
	return binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(b)), nil
}

// ParseSnapshot decodes a snapshot written by MarshalBinary for a network
// of shape arch. It checks the magic, the version, the checksum, and that
// the sizes fit arch.
func ParseSnapshot(arch Arch, data []byte) (*Snapshot, error) {
	if len(data) < snapHeader+4 || string(data[:4]) != snapMagic {
		return nil, errors.New("mnist: not a path snapshot (bad magic)")
	}
	le := binary.LittleEndian
	if v := le.Uint32(data[4:]); v != snapVersion {
		return nil, fmt.Errorf("mnist: path snapshot version %d, this build reads version %d", v, snapVersion)
	}
	body := data[:len(data)-4]
	if crc32.ChecksumIEEE(body) != le.Uint32(data[len(data)-4:]) {
		return nil, errors.New("mnist: path snapshot checksum mismatch: truncated or corrupt")
	}
	step, params, nf := le.Uint64(data[8:]), int(le.Uint32(data[16:])), int(le.Uint32(data[20:]))
	if err := arch.Validate(); err != nil {
		return nil, err
	}
	if params != arch.NumParams() || nf != len(filters(arch)) || step > math.MaxInt32 {
		return nil, fmt.Errorf("mnist: path snapshot of %d parameters and %d filters at step %d does not fit %s",
			params, nf, step, arch)
	}
	if len(body) != snapHeader+4*nf+2*params {
		return nil, fmt.Errorf("mnist: path snapshot holds %d bytes, want %d", len(body), snapHeader+4*nf+2*params)
	}
	s := &Snapshot{Step: int(step), scale: make([]float32, nf), q: make([]int16, params)}
	for k := range s.scale {
		v := math.Float32frombits(le.Uint32(body[snapHeader+4*k:]))
		if !(v >= 0) || math.IsInf(float64(v), 0) {
			return nil, fmt.Errorf("mnist: path snapshot scale %d is %g", k, v)
		}
		s.scale[k] = v
	}
	off := snapHeader + 4*nf
	for i := range s.q {
		s.q[i] = int16(le.Uint16(body[off+2*i:]))
	}
	return s, nil
}
