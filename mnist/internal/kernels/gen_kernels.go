//go:build ignore

// gen_kernels writes the amd64 GEMM micro-kernels (kern_avx512_amd64.s,
// kern_avx2_amd64.s) and their Go declarations (kern_decl_amd64.go).
//
// Run it with `go generate` in this directory (`make generate` at the
// top); -dir writes the files elsewhere, which TestGeneratedFiles uses to
// check that the committed ones are what it writes.
//
// Every kernel computes one register tile C[0:mr, 0:w] of
//
//	C = alpha·Σ_p A(i,p)·B(p,j) + beta·C    (beta == 0: C is not read)
//
// with the signature
//
//	func(k int, a *float32, lda int, b *float32, ldb int,
//		c *float32, ldc int, alpha, beta float32, rem int)
//
// A(i,p) is a[i*lda+p] for the "n" kernels (A not transposed) and
// a[p*lda+i] for the "t" kernels (A transposed). B(p,j) is b[p*ldb+j].
// The tile is nv vectors wide; rem (1..lanes) is the number of valid
// lanes in the last vector, the other lanes are neither read nor written.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"log"
	"os"
	"path/filepath"
	"strings"
)

var dir = flag.String("dir", ".", "folder to write the generated files into")

// isa describes one instruction set flavour of the kernels.
type isa struct {
	name   string // symbol prefix
	file   string
	reg    string // "Z" or "Y"
	lanes  int    // float32 lanes per vector
	maxMR  int    // rows of the largest tile
	maxNV  int    // vectors of the widest tile
	bReg   int    // first of the nv B registers
	bcast  int    // broadcast register
	masked []bool // variants: masked last vector or not
}

var isas = []isa{
	{name: "k512", file: "kern_avx512_amd64.s", reg: "Z", lanes: 16, maxMR: 14, maxNV: 2,
		bReg: 28, bcast: 30, masked: []bool{true}},
	{name: "k256", file: "kern_avx2_amd64.s", reg: "Y", lanes: 8, maxMR: 6, maxNV: 2,
		bReg: 12, bcast: 14, masked: []bool{false, true}},
}

const unroll = 4

// gen accumulates assembly text.
type gen struct{ bytes.Buffer }

func (g *gen) op(format string, args ...any) { fmt.Fprintf(g, "\t"+format+"\n", args...) }

func (g *gen) label(l string) { fmt.Fprintf(g, "%s:\n", l) }

// kernel describes one generated micro-kernel.
type kernel struct {
	isa    isa
	trans  bool // A transposed
	mr, nv int
	masked bool
}

func (k kernel) name() string {
	t := "n"
	if k.trans {
		t = "t"
	}
	m := ""
	if k.masked && k.isa.name == "k256" {
		m = "m"
	}
	return fmt.Sprintf("%s%s%dx%d%s", k.isa.name, t, k.mr, k.nv, m)
}

func (k kernel) v(i int) string      { return fmt.Sprintf("%s%d", k.isa.reg, i) }
func (k kernel) acc(i, j int) string { return k.v(i*k.nv + j) }
func (k kernel) vbytes() int         { return 4 * k.isa.lanes }
func (k kernel) avx512() bool        { return k.isa.reg == "Z" }

// aAddr is the address of A(i, p0+u) relative to the running pointers.
//
// n kernels: rows in groups of five share a base register (AX, R10, R11)
// and are reached through R8 = lda bytes and R9 = 3·lda bytes.
// t kernels: row i is at displacement 4i, step u through R8/R9.
func (k kernel) aAddr(i, u int) string {
	if k.trans {
		return fmt.Sprintf("%d%s", 4*i, step("AX", u))
	}
	base := []string{"AX", "R10", "R11"}[i/5]
	idx := []string{"", "(R8*1)", "(R8*2)", "(R9*1)", "(R8*4)"}[i%5]
	return fmt.Sprintf("%d(%s)%s", 4*u, base, idx)
}

// step addresses element u of a stride held in R8 (A) or R12 (B).
func step(base string, u int) string {
	s, t := "R8", "R9"
	if base == "BX" {
		s, t = "R12", "R13"
	}
	return fmt.Sprintf("(%s)%s", base, []string{"", "(" + s + "*1)", "(" + s + "*2)", "(" + t + "*1)"}[u])
}

func (k kernel) masklast(j int) bool { return k.masked && j == k.nv-1 }

// loadB loads the nv vectors of B row p0+u.
func (k kernel) loadB(g *gen, u int) {
	for j := 0; j < k.nv; j++ {
		addr := fmt.Sprintf("%d%s", j*k.vbytes(), step("BX", u))
		dst := k.v(k.isa.bReg + j)
		switch {
		case !k.masklast(j):
			g.op("VMOVUPS %s, %s", addr, dst)
		case k.avx512():
			g.op("VMOVUPS.Z %s, K1, %s", addr, dst)
		default:
			g.op("VMASKMOVPS %s, Y15, %s", addr, dst)
		}
	}
}

// step emits the FMAs of one p step.
func (k kernel) fmaStep(g *gen, u int) {
	k.loadB(g, u)
	bc := k.v(k.isa.bcast)
	for i := 0; i < k.mr; i++ {
		g.op("VBROADCASTSS %s, %s", k.aAddr(i, u), bc)
		for j := 0; j < k.nv; j++ {
			g.op("VFMADD231PS %s, %s, %s", k.v(k.isa.bReg+j), bc, k.acc(i, j))
		}
	}
}

// advance moves the A and B pointers by u steps of p.
func (k kernel) advance(g *gen, u int) {
	if k.trans {
		if u == 4 {
			g.op("LEAQ (AX)(R8*4), AX")
		} else {
			g.op("ADDQ R8, AX")
		}
	} else {
		for i := 0; i < k.mr; i += 5 {
			g.op("ADDQ $%d, %s", 4*u, []string{"AX", "R10", "R11"}[i/5])
		}
	}
	if u == 4 {
		g.op("LEAQ (BX)(R12*4), BX")
	} else {
		g.op("ADDQ R12, BX")
	}
}

func (k kernel) prologue(g *gen) {
	g.op("MOVQ a+8(FP), AX")
	g.op("MOVQ lda+16(FP), R8")
	g.op("SHLQ $2, R8")
	g.op("LEAQ (R8)(R8*2), R9")
	if !k.trans && k.mr > 5 {
		g.op("LEAQ (AX)(R8*4), R10")
		g.op("ADDQ R8, R10")
	}
	if !k.trans && k.mr > 10 {
		g.op("LEAQ (R10)(R8*4), R11")
		g.op("ADDQ R8, R11")
	}
	g.op("MOVQ b+24(FP), BX")
	g.op("MOVQ ldb+32(FP), R12")
	g.op("SHLQ $2, R12")
	g.op("LEAQ (R12)(R12*2), R13")
	if k.masked {
		g.op("MOVQ rem+64(FP), CX")
		if k.avx512() {
			g.op("MOVL $1, DX")
			g.op("SHLL CX, DX")
			g.op("DECL DX")
			g.op("KMOVW DX, K1")
		} else {
			g.op("SHLQ $2, CX")
			g.op("LEAQ masktab<>+32(SB), DX")
			g.op("SUBQ CX, DX")
			g.op("VMOVDQU (DX), Y15")
		}
	}
	for i := 0; i < k.mr*k.nv; i++ {
		if k.avx512() {
			g.op("VPXORD %s, %s, %s", k.v(i), k.v(i), k.v(i))
		} else {
			g.op("VXORPS %s, %s, %s", k.v(i), k.v(i), k.v(i))
		}
	}
}

func (k kernel) loops(g *gen) {
	g.op("MOVQ k+0(FP), CX")
	g.op("MOVQ CX, DX")
	g.op("SHRQ $2, CX")
	g.op("ANDQ $3, DX")
	g.op("TESTQ CX, CX")
	g.op("JEQ tail")
	g.label("loop4")
	for u := 0; u < unroll; u++ {
		k.fmaStep(g, u)
	}
	k.advance(g, unroll)
	g.op("DECQ CX")
	g.op("JNZ loop4")
	g.label("tail")
	g.op("TESTQ DX, DX")
	g.op("JEQ store")
	g.label("loop1")
	k.fmaStep(g, 0)
	k.advance(g, 1)
	g.op("DECQ DX")
	g.op("JNZ loop1")
}

// storeRows scales the accumulators and writes them to C.
func (k kernel) storeRows(g *gen, withBeta bool) {
	alpha, beta, tmp := k.v(k.isa.bcast), k.v(k.isa.bReg+1), k.v(k.isa.bReg)
	for i := 0; i < k.mr; i++ {
		for j := 0; j < k.nv; j++ {
			a := k.acc(i, j)
			addr := fmt.Sprintf("%d(DI)", j*k.vbytes())
			g.op("VMULPS %s, %s, %s", alpha, a, a)
			switch {
			case !withBeta:
			case !k.masklast(j):
				g.op("VFMADD231PS %s, %s, %s", addr, beta, a)
			case k.avx512():
				g.op("VMOVUPS.Z %s, K1, %s", addr, tmp)
				g.op("VFMADD231PS %s, %s, %s", tmp, beta, a)
			default:
				g.op("VMASKMOVPS %s, Y15, %s", addr, tmp)
				g.op("VFMADD231PS %s, %s, %s", tmp, beta, a)
			}
			switch {
			case !k.masklast(j):
				g.op("VMOVUPS %s, %s", a, addr)
			case k.avx512():
				g.op("VMOVUPS %s, K1, %s", a, addr)
			default:
				g.op("VMASKMOVPS %s, Y15, %s", a, addr)
			}
		}
		if i < k.mr-1 {
			g.op("ADDQ SI, DI")
		}
	}
	g.op("VZEROUPPER")
	g.op("RET")
}

func (k kernel) epilogue(g *gen) {
	g.label("store")
	g.op("MOVQ c+40(FP), DI")
	g.op("MOVQ ldc+48(FP), SI")
	g.op("SHLQ $2, SI")
	g.op("VBROADCASTSS alpha+56(FP), %s", k.v(k.isa.bcast))
	g.op("MOVL beta+60(FP), CX")
	g.op("TESTL CX, CX")
	g.op("JEQ nobeta")
	g.op("VBROADCASTSS beta+60(FP), %s", k.v(k.isa.bReg+1))
	k.storeRows(g, true)
	g.label("nobeta")
	k.storeRows(g, false)
}

func (k kernel) emit(g *gen) {
	fmt.Fprintf(g, "\n// func %s(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32, rem int)\n", k.name())
	fmt.Fprintf(g, "TEXT ·%s(SB), NOSPLIT, $0-72\n", k.name())
	k.prologue(g)
	k.loops(g)
	k.epilogue(g)
}

func (s isa) kernels() []kernel {
	var ks []kernel
	for _, masked := range s.masked {
		for _, trans := range []bool{false, true} {
			for mr := 1; mr <= s.maxMR; mr++ {
				for nv := 1; nv <= s.maxNV; nv++ {
					ks = append(ks, kernel{isa: s, trans: trans, mr: mr, nv: nv, masked: masked})
				}
			}
		}
	}
	return ks
}

const header = "// Code generated by gen_kernels.go; DO NOT EDIT.\n\n"

func writeAsm(s isa) {
	var g gen
	g.WriteString(header + "//go:build !purego\n\n#include \"textflag.h\"\n")
	if s.name == "k256" {
		g.WriteString("\n// masktab holds 8 all-ones lanes followed by 8 zero lanes.\n")
		for i := 0; i < 16; i++ {
			v := "0xffffffff"
			if i >= 8 {
				v = "0"
			}
			fmt.Fprintf(&g, "DATA masktab<>+%d(SB)/4, $%s\n", 4*i, v)
		}
		g.WriteString("GLOBL masktab<>(SB), RODATA|NOPTR, $64\n")
	}
	for _, k := range s.kernels() {
		k.emit(&g)
	}
	must(os.WriteFile(filepath.Join(*dir, s.file), g.Bytes(), 0o644))
}

func writeDecl() {
	var b strings.Builder
	b.WriteString(header + "//go:build !purego\n\npackage kernels\n\n")
	for _, s := range isas {
		for _, k := range s.kernels() {
			fmt.Fprintf(&b, "//go:noescape\nfunc %s(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32, rem int)\n\n", k.name())
		}
	}
	for _, s := range isas {
		for _, masked := range s.masked {
			for _, trans := range []bool{false, true} {
				fmt.Fprintf(&b, "var %s = [%d][%d]microKernel{\n", tableName(s, trans, masked), s.maxMR+1, s.maxNV+1)
				for mr := 1; mr <= s.maxMR; mr++ {
					fmt.Fprintf(&b, "\t%d: {", mr)
					for nv := 1; nv <= s.maxNV; nv++ {
						k := kernel{isa: s, trans: trans, mr: mr, nv: nv, masked: masked}
						fmt.Fprintf(&b, "%d: %s, ", nv, k.name())
					}
					b.WriteString("},\n")
				}
				b.WriteString("}\n\n")
			}
		}
	}
	src, err := format.Source([]byte(b.String()))
	must(err)
	must(os.WriteFile(filepath.Join(*dir, "kern_decl_amd64.go"), src, 0o644))
}

// tableName names the Go table of kernels indexed by [mr][nv].
func tableName(s isa, trans, masked bool) string {
	t := "n"
	if trans {
		t = "t"
	}
	if masked && s.name == "k256" {
		t += "m"
	}
	return s.name + t + "tab"
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

func main() {
	flag.Parse()
	for _, s := range isas {
		writeAsm(s)
	}
	writeDecl()
}
