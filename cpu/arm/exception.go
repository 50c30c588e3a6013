package arm

// Exception vector offsets (ARM ARM B1.8.1, table B1-3).
const (
	vecReset    = 0x00
	vecUndef    = 0x04
	vecSVC      = 0x08
	vecPrefetch = 0x0c
	vecData     = 0x10
	vecIRQ      = 0x18
	vecFIQ      = 0x1c
)

// sysRegs are the system-control registers the core itself consults. The
// CP15 model (cp15.go) reads and writes them; without it they keep their
// reset values, which describe an MMU-off, little-endian, low-vector CPU.
type sysRegs struct {
	sctlr uint32
	vbar  uint32
	dfsr  uint32
	dfar  uint32
	ifsr  uint32
	ifar  uint32
	// The thread ID registers (ARM ARM B4.1.150-B4.1.152) are CP15's, but
	// live here so that native code reads them: Linux reads TPIDRURO
	// (current) and TPIDRPRW (its per-CPU offset) all the time.
	tpidrurw, tpidruro, tpidrprw uint32
}

// SCTLR bits the core uses (ARM ARM B4.1.130).
const (
	sctlrM  = 1 << 0
	sctlrA  = 1 << 1
	sctlrV  = 1 << 13
	sctlrEE = 1 << 25
	sctlrTE = 1 << 30
)

// vectorBase returns the base address of the exception vectors.
func (c *CPU) vectorBase() uint32 {
	if c.mem.sys.sctlr&sctlrV != 0 || c.Config.HighVectors {
		return 0xffff0000
	}
	return c.mem.sys.vbar
}

// itAdvance returns the ITSTATE after one instruction (ARM ARM A2.5.2).
func itAdvance(it uint8) uint8 {
	if it&7 == 0 {
		return 0
	}
	return it&0xe0 | (it<<1)&0x1f
}

// enterException performs the common part of exception entry (ARM ARM
// B1.8.3): save the CPSR (with the given ITSTATE) to the new mode's SPSR,
// switch mode, set LR, mask, and branch to the vector. It ends the block.
func (c *CPU) enterException(mode uint32, vec uint32, lr uint32, it uint8, maskA, maskF bool) {
	saved := c.CPSR()&^(3<<25|0x3f<<10) | uint32(it&3)<<25 | uint32(it>>2)<<10
	c.switchMode(mode)
	c.setSPSR(saved)
	c.R[14] = lr
	c.I = true
	if maskA {
		c.A = true
	}
	if maskF {
		c.F = true
	}
	c.IT = 0
	c.T = c.mem.sys.sctlr&sctlrTE != 0
	c.setE(c.mem.sys.sctlr&sctlrEE != 0)
	c.exclValid = false // exception entry clears the local monitor (A3.4.4)
	c.nextPC = c.vectorBase() + vec
	c.exit = true
	c.exitPSR = true
}

// undefined takes the Undefined Instruction exception for op o. LR is the
// instruction's address + 4 in ARM state and + 2 in Thumb state, whatever
// the instruction's size (ARM ARM B1.8.3, table B1-7).
func (c *CPU) undefined(o *Op) {
	if c.m != nil {
		c.mUndefined(o)
		return
	}
	lr := o.pc + 4
	if c.T {
		lr = o.pc + 2
	}
	c.enterException(ModeUND, vecUndef, lr, o.it, false, false)
	c.faulted = true
}

// svcException takes the Supervisor Call exception for op o; the saved
// ITSTATE is that of the next instruction, where the return lands.
func (c *CPU) svcException(o *Op) {
	if c.m != nil {
		c.mRaise(excSVCall, o.pc+uint32(o.size), itAdvance(o.it), "SVC")
		return
	}
	c.enterException(ModeSVC, vecSVC, o.pc+uint32(o.size), itAdvance(o.it), false, false)
}

// prefetchAbort takes the Prefetch Abort exception for an instruction at pc
// with the given fault status. LR is pc+4 in both instruction sets.
func (c *CPU) prefetchAbort(pc uint32, it uint8, ifsr uint32) {
	if c.m != nil {
		c.mPrefetchAbort(pc, it, ifsr)
		return
	}
	c.mem.sys.ifsr = ifsr
	c.mem.sys.ifar = pc
	c.enterException(ModeABT, vecPrefetch, pc+4, it, true, false)
	c.faulted = true
}

// dataAbort takes the Data Abort exception for op o. LR is the faulting
// instruction's address + 8 in both instruction sets.
func (c *CPU) dataAbort(o *Op, dfsr, dfar uint32) {
	if c.m != nil {
		c.mDataAbort(o, dfsr, dfar)
		return
	}
	c.mem.sys.dfsr = dfsr
	c.mem.sys.dfar = dfar
	c.enterException(ModeABT, vecData, o.pc+8, o.it, true, false)
	c.faulted = true
}

// bkptException takes the Prefetch Abort that BKPT raises as a debug event
// when no debugger is attached (ARM ARM C4.1, B3.13.3: IFSR.FS = 0b00010).
func (c *CPU) bkptException(o *Op) {
	if c.m != nil {
		c.mBKPT(o)
		return
	}
	c.prefetchAbort(o.pc, o.it, c.mem.faultStatus(fsDebug))
	c.mem.sys.ifar = 0 // IFAR is UNKNOWN for debug events; keep it stable
}

// checkInterrupts takes a pending, unmasked FIQ or IRQ at a block boundary.
// It reports whether one was taken.
func (c *CPU) checkInterrupts() bool {
	if c.m != nil {
		return c.mCheckInterrupts()
	}
	switch {
	case c.fiqLine && !c.F:
		c.halted, c.haltWFE = false, false
		c.enterException(ModeFIQ, vecFIQ, c.R[15]+4, c.IT, true, true)
	case c.irqLine && !c.I:
		c.halted, c.haltWFE = false, false
		c.enterException(ModeIRQ, vecIRQ, c.R[15]+4, c.IT, true, false)
	default:
		return false
	}
	c.R[15] = c.nextPC
	c.exit = false
	c.exitPSR = false
	return true
}

// exceptionReturn restores the CPSR from the SPSR and branches to pc, as
// SUBS PC, LR / MOVS PC, LR / LDM ^ / RFE do (ARM ARM B1.8.10). From User
// or System mode this is UNPREDICTABLE; like QEMU we then copy nothing and
// just branch.
func (c *CPU) exceptionReturn(pc uint32, spsr uint32) {
	c.SetCPSR(spsr)
	if c.T {
		pc &^= 1
	} else {
		pc &^= 3
	}
	c.nextPC = pc
	c.exit = true
	c.exitPSR = true
}
