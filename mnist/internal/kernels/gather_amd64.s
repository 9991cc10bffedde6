//go:build !purego

#include "textflag.h"

// func normalize512(n int, dst *float32, src *uint8, scale, shift float64)
//
// dst[i] = float32(fma(float64(src[i]), scale, shift)) for i < n; n is a
// multiple of 16 (and > 0).
TEXT ·normalize512(SB), NOSPLIT, $0-40
	MOVQ n+0(FP), CX
	MOVQ dst+8(FP), DI
	MOVQ src+16(FP), SI
	VBROADCASTSD scale+24(FP), Z30
	VBROADCASTSD shift+32(FP), Z31
	SHRQ $4, CX

loop:
	VPMOVZXBD (SI), Y0
	VPMOVZXBD 8(SI), Y1
	VCVTDQ2PD Y0, Z0
	VCVTDQ2PD Y1, Z1
	VFMADD213PD Z31, Z30, Z0
	VFMADD213PD Z31, Z30, Z1
	VCVTPD2PS Z0, Y0
	VCVTPD2PS Z1, Y1
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	ADDQ $16, SI
	ADDQ $64, DI
	DECQ CX
	JNZ loop
	VZEROUPPER
	RET

// func normalize256(n int, dst *float32, src *uint8, scale, shift float64)
//
// normalize512 with AVX2; n is a multiple of 8 (and > 0).
TEXT ·normalize256(SB), NOSPLIT, $0-40
	MOVQ n+0(FP), CX
	MOVQ dst+8(FP), DI
	MOVQ src+16(FP), SI
	VBROADCASTSD scale+24(FP), Y14
	VBROADCASTSD shift+32(FP), Y15
	SHRQ $3, CX

loop:
	VPMOVZXBD (SI), X0
	VPMOVZXBD 4(SI), X1
	VCVTDQ2PD X0, Y0
	VCVTDQ2PD X1, Y1
	VFMADD213PD Y15, Y14, Y0
	VFMADD213PD Y15, Y14, Y1
	VCVTPD2PSY Y0, X0
	VCVTPD2PSY Y1, X1
	VMOVUPS X0, (DI)
	VMOVUPS X1, 16(DI)
	ADDQ $8, SI
	ADDQ $32, DI
	DECQ CX
	JNZ loop
	VZEROUPPER
	RET

// func prefetchLines(p *uint8, n int)
//
// PREFETCHT0 for each cache line that holds a byte of p[0:n]; n > 0.
TEXT ·prefetchLines(SB), NOSPLIT, $0-16
	MOVQ p+0(FP), SI
	MOVQ n+8(FP), CX
	LEAQ -1(SI)(CX*1), DX // last byte
	ANDQ $-64, SI
	ANDQ $-64, DX

next:
	PREFETCHT0 (SI)
	ADDQ $64, SI
	CMPQ SI, DX
	JLE next
	RET
