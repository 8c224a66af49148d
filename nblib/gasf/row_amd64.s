//go:build amd64 && !purego

#include "textflag.h"

// func gasfRowQuarterSSE2(ci, si, amp float64, c, s []float64, dst []float32)
//
// dst[j] = float32(amp * sqrt(sqrt((ci*c[j] - si*s[j] + 1) / 2))), two
// samples per SSE2 instruction. Every operation is a correctly rounded
// IEEE double operation (x*0.5 equals x/2 exactly), so the result is bit
// identical to the pure Go loop in row.go.
TEXT ·gasfRowQuarterSSE2(SB), NOSPLIT, $0-96
	MOVSD ci+0(FP), X0
	MOVSD si+8(FP), X1
	MOVSD amp+16(FP), X2
	MOVQ  c_base+24(FP), SI
	MOVQ  s_base+48(FP), DX
	MOVQ  dst_base+72(FP), DI
	MOVQ  dst_len+80(FP), CX
	UNPCKLPD X0, X0
	UNPCKLPD X1, X1
	UNPCKLPD X2, X2
	MOVQ $0x3FF0000000000000, R8 // 1.0
	MOVQ R8, X3
	UNPCKLPD X3, X3
	MOVQ $0x3FE0000000000000, R8 // 0.5
	MOVQ R8, X4
	UNPCKLPD X4, X4
	XORQ AX, AX

pairs:
	LEAQ 4(AX), BX
	CMPQ BX, CX
	JGT  two
	MOVUPD (SI)(AX*8), X5
	MOVUPD 16(SI)(AX*8), X7
	MOVUPD (DX)(AX*8), X6
	MOVUPD 16(DX)(AX*8), X8
	MULPD  X0, X5
	MULPD  X0, X7
	MULPD  X1, X6
	MULPD  X1, X8
	SUBPD  X6, X5
	SUBPD  X8, X7
	ADDPD  X3, X5
	ADDPD  X3, X7
	MULPD  X4, X5
	MULPD  X4, X7
	SQRTPD X5, X5
	SQRTPD X7, X7
	SQRTPD X5, X5
	SQRTPD X7, X7
	MULPD  X2, X5
	MULPD  X2, X7
	CVTPD2PS X5, X5
	CVTPD2PS X7, X7
	MOVSD  X5, (DI)(AX*4)
	MOVSD  X7, 8(DI)(AX*4)
	MOVQ   BX, AX
	JMP    pairs

two:
	LEAQ 2(AX), BX
	CMPQ BX, CX
	JGT  one
	MOVUPD (SI)(AX*8), X5
	MOVUPD (DX)(AX*8), X6
	MULPD  X0, X5
	MULPD  X1, X6
	SUBPD  X6, X5
	ADDPD  X3, X5
	MULPD  X4, X5
	SQRTPD X5, X5
	SQRTPD X5, X5
	MULPD  X2, X5
	CVTPD2PS X5, X5
	MOVSD  X5, (DI)(AX*4)
	MOVQ   BX, AX

one:
	CMPQ AX, CX
	JGE  done
	MOVSD (SI)(AX*8), X5
	MOVSD (DX)(AX*8), X6
	MULSD X0, X5
	MULSD X1, X6
	SUBSD X6, X5
	ADDSD X3, X5
	MULSD X4, X5
	SQRTSD X5, X5
	SQRTSD X5, X5
	MULSD X2, X5
	CVTSD2SS X5, X5
	MOVSS X5, (DI)(AX*4)

done:
	RET

// func gasfRowQuarterAVX2(ci, si, amp float64, c, s []float64, dst []float32)
//
// The same computation four samples per instruction; len(dst) must be a
// multiple of 4.
TEXT ·gasfRowQuarterAVX2(SB), NOSPLIT, $0-96
	MOVSD ci+0(FP), X0
	MOVSD si+8(FP), X1
	MOVSD amp+16(FP), X2
	MOVQ  c_base+24(FP), SI
	MOVQ  s_base+48(FP), DX
	MOVQ  dst_base+72(FP), DI
	MOVQ  dst_len+80(FP), CX
	VBROADCASTSD X0, Y0
	VBROADCASTSD X1, Y1
	VBROADCASTSD X2, Y2
	MOVQ $0x3FF0000000000000, R8 // 1.0
	MOVQ R8, X3
	VBROADCASTSD X3, Y3
	MOVQ $0x3FE0000000000000, R8 // 0.5
	MOVQ R8, X4
	VBROADCASTSD X4, Y4
	XORQ AX, AX

eight:
	LEAQ 8(AX), BX
	CMPQ BX, CX
	JGT  four
	VMOVUPD (SI)(AX*8), Y5
	VMOVUPD 32(SI)(AX*8), Y7
	VMOVUPD (DX)(AX*8), Y6
	VMOVUPD 32(DX)(AX*8), Y8
	VMULPD  Y0, Y5, Y5
	VMULPD  Y0, Y7, Y7
	VMULPD  Y1, Y6, Y6
	VMULPD  Y1, Y8, Y8
	VSUBPD  Y6, Y5, Y5
	VSUBPD  Y8, Y7, Y7
	VADDPD  Y3, Y5, Y5
	VADDPD  Y3, Y7, Y7
	VMULPD  Y4, Y5, Y5
	VMULPD  Y4, Y7, Y7
	VSQRTPD Y5, Y5
	VSQRTPD Y7, Y7
	VSQRTPD Y5, Y5
	VSQRTPD Y7, Y7
	VMULPD  Y2, Y5, Y5
	VMULPD  Y2, Y7, Y7
	VCVTPD2PSY Y5, X5
	VCVTPD2PSY Y7, X7
	VMOVUPS X5, (DI)(AX*4)
	VMOVUPS X7, 16(DI)(AX*4)
	MOVQ    BX, AX
	JMP     eight

four:
	CMPQ AX, CX
	JGE  done
	VMOVUPD (SI)(AX*8), Y5
	VMOVUPD (DX)(AX*8), Y6
	VMULPD  Y0, Y5, Y5
	VMULPD  Y1, Y6, Y6
	VSUBPD  Y6, Y5, Y5
	VADDPD  Y3, Y5, Y5
	VMULPD  Y4, Y5, Y5
	VSQRTPD Y5, Y5
	VSQRTPD Y5, Y5
	VMULPD  Y2, Y5, Y5
	VCVTPD2PSY Y5, X5
	VMOVUPS X5, (DI)(AX*4)

done:
	VZEROUPPER
	RET

// func accumulateAVX(acc, v []float32, beta float32)
//
// acc[j] += v[j]*beta for j < len(acc) (a multiple of 8), eight lanes at a
// time; each lane rounds exactly like the Go statement
// acc[j] += float32(v[j]*beta).
TEXT ·accumulateAVX(SB), NOSPLIT, $0-52
	MOVQ acc_base+0(FP), DI
	MOVQ acc_len+8(FP), CX
	MOVQ v_base+24(FP), SI
	VBROADCASTSS beta+48(FP), Y0
	XORQ AX, AX

acc8:
	LEAQ 8(AX), BX
	CMPQ BX, CX
	JGT  accdone
	VMULPS  (SI)(AX*4), Y0, Y1
	VADDPS  (DI)(AX*4), Y1, Y1
	VMOVUPS Y1, (DI)(AX*4)
	MOVQ    BX, AX
	JMP     acc8

accdone:
	VZEROUPPER
	RET
