package arm

// The ARMv7-M profile (ARMv7-M Architecture Reference Manual, ARM DDI
// 0403E): configuration, the registers that differ from the A profile
// (banked SP, xPSR, the special-purpose registers) and reset.
//
// An M-profile CPU is the same CPU value as an A-profile one, with c.m set:
// the T32 decoder, the block cache, the op handlers and the native backend
// are shared. What differs is reached from a few places that test c.m:
// exception entry and return (v7m_exc.go), the special-register and
// system instructions (v7m_translate.go), the System Control Space
// the CPU provides as a bus device (v7m_scs.go, v7m_systick.go), the MPU,
// which is the M profile's address translation (v7m_mpu.go), and the
// other devices of the core the board maps: the bit-band aliases
// (v7m_bitband.go), the DWT cycle counter and the ITM (v7m_dwt.go).
//
// How the A-profile state is reused:
//   - c.R[13] is the current stack pointer; the other one (MSP or PSP) is
//     kept in mState.
//   - c.mode is ModeSYS when privileged (Handler mode, or Thread mode with
//     CONTROL.nPRIV clear) and ModeUSR otherwise, so privilege checks,
//     the TLB and the block cache's state key work unchanged. Both modes
//     share the register bank.
//   - c.I is PRIMASK and c.F is FAULTMASK; c.T is EPSR.T and c.IT the
//     ICI/IT bits.
//   - c.irqLine means "a pending exception would preempt now": the run
//     loop (and the native epilogue) already test it at block boundaries.

import (
	"fmt"

	"mimic/devices/clock"
	"mimic/devices/irq"
)

// Profile selects the architecture profile.
type Profile int

const (
	ProfileA Profile = iota // ARMv7-A (the zero value)
	ProfileM                // ARMv7-M
)

// MModel is an M-profile implementation.
type MModel int

const (
	CortexM3 MModel = iota // ARMv7-M
	CortexM4               // ARMv7E-M: DSP instructions and FPv4-SP-D16
)

func (m MModel) String() string {
	if m == CortexM4 {
		return "cortex-m4"
	}
	return "cortex-m3"
}

// MConfig fixes the implementation-defined choices of an M-profile CPU.
type MConfig struct {
	Model MModel
	// NoFPU leaves the FPU out of a Cortex-M4 (Cortex-M4 without F).
	NoFPU bool
	// NumIRQ is the number of external interrupts, 0..496 (board-defined).
	NumIRQ int
	// PrioBits is the number of implemented priority bits, 3..8; 0 means 3,
	// as on the LM3S6965 and the MPS2 FPGA images.
	PrioBits int
	// Clock is the virtual clock SysTick counts on; nil stops SysTick.
	Clock *clock.Clock
	// CPUClockHz is the processor clock (SysTick CLKSOURCE = 1).
	CPUClockHz uint64
	// SysTickRefHz is the SysTick external reference clock (CLKSOURCE =
	// 0); 0 means there is none (CALIB.NOREF, CLKSOURCE reads as 1).
	SysTickRefHz uint64
	// SysTickCalib is the SYST_CALIB value (NOREF is added when there is
	// no reference clock).
	SysTickCalib uint32
	// VTOR is the vector table address at reset (0 on these cores).
	VTOR uint32
	// NoStkAlign makes CCR.STKALIGN reset to 0 (Cortex-M3 before r2p0).
	// ARM recommends 1 and QEMU always resets it to 1.
	NoStkAlign bool
}

// Exception numbers (ARMv7-M ARM B1.5.2).
const (
	excReset      = 1
	excNMI        = 2
	excHardFault  = 3
	excMemManage  = 4
	excBusFault   = 5
	excUsageFault = 6
	excSVCall     = 11
	excDebugMon   = 12
	excPendSV     = 14
	excSysTick    = 15
	excIRQ0       = 16
)

// CONTROL bits (B1.4.4).
const (
	controlNPRIV = 1 << 0
	controlSPSEL = 1 << 1
	controlFPCA  = 1 << 2
)

// mExc is one exception's NVIC state.
type mExc struct {
	pending, active bool
	enabled         bool  // IRQs: NVIC_ISER; system exceptions: always
	prio            uint8 // programmed priority (implemented bits only)
}

// mState is the M-profile state that the A profile lacks.
type mState struct {
	cfg       MConfig
	dsp, fpu  bool
	prioMask  uint8 // the implemented priority bits
	otherSP   uint32
	processSP bool // c.R[13] holds PSP (Thread mode with SPSEL = 1)
	ipsr      uint32
	control   uint32
	basepri   uint8

	exc   []mExc // indexed by exception number, 16 + NumIRQ
	level []bool // external interrupt inputs
	// sevSeen is the pending set SEVONPEND last looked at (a bit per
	// exception number).
	sevSeen []uint64

	// System Control Block.
	vtor, prigroup, scr, ccr uint32
	shcsr                    uint32 // the enable bits only (active/pending are in exc)
	cfsr, hfsr, dfsr         uint32
	mmfar, bfar, cpacr       uint32
	fpccr, fpcar, fpdscr     uint32

	mpu  mpu
	tick systick

	// excReturn is set by a PC write in Handler mode of an EXC_RETURN
	// value; blockExit performs the return once the instruction is done.
	excReturn bool
	// endBlock asks the running store to end the block (a System
	// Control Space write changed what may preempt).
	endBlock bool
	// busErr makes the running SCS access a BusFault (unprivileged).
	busErr bool
	// accOp is the op whose load or store the bus is performing, so that
	// a device can tell how many instructions of the running block have
	// retired (insnCount).
	accOp *Op
	// accUser is set while the bus performs an unprivileged data access
	// of an instruction: any in Thread mode with CONTROL.nPRIV set, and
	// LDRT, STRT and the like in privileged code (A7.7.59 and others:
	// "as if unprivileged"). The core's devices (SCS, DWT, ITM) check it
	// through accPrivileged, as the MPU checks the same privilege.
	accUser bool
	// demcr is the Debug Exception and Monitor Control Register (C1.6.5);
	// only TRCENA has an effect (it gates the DWT cycle counter).
	demcr uint32
	dwt   dwt
	itm   itmRegs
	// lockedUp is set in the Lockup state (B1.5.15).
	lockedUp bool
	// resetReq is a system reset request (AIRCR.SYSRESETREQ) not yet
	// handed to c.OnSystemReset.
	resetReq bool
}

// isM reports whether the CPU implements the M profile.
func (c *CPU) isM() bool { return c.m != nil }

// newM sets up the M-profile state of c from its configuration.
func (c *CPU) newM() {
	cfg := c.Config.M
	if cfg.NumIRQ < 0 || cfg.NumIRQ > 496 {
		panic(fmt.Sprintf("BUG: arm: NumIRQ %d out of range 0..496", cfg.NumIRQ))
	}
	if cfg.PrioBits == 0 {
		cfg.PrioBits = 3
	}
	if cfg.PrioBits < 3 || cfg.PrioBits > 8 {
		panic(fmt.Sprintf("BUG: arm: PrioBits %d out of range 3..8", cfg.PrioBits))
	}
	m := &mState{cfg: cfg}
	m.dsp = cfg.Model == CortexM4
	m.fpu = cfg.Model == CortexM4 && !cfg.NoFPU
	m.prioMask = uint8(0xff << (8 - cfg.PrioBits))
	m.exc = make([]mExc, excIRQ0+cfg.NumIRQ)
	m.level = make([]bool, cfg.NumIRQ)
	c.m = m
	c.mode = ModeSYS // privileged Thread mode; both modes use one bank
	m.tick.c = c
	// Native code must not run the PC writes that may be exception
	// returns, nor division that may trap: natAllowed keeps those in Go.
}

// MProfile reports whether the CPU implements the M profile.
func (c *CPU) MProfile() bool { return c.m != nil }

// resetM is the M-profile reset (ARMv7-M ARM B1.5.5, TakeReset): Thread
// mode, privileged, on the main stack; SP and PC from the vector table,
// read through the bus; every SCS register to its reset value.
func (c *CPU) resetM() {
	m := c.m
	c.R = [16]uint32{}
	c.N, c.Z, c.C, c.V, c.Q = false, false, false, false, false
	c.GE, c.IT, c.E = 0, 0, false
	c.A, c.I, c.F = false, false, false
	c.exclValid = false
	c.halted, c.haltWFE, c.eventReg = false, false, false
	c.irqLine, c.fiqLine = false, false
	c.vfp.reset() // FPEXC.EN clear: mirrors CONTROL.FPCA, see mSetFPCA
	m.otherSP, m.processSP = 0, false
	m.ipsr, m.control, m.basepri = 0, 0, 0
	for i := range m.exc {
		m.exc[i] = mExc{}
	}
	for i := 0; i < excIRQ0; i++ {
		m.exc[i].enabled = true
	}
	// The levels of the external lines survive reset: a device holding
	// its line high makes it pending again.
	for n, l := range m.level {
		if l {
			m.exc[excIRQ0+n].pending = true
		}
	}
	m.vtor = m.cfg.VTOR &^ 0x7f
	m.prigroup, m.scr, m.shcsr = 0, 0, 0
	m.ccr = 0
	if !m.cfg.NoStkAlign {
		m.ccr = ccrSTKALIGN
	}
	m.cfsr, m.hfsr, m.dfsr, m.mmfar, m.bfar, m.cpacr = 0, 0, 0, 0, 0, 0
	// FPCCR resets with ASPEN and LSPEN set (B3.2.22).
	m.fpccr, m.fpcar, m.fpdscr = 0, 0, 0
	if m.fpu {
		m.fpccr = fpccrASPEN | fpccrLSPEN
	}
	m.excReturn, m.endBlock, m.busErr, m.lockedUp, m.resetReq = false, false, false, false, false
	m.tick.reset()
	m.mpu.reset()
	m.demcr, m.accOp = 0, nil
	m.dwt.reset(c)
	m.itm = itmRegs{}
	c.mem.sys.sctlr = 0
	c.setPrivMode()
	c.mem.flushAll()
	c.cache.flush()

	sp, _ := c.Bus.Read(uint64(m.vtor), 4)
	pc, _ := c.Bus.Read(uint64(m.vtor)+4, 4)
	c.R[13] = uint32(sp) &^ 3
	c.R[14] = 0xffffffff // UNKNOWN; the value real cores and QEMU give
	c.T = pc&1 != 0
	c.R[15] = uint32(pc) &^ 1
	c.mUpdate()
}

// setPrivMode sets c.mode from Handler/Thread mode and CONTROL.nPRIV.
func (c *CPU) setPrivMode() {
	mode := uint32(ModeSYS)
	if c.m.ipsr == 0 && c.m.control&controlNPRIV != 0 {
		mode = ModeUSR
	}
	c.switchMode(mode)
}

// accPrivileged reports whether the access the bus is performing for the
// CPU is privileged: the CPU is, and the access is not an unprivileged
// one (LDRT, STRT ...). Stacking and debugger accesses count as the
// CPU's privilege.
func (c *CPU) accPrivileged() bool { return c.Privileged() && !c.m.accUser }

// handlerMode reports whether the CPU is in Handler mode.
func (m *mState) handlerMode() bool { return m.ipsr != 0 }

// mSP returns SP_process (process) or SP_main.
func (c *CPU) mSP(process bool) uint32 {
	if process == c.m.processSP {
		return c.R[13]
	}
	return c.m.otherSP
}

// mSetSP writes SP_process or SP_main. The low two bits are RAZ/WI
// (B1.4.1).
func (c *CPU) mSetSP(process bool, v uint32) {
	v &^= 3
	if process == c.m.processSP {
		c.R[13] = v
	} else {
		c.m.otherSP = v
	}
}

// mSelectSP makes R13 the process (true) or main stack pointer.
func (c *CPU) mSelectSP(process bool) {
	if process != c.m.processSP {
		c.R[13], c.m.otherSP = c.m.otherSP, c.R[13]
		c.m.processSP = process
	}
}

// setControl writes CONTROL and applies it: the stack selection (Thread
// mode only; Handler mode always uses MSP) and the privilege.
func (c *CPU) setControl(v uint32) {
	m := c.m
	mask := uint32(controlNPRIV | controlSPSEL)
	if m.fpu {
		mask |= controlFPCA
	}
	m.control = v & mask
	c.mSetFPCA(m.control&controlFPCA != 0)
	c.mSelectSP(!m.handlerMode() && m.control&controlSPSEL != 0)
	c.setPrivMode()
}

// mSetFPCA sets CONTROL.FPCA. FPEXC does not exist on the M profile; its
// EN bit, which the shared floating-point ops test on their fast path,
// is set when FPCA is and no lazy state preservation is pending
// (FPCCR.LSPACT), so that the first FP instruction after FPCA was cleared
// or a lazy frame was reserved takes the slow path (mFPCheck), which
// stores the lazy state and sets FPCA as FPCCR.ASPEN asks (B1.4.4,
// B1.5.7, B3.2.22).
func (c *CPU) mSetFPCA(on bool) {
	c.m.control &^= controlFPCA
	c.vfp.fpexc = 0
	if on && c.m.fpu {
		c.m.control |= controlFPCA
		if c.m.fpccr&fpccrLSPACT == 0 {
			c.vfp.fpexc = fpexcEN
		}
	}
}

// mFPCheck is the M-profile check of a floating-point instruction that
// missed the fast path: CPACR must grant CP10/CP11 (else UsageFault NOCP,
// B3.2.20); the instruction then marks the FP context active.
func (c *CPU) mFPCheck(o *Op, vector bool) bool {
	if !c.vfpAccessible() {
		opNOCP(c, o)
		return false
	}
	if vector && c.vfp.fpscr&fpscrVector != 0 {
		c.undefined(o)
		return false
	}
	if c.m.fpccr&fpccrLSPACT != 0 && !c.mPreserveFPState(o) {
		return false
	}
	if c.m.fpccr&fpccrASPEN != 0 && c.m.control&controlFPCA == 0 {
		// A new FP context takes AHP, DN, FZ and RMode from FPDSCR
		// (B1.4.4, ExecuteFPCheck: FPSCR<26:22> = FPDSCR<26:22>); the
		// flags keep their values. QEMU 7.2 sets the whole FPSCR to
		// FPDSCR, clearing the cumulative exception flags and NZCV.
		const dflt = 0x1f << 22
		c.vfp.fpscr = c.vfp.fpscr&^dflt | c.m.fpdscr&dflt
		c.mSetFPCA(true)
	}
	return true
}

// mPreserveFPState is PreserveFPState (B1.5.7): the lazy stacking of
// S0-S15 and FPSCR into the space an exception entry reserved at FPCAR,
// with the privilege FPCCR.USER recorded. It clears LSPACT. A fault
// (MPU, or a bus error) is MemManage MLSPERR or BusFault LSPERR taken
// from the FP instruction, which does not execute; LSPACT then stays
// set, as the instruction will run again.
func (c *CPU) mPreserveFPState(o *Op) bool {
	m := c.m
	user := m.fpccr&fpccrUSER != 0
	for i := range 17 {
		v := c.vfp.fpscr
		if i < 16 {
			v = c.vfp.word(uint8(i))
		}
		a := m.fpcar + uint32(4*i)
		if i == 16 {
			a = m.fpcar + 0x40
		}
		if kind := c.mStackAccess(a, v, user, true); kind != 0 {
			if kind == excMemManage {
				c.mFault(o, excMemManage, cfsrMLSPERR, "lazy FP state preservation: MPU violation")
			} else {
				c.mFault(o, excBusFault, cfsrLSPERR, "lazy FP state preservation: bus error")
			}
			return false
		}
	}
	m.fpccr &^= fpccrLSPACT
	c.mSetFPCA(m.control&controlFPCA != 0)
	return true
}

// mLazyFrame records, on an exception entry that reserves FP space at
// fpcar without storing it (FPCCR.LSPEN, B1.5.7 UpdateFPCCR), where the
// state goes and in which context it was: LSPACT, USER, THREAD and
// whether HardFault, MemManage, BusFault and DebugMonitor could then be
// taken (HFRDY, MMRDY, BFRDY, MONRDY). exec is the execution priority
// before the entry.
func (c *CPU) mLazyFrame(fpcar uint32, exec int) {
	m := c.m
	m.fpcar = fpcar
	v := m.fpccr&(fpccrASPEN|fpccrLSPEN) | fpccrLSPACT
	set := func(b uint32, on bool) {
		if on {
			v |= b
		}
	}
	set(fpccrUSER, !c.Privileged())
	set(fpccrTHREAD, !m.handlerMode())
	set(fpccrHFRDY, exec > -1)
	can := func(n int) bool { return m.excEnabled(n) && m.groupPrio(m.excPrio(n)) < exec }
	set(fpccrMMRDY, can(excMemManage))
	set(fpccrBFRDY, can(excBusFault))
	// DebugMonitor is never enabled (no DEMCR.MON_EN): MONRDY stays 0.
	m.fpccr = v
}

// XPSR assembles the combined program status register: APSR (N Z C V Q,
// and GE with the DSP extension), IPSR and EPSR (T, ICI/IT) (B1.4.2).
func (c *CPU) XPSR() uint32 {
	v := c.m.ipsr
	if c.N {
		v |= psrN
	}
	if c.Z {
		v |= psrZ
	}
	if c.C {
		v |= psrC
	}
	if c.V {
		v |= psrV
	}
	if c.Q {
		v |= psrQ
	}
	if c.m.dsp {
		v |= c.GE << 16
	}
	if c.T {
		v |= 1 << 24
	}
	v |= uint32(c.IT&3)<<25 | uint32(c.IT>>2)<<10
	return v
}

// mAPSRMask are the APSR bits of the xPSR: flags and Q, and GE with DSP.
func (m *mState) apsrMask() uint32 {
	if m.dsp {
		return 0xf80f0000
	}
	return 0xf8000000
}

// IRQLine returns the input for external interrupt n (IRQ n, exception
// 16+n). The line is level-sensitive as QEMU's NVIC treats its inputs: a
// rising level makes the interrupt pending, and while the line stays high
// the interrupt becomes pending again when its handler returns (ARMv7-M
// ARM B3.4.1: a level-sensitive interrupt re-pends while asserted).
func (c *CPU) IRQLine(n int) irq.Line {
	if c.m == nil || n < 0 || n >= len(c.m.level) {
		panic(fmt.Sprintf("BUG: arm: IRQLine(%d) on a CPU with %d external interrupts", n, c.nIRQ()))
	}
	return irq.Func(func(l bool) { c.setIRQLevel(n, l) })
}

func (c *CPU) nIRQ() int {
	if c.m == nil {
		return 0
	}
	return len(c.m.level)
}

func (c *CPU) setIRQLevel(n int, l bool) {
	m := c.m
	if m.level[n] == l {
		return
	}
	m.level[n] = l
	if l {
		e := &m.exc[excIRQ0+n]
		if !e.pending {
			e.pending = true
			c.mUpdate()
		}
	}
}

// SetPendingNMI makes NMI pending, for boards whose NMI input is wired.
func (c *CPU) SetPendingNMI() {
	c.m.exc[excNMI].pending = true
	c.mUpdate()
}

// Lockup reports whether the CPU is in the Lockup state.
func (c *CPU) Lockup() bool { return c.m != nil && c.m.lockedUp }

// MSP and PSP return the banked stack pointers, for debuggers and tests.
func (c *CPU) MSP() uint32 { return c.mSP(false) }
func (c *CPU) PSP() uint32 { return c.mSP(true) }

// CONTROL returns the CONTROL register.
func (c *CPU) CONTROL() uint32 { return c.m.control }

// IPSR returns the number of the exception being handled (0 in Thread mode).
func (c *CPU) IPSR() uint32 { return c.m.ipsr }
