//go:build !purego

#include "textflag.h"

// FLUSH adds the float32 lane sums Z0..Z5 (two for each norm) to the
// float64 totals Z20..Z25 and clears them. Z6, Z7 scratch.
#define FLUSH \
	VADDPS Z3, Z0, Z0 ; \
	VADDPS Z4, Z1, Z1 ; \
	VADDPS Z5, Z2, Z2 ; \
	VCVTPS2PD Y0, Z6 ; \
	VADDPD Z6, Z20, Z20 ; \
	VEXTRACTF32X8 $1, Z0, Y7 ; \
	VCVTPS2PD Y7, Z7 ; \
	VADDPD Z7, Z21, Z21 ; \
	VCVTPS2PD Y1, Z6 ; \
	VADDPD Z6, Z22, Z22 ; \
	VEXTRACTF32X8 $1, Z1, Y7 ; \
	VCVTPS2PD Y7, Z7 ; \
	VADDPD Z7, Z23, Z23 ; \
	VCVTPS2PD Y2, Z6 ; \
	VADDPD Z6, Z24, Z24 ; \
	VEXTRACTF32X8 $1, Z2, Y7 ; \
	VCVTPS2PD Y7, Z7 ; \
	VADDPD Z7, Z25, Z25 ; \
	VXORPS Z0, Z0, Z0 ; \
	VXORPS Z1, Z1, Z1 ; \
	VXORPS Z2, Z2, Z2 ; \
	VXORPS Z3, Z3, Z3 ; \
	VXORPS Z4, Z4, Z4 ; \
	VXORPS Z5, Z5, Z5

// STEP does one vector: the gradient in Zg, θ at addr, the float32 sums in
// Zg2, Zd2, Zt2. Z16 holds −α; Zt0, Zn scratch. MSTEP is STEP for the lanes
// of mask K only.
#define STEP(Zg, addr, Zt0, Zn, Zg2, Zd2, Zt2) \
	VMOVUPS addr, Zt0 ; \
	VMOVAPS Zt0, Zn ; \
	VFMADD231PS Z16, Zg, Zn ; \
	VMOVUPS Zn, addr ; \
	NORMS(Zg, Zt0, Zn, Zg2, Zd2, Zt2)

#define MSTEP(Zg, addr, K, Zg2, Zd2, Zt2) \
	VMOVUPS.Z addr, K, Z8 ; \
	VMOVAPS Z8, Z9 ; \
	VFMADD231PS Z16, Zg, Z9 ; \
	VMOVUPS Z9, K, addr ; \
	NORMS(Zg, Z8, Z9, Zg2, Zd2, Zt2)

// NORMS adds g², (θ' − θ)², θ'² to the sums; Zt0 is clobbered.
#define NORMS(Zg, Zt0, Zn, Zg2, Zd2, Zt2) \
	VFMADD231PS Zg, Zg, Zg2 ; \
	VSUBPS Zt0, Zn, Zt0 ; \
	VFMADD231PS Zt0, Zt0, Zd2 ; \
	VFMADD231PS Zn, Zn, Zt2

// TOTAL reduces the float64 totals Z20..Z25 to three sums stored at DX.
// Z0..Z3 scratch.
#define TOTAL \
	VADDPD Z21, Z20, Z0 ; \
	VADDPD Z23, Z22, Z1 ; \
	VADDPD Z25, Z24, Z2 ; \
	HSUM(Z0, Y0, X0) ; \
	HSUM(Z1, Y1, X1) ; \
	HSUM(Z2, Y2, X2) ; \
	VMOVSD X0, (DX) ; \
	VMOVSD X1, 8(DX) ; \
	VMOVSD X2, 16(DX)

// HSUM sums the 8 float64 lanes of Z into the low lane of X (Y, X its
// halves); Y3, X3 scratch.
#define HSUM(Z, Y, X) \
	VEXTRACTF64X4 $1, Z, Y3 ; \
	VADDPD Y3, Y, Y ; \
	VEXTRACTF128 $1, Y, X3 ; \
	VADDPD X3, X, X ; \
	VHADDPD X, X, X

#define ZERO \
	VXORPS Z0, Z0, Z0 ; \
	VXORPS Z1, Z1, Z1 ; \
	VXORPS Z2, Z2, Z2 ; \
	VXORPS Z3, Z3, Z3 ; \
	VXORPS Z4, Z4, Z4 ; \
	VXORPS Z5, Z5, Z5 ; \
	VXORPD Z20, Z20, Z20 ; \
	VXORPD Z21, Z21, Z21 ; \
	VXORPD Z22, Z22, Z22 ; \
	VXORPD Z23, Z23, Z23 ; \
	VXORPD Z24, Z24, Z24 ; \
	VXORPD Z25, Z25, Z25

// func sgd512(n int, theta, grad *float32, neglr float32, out *[3]float64)
//
// θ[i] = fma(−α, g[i], θ[i]) for i < n (AVX-512, the last vector masked),
// with the norms summed in float32 over runs of 512 elements and in
// float64 over the runs. n > 0.
TEXT ·sgd512(SB), NOSPLIT, $0-40
	MOVQ n+0(FP), CX
	MOVQ theta+8(FP), DI
	MOVQ grad+16(FP), SI
	VBROADCASTSS neglr+24(FP), Z16
	MOVQ out+32(FP), DX
	ZERO
	KXNORW K1, K1, K1
	MOVQ $16, BX // vectors left in this run, by pairs

pairs:
	CMPQ CX, $32
	JLT  single
	VMOVUPS (SI), Z10
	VMOVUPS 64(SI), Z11
	STEP(Z10, (DI), Z8, Z9, Z0, Z1, Z2)
	STEP(Z11, 64(DI), Z12, Z13, Z3, Z4, Z5)
	ADDQ $128, SI
	ADDQ $128, DI
	SUBQ $32, CX
	DECQ BX
	JNZ  pairs
	FLUSH
	MOVQ $16, BX
	JMP  pairs

single:
	TESTQ CX, CX
	JEQ  end
	CMPQ CX, $16
	JGE  full
	MOVL $1, AX // mask of the last CX lanes
	SHLL CX, AX
	DECL AX
	KMOVW AX, K2
	MOVQ $16, CX
	JMP  last

full:
	KMOVW K1, K2

last:
	VMOVUPS.Z (SI), K2, Z10
	MSTEP(Z10, (DI), K2, Z0, Z1, Z2)
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
	VBROADCASTSS neglr+48(FP), Z16
	MOVQ out+56(FP), DX
	ZERO
	KXNORW K1, K1, K1
	MOVQ n+8(FP), R12 // the last vector's mask, K2
	ANDQ $15, R12
	KMOVW K1, K2
	JEQ  rows
	MOVL $1, AX
	MOVQ R12, CX
	SHLL CX, AX
	DECL AX
	KMOVW AX, K2

rows:
	VBROADCASTSS (R11), Z17
	MOVQ b+40(FP), SI
	MOVQ R9, DI
	MOVQ n+8(FP), CX
	MOVQ $16, BX

opairs:
	CMPQ CX, $32
	JLT  osingle
	VMULPS (SI), Z17, Z10
	VMULPS 64(SI), Z17, Z11
	STEP(Z10, (DI), Z8, Z9, Z0, Z1, Z2)
	STEP(Z11, 64(DI), Z12, Z13, Z3, Z4, Z5)
	ADDQ $128, SI
	ADDQ $128, DI
	SUBQ $32, CX
	DECQ BX
	JNZ  opairs
	FLUSH
	MOVQ $16, BX
	JMP  opairs

osingle:
	TESTQ CX, CX
	JEQ  rowdone
	KMOVW K1, K3
	CMPQ CX, $16
	JGE  ofull
	KMOVW K2, K3
	MOVQ $16, CX

ofull:
	VMOVUPS.Z (SI), K3, Z10
	VMULPS Z10, Z17, Z10
	MSTEP(Z10, (DI), K3, Z0, Z1, Z2)
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
