//go:build !purego

#include "textflag.h"

// The fused landscape kernel dst[i] = σ(q[i] + a·p[i]) in AVX-512, with
// the constants of the vector sigmoid (sigmoid_amd64.s, exp32 in
// activation.go). The input is clamped to [-88.3, 87.3] (as -x, for e^-x),
// e^-x = 2ⁿ·P(r) with x = n·ln2 + r, and 1/(1+e^-x) is VRCP14PS's 14-bit
// estimate refined by one Newton step, r ← r + r·(1 − d·r), about 28 bits.
// (VDIVPS instead of the estimate and the step was 1.5× slower on Zen 5.)
DATA fsc<>+0(SB)/4, $0x42b0999a  // hi = 88.3
DATA fsc<>+4(SB)/4, $0xc2ae999a  // lo = -87.3
DATA fsc<>+8(SB)/4, $0x3fb8aa3b  // log2e
DATA fsc<>+12(SB)/4, $0x3f318000 // ln2hi
DATA fsc<>+16(SB)/4, $0xb95e8083 // ln2lo
DATA fsc<>+20(SB)/4, $0x3f800000 // one
DATA fsc<>+24(SB)/4, $0x39506967 // c5
DATA fsc<>+28(SB)/4, $0x3ab743ce // c4
DATA fsc<>+32(SB)/4, $0x3c088908 // c3
DATA fsc<>+36(SB)/4, $0x3d2aa9c1 // c2
DATA fsc<>+40(SB)/4, $0x3e2aaaaa // c1
DATA fsc<>+44(SB)/4, $0x3f000000 // c0
GLOBL fsc<>(SB), RODATA|NOPTR, $48

// The sigmoid of -t = q + a·p in six phases, so that four independent
// vectors can be interleaved phase by phase (a chain alone is latency
// bound): t clamped to [lo, hi] (NaN kept), e^t = 2ⁿ·P(r) with n = round(t·
// log2e) (VRNDSCALEPS) and 2ⁿ by VSCALEFPS, then 1/(1 + e^t) as VRCP14PS
// refined by one Newton step. Registers: x (t, then r, then σ), n, p and a
// scratch s; Z6 = a, Z8…Z13 hi, lo, log2e, ln2hi, ln2lo, one, Z21…Z26 the
// polynomial's c5…c0.
#define SP1(x, n, p, s, off) \
	VMOVUPS      off(SI), x ; \
	VFNMSUB231PS off(BX), Z6, x ; \
	VMINPS       x, Z8, x ; \
	VMAXPS       x, Z9, x ; \
	VMULPS       Z10, x, n

#define SP2(x, n, p, s) \
	VRNDSCALEPS  $0, n, n ; \
	VFNMADD231PS Z11, n, x ; \
	VFNMADD231PS Z12, n, x ; \
	VMOVAPS      Z21, p

#define SP3(x, n, p, s) \
	VFMADD213PS Z22, x, p ; \
	VFMADD213PS Z23, x, p ; \
	VFMADD213PS Z24, x, p

#define SP4(x, n, p, s) \
	VFMADD213PS Z25, x, p ; \
	VFMADD213PS Z26, x, p ; \
	VMULPS      x, x, s

#define SP5(x, n, p, s) \
	VFMADD213PS x, s, p ; \
	VADDPS      Z13, p, p ; \
	VSCALEFPS   n, p, p ; \
	VADDPS      Z13, p, p

#define SP6(x, n, p, s) \
	VRCP14PS     p, x ; \
	VMOVAPS      Z13, s ; \
	VFNMADD231PS x, p, s ; \
	VFMADD231PS  s, x, x

#define SIG4(ph) \
	ph(Z0, Z1, Z2, Z3) ; \
	ph(Z4, Z5, Z7, Z14) ; \
	ph(Z15, Z16, Z17, Z18) ; \
	ph(Z19, Z20, Z27, Z28)

// func axpySigmoid512(n int, a float32, dst, q, p *float32)
//
// dst[i] = 1/(1+e^-(q[i]+a·p[i])) for i < n (AVX-512F): 64 lanes a round
// in four interleaved chains, then 16, then a masked tail.
TEXT ·axpySigmoid512(SB), NOSPLIT, $0-40
	MOVQ n+0(FP), CX
	VBROADCASTSS a+8(FP), Z6
	MOVQ dst+16(FP), DI
	MOVQ q+24(FP), SI
	MOVQ p+32(FP), BX
	VBROADCASTSS fsc<>+0(SB), Z8
	VBROADCASTSS fsc<>+4(SB), Z9
	VBROADCASTSS fsc<>+8(SB), Z10
	VBROADCASTSS fsc<>+12(SB), Z11
	VBROADCASTSS fsc<>+16(SB), Z12
	VBROADCASTSS fsc<>+20(SB), Z13
	VBROADCASTSS fsc<>+24(SB), Z21
	VBROADCASTSS fsc<>+28(SB), Z22
	VBROADCASTSS fsc<>+32(SB), Z23
	VBROADCASTSS fsc<>+36(SB), Z24
	VBROADCASTSS fsc<>+40(SB), Z25
	VBROADCASTSS fsc<>+44(SB), Z26
	MOVQ CX, DX
	SHRQ $6, CX
	JEQ  ones

four:
	SP1(Z0, Z1, Z2, Z3, 0)
	SP1(Z4, Z5, Z7, Z14, 64)
	SP1(Z15, Z16, Z17, Z18, 128)
	SP1(Z19, Z20, Z27, Z28, 192)
	SIG4(SP2)
	SIG4(SP3)
	SIG4(SP4)
	SIG4(SP5)
	SIG4(SP6)
	VMOVUPS Z0, (DI)
	VMOVUPS Z4, 64(DI)
	VMOVUPS Z15, 128(DI)
	VMOVUPS Z19, 192(DI)
	ADDQ    $256, DI
	ADDQ    $256, SI
	ADDQ    $256, BX
	DECQ    CX
	JNZ     four

ones:
	MOVQ DX, CX
	ANDQ $63, CX
	SHRQ $4, CX
	JEQ  tail

one:
	SP1(Z0, Z1, Z2, Z3, 0)
	SP2(Z0, Z1, Z2, Z3)
	SP3(Z0, Z1, Z2, Z3)
	SP4(Z0, Z1, Z2, Z3)
	SP5(Z0, Z1, Z2, Z3)
	SP6(Z0, Z1, Z2, Z3)
	VMOVUPS Z0, (DI)
	ADDQ    $64, DI
	ADDQ    $64, SI
	ADDQ    $64, BX
	DECQ    CX
	JNZ     one

tail:
	ANDQ $15, DX
	JEQ  done
	MOVQ DX, CX
	MOVL $1, AX
	SHLL CX, AX
	DECL AX
	KMOVW AX, K1
	VMOVUPS.Z    (SI), K1, Z0
	VMOVUPS.Z    (BX), K1, Z5
	VFNMSUB231PS Z5, Z6, Z0
	VMINPS       Z0, Z8, Z0
	VMAXPS       Z0, Z9, Z0
	VMULPS       Z10, Z0, Z1
	SP2(Z0, Z1, Z2, Z3)
	SP3(Z0, Z1, Z2, Z3)
	SP4(Z0, Z1, Z2, Z3)
	SP5(Z0, Z1, Z2, Z3)
	SP6(Z0, Z1, Z2, Z3)
	VMOVUPS Z0, K1, (DI)

done:
	VZEROUPPER
	RET
