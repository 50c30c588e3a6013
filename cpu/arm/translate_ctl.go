package arm

// System instructions: MRS/MSR (ARM ARM B9.3.8-B9.3.12), CPS (B9.3.2),
// SETEND (A8.8.184), SRS/RFE (B9.3.16, B9.3.13), IT (A8.8.55), hints
// (A8.8.101 NOP, YIELD, WFE, WFI, SEV, DBG) and barriers (DMB, DSB, ISB).
//
// Privilege is a run-time property here: a block is cached by physical
// address and ISA state only, so User and privileged code share
// translations. Ops therefore check c.mode themselves.

// PSR bits an MSR may write (B1.3.3): everything but the execution state
// bits (IT, J, T) for the CPSR; the whole of each byte but the reserved
// bits 23:21 for an SPSR (bit 20 is kept writable, as QEMU does).
const (
	spsrWritable = 0xff1fffff
	cpsrReadMask = 0xf8ff03df // MRS reads the CPSR without IT, J and T
)

// msrByteMask expands the 4-bit MSR field mask into a bit mask.
func msrByteMask(f uint32) uint32 {
	var m uint32
	for i := 0; i < 4; i++ {
		if f>>i&1 != 0 {
			m |= 0xff << (8 * i)
		}
	}
	return m
}

// ctlSysmA32 is the banked-register SYSm field M:M1 of A32 MRS/MSR.
func ctlSysmA32(insn uint32) uint32 { return insn>>4&0x10 | insn>>16&0xf }

// ctlSysmT32MRS is SYSm of T32 MRS (banked): M (bit 4), M1 (hw1 3:0).
func ctlSysmT32MRS(insn uint32) uint32 { return insn&0x10 | insn>>16&0xf }

// ctlSysmT32MSR is SYSm of T32 MSR (banked): M (bit 4), M1 (hw2 11:8).
func ctlSysmT32MSR(insn uint32) uint32 { return insn&0x10 | insn>>8&0xf }

// ctlImodT16 is the imod field of T16 CPS: 1:im.
func ctlImodT16(insn uint32) uint32 { return 2 | insn>>4&1 }

// --- MRS ---------------------------------------------------------------------

func (t *translator) MRS(f *fields) bool {
	if t.c.m != nil {
		return t.MRSM(f) // SYSm = 0: APSR; R = 1 (SPSR) is UNDEFINED
	}
	// UNPREDICTABLE: Rd = 15 (and 13 in T32). QEMU writes the value to the
	// register; for the PC that is a branch, which we copy.
	fn := opMRSCPSR
	if f.R != 0 {
		fn = opMRSSPSR
	}
	t.emit(Op{fn: fn, sh: uint8(f.d)})
	if f.d == 15 {
		t.end = true
	}
	return true
}

// writeRegMaybePC writes a result to register r, branching when r is the PC.
func (c *CPU) writeRegMaybePC(r uint8, v uint32) {
	if r == 15 {
		c.branchWritePC(v)
		return
	}
	c.R[r] = v
}

// opMRSCPSR reads the CPSR (in User mode the APSR, whose other bits are
// UNKNOWN: we return the same value, as QEMU does).
func opMRSCPSR(c *CPU, o *Op) { c.writeRegMaybePC(o.sh, c.CPSR()&cpsrReadMask) }

func opMRSSPSR(c *CPU, o *Op) {
	if c.mode == ModeUSR {
		// UNPREDICTABLE: MRS SPSR in User mode is UNDEFINED, as QEMU.
		c.undefined(o)
		return
	}
	// UNPREDICTABLE in System mode, which has no SPSR: reads 0.
	c.writeRegMaybePC(o.sh, c.SPSR())
}

// --- MSR ---------------------------------------------------------------------

func (t *translator) MSR(f *fields) bool {
	if t.c.m != nil {
		return t.MSRM(f) // SYSm = 0: APSR; R = 1 (SPSR) is UNDEFINED
	}
	// UNPREDICTABLE: mask = 0000 (writes nothing, as QEMU); Rn = 15 (the
	// PC value is written, as QEMU).
	if f.R != 0 {
		t.emit(Op{fn: opMSRSPSRReg, rn: uint8(f.n), imm2: msrByteMask(f.f) & spsrWritable})
		return true
	}
	t.emit(Op{fn: opMSRCPSRReg, rn: uint8(f.n), imm2: f.f})
	t.end = true
	return true
}

func (t *translator) MSRI(f *fields) bool {
	if f.R != 0 {
		t.emit(Op{fn: opMSRSPSRImm, imm: f.i, imm2: msrByteMask(f.f) & spsrWritable})
		return true
	}
	t.emit(Op{fn: opMSRCPSRImm, imm: f.i, imm2: f.f})
	t.end = true
	return true
}

func opMSRCPSRReg(c *CPU, o *Op) { c.writeCPSRByInstr(c.R[o.rn], o.imm2) }
func opMSRCPSRImm(c *CPU, o *Op) { c.writeCPSRByInstr(o.imm, o.imm2) }

func opMSRSPSRReg(c *CPU, o *Op) { c.writeSPSRByInstr(o, c.R[o.rn], o.imm2) }
func opMSRSPSRImm(c *CPU, o *Op) { c.writeSPSRByInstr(o, o.imm, o.imm2) }

// writeCPSRByInstr is the CPSR write of MSR (ARM ARM B1.3.3
// CPSRWriteByInstr with is_excpt_return = FALSE): the execution state
// bits never change; in User mode only N Z C V Q, GE and E are written.
func (c *CPU) writeCPSRByInstr(v uint32, bytemask uint32) {
	priv := c.mode != ModeUSR
	if bytemask&8 != 0 {
		c.N = v&psrN != 0
		c.Z = v&psrZ != 0
		c.C = v&psrC != 0
		c.V = v&psrV != 0
		c.Q = v&psrQ != 0
	}
	if bytemask&4 != 0 {
		c.GE = v >> 16 & 0xf
	}
	if bytemask&2 != 0 {
		c.setE(v&psrE != 0) // E is writable at PL0
		if priv {
			c.A = v&psrA != 0
		}
	}
	if bytemask&1 != 0 && priv {
		// Without the Security Extensions the CPU is Secure, so F is
		// writable; SCTLR.NMFI is not modelled (reads 0, as in QEMU).
		c.I = v&psrI != 0
		c.F = v&psrF != 0
		// UNPREDICTABLE: a reserved or unimplemented mode (Monitor, Hyp).
		// Like QEMU, we leave the mode unchanged and write the rest.
		if m := v & psrM; validMode(m) {
			c.switchMode(m)
		}
	}
}

// writeSPSRByInstr writes the bits in mask (whole bytes, already limited
// to writable bits) of the current mode's SPSR.
func (c *CPU) writeSPSRByInstr(o *Op, v, mask uint32) {
	if c.mode == ModeUSR {
		// UNPREDICTABLE: UNDEFINED in User mode, as QEMU.
		c.undefined(o)
		return
	}
	// UNPREDICTABLE in System mode, which has no SPSR: ignored. A reserved
	// mode value written to an SPSR is UNPREDICTABLE: written, as QEMU.
	c.setSPSR(c.SPSR()&^mask | v&mask)
}

// --- Banked MRS/MSR ------------------------------------------------------

// bankedTarget decodes R:SYSm of MRS/MSR (banked) (ARM ARM B9.2.3) into
// the mode whose register is meant and the register number (16 = SPSR).
// ok is false for encodings that are UNPREDICTABLE or name registers of
// unimplemented modes (Monitor, Hyp); like QEMU we make them UNDEFINED.
func bankedTarget(r, sysm uint32) (mode uint32, reg uint8, ok bool) {
	if r != 0 {
		switch sysm {
		case 0x0e:
			return ModeFIQ, 16, true
		case 0x10:
			return ModeIRQ, 16, true
		case 0x12:
			return ModeSVC, 16, true
		case 0x14:
			return ModeABT, 16, true
		case 0x16:
			return ModeUND, 16, true
		}
		return 0, 0, false
	}
	switch {
	case sysm <= 6:
		return ModeUSR, uint8(8 + sysm), true
	case sysm >= 8 && sysm <= 0xe:
		return ModeFIQ, uint8(sysm), true
	}
	reg = 14 - uint8(sysm&1) // even: LR, odd: SP
	switch sysm &^ 1 {
	case 0x10:
		return ModeIRQ, reg, true
	case 0x12:
		return ModeSVC, reg, true
	case 0x14:
		return ModeABT, reg, true
	case 0x16:
		return ModeUND, reg, true
	}
	return 0, 0, false
}

// bankedAccessValid is the run-time part of BankedRegisterAccessValid and
// SPSRAccessValid (ARM ARM B9.3.9): the current mode must be privileged
// and differ from the target; the User registers r8-r12 are reachable
// only from FIQ mode, and r13_usr/r14_usr not from System mode.
func (c *CPU) bankedAccessValid(mode uint32, reg uint8) bool {
	cur := c.mode
	if cur == ModeUSR || cur == mode {
		return false
	}
	if mode == ModeUSR {
		switch {
		case reg <= 12:
			return cur == ModeFIQ
		default:
			return cur != ModeSYS
		}
	}
	return true
}

// bankedPtr returns the banked register reg (16 = SPSR) of mode.
func (c *CPU) bankedPtr(mode uint32, reg uint8) *uint32 {
	if reg == 16 {
		return &c.spsr[bankOf(mode)]
	}
	return c.bankedReg(mode, int(reg))
}

// virtExtBanked enables MRS/MSR (Banked register), which belong to the
// Virtualization Extensions (ARM ARM B9.3.9, B9.3.10). Without them the
// encodings have bit 9 set where MRS/MSR have a should-be-zero bit:
// UNPREDICTABLE, and QEMU's cortex-a15 on virt (no EL2 by default; checked
// with qemu-system-arm 7.2) makes them UNDEFINED, so they are off by
// default. TODO: take this from the CPU configuration once it can say
// that the Virtualization Extensions are present.
var virtExtBanked = false

// MRSB is MRS (Banked register).
func (t *translator) MRSB(f *fields) bool {
	if !virtExtBanked {
		return false
	}
	mode, reg, ok := bankedTarget(f.R, f.b)
	// UNPREDICTABLE: Rd = 15 is UNDEFINED (QEMU); T32 Rd = 13 is allowed.
	if !ok || f.d == 15 {
		return false
	}
	t.emit(Op{fn: opMRSBanked, rd: uint8(f.d), sh: reg, imm: mode})
	return true
}

// MSRB is MSR (Banked register).
func (t *translator) MSRB(f *fields) bool {
	if !virtExtBanked {
		return false
	}
	mode, reg, ok := bankedTarget(f.R, f.b)
	if !ok || f.n == 15 {
		return false
	}
	t.emit(Op{fn: opMSRBanked, rn: uint8(f.n), sh: reg, imm: mode})
	t.end = true
	return true
}

func opMRSBanked(c *CPU, o *Op) {
	if !c.bankedAccessValid(o.imm, o.sh) {
		// UNPREDICTABLE: UNDEFINED, as QEMU.
		c.undefined(o)
		return
	}
	c.R[o.rd] = *c.bankedPtr(o.imm, o.sh)
}

func opMSRBanked(c *CPU, o *Op) {
	if !c.bankedAccessValid(o.imm, o.sh) {
		c.undefined(o)
		return
	}
	*c.bankedPtr(o.imm, o.sh) = c.R[o.rn]
}

// --- CPS, SETEND -------------------------------------------------------------

// CPS changes the masks (imod = 10 enable, 11 disable) and/or the mode.
func (t *translator) CPS(f *fields) bool {
	if t.c.m != nil {
		return t.mCPS(f)
	}
	// UNPREDICTABLE: imod = 01, imod<1> = 1 with no A/I/F, M = 0 with a
	// mode, mode changes inside an IT block: all executed as QEMU does,
	// applying exactly what the fields say.
	var aif uint32
	if f.A != 0 {
		aif |= psrA
	}
	if f.I != 0 {
		aif |= psrI
	}
	if f.F != 0 {
		aif |= psrF
	}
	o := Op{fn: opCPS, imm: aif, imm2: f.v, sh: uint8(f.g), amt: uint8(f.M)}
	if f.g&2 == 0 {
		o.imm = 0
	}
	t.emit(o)
	t.end = true
	return true
}

// opCPS: imm = A/I/F bits to change, sh = imod, amt = M, imm2 = mode. In
// User mode CPS is a NOP.
func opCPS(c *CPU, o *Op) {
	if c.mode == ModeUSR {
		return
	}
	if o.imm != 0 {
		v := o.sh&1 != 0 // imod = 11: disable (set the mask bits)
		if o.imm&psrA != 0 {
			c.A = v
		}
		if o.imm&psrI != 0 {
			c.I = v
		}
		if o.imm&psrF != 0 {
			c.F = v
		}
	}
	// UNPREDICTABLE: a reserved mode leaves the mode unchanged (QEMU).
	if o.amt != 0 && validMode(o.imm2) {
		c.switchMode(o.imm2)
	}
}

func (t *translator) SETEND(f *fields) bool {
	// UNPREDICTABLE: T16 SETEND inside an IT block runs under its condition.
	fn := opSetEndLE
	if f.E != 0 {
		fn = opSetEndBE
	}
	t.emit(Op{fn: fn})
	t.end = true
	return true
}

func opSetEndLE(c *CPU, o *Op) { c.setE(false) }
func opSetEndBE(c *CPU, o *Op) { c.setE(true) }

// --- SRS, RFE ----------------------------------------------------------------

// SRS stores LR and SPSR of the current mode to the stack of mode v.
func (t *translator) SRS(f *fields) bool {
	// UNPREDICTABLE: a reserved or unimplemented target mode is UNDEFINED
	// (QEMU); so is SRS in User or System mode (checked at run time).
	if !validMode(f.v) {
		return false
	}
	t.emit(Op{fn: opSRS, imm: f.v, sh: uint8(f.P), amt: uint8(f.U), s: f.W != 0})
	return true
}

// opSRS: imm = mode, sh = P, amt = U, s = writeback.
func opSRS(c *CPU, o *Op) {
	if c.mode == ModeUSR || c.mode == ModeSYS {
		c.undefined(o)
		return
	}
	sp := c.bankedReg(o.imm, 13)
	base := *sp
	addr := base - 8
	if o.amt != 0 {
		addr = base
	}
	if o.sh == o.amt { // wordhigher: DA and IB
		addr += 4
	}
	if !c.st32a(o, addr, c.R[14]) || !c.st32a(o, addr+4, c.SPSR()) {
		return
	}
	if o.s {
		if o.amt != 0 {
			*sp = base + 8
		} else {
			*sp = base - 8
		}
	}
}

// RFE loads PC and CPSR from memory: an exception return.
func (t *translator) RFE(f *fields) bool {
	// UNPREDICTABLE: Rn = 15 reads the PC value (QEMU); inside an IT block
	// but not last, executed.
	t.emit(Op{fn: opRFE, rn: uint8(f.n), sh: uint8(f.P), amt: uint8(f.U), s: f.W != 0})
	t.end = true
	return true
}

func opRFE(c *CPU, o *Op) {
	if c.mode == ModeUSR {
		// UNPREDICTABLE in User mode: UNDEFINED, as QEMU.
		c.undefined(o)
		return
	}
	base := c.R[o.rn]
	addr := base - 8
	if o.amt != 0 {
		addr = base
	}
	if o.sh == o.amt {
		addr += 4
	}
	pc, ok := c.ld32a(o, addr)
	if !ok {
		return
	}
	psr, ok := c.ld32a(o, addr+4)
	if !ok {
		return
	}
	if o.s {
		if o.amt != 0 {
			c.R[o.rn] = base + 8
		} else {
			c.R[o.rn] = base - 8
		}
	}
	c.exceptionReturn(pc, psr)
}

// --- IT ----------------------------------------------------------------------

// IT sets the ITSTATE for the following instructions.
func (t *translator) IT(f *fields) bool {
	it := uint8(f.c<<4 | f.z)
	// UNPREDICTABLE: firstcond = 1111, or 1110 with more than one
	// instruction; like QEMU, condition 1111 then means "always", which is
	// what condPass does with it.
	if t.inIT() {
		// UNPREDICTABLE: IT inside an IT block. QEMU executes it under the
		// current IT condition; whether it runs is known only at run time,
		// so an op sets the new ITSTATE and the block ends here.
		t.emit(Op{fn: opITNested, imm: uint32(it)})
		t.end = true
		return true
	}
	t.emit(Op{fn: opNop})
	t.itSet = true
	t.itNext = it
	return true
}

func opITNested(c *CPU, o *Op) {
	c.IT = uint8(o.imm)
	c.exit = true
	c.exitPSR = true
}

// --- Hints and barriers -----------------------------------------------------

// NOP serves NOP, the unallocated hints and DBG; YIELD is a NOP too.
func (t *translator) NOP(f *fields) bool {
	t.emit(Op{fn: opNop})
	return true
}

func (t *translator) YIELD(f *fields) bool { return t.NOP(f) }
func (t *translator) DBG(f *fields) bool   { return t.NOP(f) }
func (t *translator) DMB(f *fields) bool   { return t.NOP(f) }
func (t *translator) DSB(f *fields) bool   { return t.NOP(f) }

// ISB ends the block, so that code changed by a preceding write, and
// changed context, take effect for the next instruction.
func (t *translator) ISB(f *fields) bool {
	t.emit(Op{fn: opNop})
	t.end = true
	return true
}

// SEV signals an event; with one processor it only sets our event register.
func (t *translator) SEV(f *fields) bool {
	t.emit(Op{fn: opSEV})
	return true
}

func opSEV(c *CPU, o *Op) { c.eventReg = true }

// WFE waits for an event: if the event register is set it is cleared and
// execution continues, else the CPU halts until woken.
func (t *translator) WFE(f *fields) bool {
	t.emit(Op{fn: opWFE})
	t.end = true
	return true
}

func opWFE(c *CPU, o *Op) {
	if c.eventReg {
		c.eventReg = false
		return
	}
	c.halted, c.haltWFE = true, true
}

// WFI halts until an interrupt is pending. The block ends here, so the
// PC is the next instruction, where execution resumes after the wake-up
// (or the interrupt returns).
func (t *translator) WFI(f *fields) bool {
	t.emit(Op{fn: opWFI})
	t.end = true
	return true
}

func opWFI(c *CPU, o *Op) { c.halted = true }
