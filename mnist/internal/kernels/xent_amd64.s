//go:build !purego

#include "textflag.h"

// The loss landscape's cross-entropy over feature-major logits, one image
// in each of the 16 lanes: e^t as Cephes expf (t = n·ln2 + r, |r| ≤ ln2/2,
// 2ⁿ by VSCALEFPS) with t clamped below at -87.3, log s as Cephes logf
// (s = 2ᵉ·m, m ∈ (√½, √2], VGETEXPPS/VGETMANTPS), as xent.go's
// crossEntropyGo.
DATA xc<>+0(SB)/4, $0xc2ae999a  // lo = -87.3
DATA xc<>+4(SB)/4, $0x3fb8aa3b  // log2e
DATA xc<>+8(SB)/4, $0x3f318000  // ln2hi
DATA xc<>+12(SB)/4, $0xb95e8083 // ln2lo
DATA xc<>+16(SB)/4, $0x3f800000 // one
DATA xc<>+20(SB)/4, $0x39506967 // expf c5
DATA xc<>+24(SB)/4, $0x3ab743ce // c4
DATA xc<>+28(SB)/4, $0x3c088908 // c3
DATA xc<>+32(SB)/4, $0x3d2aa9c1 // c2
DATA xc<>+36(SB)/4, $0x3e2aaaaa // c1
DATA xc<>+40(SB)/4, $0x3f000000 // c0
DATA xc<>+44(SB)/4, $0x3fb504f3 // √2
DATA xc<>+48(SB)/4, $0x3f000000 // ½
DATA xc<>+52(SB)/4, $0x3d9021bb // logf l8 = 7.0376836292e-2
DATA xc<>+56(SB)/4, $0xbdebd1b8 // l7 = -1.1514610310e-1
DATA xc<>+60(SB)/4, $0x3def251a // l6 = 1.1676998740e-1
DATA xc<>+64(SB)/4, $0xbdfe5d4f // l5 = -1.2420140846e-1
DATA xc<>+68(SB)/4, $0x3e11e9bf // l4 = 1.4249322787e-1
DATA xc<>+72(SB)/4, $0xbe2aae50 // l3 = -1.6668057665e-1
DATA xc<>+76(SB)/4, $0x3e4cceac // l2 = 2.0000714765e-1
DATA xc<>+80(SB)/4, $0xbe7ffffc // l1 = -2.4999993993e-1
DATA xc<>+84(SB)/4, $0x3eaaaaaa // l0 = 3.3333331174e-1
DATA xc<>+88(SB)/4, $0xbf000000 // -½
DATA xc<>+92(SB)/4, $0x7fc00000 // NaN
DATA xc<>+96(SB)/4, $1          // 1 (int32)
DATA xc<>+100(SB)/4, $127       // exponent bias (int32)
DATA xc<>+104(SB)/4, $0x007fffff // mantissa bits
GLOBL xc<>(SB), RODATA|NOPTR, $108

// func xent512(z *float32, ld, blocks, classes int, labels *uint8) (loss float64, correct int)
//
// Per block of 16 images: pass 1 over the classes keeps the running
// largest logit (strictly larger replaces it, so ties keep the first), its
// class and the label's logit (NaN until a class matches); pass 2 sums
// e^{z−m}; then (m − z_y) + log s is added, in float64, to Z13/Z14.
TEXT ·xent512(SB), NOSPLIT, $0-56
	MOVQ z+0(FP), SI
	MOVQ ld+8(FP), R8
	SHLQ $2, R8
	MOVQ blocks+16(FP), CX
	MOVQ labels+32(FP), DX
	VBROADCASTSS xc<>+0(SB), Z20
	VBROADCASTSS xc<>+4(SB), Z21
	VBROADCASTSS xc<>+8(SB), Z22
	VBROADCASTSS xc<>+12(SB), Z23
	VBROADCASTSS xc<>+16(SB), Z24
	VBROADCASTSS xc<>+20(SB), Z25
	VBROADCASTSS xc<>+24(SB), Z26
	VBROADCASTSS xc<>+28(SB), Z27
	VBROADCASTSS xc<>+32(SB), Z28
	VBROADCASTSS xc<>+36(SB), Z29
	VBROADCASTSS xc<>+40(SB), Z30
	VBROADCASTSS xc<>+92(SB), Z31
	VPBROADCASTD xc<>+96(SB), Z19
	VBROADCASTSS xc<>+44(SB), Z15
	VBROADCASTSS xc<>+48(SB), Z16
	VBROADCASTSS xc<>+88(SB), Z17
	VBROADCASTSS xc<>+52(SB), Z18
	VXORPD Z13, Z13, Z13
	VXORPD Z14, Z14, Z14
	XORQ R9, R9

block:
	// pass 1: m (Z0), its class (Z1), the label's logit (Z3)
	VMOVUPS   (SI), Z0
	VPXORD    Z1, Z1, Z1
	VPMOVZXBD (DX), Z2
	VMOVAPS   Z31, Z3
	VPXORD    Z4, Z4, Z4
	VPCMPEQD  Z4, Z2, K1
	VMOVAPS   Z0, K1, Z3
	MOVQ      SI, BX
	MOVQ      classes+24(FP), R10
	DECQ      R10
	JEQ       sums

argmax:
	ADDQ      R8, BX
	VPADDD    Z19, Z4, Z4
	VMOVUPS   (BX), Z6
	VCMPPS    $0x1e, Z0, Z6, K2 // z_j > m, ordered
	VMOVAPS   Z6, K2, Z0
	VMOVDQA32 Z4, K2, Z1
	VPCMPEQD  Z4, Z2, K1
	VMOVAPS   Z6, K1, Z3
	DECQ      R10
	JNZ       argmax

sums:
	// pass 2: s (Z5) = Σ e^{max(z_j − m, lo)}
	VXORPS Z5, Z5, Z5
	MOVQ   SI, BX
	MOVQ   classes+24(FP), R10

exps:
	VMOVUPS      (BX), Z6
	VSUBPS       Z0, Z6, Z6
	VMAXPS       Z6, Z20, Z6 // NaN stays NaN
	VMULPS       Z21, Z6, Z7
	VRNDSCALEPS  $0, Z7, Z7
	VFNMADD231PS Z22, Z7, Z6
	VFNMADD231PS Z23, Z7, Z6
	VMOVAPS      Z25, Z8
	VFMADD213PS  Z26, Z6, Z8
	VFMADD213PS  Z27, Z6, Z8
	VFMADD213PS  Z28, Z6, Z8
	VFMADD213PS  Z29, Z6, Z8
	VFMADD213PS  Z30, Z6, Z8
	VMULPS       Z6, Z6, Z9
	VFMADD213PS  Z6, Z9, Z8
	VADDPS       Z24, Z8, Z8
	VSCALEFPS    Z7, Z8, Z8
	VADDPS       Z8, Z5, Z5
	ADDQ         R8, BX
	DECQ         R10
	JNZ          exps

	// log s: s = 2ᵉ·m, m ∈ [1, 2), moved to (√½, √2]; x = m − 1
	VGETEXPPS   Z5, Z9
	VGETMANTPS  $0, Z5, Z10
	VCMPPS      $0x1e, Z15, Z10, K3
	VMULPS      Z16, Z10, K3, Z10
	VADDPS      Z24, Z9, K3, Z9
	VSUBPS      Z24, Z10, Z10
	VMOVAPS     Z18, Z11
	VFMADD213PS.BCST xc<>+56(SB), Z10, Z11
	VFMADD213PS.BCST xc<>+60(SB), Z10, Z11
	VFMADD213PS.BCST xc<>+64(SB), Z10, Z11
	VFMADD213PS.BCST xc<>+68(SB), Z10, Z11
	VFMADD213PS.BCST xc<>+72(SB), Z10, Z11
	VFMADD213PS.BCST xc<>+76(SB), Z10, Z11
	VFMADD213PS.BCST xc<>+80(SB), Z10, Z11
	VFMADD213PS.BCST xc<>+84(SB), Z10, Z11
	VMULPS      Z10, Z10, Z12 // z = x²
	VMULPS      Z10, Z11, Z11
	VMULPS      Z12, Z11, Z11 // y = P(x)·x·z
	VFMADD231PS Z23, Z9, Z11  // y += e·ln2lo
	VFMADD231PS Z17, Z12, Z11 // y −= z/2
	VADDPS      Z11, Z10, Z10
	VFMADD231PS Z22, Z9, Z10  // log s = x + y + e·ln2hi

	// (m − z_y) + log s, summed in float64; right answers counted
	VSUBPS        Z3, Z0, Z6
	VADDPS        Z10, Z6, Z6
	VCVTPS2PD     Y6, Z7
	VADDPD        Z7, Z13, Z13
	VEXTRACTF32X8 $1, Z6, Y8
	VCVTPS2PD     Y8, Z8
	VADDPD        Z8, Z14, Z14
	VPCMPEQD      Z1, Z2, K4
	KMOVW         K4, AX
	POPCNTL       AX, AX
	ADDQ          AX, R9

	ADDQ $64, SI
	ADDQ $16, DX
	DECQ CX
	JNZ  block

	VADDPD        Z14, Z13, Z13
	VEXTRACTF64X4 $1, Z13, Y14
	VADDPD        Y14, Y13, Y13
	VEXTRACTF128  $1, Y13, X14
	VADDPD        X14, X13, X13
	VPERMILPD     $1, X13, X14
	VADDSD        X14, X13, X13
	MOVSD         X13, loss+40(FP)
	MOVQ          R9, correct+48(FP)
	VZEROUPPER
	RET

// func xent256(z *float32, ld, blocks, classes int, labels *uint8) (loss float64, correct int)
//
// xent512 for AVX2+FMA, 8 images a block: the masks are lanes of ones
// (VBLENDVPS), 2ⁿ is built in the exponent bits, log s splits s's bits
// itself, and a NaN s is carried to the loss by an unordered compare.
// Constants other than one (Y15) and lo (Y14) are broadcast where used.
TEXT ·xent256(SB), NOSPLIT, $0-56
	MOVQ z+0(FP), SI
	MOVQ ld+8(FP), R8
	SHLQ $2, R8
	MOVQ blocks+16(FP), CX
	MOVQ labels+32(FP), DX
	VBROADCASTSS xc<>+16(SB), Y15
	VBROADCASTSS xc<>+0(SB), Y14
	VXORPD Y12, Y12, Y12
	VXORPD Y13, Y13, Y13
	XORQ R9, R9
block:
	VMOVUPS (SI), Y0
	VPXOR Y1, Y1, Y1
	VPMOVZXBD (DX), Y2
	VBROADCASTSS xc<>+92(SB), Y3
	VPXOR Y4, Y4, Y4
	VPCMPEQD Y4, Y2, Y7
	VBLENDVPS Y7, Y0, Y3, Y3
	MOVQ SI, BX
	MOVQ classes+24(FP), R10
	DECQ R10
	JEQ sums
argmax:
	ADDQ R8, BX
	VPBROADCASTD xc<>+96(SB), Y9
	VPADDD Y9, Y4, Y4
	VMOVUPS (BX), Y6
	VCMPPS $0x1e, Y0, Y6, Y7
	VBLENDVPS Y7, Y6, Y0, Y0
	VBLENDVPS Y7, Y4, Y1, Y1
	VPCMPEQD Y4, Y2, Y8
	VBLENDVPS Y8, Y6, Y3, Y3
	DECQ R10
	JNZ argmax
sums:
	VXORPS Y5, Y5, Y5
	MOVQ SI, BX
	MOVQ classes+24(FP), R10
exps:
	VMOVUPS (BX), Y6
	VSUBPS Y0, Y6, Y6
	VMAXPS Y6, Y14, Y6 // NaN stays NaN
	VBROADCASTSS xc<>+4(SB), Y9
	VMULPS Y9, Y6, Y7
	VROUNDPS $0, Y7, Y7
	VBROADCASTSS xc<>+8(SB), Y9
	VFNMADD231PS Y9, Y7, Y6
	VBROADCASTSS xc<>+12(SB), Y9
	VFNMADD231PS Y9, Y7, Y6
	VBROADCASTSS xc<>+20(SB), Y8
	VBROADCASTSS xc<>+24(SB), Y9
	VFMADD213PS Y9, Y6, Y8
	VBROADCASTSS xc<>+28(SB), Y9
	VFMADD213PS Y9, Y6, Y8
	VBROADCASTSS xc<>+32(SB), Y9
	VFMADD213PS Y9, Y6, Y8
	VBROADCASTSS xc<>+36(SB), Y9
	VFMADD213PS Y9, Y6, Y8
	VBROADCASTSS xc<>+40(SB), Y9
	VFMADD213PS Y9, Y6, Y8
	VMULPS Y6, Y6, Y9
	VFMADD213PS Y6, Y9, Y8
	VADDPS Y15, Y8, Y8
	VCVTPS2DQ Y7, Y10
	VPBROADCASTD xc<>+100(SB), Y9
	VPADDD Y9, Y10, Y10
	VPSLLD $23, Y10, Y10
	VMULPS Y10, Y8, Y8
	VADDPS Y8, Y5, Y5
	ADDQ R8, BX
	DECQ R10
	JNZ exps
	// log s: e from the exponent bits, m ∈ [1, 2) from the mantissa's, moved to (√½, √2]
	VPSRLD $23, Y5, Y9
	VPBROADCASTD xc<>+100(SB), Y10
	VPSUBD Y10, Y9, Y9
	VCVTDQ2PS Y9, Y9
	VPBROADCASTD xc<>+104(SB), Y10
	VPAND Y10, Y5, Y10
	VPOR Y15, Y10, Y10
	VBROADCASTSS xc<>+44(SB), Y11
	VCMPPS $0x1e, Y11, Y10, Y11
	VBROADCASTSS xc<>+48(SB), Y7
	VMULPS Y7, Y10, Y7
	VBLENDVPS Y11, Y7, Y10, Y10
	VANDPS Y15, Y11, Y7
	VADDPS Y7, Y9, Y9
	VSUBPS Y15, Y10, Y10
	VBROADCASTSS xc<>+52(SB), Y11
	VBROADCASTSS xc<>+56(SB), Y7
	VFMADD213PS Y7, Y10, Y11
	VBROADCASTSS xc<>+60(SB), Y7
	VFMADD213PS Y7, Y10, Y11
	VBROADCASTSS xc<>+64(SB), Y7
	VFMADD213PS Y7, Y10, Y11
	VBROADCASTSS xc<>+68(SB), Y7
	VFMADD213PS Y7, Y10, Y11
	VBROADCASTSS xc<>+72(SB), Y7
	VFMADD213PS Y7, Y10, Y11
	VBROADCASTSS xc<>+76(SB), Y7
	VFMADD213PS Y7, Y10, Y11
	VBROADCASTSS xc<>+80(SB), Y7
	VFMADD213PS Y7, Y10, Y11
	VBROADCASTSS xc<>+84(SB), Y7
	VFMADD213PS Y7, Y10, Y11
	VMULPS Y10, Y10, Y8 // z = x²
	VMULPS Y10, Y11, Y11
	VMULPS Y8, Y11, Y11 // y = P(x)·x·z
	VBROADCASTSS xc<>+12(SB), Y7
	VFMADD231PS Y7, Y9, Y11
	VBROADCASTSS xc<>+88(SB), Y7
	VFMADD231PS Y7, Y8, Y11
	VADDPS Y11, Y10, Y10
	VBROADCASTSS xc<>+8(SB), Y7
	VFMADD231PS Y7, Y9, Y10 // log s
	// (m − z_y) + log s, NaN where s is, summed in float64
	VCMPPS $3, Y5, Y5, Y7
	VSUBPS Y3, Y0, Y6
	VADDPS Y10, Y6, Y6
	VORPS Y7, Y6, Y6
	VCVTPS2PD X6, Y7
	VADDPD Y7, Y12, Y12
	VEXTRACTF128 $1, Y6, X8
	VCVTPS2PD X8, Y8
	VADDPD Y8, Y13, Y13
	VPCMPEQD Y1, Y2, Y7
	VMOVMSKPS Y7, AX
	POPCNTL AX, AX
	ADDQ AX, R9
	ADDQ $32, SI
	ADDQ $8, DX
	DECQ CX
	JNZ block
	VADDPD Y13, Y12, Y12
	VEXTRACTF128 $1, Y12, X13
	VADDPD X13, X12, X12
	VPERMILPD $1, X12, X13
	VADDSD X13, X12, X12
	MOVSD X12, loss+40(FP)
	MOVQ R9, correct+48(FP)
	VZEROUPPER
	RET

