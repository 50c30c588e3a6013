//go:build amd64 && linux

#include "textflag.h"

// func callNative(code uintptr, c *CPU) uint64
//
// Enters compiled guest code at code with the CPU in DI. The native code
// uses only AX, CX, DX, SI, DI and R8-R11 (never SP, BP, R14 or R15), no
// stack beyond the return address, and returns its status word in AX.
TEXT ·callNative(SB), NOSPLIT, $16-24
	MOVQ code+0(FP), AX
	MOVQ c+8(FP), DI
	CALL AX
	MOVQ AX, ret+16(FP)
	RET
