//go:build !purego

#include "textflag.h"

// func transpose8(k8 int, src *float32, lds int, dst *float32, ldd int)
//
// Transposes 8 rows × 8·k8 columns of src (row stride lds) into dst:
// dst[p*ldd + r] = src[r*lds + p] for r < 8, p < 8·k8. k8 must be > 0.
TEXT ·transpose8(SB), NOSPLIT, $0-40
	MOVQ k8+0(FP), CX
	MOVQ src+8(FP), SI
	MOVQ lds+16(FP), R8
	SHLQ $2, R8
	LEAQ (R8)(R8*2), R9
	LEAQ (SI)(R8*4), R10
	MOVQ dst+24(FP), DI
	MOVQ ldd+32(FP), R11
	SHLQ $2, R11
	LEAQ (R11)(R11*2), R12
	LEAQ (DI)(R11*4), R13

loop:
	// Rows a..h, eight columns each.
	VMOVUPS (SI), Y0
	VMOVUPS (SI)(R8*1), Y1
	VMOVUPS (SI)(R8*2), Y2
	VMOVUPS (SI)(R9*1), Y3
	VMOVUPS (R10), Y4
	VMOVUPS (R10)(R8*1), Y5
	VMOVUPS (R10)(R8*2), Y6
	VMOVUPS (R10)(R9*1), Y7

	// Interleave pairs of rows: a0 b0 a1 b1 | a4 b4 a5 b5 ...
	VUNPCKLPS Y1, Y0, Y8
	VUNPCKHPS Y1, Y0, Y9
	VUNPCKLPS Y3, Y2, Y10
	VUNPCKHPS Y3, Y2, Y11
	VUNPCKLPS Y5, Y4, Y12
	VUNPCKHPS Y5, Y4, Y13
	VUNPCKLPS Y7, Y6, Y14
	VUNPCKHPS Y7, Y6, Y15

	// Quads: a0 b0 c0 d0 | a4 b4 c4 d4 ...
	VSHUFPS $0x44, Y10, Y8, Y0
	VSHUFPS $0xEE, Y10, Y8, Y1
	VSHUFPS $0x44, Y11, Y9, Y2
	VSHUFPS $0xEE, Y11, Y9, Y3
	VSHUFPS $0x44, Y14, Y12, Y4
	VSHUFPS $0xEE, Y14, Y12, Y5
	VSHUFPS $0x44, Y15, Y13, Y6
	VSHUFPS $0xEE, Y15, Y13, Y7

	// Whole columns: a0 .. h0.
	VPERM2F128 $0x20, Y4, Y0, Y8
	VPERM2F128 $0x20, Y5, Y1, Y9
	VPERM2F128 $0x20, Y6, Y2, Y10
	VPERM2F128 $0x20, Y7, Y3, Y11
	VPERM2F128 $0x31, Y4, Y0, Y12
	VPERM2F128 $0x31, Y5, Y1, Y13
	VPERM2F128 $0x31, Y6, Y2, Y14
	VPERM2F128 $0x31, Y7, Y3, Y15

	VMOVUPS Y8, (DI)
	VMOVUPS Y9, (DI)(R11*1)
	VMOVUPS Y10, (DI)(R11*2)
	VMOVUPS Y11, (DI)(R12*1)
	VMOVUPS Y12, (R13)
	VMOVUPS Y13, (R13)(R11*1)
	VMOVUPS Y14, (R13)(R11*2)
	VMOVUPS Y15, (R13)(R12*1)

	ADDQ $32, SI
	ADDQ $32, R10
	LEAQ (DI)(R11*8), DI
	LEAQ (R13)(R11*8), R13
	DECQ CX
	JNZ  loop
	VZEROUPPER
	RET

// func transpose4(k4 int, src *float32, lds int, dst *float32, ldd int)
//
// Transposes 4 rows × 4·k4 columns of src (row stride lds) into dst:
// dst[p*ldd + r] = src[r*lds + p] for r < 4, p < 4·k4. k4 must be > 0.
TEXT ·transpose4(SB), NOSPLIT, $0-40
	MOVQ k4+0(FP), CX
	MOVQ src+8(FP), SI
	MOVQ lds+16(FP), R8
	SHLQ $2, R8
	LEAQ (R8)(R8*2), R9
	MOVQ dst+24(FP), DI
	MOVQ ldd+32(FP), R11
	SHLQ $2, R11
	LEAQ (R11)(R11*2), R12

loop4:
	VMOVUPS   (SI), X0
	VMOVUPS   (SI)(R8*1), X1
	VMOVUPS   (SI)(R8*2), X2
	VMOVUPS   (SI)(R9*1), X3
	VUNPCKLPS X1, X0, X4
	VUNPCKHPS X1, X0, X5
	VUNPCKLPS X3, X2, X6
	VUNPCKHPS X3, X2, X7
	VSHUFPS   $0x44, X6, X4, X0
	VSHUFPS   $0xEE, X6, X4, X1
	VSHUFPS   $0x44, X7, X5, X2
	VSHUFPS   $0xEE, X7, X5, X3
	VMOVUPS   X0, (DI)
	VMOVUPS   X1, (DI)(R11*1)
	VMOVUPS   X2, (DI)(R11*2)
	VMOVUPS   X3, (DI)(R12*1)
	ADDQ      $16, SI
	LEAQ      (DI)(R11*4), DI
	DECQ      CX
	JNZ       loop4
	RET
