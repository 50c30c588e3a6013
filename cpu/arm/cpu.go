// Package arm is the ARMv7-A processor, and the ARMv7-M one (Config.Profile,
// v7m*.go): architectural state, exception entry and return, the decoder,
// op semantics, and the translating interpreter with its block cache.
//
// Guest code is decoded once per basic block into a slice of pre-decoded ops
// (block.go) that one loop runs; blocks are cached by physical address and
// ISA state. On linux/amd64, blocks that run often are also compiled to
// host machine code (native.go, native_amd64.go), which runs the common
// ops itself and hands every other op back to the same Go handlers. Guest faults are values in the CPU domain that exception entry
// consumes, never Go errors or panics.
package arm

import (
	"log/slog"

	"mimic/devices/bus"
	"mimic/devices/irq"
)

// Processor modes, CPSR.M (ARM ARM B1.3.1, table B1-1).
const (
	ModeUSR = 0x10
	ModeFIQ = 0x11
	ModeIRQ = 0x12
	ModeSVC = 0x13
	ModeMON = 0x16
	ModeABT = 0x17
	ModeHYP = 0x1a
	ModeUND = 0x1b
	ModeSYS = 0x1f
)

// CPSR bits (ARM ARM B1.3.3).
const (
	psrN = 1 << 31
	psrZ = 1 << 30
	psrC = 1 << 29
	psrV = 1 << 28
	psrQ = 1 << 27
	psrJ = 1 << 24
	psrE = 1 << 9
	psrA = 1 << 8
	psrI = 1 << 7
	psrF = 1 << 6
	psrT = 1 << 5
	psrM = 0x1f
)

// Register banks: usr/sys share bank 0.
const (
	bankUSR = iota
	bankFIQ
	bankIRQ
	bankSVC
	bankABT
	bankUND
	bankMON
	bankHYP
	numBanks
)

// bankOf maps a mode to its register bank, or -1 for a reserved mode.
func bankOf(mode uint32) int {
	switch mode {
	case ModeUSR, ModeSYS:
		return bankUSR
	case ModeFIQ:
		return bankFIQ
	case ModeIRQ:
		return bankIRQ
	case ModeSVC:
		return bankSVC
	case ModeABT:
		return bankABT
	case ModeUND:
		return bankUND
	case ModeMON:
		return bankMON
	case ModeHYP:
		return bankHYP
	}
	return -1
}

// validMode reports whether mode is implemented: Cortex-A15 as QEMU's virt
// presents it by default has neither the Security nor the Virtualization
// Extensions, so Monitor and Hyp modes are reserved (ARM ARM B1.3.1).
func validMode(mode uint32) bool {
	switch mode {
	case ModeUSR, ModeFIQ, ModeIRQ, ModeSVC, ModeABT, ModeUND, ModeSYS:
		return true
	}
	return false
}

// CPU is one ARMv7-A processor.
type CPU struct {
	// R is the register file as the current mode sees it. R[15] holds the
	// address of the next instruction to run between blocks; inside a block
	// an op that reads the PC finds the architectural value (the
	// instruction's address + 8 in ARM state, + 4 in Thumb state) there,
	// put there by the translator.
	R [16]uint32

	// Flags and state of the CPSR, held unpacked; CPSR() assembles them.
	N, Z, C, V, Q bool
	GE            uint32 // CPSR.GE, 4 bits
	IT            uint8  // ITSTATE between blocks; ops carry their own
	T             bool   // Thumb state
	E             bool   // big-endian data
	A, I, F       bool   // masks
	mode          uint32

	spsr     [numBanks]uint32
	bankR13  [numBanks]uint32
	bankR14  [numBanks]uint32
	usrR8_12 [5]uint32 // r8-r12 of every mode but FIQ, while in FIQ mode
	fiqR8_12 [5]uint32 // FIQ's r8-r12, while not in FIQ mode

	// nextPC is where execution continues after the current block: the
	// fall-through address unless a branch or exception changed it.
	nextPC uint32
	// exit stops the current block after the running op: an exception was
	// taken or the CPU state changed in a way that ends translation.
	exit bool
	// faulted is set with exit when the running op did not complete (an
	// abort or UNDEFINED), so it does not count as retired.
	faulted bool
	// exitPSR is set with exit when the op entered or returned from an
	// exception, which sets the ITSTATE itself.
	exitPSR bool
	stop    StopReason

	// Exclusive monitor (ARM ARM A3.4): the local monitor only, for one CPU.
	exclValid bool
	exclAddr  uint32
	exclSize  uint8
	exclVal   uint64 // the value LDREX loaded (STREX compares, as QEMU)

	vfp vfpState // Floating-point Extension (vfp.go)

	irqLine, fiqLine bool
	halted           bool // in WFI/WFE until an interrupt or event
	haltWFE          bool // halted by WFE rather than WFI
	eventReg         bool // the event register for WFE/SEV

	retired uint64 // instructions retired since reset

	// Native backend (native.go): NoNative keeps every block in the
	// interpreter; NativeEager compiles every block before its first run
	// (for tests). nlimit is the retired count at which native code stops
	// chaining and returns to Run.
	NoNative    bool
	NativeEager bool
	nlimit      uint64
	// runLimit is the retired count at which Run returns (LimitRun may
	// lower it while Run runs).
	runLimit  uint64
	natBuf    []byte
	natUsed   int
	natBlocks []*Block

	Bus   *bus.Bus
	mem   memState
	mmu   MMU // nil: no MMU (the CP15 model installs one)
	cache blockCache
	cp    [16]Coprocessor

	// SVCHook and BKPTHook, when set, see the semihosting calls (SVC
	// 0x123456 in ARM state, SVC 0xAB and BKPT 0xAB in Thumb state) before
	// exception entry; returning true means handled, and execution
	// continues after the instruction.
	SVCHook  func(c *CPU, imm uint32) bool
	BKPTHook func(c *CPU, imm uint32) bool
	// HVCHook, when set, handles HVC as emulated firmware does (PSCI on
	// QEMU's virt, whose conduit is HVC when the CPU has no EL2/EL3); it
	// returns false to leave the instruction UNDEFINED.
	HVCHook func(c *CPU, imm uint32) bool

	// Trace, when set, is called for each instruction before it runs with
	// the address, ISA and encoding. Tracing runs blocks one instruction at
	// a time; the normal path pays nothing for it.
	Trace func(pc uint32, thumb bool, insn uint32, size int)

	log       *slog.Logger
	guestErrs map[string]uint64

	// Config is the implementation's fixed identity.
	Config Config

	// mmioPC is the address of the instruction whose access a device is
	// serving (noMMIO outside one), for AccessPC.
	mmioPC uint32
	// m is the M-profile state (v7m.go); nil for the A profile.
	m *mState
	// OnSystemReset, when set, is called when an M-profile guest requests
	// a system reset (AIRCR.SYSRESETREQ), after the requesting instruction,
	// between blocks: the board may reset its devices and call c.Reset
	// from it, and execution continues at the reset vector.
	OnSystemReset func()
	// lockupMsg describes the fault that locked up an M-profile CPU.
	lockupMsg string
}

// Config fixes implementation-defined choices.
type Config struct {
	// Profile selects ARMv7-A (the zero value) or ARMv7-M.
	Profile Profile
	// M configures an M-profile CPU (Profile = ProfileM).
	M MConfig

	MIDR uint32 // Main ID Register (A profile)
	// HighVectors puts the exception vectors at 0xffff0000 whatever
	// SCTLR.V says (the VINITHI pin tied high).
	HighVectors bool
}

// StopReason says why Run returned.
type StopReason int

const (
	StopBudget  StopReason = iota // instruction budget used up
	StopHalt                      // WFI/WFE with nothing pending
	StopRequest                   // a hook asked the machine to stop (exit)
	// StopLockup: an M-profile CPU entered the Lockup state (a fault in
	// the HardFault or NMI handler, ARMv7-M ARM B1.5.15); LockupMessage
	// says which. The machine should exit with status 1.
	StopLockup
)

// New returns a CPU attached to b, in the reset state.
func New(b *bus.Bus, cfg Config, log *slog.Logger) *CPU {
	if log == nil {
		log = slog.Default()
	}
	c := &CPU{Bus: b, Config: cfg, log: log, mmioPC: noMMIO}
	if cfg.Profile == ProfileM {
		c.newM()
	}
	c.mem.init(c)
	c.cache.init(c)
	b.WatchWrites(c.invalidateRange)
	// A ROM device (flash) switching between array reads and command
	// mode changes what HostPage returns: the TLB caches those pages.
	b.WatchMappings(c.mem.flushAll)
	c.Reset()
	return c
}

// Reset puts the CPU in its reset state (ARM ARM B1.9.2): Supervisor mode,
// ARM state, interrupts and aborts masked, PC at the reset vector.
func (c *CPU) Reset() {
	if c.m != nil {
		c.resetM()
		return
	}
	c.R = [16]uint32{}
	c.spsr = [numBanks]uint32{}
	c.bankR13 = [numBanks]uint32{}
	c.bankR14 = [numBanks]uint32{}
	c.usrR8_12 = [5]uint32{}
	c.fiqR8_12 = [5]uint32{}
	// The flags are UNKNOWN after reset; QEMU's reset leaves Z set (its
	// zero-means-set Z representation starts at 0), and we match it so
	// programs that print their boot CPSR agree.
	c.N, c.Z, c.C, c.V, c.Q = false, true, false, false, false
	c.GE, c.IT, c.T, c.E = 0, 0, false, false
	c.A, c.I, c.F = true, true, true
	c.mode = ModeSVC
	c.exclValid = false
	c.halted = false
	c.vfp.reset()
	for _, cp := range c.cp {
		if r, ok := cp.(interface{ Reset() }); ok {
			r.Reset()
		}
	}
	c.mem.flushAll()
	c.cache.flush()
	c.R[15] = c.vectorBase()
}

// Mode returns the current processor mode.
func (c *CPU) Mode() uint32 { return c.mode }

// Privileged reports whether the CPU runs at PL1.
func (c *CPU) Privileged() bool { return c.mode != ModeUSR }

// Retired returns the number of instructions retired since reset.
func (c *CPU) Retired() uint64 { return c.retired }

// IRQ returns the line that drives the CPU's IRQ input.
func (c *CPU) IRQ() irq.Line { return irq.Func(func(l bool) { c.irqLine = l }) }

// FIQ returns the line that drives the CPU's FIQ input.
func (c *CPU) FIQ() irq.Line { return irq.Func(func(l bool) { c.fiqLine = l }) }

// SetCoprocessor installs the handler for coprocessor n. Native code
// compiled for the old one (which may read its registers) is dropped.
func (c *CPU) SetCoprocessor(n int, cp Coprocessor) {
	c.cp[n] = cp
	c.natReset()
}

// CPSR assembles the Current Program Status Register.
func (c *CPU) CPSR() uint32 {
	v := c.mode | c.GE<<16
	v |= uint32(c.IT&3)<<25 | uint32(c.IT>>2)<<10
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
	if c.E {
		v |= psrE
	}
	if c.A {
		v |= psrA
	}
	if c.I {
		v |= psrI
	}
	if c.F {
		v |= psrF
	}
	if c.T {
		v |= psrT
	}
	return v
}

// APSR returns the application-level view: flags, Q and GE.
func (c *CPU) APSR() uint32 { return c.CPSR() & (psrN | psrZ | psrC | psrV | psrQ | 0xf<<16) }

// setFlagsFrom sets N, Z, C, V, Q and GE from a PSR value.
func (c *CPU) setFlagsFrom(v uint32) {
	c.N = v&psrN != 0
	c.Z = v&psrZ != 0
	c.C = v&psrC != 0
	c.V = v&psrV != 0
	c.Q = v&psrQ != 0
	c.GE = v >> 16 & 0xf
}

// SetCPSR writes the whole CPSR as an exception return does (ARM ARM
// B1.8.14): every field, including the execution state bits and the mode.
// An illegal mode is UNPREDICTABLE; like QEMU we keep the current mode.
func (c *CPU) SetCPSR(v uint32) {
	c.setFlagsFrom(v)
	c.IT = uint8(v>>25&3) | uint8(v>>10&0x3f)<<2
	c.T = v&psrT != 0
	c.setE(v&psrE != 0)
	c.A = v&psrA != 0
	c.I = v&psrI != 0
	c.F = v&psrF != 0
	if m := v & psrM; validMode(m) {
		c.switchMode(m)
	}
}

func (c *CPU) setE(e bool) {
	if e != c.E {
		c.E = e
		// Big-endian data accesses take the slow path; see mem.go.
		c.mem.flushAll()
	}
}

// SPSR returns the current mode's SPSR; User and System modes have none
// (UNPREDICTABLE to read; we return 0 as QEMU does).
func (c *CPU) SPSR() uint32 {
	b := bankOf(c.mode)
	if b <= bankUSR {
		return 0
	}
	return c.spsr[b]
}

func (c *CPU) setSPSR(v uint32) {
	if b := bankOf(c.mode); b > bankUSR {
		c.spsr[b] = v
	}
}

// switchMode changes the processor mode, swapping banked registers.
func (c *CPU) switchMode(m uint32) {
	old := c.mode
	if old == m {
		return
	}
	ob, nb := bankOf(old), bankOf(m)
	if ob != nb {
		c.bankR13[ob], c.bankR14[ob] = c.R[13], c.R[14]
		if ob == bankFIQ {
			copy(c.fiqR8_12[:], c.R[8:13])
			copy(c.R[8:13], c.usrR8_12[:])
		} else if nb == bankFIQ {
			copy(c.usrR8_12[:], c.R[8:13])
			copy(c.R[8:13], c.fiqR8_12[:])
		}
		c.R[13], c.R[14] = c.bankR13[nb], c.bankR14[nb]
	}
	c.mode = m
	if (old == ModeUSR) != (m == ModeUSR) {
		c.mem.privilegeChanged()
	}
}

// bankedReg returns a pointer to register r (8..14) as mode m sees it,
// whatever the current mode, for LDM/STM user-bank forms and banked MRS/MSR.
func (c *CPU) bankedReg(m uint32, r int) *uint32 {
	cur, want := bankOf(c.mode), bankOf(m)
	switch {
	case r < 8 || r == 15:
		return &c.R[r]
	case r <= 12:
		if (cur == bankFIQ) == (want == bankFIQ) {
			return &c.R[r]
		}
		if want == bankFIQ {
			return &c.fiqR8_12[r-8]
		}
		return &c.usrR8_12[r-8]
	case cur == want:
		return &c.R[r]
	case r == 13:
		return &c.bankR13[want]
	default:
		return &c.bankR14[want]
	}
}

// Reg returns register r as the current mode sees it; r=15 is the address
// of the next instruction.
func (c *CPU) Reg(r int) uint32 { return c.R[r] }

// SetReg sets register r; SetReg(15, pc) sets the next instruction address.
func (c *CPU) SetReg(r int, v uint32) { c.R[r] = v }

// SetThumb sets the instruction set state, for loaders starting the guest.
func (c *CPU) SetThumb(t bool) { c.T = t }
