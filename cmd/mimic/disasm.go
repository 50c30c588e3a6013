package main

import "mimic/cpu/arm"

// thumbDisasm prints T32/T16 instructions for --trace with the CPU's own
// printer (armasm decodes A32 only).
func thumbDisasm(insn uint32, size int, pc uint32) string {
	return arm.Disasm(insn, size, true, pc, 0)
}

// armDisasm prints the A32 instructions armasm does not decode.
func armDisasm(insn, pc uint32) string { return arm.Disasm(insn, 4, false, pc, 0) }
