package arm

import "math/bits"

// Shift types as encoded in instructions (ARM ARM A8.4.1), plus RRX, which
// DecodeImmShift produces for ROR #0.
const (
	shiftLSL = 0
	shiftLSR = 1
	shiftASR = 2
	shiftROR = 3
	shiftRRX = 4
)

// decodeImmShift turns an encoded shift type and imm5 into the shift and
// amount they mean (ARM ARM A8.4.1 DecodeImmShift): LSR/ASR #0 mean #32,
// ROR #0 means RRX.
func decodeImmShift(typ, imm5 uint32) (sh uint8, amt uint8) {
	switch typ & 3 {
	case shiftLSL:
		return shiftLSL, uint8(imm5)
	case shiftLSR, shiftASR:
		if imm5 == 0 {
			return uint8(typ & 3), 32
		}
		return uint8(typ & 3), uint8(imm5)
	default:
		if imm5 == 0 {
			return shiftRRX, 1
		}
		return shiftROR, uint8(imm5)
	}
}

// shiftC is the ARM ARM's Shift_C (A8.4.3): amt may be any value from a
// register's bottom byte; amt 0 returns the value and carry unchanged.
func shiftC(v uint32, sh uint8, amt uint32, carry bool) (uint32, bool) {
	if amt == 0 && sh != shiftRRX {
		return v, carry
	}
	switch sh {
	case shiftLSL:
		switch {
		case amt < 32:
			return v << amt, v>>(32-amt)&1 != 0
		case amt == 32:
			return 0, v&1 != 0
		default:
			return 0, false
		}
	case shiftLSR:
		switch {
		case amt < 32:
			return v >> amt, v>>(amt-1)&1 != 0
		case amt == 32:
			return 0, v>>31 != 0
		default:
			return 0, false
		}
	case shiftASR:
		if amt >= 32 {
			if int32(v) < 0 {
				return 0xffffffff, true
			}
			return 0, false
		}
		return uint32(int32(v) >> amt), v>>(amt-1)&1 != 0
	case shiftROR:
		amt &= 31
		if amt == 0 {
			// ROR by a non-zero multiple of 32: value unchanged, carry = bit 31.
			return v, v>>31 != 0
		}
		r := bits.RotateLeft32(v, -int(amt))
		return r, r>>31 != 0
	default: // RRX
		r := v >> 1
		if carry {
			r |= 1 << 31
		}
		return r, v&1 != 0
	}
}

// shiftVal is Shift (without carry out).
func shiftVal(v uint32, sh uint8, amt uint32, carry bool) uint32 {
	r, _ := shiftC(v, sh, amt, carry)
	return r
}

// addWithCarry is the ARM ARM's AddWithCarry (A2.2.1).
func addWithCarry(x, y uint32, carryIn bool) (r uint32, carry, overflow bool) {
	var ci uint32
	if carryIn {
		ci = 1
	}
	r, co := bits.Add32(x, y, ci)
	carry = co != 0
	overflow = (^(x ^ y) & (x ^ r) >> 31) != 0
	return
}

// setNZ sets N and Z from a result.
func (c *CPU) setNZ(r uint32) {
	c.N = int32(r) < 0
	c.Z = r == 0
}

// expandImmA32 is A32ExpandImm_C (A5.2.4) for the spec: imm12 in bits 11:0.
func expandImmA32(insn uint32) uint32 {
	return bits.RotateLeft32(insn&0xff, -int(insn>>8&0xf)*2)
}

// immCarryA32 reports, as 0/1/2, how A32ExpandImm_C sets the carry:
// 2 = carry unchanged (rotation 0), otherwise 0 or 1 = bit 31 of the result.
func immCarryA32(insn uint32) uint32 {
	if insn>>8&0xf == 0 {
		return 2
	}
	return expandImmA32(insn) >> 31
}

// expandImmT32 is ThumbExpandImm_C (A6.3.2) for the spec: i:imm3:imm8 in
// bits 26, 14:12 and 7:0 of the 32-bit instruction (hw1<<16 | hw2).
func expandImmT32(insn uint32) uint32 {
	imm12 := insn>>26&1<<11 | insn>>12&7<<8 | insn&0xff
	imm8 := imm12 & 0xff
	if imm12>>10 == 0 {
		switch imm12 >> 8 & 3 {
		case 0:
			return imm8
		case 1:
			return imm8<<16 | imm8
		case 2:
			return imm8<<24 | imm8<<8
		default:
			return imm8<<24 | imm8<<16 | imm8<<8 | imm8
		}
	}
	return bits.RotateLeft32(0x80|imm12&0x7f, -int(imm12>>7))
}

// immCarryT32 is like immCarryA32 for ThumbExpandImm_C.
func immCarryT32(insn uint32) uint32 {
	imm12 := insn>>26&1<<11 | insn>>12&7<<8 | insn&0xff
	if imm12>>10 == 0 {
		return 2
	}
	return expandImmT32(insn) >> 31
}

// T32 encodings whose UNPREDICTABLE or reserved values must be caught by
// the handler read fields through the spec; these helpers are shared.

// bool2u converts a bool to 0/1.
func bool2u(b bool) uint32 {
	if b {
		return 1
	}
	return 0
}
