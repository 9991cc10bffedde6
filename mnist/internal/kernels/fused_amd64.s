//go:build !purego

#include "textflag.h"

// The fused landscape kernel dst[i] = σ(q[i] + a·p[i]) in AVX-512, with
// the constants of the vector sigmoid (sigmoid_amd64.s, exp32 in
// activation.go). The input is clamped to [-88.3, 87.3] (as -x, for e^-x),
// e^-x = 2ⁿ·P(r) with x = n·ln2 + r, and 1/(1+e^-x) is VRCP14PS's 14-bit
// estimate refined by one Newton step, r ← r + r·(1 − d·r), about 28 bits.
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
DATA fsc<>+48(SB)/4, $127        // exponent bias (int32)
GLOBL fsc<>(SB), RODATA|NOPTR, $52

// SIG512 sets x = 1/(1+e^-x) for the 16 lanes of x, NaN propagating; t1…t4
// scratch. Z8…Z14 hold hi, lo, log2e, ln2hi, ln2lo, one and the exponent
// bias, Z21…Z26 the polynomial's c5…c0.
#define SIG512(x, t1, t2, t3, t4) \
	VPXORD t1, t1, t1 ; \
	VSUBPS x, t1, x ; \
	VMINPS x, Z8, x ; \
	VMAXPS x, Z9, x ; \
	VMULPS Z10, x, t1 ; \
	VCVTPS2DQ t1, t2 ; \
	VCVTDQ2PS t2, t1 ; \
	VFNMADD231PS Z11, t1, x ; \
	VFNMADD231PS Z12, t1, x ; \
	VMOVAPS Z21, t1 ; \
	VFMADD213PS Z22, x, t1 ; \
	VFMADD213PS Z23, x, t1 ; \
	VFMADD213PS Z24, x, t1 ; \
	VFMADD213PS Z25, x, t1 ; \
	VFMADD213PS Z26, x, t1 ; \
	VMULPS x, x, t3 ; \
	VFMADD213PS x, t3, t1 ; \
	VADDPS Z13, t1, t1 ; \
	VPADDD Z14, t2, t2 ; \
	VPSLLD $23, t2, t2 ; \
	VMULPS t2, t1, t1 ; \
	VADDPS Z13, t1, t1 ; \
	VRCP14PS t1, x ; \
	VMOVAPS Z13, t4 ; \
	VFNMADD231PS x, t1, t4 ; \
	VFMADD231PS t4, x, x

// func axpySigmoid512(n int, a float32, dst, q, p *float32)
//
// dst[i] = 1/(1+e^-(q[i]+a·p[i])) for i < n (AVX-512F): 32 lanes a round
// in two independent chains, then 16, then a masked tail.
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
	VPBROADCASTD fsc<>+48(SB), Z14
	VBROADCASTSS fsc<>+24(SB), Z21
	VBROADCASTSS fsc<>+28(SB), Z22
	VBROADCASTSS fsc<>+32(SB), Z23
	VBROADCASTSS fsc<>+36(SB), Z24
	VBROADCASTSS fsc<>+40(SB), Z25
	VBROADCASTSS fsc<>+44(SB), Z26
	MOVQ CX, DX
	SHRQ $5, CX
	JEQ  one

two:
	VMOVUPS     (SI), Z0
	VMOVUPS     64(SI), Z16
	VFMADD231PS (BX), Z6, Z0
	VFMADD231PS 64(BX), Z6, Z16
	SIG512(Z0, Z1, Z2, Z3, Z4)
	SIG512(Z16, Z17, Z18, Z19, Z20)
	VMOVUPS     Z0, (DI)
	VMOVUPS     Z16, 64(DI)
	ADDQ        $128, DI
	ADDQ        $128, SI
	ADDQ        $128, BX
	DECQ        CX
	JNZ         two

one:
	TESTQ $16, DX
	JEQ   tail
	VMOVUPS     (SI), Z0
	VFMADD231PS (BX), Z6, Z0
	SIG512(Z0, Z1, Z2, Z3, Z4)
	VMOVUPS     Z0, (DI)
	ADDQ        $64, DI
	ADDQ        $64, SI
	ADDQ        $64, BX

tail:
	ANDQ $15, DX
	JEQ  done
	MOVQ DX, CX
	MOVL $1, AX
	SHLL CX, AX
	DECL AX
	KMOVW AX, K1
	VMOVUPS.Z   (SI), K1, Z0
	VMOVUPS.Z   (BX), K1, Z5
	VFMADD231PS Z5, Z6, Z0
	SIG512(Z0, Z1, Z2, Z3, Z4)
	VMOVUPS     Z0, K1, (DI)

done:
	VZEROUPPER
	RET
