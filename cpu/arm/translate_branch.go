package arm

// Branches (ARM ARM A8.8.18 B, A8.8.25 BL/BLX immediate, A8.8.26 BLX
// register, A8.8.27 BX, A8.8.28 BXJ, A8.8.29 CBZ/CBNZ) and ADR (A8.8.12).
//
// Every branch ends the block: the target is where execution continues
// (c.nextPC); a conditional branch that fails falls through to the end of
// the block, which is the next instruction.

// branchImmA32 is the byte offset of an A32 B/BL: imm24:'00' sign-extended.
func branchImmA32(insn uint32) uint32 { return uint32(int32(insn<<8) >> 6) }

// ctlBLXImmA32 is the offset of A32 BLX (immediate): imm24:H:'0'.
func ctlBLXImmA32(insn uint32) uint32 { return branchImmA32(insn) | insn>>23&2 }

// ctlImm8x2s is the offset of T16 B (T1): imm8:'0' sign-extended.
func ctlImm8x2s(insn uint32) uint32 { return uint32(int32(insn<<24) >> 23) }

// ctlImm11x2s is the offset of T16 B (T2): imm11:'0' sign-extended.
func ctlImm11x2s(insn uint32) uint32 { return uint32(int32(insn<<21) >> 20) }

// ctlCBZImm is the offset of CBZ/CBNZ: i:imm5:'0' (zero-extended).
func ctlCBZImm(insn uint32) uint32 { return insn>>3&0x40 | insn>>2&0x3e }

// ctlImm8x4 is the T16 ADR immediate, imm8:'00'.
func ctlImm8x4(insn uint32) uint32 { return insn & 0xff << 2 }

// ctlBranchT3 is the offset of T32 B (T3): S:J2:J1:imm6:imm11:'0'
// sign-extended.
func ctlBranchT3(insn uint32) uint32 {
	v := insn>>26&1<<20 | insn>>11&1<<19 | insn>>13&1<<18 | insn>>16&0x3f<<12 | insn&0x7ff<<1
	return uint32(int32(v<<11) >> 11)
}

// ctlBranchT4 is the offset of T32 B (T4), BL and BLX (immediate):
// S:I1:I2:imm10:imm11:'0' sign-extended, where I1 = NOT(J1 XOR S) and
// I2 = NOT(J2 XOR S). For BLX, bit 1 is the H bit, which must be 0.
func ctlBranchT4(insn uint32) uint32 {
	s := insn >> 26 & 1
	i1 := ^(insn>>13 ^ s) & 1
	i2 := ^(insn>>11 ^ s) & 1
	v := s<<24 | i1<<23 | i2<<22 | insn>>16&0x3ff<<12 | insn&0x7ff<<1
	return uint32(int32(v<<7) >> 7)
}

func (t *translator) B(f *fields) bool {
	t.end = true
	if t.cond == condAL && !t.needsPC && t.c.Trace == nil {
		// An unconditional branch needs no op: the block's fall-through
		// address becomes the target (still counted as an instruction).
		// Tracing keeps the op so that every instruction is reported.
		t.jump, t.jumpTo = true, t.pcRead()+f.i
		return true
	}
	t.emit(Op{fn: opBranch, imm: t.pcRead() + f.i})
	return true
}

// BCOND is the Thumb conditional branch (T16 T1, T32 T3), which carries its
// own condition. cond = 111x is another encoding (UDF/SVC, or the T32
// control space) and never reaches here; inside an IT block it is
// UNPREDICTABLE.
func (t *translator) BCOND(f *fields) bool {
	// UNPREDICTABLE: a conditional branch inside an IT block is UNDEFINED,
	// as in QEMU.
	if f.c >= 14 || t.inIT() {
		return false
	}
	t.cond = uint8(f.c)
	return t.B(f)
}

// linkValue is the return address BL/BLX write to LR: the next
// instruction, with bit 0 set in Thumb state.
func (t *translator) linkValue() uint32 {
	lr := t.pc + uint32(t.size)
	if t.thumb {
		lr |= 1
	}
	return lr
}

func (t *translator) BL(f *fields) bool {
	t.emit(Op{fn: opBranchLink, imm: t.pcRead() + f.i, imm2: t.linkValue()})
	t.end = true
	return true
}

// BLXI is BLX (immediate): branch with link, changing instruction set. The
// target is Align(PC, 4) + imm in both directions.
func (t *translator) BLXI(f *fields) bool {
	if t.thumb && f.i&2 != 0 {
		// H = 1 in the T32 encoding is UNDEFINED.
		return false
	}
	fn := opBLXToThumb
	if t.thumb {
		fn = opBLXToARM
	}
	t.emit(Op{fn: fn, imm: t.pcRead()&^3 + f.i, imm2: t.linkValue()})
	t.end = true
	return true
}

// BX serves BX and BXJ: BXJ behaves as BX since Jazelle is the trivial
// implementation (ARM ARM A2.10; JMCR.JE is 0).
func (t *translator) BX(f *fields) bool {
	// UNPREDICTABLE: T32 BXJ with Rm = 13 or 15, and T16 BX inside an IT
	// block other than last, execute as QEMU does (as written).
	t.emit(Op{fn: opBX, rm: uint8(f.m)})
	t.end = true
	return true
}

// BLX is BLX (register).
func (t *translator) BLX(f *fields) bool {
	// UNPREDICTABLE: Rm = 15 branches to the PC value read (as QEMU).
	t.emit(Op{fn: opBLXReg, rm: uint8(f.m), imm2: t.linkValue()})
	t.end = true
	return true
}

// CBZ serves CBZ (o = 0) and CBNZ (o = 1).
func (t *translator) CBZ(f *fields) bool {
	// UNPREDICTABLE: CBZ/CBNZ inside an IT block; QEMU executes it under
	// the IT condition, and so do we (t.cond is the IT condition).
	fn := opCBZ
	if f.o != 0 {
		fn = opCBNZ
	}
	t.emit(Op{fn: fn, rn: uint8(f.n), imm: t.pcRead() + f.i})
	t.end = true
	return true
}

// ADR computes Align(PC, 4) +/- imm at translate time.
func (t *translator) ADR(f *fields) bool {
	v := t.pcRead() &^ 3
	if f.U != 0 {
		v += f.i
	} else {
		v -= f.i
	}
	if f.d == 15 {
		// A32: ALUWritePC (interworking). UNPREDICTABLE in T32: QEMU
		// branches, ignoring bit 0, which aluWritePC does in Thumb state.
		t.emit(Op{fn: opALUWritePCImm, imm: v})
		t.end = true
		return true
	}
	t.emit(Op{fn: opSetRegImm, rd: uint8(f.d), imm: v})
	return true
}

func opBranch(c *CPU, o *Op) { c.nextPC = o.imm }

func opBranchLink(c *CPU, o *Op) {
	c.R[14] = o.imm2
	c.nextPC = o.imm
}

func opBLXToThumb(c *CPU, o *Op) {
	c.R[14] = o.imm2
	c.T = true
	c.nextPC = o.imm
}

func opBLXToARM(c *CPU, o *Op) {
	c.R[14] = o.imm2
	c.T = false
	c.nextPC = o.imm
}

func opBX(c *CPU, o *Op) { c.bxWritePC(c.R[o.rm]) }

func opBLXReg(c *CPU, o *Op) {
	v := c.R[o.rm]
	c.R[14] = o.imm2
	c.bxWritePC(v)
}

func opCBZ(c *CPU, o *Op) {
	if c.R[o.rn] == 0 {
		c.nextPC = o.imm
	}
}

func opCBNZ(c *CPU, o *Op) {
	if c.R[o.rn] != 0 {
		c.nextPC = o.imm
	}
}

func opSetRegImm(c *CPU, o *Op) { c.R[o.rd] = o.imm }

func opALUWritePCImm(c *CPU, o *Op) { c.aluWritePC(o.imm) }
