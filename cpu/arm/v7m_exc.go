package arm

import "fmt"

// The ARMv7-M exception model (ARMv7-M ARM B1.5): priorities, entry with
// hardware stacking, return through EXC_RETURN, faults and their
// escalation to HardFault, and Lockup.
//
// Tail-chaining is done as QEMU does it: a return unstacks, and the
// pending exception that may now preempt is taken at the next block
// boundary, before any instruction of the interrupted code runs, by
// stacking the same frame again. The guest sees the same memory,
// registers and EXC_RETURN as with a hardware tail-chain (R0-R3 and R12
// are UNKNOWN on entry either way). Entry is atomic here (between two
// instructions); late arrival is modelled where that leaves it
// observable: an exception that becomes pending while the frame is
// pushed (mEntry).
//
// A push that fails (the MPU, with the privilege of the interrupted
// code, or a bus error) is a derived fault (B1.5.14): MemManage MSTKERR
// or BusFault STKERR pends (HardFault if disabled or masked), and is
// taken instead of the exception by late arrival if its priority is
// higher. A pop that fails abandons the return: MUNSTKERR or UNSTKERR is
// tail-chained on the frame left in place (mUnstackFault).

// CFSR bits (B3.2.15): MMFSR in bits 7:0, BFSR 15:8, UFSR 31:16.
const (
	cfsrIACCVIOL    = 1 << 0
	cfsrDACCVIOL    = 1 << 1
	cfsrMUNSTKERR   = 1 << 3
	cfsrMSTKERR     = 1 << 4
	cfsrMLSPERR     = 1 << 5
	cfsrMMARVALID   = 1 << 7
	cfsrIBUSERR     = 1 << 8
	cfsrPRECISERR   = 1 << 9
	cfsrUNSTKERR    = 1 << 11
	cfsrSTKERR      = 1 << 12
	cfsrLSPERR      = 1 << 13
	cfsrBFARVALID   = 1 << 15
	cfsrUNDEFINSTR  = 1 << 16
	cfsrINVSTATE    = 1 << 17
	cfsrINVPC       = 1 << 18
	cfsrNOCP        = 1 << 19
	cfsrUNALIGNED   = 1 << 24
	cfsrDIVBYZERO   = 1 << 25
	hfsrVECTTBL     = 1 << 1
	hfsrFORCED      = 1 << 30
	hfsrDEBUGEVT    = 1 << 31
	dfsrBKPT        = 1 << 1
	shcsrMEMFAULTEN = 1 << 16
	shcsrBUSFAULTEN = 1 << 17
	shcsrUSGFAULTEN = 1 << 18
)

// CCR bits (B3.2.8).
const (
	ccrNONBASETHRDENA = 1 << 0
	ccrUSERSETMPEND   = 1 << 1
	ccrUNALIGNTRP     = 1 << 3
	ccrDIV0TRP        = 1 << 4
	ccrBFHFNMIGN      = 1 << 8
	ccrSTKALIGN       = 1 << 9
)

// SCR bits (B3.2.7).
const (
	scrSLEEPONEXIT = 1 << 1
	scrSLEEPDEEP   = 1 << 2
	scrSEVONPEND   = 1 << 4
)

// FPCCR bits (B3.2.22).
const (
	fpccrLSPACT = 1 << 0
	fpccrUSER   = 1 << 1
	fpccrTHREAD = 1 << 3
	fpccrHFRDY  = 1 << 4
	fpccrMMRDY  = 1 << 5
	fpccrBFRDY  = 1 << 6
	fpccrMONRDY = 1 << 8
	fpccrLSPEN  = 1 << 30
	fpccrASPEN  = 1 << 31
	fpccrMask   = fpccrLSPACT | fpccrUSER | fpccrTHREAD | fpccrHFRDY | fpccrMMRDY |
		fpccrBFRDY | fpccrMONRDY | fpccrLSPEN | fpccrASPEN
)

// excPrio is the priority of exception n: fixed for Reset, NMI and
// HardFault, programmed for the others (B1.5.4).
func (m *mState) excPrio(n int) int {
	switch n {
	case excReset:
		return -3
	case excNMI:
		return -2
	case excHardFault:
		return -1
	}
	return int(m.exc[n].prio)
}

// groupPrio is the group priority of priority p: the subpriority bits,
// AIRCR.PRIGROUP:0, cleared (B1.5.4).
func (m *mState) groupPrio(p int) int {
	if p < 0 {
		return p
	}
	return p &^ (2<<m.prigroup - 1)
}

// execPriority is the current execution priority (B1.5.4, ExecutionPriority):
// the highest group priority of the active exceptions, boosted by BASEPRI,
// PRIMASK (0) and FAULTMASK (-1). 256 is "no active exception, no boost".
func (c *CPU) execPriority(primask bool) int {
	m := c.m
	high := 256
	for n := excNMI; n < len(m.exc); n++ {
		if m.exc[n].active {
			high = min(high, m.groupPrio(m.excPrio(n)))
		}
	}
	boost := 256
	if m.basepri != 0 {
		boost = m.groupPrio(int(m.basepri))
	}
	if c.I && primask {
		boost = 0
	}
	if c.F {
		boost = -1
	}
	return min(high, boost)
}

// enabledFault reports whether configurable exception n may be taken at
// all: the fault handlers need their SHCSR enable (B3.2.13).
func (m *mState) excEnabled(n int) bool {
	switch n {
	case excMemManage:
		return m.shcsr&shcsrMEMFAULTEN != 0
	case excBusFault:
		return m.shcsr&shcsrBUSFAULTEN != 0
	case excUsageFault:
		return m.shcsr&shcsrUSGFAULTEN != 0
	case excDebugMon:
		// DEMCR.MON_EN enables the monitor (C1.6.5); Mimic has no
		// debug monitor support, so a debug event (BKPT with no
		// semihosting) escalates to HardFault with HFSR.DEBUGEVT.
		return false
	}
	return m.exc[n].enabled
}

// bestPending returns the pending exception to take next: the highest
// priority, then the lowest number (B1.5.4); -1 when none is pending.
func (m *mState) bestPending() int {
	best, bp := -1, 0
	for n := excNMI; n < len(m.exc); n++ {
		e := &m.exc[n]
		if !e.pending || !m.excEnabled(n) {
			continue
		}
		if p := m.excPrio(n); best < 0 || p < bp {
			best, bp = n, p
		}
	}
	return best
}

// mUpdate recomputes whether a pending exception may preempt now, after
// any change to pending, enable, priority, masking or active state.
func (c *CPU) mUpdate() {
	m := c.m
	if m.scr&scrSEVONPEND != 0 {
		c.mSevOnPend()
	}
	n := m.bestPending()
	exec := c.execPriority(true)
	c.irqLine = n >= 0 && m.groupPrio(m.excPrio(n)) < exec
	if m.mpu.ctrl&mpuENABLE != 0 {
		c.mpuSync(exec)
	}
}

// mSevOnPend sets the event register when an exception has become
// pending since the last look, whatever its priority or enable: with
// SCR.SEVONPEND that wakes WFE (B1.5.19, B3.2.7).
func (c *CPU) mSevOnPend() {
	m := c.m
	if len(m.sevSeen) != (len(m.exc)+63)/64 {
		m.sevSeen = make([]uint64, (len(m.exc)+63)/64)
	}
	for i := range m.exc {
		bit := uint64(1) << (i % 64)
		was := m.sevSeen[i/64]&bit != 0
		if m.exc[i].pending && !was {
			c.eventReg = true
		}
		if m.exc[i].pending {
			m.sevSeen[i/64] |= bit
		} else {
			m.sevSeen[i/64] &^= bit
		}
	}
}

// mCheckInterrupts takes the pending exception that may preempt, at a
// block boundary. It reports whether one was taken.
func (c *CPU) mCheckInterrupts() bool {
	m := c.m
	n := m.bestPending()
	if n < 0 || m.groupPrio(m.excPrio(n)) >= c.execPriority(true) {
		c.irqLine = false
		return false
	}
	c.halted, c.haltWFE = false, false
	c.mEntry(n, c.R[15], c.IT)
	c.mBoundary()
	return true
}

// mBoundary completes, between blocks, an exception entry or return that
// was written for the inside of an op: the next PC is where to go.
func (c *CPU) mBoundary() {
	c.R[15] = c.nextPC
	c.exit, c.exitPSR, c.faulted = false, false, false
}

// mWakeUp reports whether WFI/WFE ends (B1.5.19): a pending exception that
// would preempt if PRIMASK were clear, or for WFE the event register.
func (c *CPU) mWakeUp() bool {
	m := c.m
	if m.lockedUp {
		return false
	}
	n := m.bestPending()
	wake := n >= 0 && m.groupPrio(m.excPrio(n)) < c.execPriority(false)
	if c.haltWFE && !wake {
		if !c.eventReg {
			return false
		}
		c.eventReg = false
	} else if !wake {
		return false
	}
	c.halted, c.haltWFE = false, false
	return true
}

// mRaise takes the synchronous exception n (a fault, SVCall or
// DebugMonitor) of the instruction whose return address and ITSTATE are
// ret and it, escalating it to HardFault when it is disabled or cannot
// preempt the current execution priority (B1.5.15? see B1.5.4 "Priority
// escalation"), and locking up when HardFault itself cannot be taken.
// Called from an op, it ends the block; the op must return.
func (c *CPU) mRaise(n int, ret uint32, it uint8, why string) {
	m := c.m
	exec := c.execPriority(true)
	if n != excHardFault && n != excNMI {
		if !m.excEnabled(n) || m.groupPrio(m.excPrio(n)) >= exec {
			if n == excDebugMon {
				m.hfsr |= hfsrDEBUGEVT
			} else {
				m.hfsr |= hfsrFORCED
			}
			n = excHardFault
		}
	}
	if n == excHardFault && exec <= -1 {
		c.mLockup(ret, why)
		return
	}
	c.mEntry(n, ret, it)
}

// mFault raises fault n for op o: the return address is the faulting
// instruction, and the op does not retire.
func (c *CPU) mFault(o *Op, n int, cfsr uint32, why string) {
	c.m.cfsr |= cfsr
	c.mRaise(n, o.pc, o.it, why)
	c.faulted = true
}

// mLockup enters the Lockup state (B1.5.15): the CPU stops and the
// machine reports why.
func (c *CPU) mLockup(pc uint32, why string) {
	m := c.m
	m.lockedUp = true
	c.lockupMsg = fmt.Sprintf("lockup: %s at pc %#08x while executing at priority %d (IPSR %d, CFSR %#08x, HFSR %#08x)",
		why, pc, c.execPriority(true), m.ipsr, m.cfsr, m.hfsr)
	c.log.Error("arm: " + c.lockupMsg)
	c.stop = StopLockup
	c.nextPC = pc
	c.exit, c.exitPSR, c.faulted = true, true, true
	c.halted = true
}

// LockupMessage describes why the CPU locked up; empty if it did not.
func (c *CPU) LockupMessage() string {
	if c.m == nil || !c.m.lockedUp {
		return ""
	}
	return c.lockupMsg
}

// excReturnValue is the EXC_RETURN value for an entry from the current
// state (B1.5.8, table B1-8): to Handler mode, to Thread mode on MSP or
// on PSP; bit 4 clear when the frame holds the FP state.
func (c *CPU) excReturnValue(fp bool) uint32 {
	m := c.m
	v := uint32(0xfffffffd)
	switch {
	case m.handlerMode():
		v = 0xfffffff1
	case !m.processSP:
		v = 0xfffffff9
	}
	if fp {
		v &^= 0x10
	}
	return v
}

// mEntry is exception entry (B1.5.6, ExceptionEntry): push the frame on
// the current stack, then ExceptionTaken. It works as from an op: it sets
// c.nextPC and ends the block.
func (c *CPU) mEntry(n int, ret uint32, it uint8) {
	m := c.m
	fp := m.fpu && m.control&controlFPCA != 0
	size := uint32(0x20)
	if fp {
		size = 0x68
	}
	sp := c.R[13]
	align := m.ccr&ccrSTKALIGN != 0
	frame := sp - size
	realign := uint32(0)
	if align {
		realign = sp & 4
		frame &^= 4
	}
	xpsr := c.XPSR()&^(3<<25|0x3f<<10) | uint32(it&3)<<25 | uint32(it>>2)<<10
	if realign != 0 {
		xpsr |= 1 << 9
	}
	words := [8]uint32{c.R[0], c.R[1], c.R[2], c.R[3], c.R[12], c.R[14], ret &^ 1, xpsr}
	// The frame is pushed with the privilege of the code interrupted.
	user := !c.Privileged()
	exec := c.execPriority(true) // before the entry
	fault := 0
	store := func(a, v uint32) {
		if k := c.mStackAccess(a, v, user, true); k != 0 && fault == 0 {
			fault = k
		}
	}
	for i, w := range words {
		store(frame+uint32(4*i), w)
	}
	switch {
	case fp && m.fpccr&fpccrLSPEN != 0:
		// Lazy preservation (B1.5.7): the space is reserved and its
		// address kept in FPCAR; the first FP instruction stores it.
		c.mLazyFrame(frame+0x20, exec)
	case fp:
		for i := range 16 {
			store(frame+0x20+uint32(4*i), c.vfp.word(uint8(i)))
		}
		store(frame+0x60, c.vfp.fpscr)
	}
	// A failed push is a derived fault (B1.5.14): MemManage MSTKERR or
	// BusFault STKERR pends (MMFAR and BFAR are not written).
	switch fault {
	case excMemManage:
		c.mDerivedFault(excMemManage, cfsrMSTKERR, exec)
	case excBusFault:
		c.mDerivedFault(excBusFault, cfsrSTKERR, exec)
	}
	c.R[13] = frame
	c.R[14] = c.excReturnValue(fp)
	// Late arrival (B1.5.11; the late-arriving exception of the Cortex-M
	// TRMs): what is taken on the frame just pushed is the highest-
	// priority pending exception that may preempt the code interrupted,
	// n or one that became pending while the frame was pushed, which
	// leaves n pending. Everything happens between two instructions
	// here, so what can arrive "during stacking" is a derived fault of
	// the push itself, or an interrupt a device raised when the push
	// wrote to it (a stack in device memory); taking it here rather
	// than at the next block boundary is what makes one frame, not two,
	// and leaves n pending rather than active. Priority, then exception
	// number, decide (bestPending), as QEMU 7.2's NVIC does when it
	// acknowledges the exception after v7m_push_stack.
	was := m.exc[n].pending
	m.exc[n].pending = true
	if b := m.bestPending(); b >= 0 && b != n && m.groupPrio(m.excPrio(b)) < exec &&
		(m.excPrio(b) < m.excPrio(n) || m.excPrio(b) == m.excPrio(n) && b < n) {
		n = b
	} else {
		m.exc[n].pending = was // as before: mTaken clears it once taken
	}
	c.mTaken(n)
}

// mTaken is ExceptionTaken (B1.5.6): fetch the vector, enter Handler mode
// on the main stack.
func (c *CPU) mTaken(n int) {
	m := c.m
	vec, ok := c.Bus.Read(uint64(m.vtor)+4*uint64(n), 4)
	if !ok {
		// A BusFault on the vector read is a HardFault (HFSR.VECTTBL).
		c.guestError("exception vector read failed", "vtor", hex32(m.vtor), "exception", n)
		m.hfsr |= hfsrVECTTBL
		if n == excHardFault || c.execPriority(true) <= -1 {
			c.mLockup(c.nextPC, "vector table read fault")
			return
		}
		n = excHardFault
		if vec, ok = c.Bus.Read(uint64(m.vtor)+4*excHardFault, 4); !ok {
			c.mLockup(c.nextPC, "vector table read fault")
			return
		}
	}
	m.ipsr = uint32(n)
	m.exc[n].active = true
	m.exc[n].pending = false
	c.mSetFPCA(false)
	// ExceptionTaken clears CONTROL.SPSEL: Handler mode reads it as 0;
	// the EXC_RETURN value remembers the thread's stack (B1.5.6).
	m.control &^= controlSPSEL
	c.mSelectSP(false)
	c.setPrivMode()
	c.T = vec&1 != 0
	c.IT = 0
	c.eventReg = true
	c.exclValid = false
	c.halted, c.haltWFE = false, false
	c.nextPC = uint32(vec) &^ 1
	c.exit, c.exitPSR = true, true
	c.mUpdate()
}

// mStore32 and mLoad32 are the unstacking and vector-table accesses:
// privileged, through the bus.
func (c *CPU) mStore32(a, v uint32) bool {
	if c.Bus.IsROM(uint64(a)) {
		return false
	}
	return c.Bus.Write(uint64(a), 4, uint64(v))
}

func (c *CPU) mLoad32(a uint32) (uint32, bool) {
	v, ok := c.Bus.Read(uint64(a), 4)
	return uint32(v), ok
}

// mStackAccess is one stacking store (write) or unstacking load of the
// word at a with the given privilege, checked by the MPU (B1.5.6,
// B1.5.7): it returns 0, or the fault it raises, excMemManage for an MPU
// violation or excBusFault for a bus error. A load's value is in *v.
func (c *CPU) mStackAccess(a uint32, v uint32, user, write bool) int {
	_, k := c.mStackAccessRW(a, v, user, write)
	return k
}

func (c *CPU) mStackAccessRW(a uint32, v uint32, user, write bool) (uint32, int) {
	kind := accRead
	if write {
		kind = accWrite
	}
	if t := c.mpuTranslate(a, kind, user); t.fsr != 0 {
		return 0, excMemManage
	}
	if write {
		if !c.mStore32(a, v) {
			return 0, excBusFault
		}
		return 0, 0
	}
	x, ok := c.mLoad32(a)
	if !ok {
		return 0, excBusFault
	}
	return x, 0
}

// mDerivedFault makes the fault of a failed stacking access pending
// (B1.5.14): fault n with status bit cfsr, or HardFault (HFSR.FORCED)
// when n is disabled or cannot preempt exec, the execution priority
// before the entry (B1.5.4 "Priority escalation": the fault is
// synchronous to the entry; QEMU 7.2's armv7m_nvic_set_pending_derived
// escalates the same way). When HardFault cannot preempt exec either,
// it stays pending; the architecture leaves the outcome of that case
// (a stacking fault on an entry from priority -1) to B1.5.15, which
// Mimic does not model further.
func (c *CPU) mDerivedFault(n int, cfsr uint32, exec int) {
	m := c.m
	m.cfsr |= cfsr
	if !m.excEnabled(n) || m.groupPrio(m.excPrio(n)) >= exec {
		m.hfsr |= hfsrFORCED
		n = excHardFault
	}
	m.exc[n].pending = true
}

// mExcReturnPC is the PC write of an EXC_RETURN value in Handler mode
// (BX, POP, LDM or LDR to the PC, B1.5.8): the return happens when the
// instruction is done (blockExit calls mExceptionReturn).
func (c *CPU) mExcReturnPC(v uint32) {
	c.m.excReturn = true
	c.nextPC = v
	c.exit, c.exitPSR = true, true
}

// mExceptionReturn is ExceptionReturn (B1.5.8) for EXC_RETURN value v.
// It sets c.nextPC as from an op.
func (c *CPU) mExceptionReturn(v uint32) {
	m := c.m
	n := int(m.ipsr)
	nested := 0
	for i := range m.exc {
		if m.exc[i].active {
			nested++
		}
	}
	bad := v&0x0fffffe0 != 0x0fffffe0 || v&0x10 == 0 && !m.fpu ||
		n >= len(m.exc) || !m.exc[n].active
	toThread := false
	switch v & 0xf {
	case 0x1:
		// Returning to Handler mode is legal in itself; with no other
		// exception active the stacked IPSR of 0 contradicts it, which
		// the check after PopStack finds (B1.5.8).
	case 0x9, 0xd:
		toThread = true
		bad = bad || nested != 1 && m.ccr&ccrNONBASETHRDENA == 0
	default:
		bad = true
	}
	if bad {
		// An illegal EXC_RETURN: UsageFault INVPC taken from the handler,
		// without stacking, with LR = 0xF0000000 + EXC_RETURN (B1.5.8).
		c.guestError("illegal EXC_RETURN", "value", hex32(v), "ipsr", n)
		// The returning exception is deactivated first (B1.5.8), so
		// the UsageFault competes with what was active before it.
		if n < len(m.exc) && m.exc[n].active {
			m.exc[n].active = false
			if n != excNMI {
				c.F = false
			}
		}
		m.cfsr |= cfsrINVPC
		c.R[14] = 0xf0000000 | v&0x0fffffff
		c.mRaiseNoStack(excUsageFault, "illegal EXC_RETURN")
		return
	}
	// DeActivate (B1.5.8): FAULTMASK clears on any return but from NMI.
	m.exc[n].active = false
	if n != excNMI {
		c.F = false
	}
	if n >= excIRQ0 && m.level[n-excIRQ0] {
		m.exc[n].pending = true
	}
	if m.mpu.ctrl&mpuENABLE != 0 {
		// PopStack sees the execution priority the deactivation left:
		// the MPU applies to it unless that is still negative and
		// HFNMIENA clear (B3.5.6; QEMU 7.2 likewise picks the MMU index
		// for the pop after completing the exception).
		c.mpuSync(c.execPriority(true))
	}
	process := v&0xf == 0xd
	frame := c.mSP(process)
	fp := v&0x10 == 0
	// PopStack runs in the mode returned to (B1.5.8): unprivileged for
	// Thread mode with CONTROL.nPRIV set.
	user := toThread && m.control&controlNPRIV != 0
	fault := 0
	load := func(a uint32) uint32 {
		v, k := c.mStackAccessRW(a, 0, user, false)
		if k != 0 && fault == 0 {
			fault = k
		}
		return v
	}
	var w [8]uint32
	for i := range w {
		w[i] = load(frame + uint32(4*i))
	}
	size := uint32(0x20)
	lazy := fp && m.fpccr&fpccrLSPACT != 0
	var fw [17]uint32 // S0-S15, FPSCR
	if fp {
		size = 0x68
		if !lazy {
			for i := range 16 {
				fw[i] = load(frame + 0x20 + uint32(4*i))
			}
			fw[16] = load(frame + 0x60)
		}
	}
	if fault != 0 {
		// A derived fault (B1.5.14: MUNSTKERR, UNSTKERR).
		// The return is abandoned: nothing popped is committed, the SP
		// still points at the frame, and the fault is tail-chained from
		// the returning exception (already deactivated) with LR the
		// EXC_RETURN that failed, so that its handler can repair the
		// stack and return through the same frame (B1.5.11). QEMU 7.2
		// does the same (do_v7m_exception_exit "derived exception on
		// unstacking", taken as a tail-chain with the same excret).
		c.guestError("exception return: unstacking failed", "frame", hex32(frame))
		c.mUnstackFault(v, fault)
		return
	}
	if lazy {
		// The lazy state was never stored: the registers still hold it
		// (B1.5.8, ExceptionReturn).
		m.fpccr &^= fpccrLSPACT
	} else if fp {
		for i := range 16 {
			c.vfp.setWord(uint8(i), fw[i])
		}
		c.vfp.fpscr = fw[16] & fpscrWritable &^ fpscrVector
	}
	psr := w[7]
	sp := frame + size
	if psr&(1<<9) != 0 && m.ccr&ccrSTKALIGN != 0 {
		sp |= 4
	}
	c.mSetSP(process, sp)
	c.R[0], c.R[1], c.R[2], c.R[3], c.R[12], c.R[14] = w[0], w[1], w[2], w[3], w[4], w[5]
	c.setFlagsFrom(psr)
	if !m.dsp {
		c.GE = 0
	}
	m.ipsr = psr & 0x1ff
	c.T = psr&(1<<24) != 0
	c.IT = uint8(psr>>25&3) | uint8(psr>>10&0x3f)<<2
	c.mSetFPCA(fp)
	if toThread {
		m.control &^= controlSPSEL
		if process {
			m.control |= controlSPSEL
		}
	}
	c.eventReg = true
	c.exclValid = false
	c.nextPC = w[6] &^ 1 // bit 0 set is UNPREDICTABLE; ignored as QEMU
	c.exit, c.exitPSR = true, true
	if !toThread && m.ipsr == 0 || toThread && m.ipsr != 0 {
		// The stacked IPSR contradicts EXC_RETURN (B1.5.8): UsageFault
		// INVPC. PushStack there negates PopStack: the frame just
		// popped is still in memory, unchanged, so the stack pointer
		// returns to it, and the fault is taken on it with LR = the
		// EXC_RETURN that failed.
		c.mSetSP(process, frame)
		m.cfsr |= cfsrINVPC
		c.R[14] = 0xf0000000 | v&0x0fffffff
		c.mRaiseNoStack(excUsageFault, "exception return to a mode the stacked IPSR contradicts")
		return
	}
	c.mSelectSP(toThread && process)
	c.setPrivMode()
	c.mUpdate()
	if toThread && nested == 1 && m.scr&scrSLEEPONEXIT != 0 && !c.irqLine {
		// Sleep-on-exit (B1.5.19): back to sleep instead of Thread mode.
		c.halted = true
	}
}

// mUnstackFault takes the derived fault of a failed exception return
// with EXC_RETURN value v (kind excMemManage: MUNSTKERR, excBusFault:
// UNSTKERR), the returning exception already deactivated. The fault is
// synchronous to the return: it escalates to HardFault (FORCED) when
// disabled or unable to preempt the execution priority the return left
// (B1.5.4 "Priority escalation"), and locks up when HardFault cannot
// preempt either (B1.5.15). What is taken is then the highest-priority
// pending exception, which may be another one that the deactivation let
// preempt (the fault then stays pending): a tail-chain on the frame the
// return left on the stack, in Handler mode on the main stack.
func (c *CPU) mUnstackFault(v uint32, kind int) {
	m := c.m
	n, cfsr := excMemManage, uint32(cfsrMUNSTKERR)
	if kind == excBusFault {
		n, cfsr = excBusFault, cfsrUNSTKERR
	}
	m.cfsr |= cfsr
	exec := c.execPriority(true)
	if !m.excEnabled(n) || m.groupPrio(m.excPrio(n)) >= exec {
		m.hfsr |= hfsrFORCED
		n = excHardFault
	}
	if n == excHardFault && exec <= -1 {
		// Lockup (B1.5.15). No instruction faulted: the PC reported
		// is 0xFFFFFFFE, the lockup address of the architecture.
		c.mLockup(0xfffffffe, "unstacking fault")
		return
	}
	m.exc[n].pending = true
	if b := m.bestPending(); b >= 0 && m.groupPrio(m.excPrio(b)) < exec {
		n = b
	}
	c.R[14] = v
	c.mTaken(n)
}

// mRaiseNoStack takes exception n from Handler mode without stacking a
// new frame (the INVPC fault of an illegal exception return).
func (c *CPU) mRaiseNoStack(n int, why string) {
	m := c.m
	exec := c.execPriority(true)
	if !m.excEnabled(n) || m.groupPrio(m.excPrio(n)) >= exec {
		m.hfsr |= hfsrFORCED
		n = excHardFault
		if exec <= -1 {
			c.mLockup(c.nextPC, why)
			return
		}
	}
	c.mTaken(n)
}

// Hooks from the A-profile paths (exception.go, mem.go, ops) into the M
// profile.

// mUndefined is an UNDEFINED instruction: UsageFault UNDEFINSTR.
func (c *CPU) mUndefined(o *Op) {
	c.mFault(o, excUsageFault, cfsrUNDEFINSTR, "undefined instruction")
}

// mDataAbort turns a data access fault into a precise BusFault (with
// BFAR) or, for misalignment, a UsageFault UNALIGNED (B3.2.15).
func (c *CPU) mDataAbort(o *Op, fsr, addr uint32) {
	if fsr&0x40f == fsMPU {
		// An MPU or default-map violation: MemManage DACCVIOL with the
		// address in MMFAR (B3.2.15), even if it escalates.
		c.m.mmfar = addr
		c.mFault(o, excMemManage, cfsrDACCVIOL|cfsrMMARVALID, fmt.Sprintf("MPU violation at %#08x", addr))
		return
	}
	if fsr&0xf == fsAlignment {
		c.mFault(o, excUsageFault, cfsrUNALIGNED, "unaligned access")
		return
	}
	c.m.bfar = addr
	c.mFault(o, excBusFault, cfsrPRECISERR|cfsrBFARVALID, fmt.Sprintf("bus fault at %#08x", addr))
}

// mPrefetchAbort is an instruction fetch that failed: from where the MPU
// or the default memory map forbids execution, MemManage IACCVIOL (MMFAR
// is not written, B3.2.15); from where nothing is mapped, BusFault
// IBUSERR. Either returns to the instruction.
func (c *CPU) mPrefetchAbort(pc uint32, it uint8, fsr uint32) {
	if fsr&0x40f == fsMPU {
		c.m.cfsr |= cfsrIACCVIOL
		c.mRaise(excMemManage, pc, it, "instruction fetch MPU violation")
		c.faulted = true
		return
	}
	c.m.cfsr |= cfsrIBUSERR
	c.mRaise(excBusFault, pc, it, "instruction fetch bus fault")
	c.faulted = true
}

// mBKPT is BKPT with no debugger: a DebugMonitor exception, which (the
// monitor being disabled) escalates to HardFault with HFSR.DEBUGEVT.
func (c *CPU) mBKPT(o *Op) {
	c.m.dfsr |= dfsrBKPT
	c.mRaise(excDebugMon, o.pc, o.it, "breakpoint")
	c.faulted = true
}

// mDivByZero takes the DIVBYZERO UsageFault when CCR.DIV_0_TRP is set; it
// reports whether it did.
func (c *CPU) mDivByZero(o *Op) bool {
	if c.m.ccr&ccrDIV0TRP == 0 {
		return false
	}
	c.mFault(o, excUsageFault, cfsrDIVBYZERO, "division by zero")
	return true
}

func opINVSTATE(c *CPU, o *Op) {
	c.mFault(o, excUsageFault, cfsrINVSTATE, "execution with EPSR.T clear")
}

func opNOCP(c *CPU, o *Op) {
	c.guestError("coprocessor instruction without the coprocessor", "pc", hex32(o.pc), "insn", insnString(o))
	c.mFault(o, excUsageFault, cfsrNOCP, "coprocessor access")
}

// mAfterSCSWrite finishes a store that the System Control Space refused
// (a BusFault) or that changed what may preempt: the block then ends
// after the instruction, so that a now-pending exception is taken before
// the next one (the store itself completes).
func (c *CPU) mAfterSCSWrite(o *Op, va uint32) bool {
	m := c.m
	if m.busErr {
		m.busErr, m.endBlock = false, false
		c.abortFor(o, va, c.mem.faultStatus(fsExtAbort), true)
		return false
	}
	m.endBlock = false
	if !c.exit {
		c.nextPC = o.pc + uint32(o.size)
		c.exit = true
	}
	return true
}

// mSystemReset hands a SYSRESETREQ to the board, between blocks.
func (c *CPU) mSystemReset() {
	c.m.resetReq = false
	if c.OnSystemReset == nil {
		c.guestError("SCS: SYSRESETREQ with no reset handler")
		return
	}
	c.OnSystemReset()
}
