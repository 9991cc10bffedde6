//go:build !purego

#include "textflag.h"

DATA gone<>+0(SB)/4, $0x3f800000 // 1.0
GLOBL gone<>(SB), RODATA|NOPTR, $4

// func sigmoidGrad256(n int, d, a *float32)
//
// d[i] *= a[i]·(1 − a[i]) for i < n, n a positive multiple of 8.
TEXT ·sigmoidGrad256(SB), NOSPLIT, $0-24
	MOVQ n+0(FP), CX
	MOVQ d+8(FP), DI
	MOVQ a+16(FP), SI
	VBROADCASTSS gone<>(SB), Y15
	SHRQ $3, CX

loop:
	VMOVUPS (SI), Y0
	VSUBPS Y0, Y15, Y1 // 1 − a
	VMULPS Y1, Y0, Y1  // a·(1 − a)
	VMULPS (DI), Y1, Y1
	VMOVUPS Y1, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNZ loop
	VZEROUPPER
	RET

// func tanhGrad256(n int, d, a *float32)
//
// d[i] *= 1 − a[i]·a[i] for i < n, n a positive multiple of 8.
TEXT ·tanhGrad256(SB), NOSPLIT, $0-24
	MOVQ n+0(FP), CX
	MOVQ d+8(FP), DI
	MOVQ a+16(FP), SI
	VBROADCASTSS gone<>(SB), Y15
	SHRQ $3, CX

loop:
	VMOVUPS (SI), Y0
	VMULPS Y0, Y0, Y0  // a²
	VSUBPS Y0, Y15, Y1 // 1 − a²
	VMULPS (DI), Y1, Y1
	VMOVUPS Y1, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNZ loop
	VZEROUPPER
	RET

// func reluGrad256(n int, d, a *float32)
//
// d[i] = 0 where a[i] ≤ 0 (ordered: NaN keeps d[i]) for i < n, n a
// positive multiple of 8.
TEXT ·reluGrad256(SB), NOSPLIT, $0-24
	MOVQ n+0(FP), CX
	MOVQ d+8(FP), DI
	MOVQ a+16(FP), SI
	VXORPS Y15, Y15, Y15
	SHRQ $3, CX

loop:
	VMOVUPS (SI), Y0
	VCMPPS $0x12, Y15, Y0, Y1 // a ≤ 0 (LE_OQ)
	VANDNPS (DI), Y1, Y1      // d where not
	VMOVUPS Y1, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNZ loop
	VZEROUPPER
	RET
