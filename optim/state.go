package optim

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// The state of a first-order method is its step counter t and its buffers (the
// momentum buffer b, Adagrad's sum s, RMSprop's v, ḡ and b, Adam's m, v and
// v̂). SaveState and LoadState write it to bytes and back, so that a run
// resumed from a checkpoint continues exactly as it would have gone on:
// θ, t and the buffers are everything that the next update reads.

// stateVersion is the version of SaveState's encoding.
const stateVersion = 1

// stateView names the pieces of a method's state: the step counter and the
// buffers in a fixed order, with size allocating them for n parameters.
type stateView[T Float] struct {
	t    *int
	bufs []*[]T
	size func(n int)
}

// view returns the state of the methods that have one.
func view[T Float](m Method[T]) (stateView[T], error) {
	switch o := m.(type) {
	case *SGD[T]:
		return stateView[T]{t: &o.steps, bufs: []*[]T{&o.buf}, size: o.size}, nil
	case *Adagrad[T]:
		return stateView[T]{t: &o.t, bufs: []*[]T{&o.sum}, size: o.size}, nil
	case *RMSprop[T]:
		return stateView[T]{t: &o.steps, bufs: []*[]T{&o.sq, &o.avg, &o.buf}, size: o.size}, nil
	case *Adam[T]:
		return stateView[T]{t: &o.t, bufs: []*[]T{&o.m, &o.v, &o.vmax}, size: o.size}, nil
	case *AdamW[T]:
		return view[T](&o.Adam)
	}
	return stateView[T]{}, fmt.Errorf("optim: %s has no state to save", m.Name())
}

// SaveState encodes m's step counter and buffers.
func SaveState[T Float](m Method[T]) ([]byte, error) {
	v, err := view(m)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString("OPTS")
	w := func(x any) { binary.Write(&b, binary.LittleEndian, x) }
	w(uint32(stateVersion))
	w(uint32(len(m.Name())))
	b.WriteString(m.Name())
	w(int64(*v.t))
	w(uint32(len(v.bufs)))
	for _, buf := range v.bufs {
		w(uint64(len(*buf)))
		w(*buf)
	}
	return b.Bytes(), nil
}

// LoadState restores a state that SaveState wrote for a method of the same
// name and precision, for n parameters.
func LoadState[T Float](m Method[T], data []byte, n int) error {
	v, err := view(m)
	if err != nil {
		return err
	}
	if err := readState(bytes.NewReader(data), m.Name(), v, n); err != nil {
		return fmt.Errorf("optim: loading %s state: %w", m.Name(), err)
	}
	return nil
}

func readState[T Float](r *bytes.Reader, name string, v stateView[T], n int) error {
	var magic [4]byte
	var version, nameLen, nbufs uint32
	var t int64
	rd := func(x any) error { return binary.Read(r, binary.LittleEndian, x) }
	if err := errors.Join(rd(&magic), rd(&version), rd(&nameLen)); err != nil || string(magic[:]) != "OPTS" {
		return errors.New("not an optimizer state")
	}
	if version != stateVersion || nameLen > 64 {
		return fmt.Errorf("state version %d, want %d", version, stateVersion)
	}
	got := make([]byte, nameLen)
	if _, err := r.Read(got); err != nil || string(got) != name {
		return fmt.Errorf("state is for %q", got)
	}
	if err := errors.Join(rd(&t), rd(&nbufs)); err != nil || int(nbufs) != len(v.bufs) || t < 0 {
		return errors.New("corrupt state header")
	}
	v.size(n)
	for _, buf := range v.bufs {
		var l uint64
		if err := rd(&l); err != nil {
			return errors.New("truncated state")
		}
		if l == 0 {
			continue
		}
		if l != uint64(len(*buf)) {
			return fmt.Errorf("state buffer of %d values, want %d", l, len(*buf))
		}
		if err := rd(*buf); err != nil {
			return errors.New("truncated state")
		}
	}
	*v.t = int(t)
	return nil
}
