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

// GATHER sets Z0 to column j (index vector Y12) of the 8 rows at SI, as
// float64.
#define GATHER \
	KXNORB K1, K1, K1 ; \
	VGATHERDPS (SI)(Y12*4), K1, Y0 ; \
	VCVTPS2PD Y0, Z0

// func softmax8(classes int, z *float32, dz *float32, scale float64, m, s *float64, arg *int32, e *float64) bool
TEXT ·softmax8(SB), NOSPLIT, $0-65
	MOVQ classes+0(FP), CX
	MOVQ z+8(FP), SI
	MOVQ dz+16(FP), DI
	MOVQ e+56(FP), R8
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

	// Y30 = (0, 1, …, 7)·classes: the offsets of the rows' first logits.
	VMOVDQU32 sxc<>+112(SB), Y30
	VPBROADCASTD CX, Y13
	VPMULLD Y13, Y30, Y30

	// m, arg: the first largest logit of each row.
	VMOVDQA32 Y30, Y12
	GATHER
	VMOVAPD Z0, Z10
	VPXORD Y11, Y11, Y11
	MOVL $1, DX

maxloop:
	CMPQ DX, CX
	JGE  maxdone
	VPBROADCASTD DX, Y13
	VPADDD Y13, Y30, Y12
	GATHER
	VCMPPD $0x1e, Z10, Z0, K2 // z > m, ordered
	VMOVAPD Z0, K2, Z10
	VMOVDQA32 Y13, K2, Y11
	INCQ DX
	JMP  maxloop

maxdone:
	// s = Σ_j e^{z_j − m}, in order; e_j kept in the scratch.
	VXORPD Z14, Z14, Z14
	XORQ DX, DX
	MOVQ R8, R9

exploop:
	VPBROADCASTD DX, Y13
	VPADDD Y13, Y30, Y12
	GATHER
	VSUBPD Z10, Z0, Z0
	EXP8
	VADDPD Z0, Z14, Z14
	VMOVUPD Z0, (R9)
	ADDQ $64, R9
	INCQ DX
	CMPQ DX, CX
	JLT  exploop

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

	// dz_j = float32(e_j / s · scale).
	VBROADCASTSD scale+24(FP), Z31
	XORQ DX, DX
	MOVQ R8, R9

dzloop:
	VPBROADCASTD DX, Y13
	VPADDD Y13, Y30, Y12
	VMOVUPD (R9), Z0
	VDIVPD Z14, Z0, Z0
	VMULPD Z31, Z0, Z0
	VCVTPD2PS Z0, Y0
	KXNORB K1, K1, K1
	VSCATTERDPS Y0, K1, (DI)(Y12*4)
	ADDQ $64, R9
	INCQ DX
	CMPQ DX, CX
	JLT  dzloop

done:
	MOVB $1, ret+64(FP)
	VZEROUPPER
	RET

slow:
	MOVB $0, ret+64(FP)
	VZEROUPPER
	RET
