package arm

// Coprocessor register transfers (ARM ARM A8.8.98 MCR/MCR2, A8.8.99
// MCRR/MCRR2, A8.8.107 MRC/MRC2, A8.8.108 MRRC/MRRC2), dispatched to
// c.cp[n]. A missing coprocessor, or one that refuses the access, makes
// the instruction UNDEFINED. The *2 forms, LDC/STC and CDP are UNDEFINED
// (they have no patterns).

// ctlCoproc is the coprocessor number, bits 11:8.
func ctlCoproc(insn uint32) uint32 { return insn >> 8 & 0xf }

// Ops: amt = coprocessor, imm = opc1<<12 | CRn<<8 | CRm<<4 | opc2.
func cpRegImm(f *fields) uint32 { return f.o<<12 | f.N<<8 | f.K<<4 | f.p }

// MCR writes Rt to a coprocessor register. It ends the block: a CP15
// write may change translation (SCTLR.M, TTBRs) or invalidate code.
func (t *translator) MCR(f *fields) bool {
	// UNPREDICTABLE: Rt = 15 writes the PC value (QEMU); Rt = 13 in T32
	// is allowed.
	t.emit(Op{fn: opMCR, rn: uint8(f.t), amt: uint8(f.e), imm: cpRegImm(f)})
	t.end = true
	return true
}

// MRC reads a coprocessor register into Rt; Rt = 15 sets N Z C V from
// bits 31:28 (APSR_nzcv).
func (t *translator) MRC(f *fields) bool {
	fn := opMRC
	if f.t == 15 {
		fn = opMRCFlags
	}
	t.emit(Op{fn: fn, sh: uint8(f.t), amt: uint8(f.e), imm: cpRegImm(f)})
	return true
}

// MCRR writes Rt2:Rt to a 64-bit coprocessor register.
func (t *translator) MCRR(f *fields) bool {
	// UNPREDICTABLE: Rt or Rt2 = 15 write the PC value (QEMU).
	t.emit(Op{fn: opMCRR, rn: uint8(f.t), rm: uint8(f.u), amt: uint8(f.e), imm: f.o<<4 | f.K})
	t.end = true
	return true
}

// MRRC reads a 64-bit coprocessor register into Rt (low) and Rt2 (high).
func (t *translator) MRRC(f *fields) bool {
	// UNPREDICTABLE: Rt or Rt2 = 15 is UNDEFINED here; Rt = Rt2 leaves the
	// high word there, as QEMU (which writes Rt then Rt2).
	if f.t == 15 || f.u == 15 {
		return false
	}
	t.emit(Op{fn: opMRRC, rd: uint8(f.t), ra: uint8(f.u), amt: uint8(f.e), imm: f.o<<4 | f.K})
	return true
}

func (c *CPU) coproc(o *Op) Coprocessor {
	cp := c.cp[o.amt&0xf]
	if cp == nil {
		c.guestError("no coprocessor", "pc", hex32(o.pc), "cp", o.amt)
	}
	return cp
}

func opMCR(c *CPU, o *Op) {
	cp := c.coproc(o)
	if cp == nil || !cp.MCR(o.imm>>12&7, o.imm>>8&0xf, o.imm>>4&0xf, o.imm&7, c.R[o.rn], c.mode != ModeUSR) {
		c.undefined(o)
	}
}

func opMRC(c *CPU, o *Op) {
	cp := c.coproc(o)
	if cp == nil {
		c.undefined(o)
		return
	}
	v, ok := cp.MRC(o.imm>>12&7, o.imm>>8&0xf, o.imm>>4&0xf, o.imm&7, c.mode != ModeUSR)
	if !ok {
		c.undefined(o)
		return
	}
	c.R[o.sh] = v
}

func opMRCFlags(c *CPU, o *Op) {
	cp := c.coproc(o)
	if cp == nil {
		c.undefined(o)
		return
	}
	v, ok := cp.MRC(o.imm>>12&7, o.imm>>8&0xf, o.imm>>4&0xf, o.imm&7, c.mode != ModeUSR)
	if !ok {
		c.undefined(o)
		return
	}
	c.N = v&psrN != 0
	c.Z = v&psrZ != 0
	c.C = v&psrC != 0
	c.V = v&psrV != 0
}

func opMCRR(c *CPU, o *Op) {
	cp := c.coproc(o)
	v := uint64(c.R[o.rm])<<32 | uint64(c.R[o.rn])
	if cp == nil || !cp.MCRR(o.imm>>4, o.imm&0xf, v, c.mode != ModeUSR) {
		c.undefined(o)
	}
}

func opMRRC(c *CPU, o *Op) {
	cp := c.coproc(o)
	if cp == nil {
		c.undefined(o)
		return
	}
	v, ok := cp.MRRC(o.imm>>4, o.imm&0xf, c.mode != ModeUSR)
	if !ok {
		c.undefined(o)
		return
	}
	c.R[o.rd] = uint32(v)
	c.R[o.ra] = uint32(v >> 32)
}
