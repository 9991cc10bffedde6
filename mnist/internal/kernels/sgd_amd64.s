//go:build !purego

#include "textflag.h"

// Registers of both kernels: four sets of float32 lane sums, (Z0, Z1, Z2),
// (Z3, Z4, Z5), (Z6, Z7, Z8), (Z9, Z10, Z11) for g², Δθ², θ'², so that no
// sum waits on the last one; gradients Z12..Z15; scratch Z16..Z23; −α in
// Z24; the outer product's a_i in Z25; the float64 totals Z28..Z30, which
// a run of at most 512 elements is added to (FLUSH) before its float32 sums
// could lose digits.

// STEP does one vector: the gradient in Zg, θ at addr; Zt0, Zn scratch;
// the sums Zg2, Zd2, Zt2. MSTEP does the lanes of mask K only.
#define STEP(Zg, addr, Zt0, Zn, Zg2, Zd2, Zt2) \
	VMOVUPS addr, Zt0 ; \
	VMOVAPS Zt0, Zn ; \
	VFMADD231PS Z24, Zg, Zn ; \
	VMOVUPS Zn, addr ; \
	NORMS(Zg, Zt0, Zn, Zg2, Zd2, Zt2)

#define MSTEP(Zg, addr, K) \
	VMOVUPS.Z addr, K, Z16 ; \
	VMOVAPS Z16, Z17 ; \
	VFMADD231PS Z24, Zg, Z17 ; \
	VMOVUPS Z17, K, addr ; \
	NORMS(Zg, Z16, Z17, Z0, Z1, Z2)

// NORMS adds g², (θ' − θ)², θ'² to the sums; Zt0 is clobbered.
#define NORMS(Zg, Zt0, Zn, Zg2, Zd2, Zt2) \
	VFMADD231PS Zg, Zg, Zg2 ; \
	VSUBPS Zt0, Zn, Zt0 ; \
	VFMADD231PS Zt0, Zt0, Zd2 ; \
	VFMADD231PS Zn, Zn, Zt2

// STEP4 does four vectors at addr, the gradients in Z12..Z15.
#define STEP4(addr0, addr1, addr2, addr3) \
	STEP(Z12, addr0, Z16, Z17, Z0, Z1, Z2) ; \
	STEP(Z13, addr1, Z18, Z19, Z3, Z4, Z5) ; \
	STEP(Z14, addr2, Z20, Z21, Z6, Z7, Z8) ; \
	STEP(Z15, addr3, Z22, Z23, Z9, Z10, Z11)

// WIDEN adds the 16 float32 lanes of Zs to the 8 float64 lanes of Zt;
// Z16, Z17, Y17 scratch.
#define WIDEN(Zs, Ys, Zt) \
	VCVTPS2PD Ys, Z16 ; \
	VADDPD Z16, Zt, Zt ; \
	VEXTRACTF32X8 $1, Zs, Y17 ; \
	VCVTPS2PD Y17, Z17 ; \
	VADDPD Z17, Zt, Zt

// FLUSH adds the four sets of sums to the float64 totals and clears them.
#define FLUSH \
	VADDPS Z3, Z0, Z0 ; \
	VADDPS Z4, Z1, Z1 ; \
	VADDPS Z5, Z2, Z2 ; \
	VADDPS Z9, Z6, Z6 ; \
	VADDPS Z10, Z7, Z7 ; \
	VADDPS Z11, Z8, Z8 ; \
	VADDPS Z6, Z0, Z0 ; \
	VADDPS Z7, Z1, Z1 ; \
	VADDPS Z8, Z2, Z2 ; \
	WIDEN(Z0, Y0, Z28) ; \
	WIDEN(Z1, Y1, Z29) ; \
	WIDEN(Z2, Y2, Z30) ; \
	ZERO32

#define ZERO32 \
	VXORPS Z0, Z0, Z0 ; \
	VXORPS Z1, Z1, Z1 ; \
	VXORPS Z2, Z2, Z2 ; \
	VXORPS Z3, Z3, Z3 ; \
	VXORPS Z4, Z4, Z4 ; \
	VXORPS Z5, Z5, Z5 ; \
	VXORPS Z6, Z6, Z6 ; \
	VXORPS Z7, Z7, Z7 ; \
	VXORPS Z8, Z8, Z8 ; \
	VXORPS Z9, Z9, Z9 ; \
	VXORPS Z10, Z10, Z10 ; \
	VXORPS Z11, Z11, Z11

#define ZERO \
	ZERO32 ; \
	VXORPD Z28, Z28, Z28 ; \
	VXORPD Z29, Z29, Z29 ; \
	VXORPD Z30, Z30, Z30

// HSUM sums the 8 float64 lanes of Z into the low lane of X (Y, X its
// halves); Y3, X3 scratch.
#define HSUM(Z, Y, X) \
	VEXTRACTF64X4 $1, Z, Y3 ; \
	VADDPD Y3, Y, Y ; \
	VEXTRACTF128 $1, Y, X3 ; \
	VADDPD X3, X, X ; \
	VHADDPD X, X, X

// TOTAL stores the three float64 totals at DX.
#define TOTAL \
	VMOVAPD Z28, Z0 ; \
	VMOVAPD Z29, Z1 ; \
	VMOVAPD Z30, Z2 ; \
	HSUM(Z0, Y0, X0) ; \
	HSUM(Z1, Y1, X1) ; \
	HSUM(Z2, Y2, X2) ; \
	VMOVSD X0, (DX) ; \
	VMOVSD X1, 8(DX) ; \
	VMOVSD X2, 16(DX)

// LANES sets K to the low CX lanes (0 < CX < 16); AX, CX clobbered.
#define LANES(K) \
	MOVL $1, AX ; \
	SHLL CX, AX ; \
	DECL AX ; \
	KMOVW AX, K

// func sgd512(n int, theta, grad *float32, neglr float32, out *[3]float64)
//
// θ[i] = fma(−α, g[i], θ[i]) for i < n (AVX-512, the last vector masked),
// with the norms summed in float32 over runs of 512 elements and in
// float64 over the runs. n > 0.
TEXT ·sgd512(SB), NOSPLIT, $0-40
	MOVQ n+0(FP), CX
	MOVQ theta+8(FP), DI
	MOVQ grad+16(FP), SI
	VBROADCASTSS neglr+24(FP), Z24
	MOVQ out+32(FP), DX
	ZERO
	MOVQ $8, BX // groups of four vectors left in this run

quads:
	CMPQ CX, $64
	JLT  single
	VMOVUPS (SI), Z12
	VMOVUPS 64(SI), Z13
	VMOVUPS 128(SI), Z14
	VMOVUPS 192(SI), Z15
	STEP4((DI), 64(DI), 128(DI), 192(DI))
	ADDQ $256, SI
	ADDQ $256, DI
	SUBQ $64, CX
	DECQ BX
	JNZ  quads
	FLUSH
	MOVQ $8, BX
	JMP  quads

single:
	TESTQ CX, CX
	JEQ  end
	KXNORW K2, K2, K2
	CMPQ CX, $16
	JGE  last
	LANES(K2)
	MOVQ $16, CX

last:
	VMOVUPS.Z (SI), K2, Z12
	MSTEP(Z12, (DI), K2)
	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $16, CX
	JMP  single

end:
	FLUSH
	TOTAL
	VZEROUPPER
	RET

// func sgdOuter512(m, n int, theta *float32, ldt int, a, b *float32, neglr float32, out *[3]float64)
//
// θ[i*ldt+j] = fma(−α, a[i]·b[j], θ[i*ldt+j]) for i < m, j < n (AVX-512),
// with the norms summed in float32 along each row (in runs of at most 512)
// and in float64 over the rows. m, n > 0.
TEXT ·sgdOuter512(SB), NOSPLIT, $0-64
	MOVQ m+0(FP), R8
	MOVQ theta+16(FP), R9
	MOVQ ldt+24(FP), R10
	SHLQ $2, R10
	MOVQ a+32(FP), R11
	VBROADCASTSS neglr+48(FP), Z24
	MOVQ out+56(FP), DX
	ZERO
	KXNORW K1, K1, K1
	KMOVW K1, K2 // the last vector's lanes
	MOVQ n+8(FP), CX
	ANDQ $15, CX
	JEQ  rows
	LANES(K2)

rows:
	VBROADCASTSS (R11), Z25
	MOVQ b+40(FP), SI
	MOVQ R9, DI
	MOVQ n+8(FP), CX
	MOVQ $8, BX

oquads:
	CMPQ CX, $64
	JLT  osingle
	VMULPS (SI), Z25, Z12
	VMULPS 64(SI), Z25, Z13
	VMULPS 128(SI), Z25, Z14
	VMULPS 192(SI), Z25, Z15
	STEP4((DI), 64(DI), 128(DI), 192(DI))
	ADDQ $256, SI
	ADDQ $256, DI
	SUBQ $64, CX
	DECQ BX
	JNZ  oquads
	FLUSH
	MOVQ $8, BX
	JMP  oquads

osingle:
	TESTQ CX, CX
	JEQ  rowdone
	KMOVW K1, K3
	CMPQ CX, $16
	JGE  ofull
	KMOVW K2, K3
	MOVQ $16, CX

ofull:
	VMOVUPS.Z (SI), K3, Z12
	VMULPS Z12, Z25, Z12
	MSTEP(Z12, (DI), K3)
	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $16, CX
	JMP  osingle

rowdone:
	FLUSH
	ADDQ R10, R9
	ADDQ $4, R11
	DECQ R8
	JNZ  rows
	TOTAL
	VZEROUPPER
	RET

// DOT adds x2[off]·θ' (θ' in Zn) to the dot product's accumulator Zacc.
#define DOT(off, Zn, Zacc) VFMADD231PS off(R13), Zn, Zacc

// ROWDOT reduces the accumulators Z26 (lo) and Z27 (hi) of a row to one
// float32 at (R14), in the order of dot4x512's reduction: lo + hi, the
// 256-bit halves, then pairs of pairs (two horizontal adds), then the
// 128-bit halves. It runs after FLUSH, which leaves Z0 and Z1 zero, uses
// them (the horizontal adds exist only below Y16) and zeroes them again.
#define ROWDOT \
	VADDPS Z27, Z26, Z26 ; \
	VEXTRACTF64X4 $1, Z26, Y27 ; \
	VADDPS Y27, Y26, Y26 ; \
	VMOVAPS Y26, Y0 ; \
	VHADDPS Y0, Y0, Y0 ; \
	VHADDPS Y0, Y0, Y0 ; \
	VEXTRACTF128 $1, Y0, X1 ; \
	VADDPS X1, X0, X0 ; \
	VMOVSS X0, (R14) ; \
	VXORPS Z0, Z0, Z0 ; \
	VXORPS Z1, Z1, Z1

// func sgdOuterDot512(m, n int, theta *float32, ldt int, a, b *float32, neglr float32, out *[3]float64, x2, z *float32)
//
// sgdOuter512, and in the same pass z[i] = Σ_j θ'[i,j]·x2[j] with the new
// θ', summed as dot4x512 sums a row (the same products, in the same
// order, bit for bit): vectors of 16 alternately into two accumulators for
// each whole 32, a 16 left into the first, a masked rest into the second.
TEXT ·sgdOuterDot512(SB), NOSPLIT, $0-80
	MOVQ m+0(FP), R8
	MOVQ theta+16(FP), R9
	MOVQ ldt+24(FP), R10
	SHLQ $2, R10
	MOVQ a+32(FP), R11
	VBROADCASTSS neglr+48(FP), Z24
	MOVQ out+56(FP), DX
	MOVQ z+72(FP), R14
	ZERO
	KXNORW K1, K1, K1
	KMOVW K1, K2 // the last vector's lanes
	MOVQ n+8(FP), CX
	ANDQ $15, CX
	JEQ  drows
	LANES(K2)

drows:
	VBROADCASTSS (R11), Z25
	MOVQ b+40(FP), SI
	MOVQ x2+64(FP), R13
	MOVQ R9, DI
	MOVQ n+8(FP), CX
	MOVQ $8, BX
	VXORPS Z26, Z26, Z26
	VXORPS Z27, Z27, Z27

dquads:
	CMPQ CX, $64
	JLT  dpairs
	VMULPS (SI), Z25, Z12
	VMULPS 64(SI), Z25, Z13
	VMULPS 128(SI), Z25, Z14
	VMULPS 192(SI), Z25, Z15
	STEP4((DI), 64(DI), 128(DI), 192(DI))
	DOT(0, Z17, Z26)
	DOT(64, Z19, Z27)
	DOT(128, Z21, Z26)
	DOT(192, Z23, Z27)
	ADDQ $256, SI
	ADDQ $256, DI
	ADDQ $256, R13
	SUBQ $64, CX
	DECQ BX
	JNZ  dquads
	FLUSH
	MOVQ $8, BX
	JMP  dquads

dpairs:
	CMPQ CX, $32
	JLT  dsixteen
	VMULPS (SI), Z25, Z12
	VMULPS 64(SI), Z25, Z13
	STEP(Z12, (DI), Z16, Z17, Z0, Z1, Z2)
	STEP(Z13, 64(DI), Z18, Z19, Z3, Z4, Z5)
	DOT(0, Z17, Z26)
	DOT(64, Z19, Z27)
	ADDQ $128, SI
	ADDQ $128, DI
	ADDQ $128, R13
	SUBQ $32, CX
	JMP  dpairs

dsixteen:
	CMPQ CX, $16
	JLT  drest
	VMULPS (SI), Z25, Z12
	STEP(Z12, (DI), Z16, Z17, Z0, Z1, Z2)
	DOT(0, Z17, Z26)
	ADDQ $64, SI
	ADDQ $64, DI
	ADDQ $64, R13
	SUBQ $16, CX

drest:
	TESTQ CX, CX
	JEQ  drowdone
	VMOVUPS.Z (SI), K2, Z12
	VMULPS Z12, Z25, Z12
	MSTEP(Z12, (DI), K2)
	VMOVUPS.Z (R13), K2, Z18
	VFMADD231PS Z18, Z17, Z27

drowdone:
	FLUSH
	ROWDOT
	ADDQ $4, R14
	ADDQ R10, R9
	ADDQ $4, R11
	DECQ R8
	JNZ  drows
	TOTAL
	VZEROUPPER
	RET
