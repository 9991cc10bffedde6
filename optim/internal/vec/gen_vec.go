//go:build ignore

// gen_vec writes the amd64 update kernels (vec_avx512_amd64.s,
// vec_avx2_amd64.s) and their Go declarations (vec_decl_amd64.go).
//
// Run it with `go generate` in this directory (`make generate` at the
// top); -dir writes the files elsewhere, which TestGeneratedFiles uses to
// check that the committed ones are what it writes.
//
// Every kernel has the signature func(f *frame) and walks f.n elements of
// the slices in f, one vector at a time, with the same float32 operations
// in the same order as the Go loops of portable.go. The variants of a
// kernel (weight decay, Nesterov, …) are branches on f.flags inside the
// loop: they are taken the same way on every iteration, so they cost
// next to nothing. The norms are accumulated in float64: each half vector
// is widened with VCVTPS2PD and squared into its own accumulator by an
// FMA (the square of a float32 is exact in float64).
//
// AVX-512 does the last n mod 16 elements with a masked vector (the
// inactive lanes are loaded as 0 and their results zeroed before they
// reach the norms); AVX2 handles only multiples of 8 and leaves the rest
// to the Go loop.
//
// Registers: accumulators 0–5 (‖g‖², ‖Δθ‖², ‖θ‖², low and high halves),
// norm temporaries 6–7, work registers 8–15, and (AVX-512) the constants
// in 16–24; AVX2 reads the constants from f.k as memory operands.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"log"
	"os"
	"path/filepath"
)

// Offsets in frame (checked by TestFrameLayout).
const (
	offTheta = 0
	offGrad  = 24
	offS1    = 48
	offS2    = 72
	offS3    = 96
	offN     = 120
	offFlags = 128
	offNorms = 136
	offK     = 160
)

// Flag bits, as in vec.go.
const (
	flagWD = 1 << iota
	flagFirst
	flagNesterov
	flagCentered
	flagMomentum
	flagDecoupled
	flagAMSGrad
)

// Work registers.
const (
	rP  = 8  // θ before the step
	rG  = 9  // the raw gradient
	rGw = 10 // the gradient with weight decay
	rR  = 11 // θ after the step
)

// Pointer registers of the slices, and the byte index.
const (
	pTheta = "DI"
	pGrad  = "SI"
	pS1    = "R10"
	pS2    = "R11"
	pS3    = "R12"
)

type isa struct {
	name   string // symbol suffix
	file   string
	reg    string // "Z" or "Y"
	half   string // register of half a vector: "Y" or "X"
	lanes  int
	avx512 bool
}

var isas = []isa{
	{name: "512", file: "vec_avx512_amd64.s", reg: "Z", half: "Y", lanes: 16, avx512: true},
	{name: "256", file: "vec_avx2_amd64.s", reg: "Y", half: "X", lanes: 8},
}

// em emits one kernel.
type em struct {
	bytes.Buffer
	isa
	masked bool // emitting the masked last vector
	labels int
}

func (e *em) op(format string, args ...any) { fmt.Fprintf(e, "\t"+format+"\n", args...) }

func (e *em) label(l string) { fmt.Fprintf(e, "%s:\n", l) }

func (e *em) v(i int) string { return fmt.Sprintf("%s%d", e.reg, i) }
func (e *em) h(i int) string { return fmt.Sprintf("%s%d", e.half, i) }

// k is constant i: a register (AVX-512) or f.k[i] in memory (AVX2).
func (e *em) k(i int) string {
	if e.avx512 {
		return e.v(16 + i)
	}
	return fmt.Sprintf("%d(R8)", offK+32*i)
}

// kreg is constant i in a register, loaded into tmp on AVX2.
func (e *em) kreg(i, tmp int) string {
	if e.avx512 {
		return e.k(i)
	}
	e.op("VMOVUPS %s, %s", e.k(i), e.v(tmp))
	return e.v(tmp)
}

func addr(ptr string, off int) string {
	if off == 0 {
		return fmt.Sprintf("(%s)(AX*1)", ptr)
	}
	return fmt.Sprintf("%d(%s)(AX*1)", off, ptr)
}

func (e *em) load(ptr string, dst int) {
	if e.masked {
		e.op("VMOVUPS.Z %s, K1, %s", addr(ptr, 0), e.v(dst))
		return
	}
	e.op("VMOVUPS %s, %s", addr(ptr, 0), e.v(dst))
}

func (e *em) store(src int, ptr string) {
	if e.masked {
		e.op("VMOVUPS %s, K1, %s", e.v(src), addr(ptr, 0))
		return
	}
	e.op("VMOVUPS %s, %s", e.v(src), addr(ptr, 0))
}

func (e *em) mov(src, dst int) { e.op("VMOVAPS %s, %s", e.v(src), e.v(dst)) }

// ifFlag emits then() for the iterations where bit is set in DX, and
// otherwise() (if not nil) for the others.
func (e *em) ifFlag(bit int, then, otherwise func()) {
	e.labels++
	skip, done := fmt.Sprintf("no%d", e.labels), fmt.Sprintf("fi%d", e.labels)
	e.op("TESTQ $%d, DX", bit)
	e.op("JEQ %s", skip)
	then()
	if otherwise != nil {
		e.op("JMP %s", done)
	}
	e.label(skip)
	if otherwise != nil {
		otherwise()
		e.label(done)
	}
}

// decay sets Gw to g + λθ (flag WD) or g.
func (e *em) decay() {
	e.mov(rG, rGw)
	e.ifFlag(flagWD, e.addDecay, nil)
}

// addDecay adds λθ to Gw, λ as the float32 pair λhi + λlo (constants 1
// and kLo).
func (e *em) addDecay() {
	e.op("VFMADD231PS %s, %s, %s", e.k(1), e.v(rP), e.v(rGw))
	e.op("VFMADD231PS %s, %s, %s", e.k(kLo), e.v(rP), e.v(rGw))
}

// lo widens the low half of x (a register, or memory at ptr) into dst.
func (e *em) lo(x int, ptr string, dst int) {
	if ptr != "" && !e.masked {
		e.op("VCVTPS2PD %s, %s", addr(ptr, 0), e.v(dst))
		return
	}
	e.op("VCVTPS2PD %s, %s", e.h(x), e.v(dst))
}

// hi widens the high half of x (a register, or memory at ptr) into dst.
func (e *em) hi(x int, ptr string, dst int) {
	if ptr != "" && !e.masked {
		e.op("VCVTPS2PD %s, %s", addr(ptr, 2*e.lanes), e.v(dst))
		return
	}
	if e.avx512 {
		e.op("VEXTRACTF32X8 $1, %s, %s", e.v(x), e.h(dst))
	} else {
		e.op("VEXTRACTF128 $1, %s, %s", e.v(x), e.h(dst))
	}
	e.op("VCVTPS2PD %s, %s", e.h(dst), e.v(dst))
}

// sq adds the square of the doubles in t to accumulator acc.
func (e *em) sq(t, acc int) { e.op("VFMADD231PD %s, %s, %s", e.v(t), e.v(t), e.v(acc)) }

// finish accumulates the norms of the raw gradient, θ before (P) and θ
// after (R), and stores R to θ. The memory forms read g and θ before the
// store; the masked form uses the zero-filled registers.
func (e *em) finish() {
	if e.masked {
		e.op("VMOVAPS.Z %s, K1, %s", e.v(rR), e.v(rR))
	}
	e.lo(rG, pGrad, 6)
	e.sq(6, 0)
	e.hi(rG, pGrad, 6)
	e.sq(6, 1)
	for i, half := range []func(int, string, int){e.lo, e.hi} {
		half(rR, "", 6)
		e.sq(6, 4+i)
		half(rP, pTheta, 7)
		e.op("VSUBPD %s, %s, %s", e.v(7), e.v(6), e.v(6))
		e.sq(6, 2+i)
	}
	e.store(rR, pTheta)
}

// nconst is the number of constants in frame.k; the last, kLo, is the low
// half of the weight decay λ.
const (
	nconst = 10
	kLo    = nconst - 1
)

func (e *em) emit(k kernel) {
	sym := k.name + e.name
	fmt.Fprintf(e, "\n// func %s(f *frame)\nTEXT ·%s(SB), NOSPLIT, $0-8\n", sym, sym)
	e.op("MOVQ f+0(FP), R8")
	for _, r := range []struct {
		reg string
		off int
	}{{pTheta, offTheta}, {pGrad, offGrad}, {pS1, offS1}, {pS2, offS2}, {pS3, offS3}, {"CX", offN}, {"DX", offFlags}} {
		e.op("MOVQ %d(R8), %s", r.off, r.reg)
	}
	if e.avx512 {
		for i := 0; i < nconst; i++ {
			e.op("VBROADCASTSS %d(R8), %s", offK+32*i, e.v(16+i))
		}
	}
	for i := 0; i < 6; i++ {
		e.op("VXORPD %s, %s, %s", e.v(i), e.v(i), e.v(i))
	}
	e.op("XORQ AX, AX")
	e.op("MOVQ CX, BX")
	e.op("ANDQ $-%d, BX", e.lanes)
	e.op("SHLQ $2, BX")
	e.op("JEQ tail")
	e.label("loop")
	k.body(e)
	e.op("ADDQ $%d, AX", 4*e.lanes)
	e.op("CMPQ AX, BX")
	e.op("JLT loop")
	e.label("tail")
	if e.avx512 {
		e.op("ANDQ $%d, CX", e.lanes-1)
		e.op("JEQ reduce")
		e.op("MOVL $1, BX")
		e.op("SHLL CX, BX")
		e.op("DECL BX")
		e.op("KMOVW BX, K1")
		e.masked = true
		k.body(e)
		e.masked = false
	}
	e.label("reduce")
	for i := 0; i < 3; i++ {
		a, b := e.v(2*i), e.v(2*i+1)
		e.op("VADDPD %s, %s, %s", b, a, a)
		if e.avx512 {
			e.op("VEXTRACTF64X4 $1, %s, Y6", a)
			e.op("VADDPD Y6, Y%d, Y%d", 2*i, 2*i)
		}
		e.op("VEXTRACTF128 $1, Y%d, X6", 2*i)
		e.op("VADDPD X6, X%d, X%d", 2*i, 2*i)
		e.op("VPERMILPD $1, X%d, X6", 2*i)
		e.op("VADDSD X6, X%d, X%d", 2*i, 2*i)
		e.op("VMOVSD X%d, %d(R8)", 2*i, offNorms+8*i)
	}
	e.op("VZEROUPPER")
	e.op("RET")
}

const header = "// Code generated by gen_vec.go; DO NOT EDIT.\n\n"

var dir = flag.String("dir", ".", "folder to write the generated files into")

func main() {
	flag.Parse()
	for _, s := range isas {
		e := &em{isa: s}
		e.WriteString(header + "//go:build !purego\n\n#include \"textflag.h\"\n")
		for _, k := range kernels {
			e.emit(k)
		}
		if err := os.WriteFile(filepath.Join(*dir, s.file), e.Bytes(), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	var b bytes.Buffer
	b.WriteString(header + "//go:build !purego\n\npackage vec\n")
	for _, s := range isas {
		for _, k := range kernels {
			fmt.Fprintf(&b, "\n//go:noescape\nfunc %s%s(f *frame)\n", k.name, s.name)
		}
	}
	// A direct call keeps f on the caller's stack: through a func value
	// escape analysis could not see the noescape.
	b.WriteString("\n// call runs kernel k of the AVX-512 (wide) or the AVX2 assembly on f.\nfunc call(wide bool, k kernel, f *frame) {\n")
	for _, s := range []string{"512", "256"} {
		if s == "512" {
			b.WriteString("\tif wide {\n")
		}
		b.WriteString("\tswitch k {\n")
		for _, k := range kernels {
			fmt.Fprintf(&b, "\tcase k%s:\n\t\t%s%s(f)\n", k.kind, k.name, s)
		}
		b.WriteString("\t}\n")
		if s == "512" {
			b.WriteString("\treturn\n\t}\n")
		}
	}
	b.WriteString("}\n")
	src, err := format.Source(b.Bytes())
	if err != nil {
		log.Fatal(err)
	}
	b.Reset()
	b.Write(src)
	if err := os.WriteFile(filepath.Join(*dir, "vec_decl_amd64.go"), b.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}
