//go:build !purego

#include "textflag.h"

// The constants of math.Exp on amd64 (Go's exp_amd64.s, after Shibata 2010,
// "Efficient evaluation methods of elementary functions suitable for SIMD
// computation"): log₂e, ln 2 split in a high and a low part, and the Taylor
// coefficients 1/8! … 1/3!, 1/2, 1, with 2 and 1/16.
DATA sxc<>+0(SB)/8, $1.4426950408889634073599246810018920
DATA sxc<>+8(SB)/8, $0.69314718055966295651160180568695068359375
DATA sxc<>+16(SB)/8, $0.28235290563031577122588448175013436025525412068e-12
DATA sxc<>+24(SB)/8, $0.0625
DATA sxc<>+32(SB)/8, $2.4801587301587301587e-5
DATA sxc<>+40(SB)/8, $1.9841269841269841270e-4
DATA sxc<>+48(SB)/8, $1.3888888888888888889e-3
DATA sxc<>+56(SB)/8, $8.3333333333333333333e-3
DATA sxc<>+64(SB)/8, $4.1666666666666666667e-2
DATA sxc<>+72(SB)/8, $1.6666666666666666667e-1
DATA sxc<>+80(SB)/8, $0.5
DATA sxc<>+88(SB)/8, $1.0
DATA sxc<>+96(SB)/8, $2.0
DATA sxc<>+104(SB)/4, $1023
DATA sxc<>+108(SB)/4, $0
DATA sxc<>+112(SB)/4, $0
DATA sxc<>+116(SB)/4, $1
DATA sxc<>+120(SB)/4, $2
DATA sxc<>+124(SB)/4, $3
DATA sxc<>+128(SB)/4, $4
DATA sxc<>+132(SB)/4, $5
DATA sxc<>+136(SB)/4, $6
DATA sxc<>+140(SB)/4, $7
GLOBL sxc<>(SB), RODATA|NOPTR, $144

// EXP8 sets Z0 = e^Z0 in each float64 lane with the operations of
// math.Exp's FMA path, in the same order, so the values are the same bit
// for bit. Lanes that math.Exp would send to its slow paths (a result below
// the normal range, an infinity or a NaN) are added to K4. Z1..Z3 and K3
// are scratch; the constants are in Z16..Z28, Y29 and Y15 (zero).
#define EXP8 \
	VMULPD Z16, Z0, Z1 ; \
	VCVTPD2DQ Z1, Y2 ; \
	VCVTDQ2PD Y2, Z1 ; \
	VFNMADD231PD Z17, Z1, Z0 ; \
	VFNMADD231PD Z18, Z1, Z0 ; \
	VMULPD Z19, Z0, Z0 ; \
	VMOVAPD Z20, Z1 ; \
	VFMADD213PD Z21, Z0, Z1 ; \
	VFMADD213PD Z22, Z0, Z1 ; \
	VFMADD213PD Z23, Z0, Z1 ; \
	VFMADD213PD Z24, Z0, Z1 ; \
	VFMADD213PD Z25, Z0, Z1 ; \
	VFMADD213PD Z26, Z0, Z1 ; \
	VFMADD213PD Z27, Z0, Z1 ; \
	VMULPD Z1, Z0, Z0 ; \
	VADDPD Z28, Z0, Z1 ; \
	VMULPD Z1, Z0, Z0 ; \
	VADDPD Z28, Z0, Z1 ; \
	VMULPD Z1, Z0, Z0 ; \
	VADDPD Z28, Z0, Z1 ; \
	VMULPD Z1, Z0, Z0 ; \
	VADDPD Z28, Z0, Z1 ; \
	VFMADD213PD Z27, Z1, Z0 ; \
	VPADDD Y29, Y2, Y2 ; \
	VPCMPD $2, Y15, Y2, K3 ; \
	KORB K3, K4, K4 ; \
	VPMOVZXDQ Y2, Z3 ; \
	VPSLLQ $52, Z3, Z3 ; \
	VMULPD Z3, Z0, Z0

// LOADROWS loads the 8 rows at SI (stride R10 bytes, lanes K1) into
// Z0..Z7; AX is scratch.
#define LOADROWS \
	MOVQ SI, AX ; \
	VMOVUPS.Z (AX), K1, Z0 ; ADDQ R10, AX ; \
	VMOVUPS.Z (AX), K1, Z1 ; ADDQ R10, AX ; \
	VMOVUPS.Z (AX), K1, Z2 ; ADDQ R10, AX ; \
	VMOVUPS.Z (AX), K1, Z3 ; ADDQ R10, AX ; \
	VMOVUPS.Z (AX), K1, Z4 ; ADDQ R10, AX ; \
	VMOVUPS.Z (AX), K1, Z5 ; ADDQ R10, AX ; \
	VMOVUPS.Z (AX), K1, Z6 ; ADDQ R10, AX ; \
	VMOVUPS.Z (AX), K1, Z7

// ROWS2COLS transposes the 8 rows of 16 floats in Z0..Z7 in three stages:
// pairs of rows interleaved (unpck*ps, into Z8..Z15), pairs of pairs
// (unpck*pd, back into Z0..Z7: lane k of Z(4a+b) holds rows 4a..4a+3 of
// column 4k+b), then 128-bit lanes (vshuff32x4, twice), so that Z16+2b
// holds columns b | 4+b and Z17+2b columns 8+b | 12+b, rows 0..7 in each
// half.
#define ROWS2COLS \
	VUNPCKLPS Z1, Z0, Z8 ; \
	VUNPCKHPS Z1, Z0, Z9 ; \
	VUNPCKLPS Z3, Z2, Z10 ; \
	VUNPCKHPS Z3, Z2, Z11 ; \
	VUNPCKLPS Z5, Z4, Z12 ; \
	VUNPCKHPS Z5, Z4, Z13 ; \
	VUNPCKLPS Z7, Z6, Z14 ; \
	VUNPCKHPS Z7, Z6, Z15 ; \
	VUNPCKLPD Z10, Z8, Z0 ; \
	VUNPCKHPD Z10, Z8, Z1 ; \
	VUNPCKLPD Z11, Z9, Z2 ; \
	VUNPCKHPD Z11, Z9, Z3 ; \
	VUNPCKLPD Z14, Z12, Z4 ; \
	VUNPCKHPD Z14, Z12, Z5 ; \
	VUNPCKLPD Z15, Z13, Z6 ; \
	VUNPCKHPD Z15, Z13, Z7 ; \
	LANES2COLS(Z0, Z4, Z16, Z17) ; \
	LANES2COLS(Z1, Z5, Z18, Z19) ; \
	LANES2COLS(Z2, Z6, Z20, Z21) ; \
	LANES2COLS(Z3, Z7, Z22, Z23)

// LANES2COLS sets Zlo to (lo[0], hi[0], lo[1], hi[1]) and Zhi to (lo[2],
// hi[2], lo[3], hi[3]) in 128-bit lanes.
#define LANES2COLS(lo, hi, Zlo, Zhi) \
	VSHUFF32X4 $0x44, hi, lo, Zlo ; \
	VSHUFF32X4 $0xD8, Zlo, Zlo, Zlo ; \
	VSHUFF32X4 $0xEE, hi, lo, Zhi ; \
	VSHUFF32X4 $0xD8, Zhi, Zhi, Zhi

// COLS2ROWS undoes ROWS2COLS: columns in Z16..Z23 as it leaves them, rows
// back in Z0..Z7.
#define COLS2ROWS \
	COLS2LANES(Z16, Z17, Z0, Z4) ; \
	COLS2LANES(Z18, Z19, Z1, Z5) ; \
	COLS2LANES(Z20, Z21, Z2, Z6) ; \
	COLS2LANES(Z22, Z23, Z3, Z7) ; \
	VUNPCKLPD Z1, Z0, Z8 ; \
	VUNPCKHPD Z1, Z0, Z10 ; \
	VUNPCKLPD Z3, Z2, Z9 ; \
	VUNPCKHPD Z3, Z2, Z11 ; \
	VUNPCKLPD Z5, Z4, Z12 ; \
	VUNPCKHPD Z5, Z4, Z14 ; \
	VUNPCKLPD Z7, Z6, Z13 ; \
	VUNPCKHPD Z7, Z6, Z15 ; \
	VSHUFPS $0x88, Z9, Z8, Z0 ; \
	VSHUFPS $0xDD, Z9, Z8, Z1 ; \
	VSHUFPS $0x88, Z11, Z10, Z2 ; \
	VSHUFPS $0xDD, Z11, Z10, Z3 ; \
	VSHUFPS $0x88, Z13, Z12, Z4 ; \
	VSHUFPS $0xDD, Z13, Z12, Z5 ; \
	VSHUFPS $0x88, Z15, Z14, Z6 ; \
	VSHUFPS $0xDD, Z15, Z14, Z7

// COLS2LANES undoes LANES2COLS (Zlo, Zhi are clobbered).
#define COLS2LANES(Zlo, Zhi, lo, hi) \
	VSHUFF32X4 $0xD8, Zlo, Zlo, Zlo ; \
	VSHUFF32X4 $0xD8, Zhi, Zhi, Zhi ; \
	VSHUFF32X4 $0x44, Zhi, Zlo, lo ; \
	VSHUFF32X4 $0xEE, Zhi, Zlo, hi

// COL2E stores the two columns of Zc (float32 halves) as float64 at
// off(R8) and off+512(R8) (columns c and c+4); Y24, Z24, Z25 scratch.
#define COL2E(Zc, Yc, off) \
	VCVTPS2PD Yc, Z24 ; \
	VMOVUPD Z24, off(R8) ; \
	VEXTRACTF32X8 $1, Zc, Y25 ; \
	VCVTPS2PD Y25, Z25 ; \
	VMOVUPD Z25, off+256(R8)

// F2COL loads columns c and c+4 of the float32 results at off(R9) and
// off+128(R9) into Zc.
#define F2COL(Zc, Yc, off) \
	VMOVUPS off(R9), Yc ; \
	VINSERTF32X8 $1, off+128(R9), Zc, Zc

// func softmax8(classes int, z *float32, dz *float32, scale float64, m, s *float64, arg *int32, e *float64) bool
//
// e is scratch for 16 columns of 8 float64 (1 KiB) followed by 16 of 8
// float32 (512 bytes); classes ≤ 16.
TEXT ·softmax8(SB), NOSPLIT, $0-65
	MOVQ classes+0(FP), CX
	MOVQ z+8(FP), SI
	MOVQ dz+16(FP), DI
	MOVQ e+56(FP), R8
	LEAQ 1024(R8), R9
	MOVQ CX, R10
	SHLQ $2, R10 // the rows' stride in bytes
	MOVL $1, AX  // K1: the lanes of a row
	SHLL CX, AX
	DECL AX
	KMOVW AX, K1

	// The 8 rows, transposed: column j at 64·j(R8), as float64.
	LOADROWS
	ROWS2COLS
	COL2E(Z16, Y16, 0)
	COL2E(Z18, Y18, 64)
	COL2E(Z20, Y20, 128)
	COL2E(Z22, Y22, 192)
	COL2E(Z17, Y17, 512)
	COL2E(Z19, Y19, 576)
	COL2E(Z21, Y21, 640)
	COL2E(Z23, Y23, 704)

	VBROADCASTSD sxc<>+0(SB), Z16
	VBROADCASTSD sxc<>+8(SB), Z17
	VBROADCASTSD sxc<>+16(SB), Z18
	VBROADCASTSD sxc<>+24(SB), Z19
	VBROADCASTSD sxc<>+32(SB), Z20
	VBROADCASTSD sxc<>+40(SB), Z21
	VBROADCASTSD sxc<>+48(SB), Z22
	VBROADCASTSD sxc<>+56(SB), Z23
	VBROADCASTSD sxc<>+64(SB), Z24
	VBROADCASTSD sxc<>+72(SB), Z25
	VBROADCASTSD sxc<>+80(SB), Z26
	VBROADCASTSD sxc<>+88(SB), Z27
	VBROADCASTSD sxc<>+96(SB), Z28
	VPBROADCASTD sxc<>+104(SB), Y29
	VPXORD Y15, Y15, Y15
	KXORB K4, K4, K4

	// m, arg: the first largest logit of each row.
	VMOVUPD (R8), Z10
	VPXORD Y11, Y11, Y11
	MOVL $1, DX
	LEAQ 64(R8), R11

maxloop:
	CMPQ DX, CX
	JGE  maxdone
	VMOVUPD (R11), Z0
	VPBROADCASTD DX, Y13
	VCMPPD $0x1e, Z10, Z0, K2 // z > m, ordered
	VMOVAPD Z0, K2, Z10
	VMOVDQA32 Y13, K2, Y11
	ADDQ $64, R11
	INCQ DX
	JMP  maxloop

maxdone:
	// s = Σ_j e^{z_j − m}, in order; e_j replaces z_j.
	VXORPD Z14, Z14, Z14
	MOVQ CX, DX
	MOVQ R8, R11

exploop:
	VMOVUPD (R11), Z0
	VSUBPD Z10, Z0, Z0
	EXP8
	VADDPD Z0, Z14, Z14
	VMOVUPD Z0, (R11)
	ADDQ $64, R11
	DECQ DX
	JNZ  exploop

	KORTESTB K4, K4
	JNE  slow
	MOVQ m+32(FP), AX
	VMOVUPD Z10, (AX)
	MOVQ s+40(FP), AX
	VMOVUPD Z14, (AX)
	MOVQ arg+48(FP), AX
	VMOVDQU32 Y11, (AX)
	TESTQ DI, DI
	JEQ  done

	// dz_j = float32(e_j / s · scale), as float32 columns at 32·j(R9),
	// then transposed back into the rows.
	VBROADCASTSD scale+24(FP), Z31
	MOVQ CX, DX
	MOVQ R8, R11
	MOVQ R9, R12

dzloop:
	VMOVUPD (R11), Z0
	VDIVPD Z14, Z0, Z0
	VMULPD Z31, Z0, Z0
	VCVTPD2PS Z0, Y0
	VMOVUPS Y0, (R12)
	ADDQ $64, R11
	ADDQ $32, R12
	DECQ DX
	JNZ  dzloop

	F2COL(Z16, Y16, 0)
	F2COL(Z18, Y18, 32)
	F2COL(Z20, Y20, 64)
	F2COL(Z22, Y22, 96)
	F2COL(Z17, Y17, 256)
	F2COL(Z19, Y19, 288)
	F2COL(Z21, Y21, 320)
	F2COL(Z23, Y23, 352)
	COLS2ROWS
	MOVQ DI, AX
	VMOVUPS Z0, K1, (AX)
	ADDQ R10, AX
	VMOVUPS Z1, K1, (AX)
	ADDQ R10, AX
	VMOVUPS Z2, K1, (AX)
	ADDQ R10, AX
	VMOVUPS Z3, K1, (AX)
	ADDQ R10, AX
	VMOVUPS Z4, K1, (AX)
	ADDQ R10, AX
	VMOVUPS Z5, K1, (AX)
	ADDQ R10, AX
	VMOVUPS Z6, K1, (AX)
	ADDQ R10, AX
	VMOVUPS Z7, K1, (AX)

done:
	MOVB $1, ret+64(FP)
	VZEROUPPER
	RET

slow:
	MOVB $0, ret+64(FP)
	VZEROUPPER
	RET
