//go:build !purego

#include "textflag.h"

// Constants of the vector sigmoid (see exp32 in activation.go): input
// clamp, range reduction, polynomial of e^r, exponent bias.
DATA sigc<>+0(SB)/4, $0x42b0999a // hi = 88.3
DATA sigc<>+4(SB)/4, $0xc2ae999a // lo = -87.3
DATA sigc<>+8(SB)/4, $0x3fb8aa3b // log2e = 1.4426950408889634
DATA sigc<>+12(SB)/4, $0x3f318000 // ln2hi = 0.693359375
DATA sigc<>+16(SB)/4, $0xb95e8083 // ln2lo = -0.00021219444
DATA sigc<>+20(SB)/4, $0x3f800000 // one = 1.0
DATA sigc<>+24(SB)/4, $0x39506967 // c5 = 0.000198756915
DATA sigc<>+28(SB)/4, $0x3ab743ce // c4 = 0.0013981999507
DATA sigc<>+32(SB)/4, $0x3c088908 // c3 = 0.0083334519073
DATA sigc<>+36(SB)/4, $0x3d2aa9c1 // c2 = 0.041665795894
DATA sigc<>+40(SB)/4, $0x3e2aaaaa // c1 = 0.16666665459
DATA sigc<>+44(SB)/4, $0x3f000000 // c0 = 0.50000001201
DATA sigc<>+48(SB)/4, $127 // exponent bias (int32)
DATA sigc<>+56(SB)/4, $0xbbbaf0ea // tanh t4 = -0.00570498872745
DATA sigc<>+60(SB)/4, $0x3ca9134e // tanh t3 = 0.0206390887954
DATA sigc<>+64(SB)/4, $0xbd5c1e2d // tanh t2 = -0.0537397155531
DATA sigc<>+68(SB)/4, $0x3e088393 // tanh t1 = 0.133314422036
DATA sigc<>+72(SB)/4, $0xbeaaaa99 // tanh t0 = -0.333332819422
DATA sigc<>+76(SB)/4, $0x3f200000 // tanh small = 0.625
DATA sigc<>+80(SB)/4, $0x7fffffff // abs mask
GLOBL sigc<>(SB), RODATA|NOPTR, $84

// smask holds 8 all-ones lanes followed by 8 zero lanes.
DATA smask<>+0(SB)/8, $-1
DATA smask<>+8(SB)/8, $-1
DATA smask<>+16(SB)/8, $-1
DATA smask<>+24(SB)/8, $-1
DATA smask<>+32(SB)/8, $0
DATA smask<>+40(SB)/8, $0
DATA smask<>+48(SB)/8, $0
DATA smask<>+56(SB)/8, $0
GLOBL smask<>(SB), RODATA|NOPTR, $64

// POLY sets Y1 = c5·r⁵+…+c0 for r in Y0 (Horner), Y4 scratch.
#define POLY(coef) VBROADCASTSS coef, Y4 ; VFMADD213PS Y4, Y0, Y1

// EXPCORE sets Y1 = e^Y0 for Y0 in [-87.3, 88.3] (or NaN); Y0, Y2..Y4
// scratch, Y10..Y14 hold the constants loaded by the prologue.
#define EXPCORE \
	VMULPS Y10, Y0, Y1 ; \
	VCVTPS2DQ Y1, Y2 ; \
	VCVTDQ2PS Y2, Y1 ; \
	VFNMADD231PS Y11, Y1, Y0 ; \
	VFNMADD231PS Y12, Y1, Y0 ; \
	VBROADCASTSS sigc<>+24(SB), Y1 ; \
	POLY(sigc<>+28(SB)) ; \
	POLY(sigc<>+32(SB)) ; \
	POLY(sigc<>+36(SB)) ; \
	POLY(sigc<>+40(SB)) ; \
	POLY(sigc<>+44(SB)) ; \
	VMULPS Y0, Y0, Y3 ; \
	VFMADD213PS Y0, Y3, Y1 ; \
	VADDPS Y13, Y1, Y1 ; \
	VPADDD Y14, Y2, Y2 ; \
	VPSLLD $23, Y2, Y2 ; \
	VMULPS Y2, Y1, Y1

// SIGMOID sets Y0 = 1/(1+e^-Y0), NaN propagating; Y1..Y4 scratch,
// Y8..Y14 hold the constants loaded by the prologue.
#define SIGMOID \
	VXORPS Y1, Y1, Y1 ; \
	VSUBPS Y0, Y1, Y0 ; \
	VMINPS Y0, Y8, Y0 ; \
	VMAXPS Y0, Y9, Y0 ; \
	EXPCORE ; \
	VADDPS Y13, Y1, Y1 ; \
	VDIVPS Y1, Y13, Y0

// TPOLY is one Horner step of the tanh polynomial in Y3, z in Y2.
#define TPOLY(coef) VBROADCASTSS coef, Y4 ; VFMADD213PS Y4, Y2, Y3

// TANH sets Y0 = tanh(Y0): x + x·z·P(z) (z = x²) for |x| < 0.625, else
// sign(x)·(1 - 2/(e^2|x| + 1)). Y1..Y5, Y7 scratch; Y6 = abs mask.
#define TANH \
	VANDPS Y6, Y0, Y5 ; \
	VANDNPS Y0, Y6, Y7 ; \
	VADDPS Y5, Y5, Y0 ; \
	VMINPS Y0, Y8, Y0 ; \
	EXPCORE ; \
	VADDPS Y13, Y1, Y1 ; \
	VADDPS Y13, Y13, Y2 ; \
	VDIVPS Y1, Y2, Y1 ; \
	VSUBPS Y1, Y13, Y1 ; \
	VMULPS Y5, Y5, Y2 ; \
	VBROADCASTSS sigc<>+56(SB), Y3 ; \
	TPOLY(sigc<>+60(SB)) ; \
	TPOLY(sigc<>+64(SB)) ; \
	TPOLY(sigc<>+68(SB)) ; \
	TPOLY(sigc<>+72(SB)) ; \
	VMULPS Y2, Y3, Y3 ; \
	VFMADD213PS Y5, Y5, Y3 ; \
	VBROADCASTSS sigc<>+76(SB), Y4 ; \
	VCMPPS $1, Y4, Y5, Y2 ; \
	VBLENDVPS Y2, Y3, Y1, Y1 ; \
	VORPS Y7, Y1, Y0

// func sigmoidBias256(n int, y *float32, b *float32)
//
// y[i] = 1/(1+e^-(y[i]+b[i])) for i < n (AVX2).
TEXT ·sigmoidBias256(SB), NOSPLIT, $0-24
	MOVQ n+0(FP), CX
	MOVQ y+8(FP), DI
	MOVQ b+16(FP), SI
	VBROADCASTSS sigc<>+0(SB), Y8
	VBROADCASTSS sigc<>+4(SB), Y9
	VBROADCASTSS sigc<>+8(SB), Y10
	VBROADCASTSS sigc<>+12(SB), Y11
	VBROADCASTSS sigc<>+16(SB), Y12
	VBROADCASTSS sigc<>+20(SB), Y13
	VPBROADCASTD sigc<>+48(SB), Y14
	MOVQ CX, DX
	SHRQ $3, CX
	JEQ  tail

loop:
	VMOVUPS (DI), Y0
	VADDPS  (SI), Y0, Y0
	SIGMOID
	VMOVUPS Y0, (DI)
	ADDQ    $32, DI
	ADDQ    $32, SI
	DECQ    CX
	JNZ     loop

tail:
	ANDQ $7, DX
	JEQ  done
	SHLQ $2, DX
	LEAQ smask<>+32(SB), CX
	SUBQ DX, CX
	VMOVDQU    (CX), Y15
	VMASKMOVPS (DI), Y15, Y0
	VMASKMOVPS (SI), Y15, Y5
	VADDPS     Y5, Y0, Y0
	SIGMOID
	VMASKMOVPS Y0, Y15, (DI)

done:
	VZEROUPPER
	RET

// func tanhBias256(n int, y *float32, b *float32)
//
// y[i] = tanh(y[i]+b[i]) for i < n (AVX2).
TEXT ·tanhBias256(SB), NOSPLIT, $0-24
	MOVQ n+0(FP), CX
	MOVQ y+8(FP), DI
	MOVQ b+16(FP), SI
	VBROADCASTSS sigc<>+0(SB), Y8
	VBROADCASTSS sigc<>+4(SB), Y9
	VBROADCASTSS sigc<>+8(SB), Y10
	VBROADCASTSS sigc<>+12(SB), Y11
	VBROADCASTSS sigc<>+16(SB), Y12
	VBROADCASTSS sigc<>+20(SB), Y13
	VPBROADCASTD sigc<>+48(SB), Y14
	VBROADCASTSS sigc<>+80(SB), Y6
	MOVQ CX, DX
	SHRQ $3, CX
	JEQ  ttail

tloop:
	VMOVUPS (DI), Y0
	VADDPS  (SI), Y0, Y0
	TANH
	VMOVUPS Y0, (DI)
	ADDQ    $32, DI
	ADDQ    $32, SI
	DECQ    CX
	JNZ     tloop

ttail:
	ANDQ $7, DX
	JEQ  tdone
	SHLQ $2, DX
	LEAQ smask<>+32(SB), CX
	SUBQ DX, CX
	VMOVDQU    (CX), Y15
	VMASKMOVPS (DI), Y15, Y0
	VMASKMOVPS (SI), Y15, Y5
	VADDPS     Y5, Y0, Y0
	TANH
	VMASKMOVPS Y0, Y15, (DI)

tdone:
	VZEROUPPER
	RET

// The AVX-512 forms: the macros above with 16 lanes (Z for Y), and the
// blend of TANH as a masked move. Every lane computes what the AVX2 kernels
// compute, bit for bit.

#define POLY512(coef) VBROADCASTSS coef, Z4 ; VFMADD213PS Z4, Z0, Z1

#define EXPCORE512 \
	VMULPS Z10, Z0, Z1 ; \
	VCVTPS2DQ Z1, Z2 ; \
	VCVTDQ2PS Z2, Z1 ; \
	VFNMADD231PS Z11, Z1, Z0 ; \
	VFNMADD231PS Z12, Z1, Z0 ; \
	VBROADCASTSS sigc<>+24(SB), Z1 ; \
	POLY512(sigc<>+28(SB)) ; \
	POLY512(sigc<>+32(SB)) ; \
	POLY512(sigc<>+36(SB)) ; \
	POLY512(sigc<>+40(SB)) ; \
	POLY512(sigc<>+44(SB)) ; \
	VMULPS Z0, Z0, Z3 ; \
	VFMADD213PS Z0, Z3, Z1 ; \
	VADDPS Z13, Z1, Z1 ; \
	VPADDD Z14, Z2, Z2 ; \
	VPSLLD $23, Z2, Z2 ; \
	VMULPS Z2, Z1, Z1

#define SIGMOID512 \
	VXORPS Z1, Z1, Z1 ; \
	VSUBPS Z0, Z1, Z0 ; \
	VMINPS Z0, Z8, Z0 ; \
	VMAXPS Z0, Z9, Z0 ; \
	EXPCORE512 ; \
	VADDPS Z13, Z1, Z1 ; \
	VDIVPS Z1, Z13, Z0

#define TPOLY512(coef) VBROADCASTSS coef, Z4 ; VFMADD213PS Z4, Z2, Z3

#define TANH512 \
	VANDPS Z6, Z0, Z5 ; \
	VANDNPS Z0, Z6, Z7 ; \
	VADDPS Z5, Z5, Z0 ; \
	VMINPS Z0, Z8, Z0 ; \
	EXPCORE512 ; \
	VADDPS Z13, Z1, Z1 ; \
	VADDPS Z13, Z13, Z2 ; \
	VDIVPS Z1, Z2, Z1 ; \
	VSUBPS Z1, Z13, Z1 ; \
	VMULPS Z5, Z5, Z2 ; \
	VBROADCASTSS sigc<>+56(SB), Z3 ; \
	TPOLY512(sigc<>+60(SB)) ; \
	TPOLY512(sigc<>+64(SB)) ; \
	TPOLY512(sigc<>+68(SB)) ; \
	TPOLY512(sigc<>+72(SB)) ; \
	VMULPS Z2, Z3, Z3 ; \
	VFMADD213PS Z5, Z5, Z3 ; \
	VBROADCASTSS sigc<>+76(SB), Z4 ; \
	VCMPPS $1, Z4, Z5, K2 ; \
	VMOVAPS Z3, K2, Z1 ; \
	VORPS Z7, Z1, Z0

// func sigmoidBias512(n int, y *float32, b *float32)
//
// sigmoidBias256 with AVX-512: the same operations in 16 lanes, the last vector
// masked; n > 0.
TEXT ·sigmoidBias512(SB), NOSPLIT, $0-24
	MOVQ n+0(FP), CX
	MOVQ y+8(FP), DI
	MOVQ b+16(FP), SI
	VBROADCASTSS sigc<>+0(SB), Z8
	VBROADCASTSS sigc<>+4(SB), Z9
	VBROADCASTSS sigc<>+8(SB), Z10
	VBROADCASTSS sigc<>+12(SB), Z11
	VBROADCASTSS sigc<>+16(SB), Z12
	VBROADCASTSS sigc<>+20(SB), Z13
	VPBROADCASTD sigc<>+48(SB), Z14
	MOVQ CX, DX
	SHRQ $4, CX
	JEQ  sigmoidBiastail

sigmoidBiasloop:
	VMOVUPS (DI), Z0
	VADDPS  (SI), Z0, Z0
	SIGMOID512
	VMOVUPS Z0, (DI)
	ADDQ    $64, DI
	ADDQ    $64, SI
	DECQ    CX
	JNZ     sigmoidBiasloop

sigmoidBiastail:
	ANDQ $15, DX
	JEQ  sigmoidBiasdone
	MOVL $1, AX
	MOVQ DX, CX
	SHLL CX, AX
	DECL AX
	KMOVW AX, K1
	VMOVUPS.Z (DI), K1, Z0
	VMOVUPS.Z (SI), K1, Z5
	VADDPS  Z5, Z0, Z0
	SIGMOID512
	VMOVUPS Z0, K1, (DI)

sigmoidBiasdone:
	VZEROUPPER
	RET

// func tanhBias512(n int, y *float32, b *float32)
//
// tanhBias256 with AVX-512: the same operations in 16 lanes, the last vector
// masked; n > 0.
TEXT ·tanhBias512(SB), NOSPLIT, $0-24
	MOVQ n+0(FP), CX
	MOVQ y+8(FP), DI
	MOVQ b+16(FP), SI
	VBROADCASTSS sigc<>+0(SB), Z8
	VBROADCASTSS sigc<>+4(SB), Z9
	VBROADCASTSS sigc<>+8(SB), Z10
	VBROADCASTSS sigc<>+12(SB), Z11
	VBROADCASTSS sigc<>+16(SB), Z12
	VBROADCASTSS sigc<>+20(SB), Z13
	VPBROADCASTD sigc<>+48(SB), Z14
	VBROADCASTSS sigc<>+80(SB), Z6
	MOVQ CX, DX
	SHRQ $4, CX
	JEQ  tanhBiastail

tanhBiasloop:
	VMOVUPS (DI), Z0
	VADDPS  (SI), Z0, Z0
	TANH512
	VMOVUPS Z0, (DI)
	ADDQ    $64, DI
	ADDQ    $64, SI
	DECQ    CX
	JNZ     tanhBiasloop

tanhBiastail:
	ANDQ $15, DX
	JEQ  tanhBiasdone
	MOVL $1, AX
	MOVQ DX, CX
	SHLL CX, AX
	DECL AX
	KMOVW AX, K1
	VMOVUPS.Z (DI), K1, Z0
	VMOVUPS.Z (SI), K1, Z5
	VADDPS  Z5, Z0, Z0
	TANH512
	VMOVUPS Z0, K1, (DI)

tanhBiasdone:
	VZEROUPPER
	RET

// func reluBias512(n int, y *float32, b *float32)
//
// y[i] = max(0, y[i]+b[i]) for i < n, NaN and −0 kept as Go's v < 0 test
// keeps them (AVX-512, the last vector masked); n > 0.
TEXT ·reluBias512(SB), NOSPLIT, $0-24
	MOVQ n+0(FP), CX
	MOVQ y+8(FP), DI
	MOVQ b+16(FP), SI
	VXORPS Z15, Z15, Z15
	MOVQ CX, DX
	SHRQ $4, CX
	JEQ  relutail

reluloop:
	VMOVUPS (DI), Z0
	VADDPS  (SI), Z0, Z0
	VMAXPS  Z0, Z15, Z0 // 0 > v ? 0 : v
	VMOVUPS Z0, (DI)
	ADDQ    $64, DI
	ADDQ    $64, SI
	DECQ    CX
	JNZ     reluloop

relutail:
	ANDQ $15, DX
	JEQ  reludone
	MOVL $1, AX
	MOVQ DX, CX
	SHLL CX, AX
	DECL AX
	KMOVW AX, K1
	VMOVUPS.Z (DI), K1, Z0
	VMOVUPS.Z (SI), K1, Z5
	VADDPS  Z5, Z0, Z0
	VMAXPS  Z0, Z15, Z0
	VMOVUPS Z0, K1, (DI)

reludone:
	VZEROUPPER
	RET

// SIGMOIDRCP sets Y0 = 1/(1+e^-Y0) as SIGMOID does, but with the reciprocal
// estimate refined by one Newton step (r ← r + r·(1 − d·r), about 23 bits)
// instead of a division; Y1..Y4, Y7 scratch.
#define SIGMOIDRCP \
	VXORPS Y1, Y1, Y1 ; \
	VSUBPS Y0, Y1, Y0 ; \
	VMINPS Y0, Y8, Y0 ; \
	VMAXPS Y0, Y9, Y0 ; \
	EXPCORE ; \
	VADDPS Y13, Y1, Y1 ; \
	VRCPPS Y1, Y0 ; \
	VMOVAPS Y13, Y7 ; \
	VFNMADD231PS Y0, Y1, Y7 ; \
	VFMADD231PS Y7, Y0, Y0

// func axpySigmoid256(n int, a float32, dst, q, p *float32)
//
// dst[i] = 1/(1+e^-(q[i]+a·p[i])) for i < n (AVX2).
TEXT ·axpySigmoid256(SB), NOSPLIT, $0-40
	MOVQ n+0(FP), CX
	VBROADCASTSS a+8(FP), Y6
	MOVQ dst+16(FP), DI
	MOVQ q+24(FP), SI
	MOVQ p+32(FP), BX
	VBROADCASTSS sigc<>+0(SB), Y8
	VBROADCASTSS sigc<>+4(SB), Y9
	VBROADCASTSS sigc<>+8(SB), Y10
	VBROADCASTSS sigc<>+12(SB), Y11
	VBROADCASTSS sigc<>+16(SB), Y12
	VBROADCASTSS sigc<>+20(SB), Y13
	VPBROADCASTD sigc<>+48(SB), Y14
	MOVQ CX, DX
	SHRQ $3, CX
	JEQ  atail

aloop:
	VMOVUPS     (SI), Y0
	VFMADD231PS (BX), Y6, Y0
	SIGMOIDRCP
	VMOVUPS     Y0, (DI)
	ADDQ        $32, DI
	ADDQ        $32, SI
	ADDQ        $32, BX
	DECQ        CX
	JNZ         aloop

atail:
	ANDQ $7, DX
	JEQ  adone
	SHLQ $2, DX
	LEAQ smask<>+32(SB), CX
	SUBQ DX, CX
	VMOVDQU     (CX), Y15
	VMASKMOVPS  (SI), Y15, Y0
	VMASKMOVPS  (BX), Y15, Y5
	VFMADD231PS Y5, Y6, Y0
	SIGMOIDRCP
	VMASKMOVPS  Y0, Y15, (DI)

adone:
	VZEROUPPER
	RET
