package stellaris

import (
	"fmt"

	"mimic/devices/bus"
	"mimic/devices/irq"
)

// System control register offsets (data sheet Table 6-2).
const (
	scDID0       = 0x000
	scDID1       = 0x004
	scDC0        = 0x008
	scDC1        = 0x010
	scDC2        = 0x014
	scDC3        = 0x018
	scDC4        = 0x01c
	scPBORCTL    = 0x030
	scLDOPCTL    = 0x034
	scSRCR0      = 0x040
	scSRCR1      = 0x044
	scSRCR2      = 0x048
	scRIS        = 0x050
	scIMC        = 0x054
	scMISC       = 0x058
	scRESC       = 0x05c
	scRCC        = 0x060
	scPLLCFG     = 0x064
	scRCC2       = 0x070
	scRCGC0      = 0x100 // RCGC0..2 at 0x100, 0x104, 0x108
	scSCGC0      = 0x110 // SCGC0..2
	scDCGC0      = 0x120 // DCGC0..2
	scDSLPCLKCFG = 0x144
	scCLKVCLR    = 0x150
	scLDOARST    = 0x160
	scUSER0      = 0x1e0
	scUSER1      = 0x1e4
)

// Register bits.
const (
	risPLLLRIS = 1 << 6 // PLL lock raw interrupt status
	imcMask    = 0x7f
	rescMask   = 0x3f

	rccPWRDN      = 1 << 13 // PLL power down (also RCC2.PWRDN2)
	rccXTALPos    = 6
	rccSYSDIVPos  = 23
	rccSYSDIVMask = 0xf
	rcc2USERCC2   = 1 << 31
	rcc2SYSDIVMsk = 0x3f
)

// Reset values (data sheet Table 6-2, as QEMU uses them).
const (
	resetPBORCTL    = 0x7ffd
	resetRCC        = 0x078e3ac0
	resetRCC2Fury   = 0x07802810
	resetDSLPCLKCFG = 0x07800000
)

// DID0 version and class fields, which select the PLLCFG table and
// whether RCC2 exists.
const (
	did0VerMask        = 0x70000000
	did0Ver0           = 0x00000000
	did0Ver1           = 0x10000000
	did0ClassMask      = 0x00ff0000
	did0ClassSandstorm = 0x00000000
	did0ClassFury      = 0x00010000
)

// PLLCFG values for each RCC.XTAL crystal (1 MHz .. 8.192 MHz), as QEMU
// returns them: the PLL is always locked to 200 MHz.
var (
	pllcfgSandstorm = [16]uint32{
		0x31c0, 0x1ae0, 0x18c0, 0xd573, 0x37a6, 0x1ae2, 0x0c40, 0x98bc,
		0x935b, 0x09c0, 0x4dee, 0x0c41, 0x75db, 0x1ae6, 0x0600, 0x585b,
	}
	pllcfgFury = [16]uint32{
		0x3200, 0x1b20, 0x1900, 0xf42b, 0x37e3, 0x1b21, 0x0c80, 0x98ee,
		0xd5b4, 0x0a00, 0x4e27, 0x1902, 0xec1c, 0x1b23, 0x0640, 0xb11c,
	}
)

// PLLHz is the frequency the system clock divider divides: QEMU assumes
// the 200 MHz PLL output whatever RCC selects.
const PLLHz = 200_000_000

// SysCtlConfig holds the part's read-only identification and capability
// registers, and the user registers. QEMU's lm3s6965evb: DID0 0x10010002,
// DID1 0x1073402e, DC0 0x00ff007f, DC1 0x001133ff, DC2 0x030f5317, DC3
// 0x0f0f87ff, DC4 0x5000007f; USER0/USER1 hold the MAC address, bytes
// 0-2 and 3-5 in their low 24 bits.
type SysCtlConfig struct {
	DID0, DID1              uint32
	DC0, DC1, DC2, DC3, DC4 uint32
	USER0, USER1            uint32
}

// LM3S6965 is the configuration of QEMU's lm3s6965evb (USER0/USER1 left
// for the board to fill in with its MAC address).
var LM3S6965 = SysCtlConfig{
	DID0: 0x10010002, DID1: 0x1073402e,
	DC0: 0x00ff007f, DC1: 0x001133ff, DC2: 0x030f5317, DC3: 0x0f0f87ff, DC4: 0x5000007f,
}

// SysCtl is the Stellaris system control block ("ssys" in QEMU).
//
// Interface:
//   - MMIO: one 4 KiB window at 0x400fe000.
//   - IRQ: one output, the system control interrupt (NVIC 28 on
//     lm3s6965evb), high while RIS & IMC is non-zero.
//   - Clock: Clock returns the system clock, 200 MHz / (SYSDIV+1) from
//     RCC or, when RCC2.USERCC2 is set, RCC2; AddClockListener registers
//     functions told of every change (the CPU's SysTick, the watchdog,
//     the timers).
//
// RIS.PLLLRIS rises whenever a write clears RCC.PWRDN (or RCC2.PWRDN2)
// that was set: the PLL locks at once. MISC clears RIS bits (write 1).
//
// Deliberate deviations from the hardware, shared with QEMU unless marked:
//   - The system clock ignores RCC.BYPASS, USESYSDIV, OSCSRC and XTAL:
//     it is always the 200 MHz PLL divided by SYSDIV+1. At reset that is
//     12.5 MHz where the hardware runs from the 12 MHz internal
//     oscillator. Firmware built for QEMU expects QEMU's rates.
//   - PLLCFG reads a fixed value for the selected crystal.
//   - RCC2 reads 0 and ignores writes on Sandstorm-class parts (DID0
//     version 0 or class 0).
//   - The software reset registers SRCR0-2 read 0; writes are logged as
//     unimplemented. The clock gating registers are storage: every
//     peripheral runs whatever they say.
//   - (Mimic) DSLPCLKCFG (deep-sleep clock configuration, data sheet
//     6.4.23) is storage with its data sheet reset value; QEMU reports it
//     as a bad offset.
//   - (Mimic) A reset clears RIS, IMC, RESC, LDOPCTL and the other
//     registers QEMU leaves as they were.
type SysCtl struct {
	log       logger
	cfg       SysCtlConfig
	sandstorm bool
	irq       irq.Line
	level     bool
	listeners []func(Rate)
	rate      Rate

	pborctl, ldopctl, ris, imc, resc uint32
	rcc, rcc2                        uint32
	rcgc, scgc, dcgc                 [3]uint32
	dslpclkcfg, clkvclr, ldoarst     uint32
}

var _ bus.Device = (*SysCtl)(nil)

// NewSysCtl returns a system control block in its reset state driving line
// (nil: unconnected). It fails if cfg.DID0 names neither a Sandstorm- nor
// a Fury-class part.
func NewSysCtl(cfg SysCtlConfig, line irq.Line) (*SysCtl, error) {
	var sandstorm bool
	switch cfg.DID0 & did0VerMask {
	case did0Ver0:
		sandstorm = true
	case did0Ver1:
		switch cfg.DID0 & did0ClassMask {
		case did0ClassSandstorm:
			sandstorm = true
		case did0ClassFury:
		default:
			return nil, fmt.Errorf("stellaris: DID0 %#x: unknown device class", cfg.DID0)
		}
	default:
		return nil, fmt.Errorf("stellaris: DID0 %#x: unknown version", cfg.DID0)
	}
	if line == nil {
		line = irq.None
	}
	s := &SysCtl{log: logger{name: "stellaris-sysctl"}, cfg: cfg, sandstorm: sandstorm, irq: line}
	s.Reset()
	return s, nil
}

// Reset puts the block in its reset state, lowers its interrupt and tells
// the clock listeners the reset clock rate.
func (s *SysCtl) Reset() {
	s.pborctl = resetPBORCTL
	s.ldopctl, s.ris, s.imc, s.resc = 0, 0, 0, 0
	s.rcc = resetRCC
	s.rcc2 = 0
	if !s.sandstorm {
		s.rcc2 = resetRCC2Fury
	}
	s.rcgc, s.scgc, s.dcgc = [3]uint32{1}, [3]uint32{1}, [3]uint32{1}
	s.dslpclkcfg, s.clkvclr, s.ldoarst = resetDSLPCLKCFG, 0, 0
	s.level = false
	s.irq.Set(false)
	s.recalcClock(true)
}

// GuestErrors returns how many guest errors the block has seen.
func (s *SysCtl) GuestErrors() uint64 { return s.log.guestErrors }

// Clock returns the current system clock rate.
func (s *SysCtl) Clock() Rate { return s.rate }

// AddClockListener registers fn to be told the new system clock rate each
// time it changes. fn is wiring: it survives Reset and Restore.
func (s *SysCtl) AddClockListener(fn func(Rate)) { s.listeners = append(s.listeners, fn) }

func (s *SysCtl) sysdiv() uint64 {
	if s.rcc2&rcc2USERCC2 != 0 {
		return uint64(s.rcc2>>rccSYSDIVPos&rcc2SYSDIVMsk) + 1
	}
	return uint64(s.rcc>>rccSYSDIVPos&rccSYSDIVMask) + 1
}

func (s *SysCtl) recalcClock(force bool) {
	r := Rate{Hz: PLLHz, Div: s.sysdiv()}
	if r == s.rate && !force {
		return
	}
	s.rate = r
	for _, fn := range s.listeners {
		fn(r)
	}
}

func (s *SysCtl) update() {
	level := s.ris&s.imc != 0
	if level != s.level {
		s.level = level
		s.irq.Set(level)
	}
}

// Read implements bus.Device.
func (s *SysCtl) Read(off uint64, size int) uint64 {
	if !s.log.validAccess("read", off, size) {
		return 0
	}
	var v uint32
	switch {
	case off == scDID0:
		v = s.cfg.DID0
	case off == scDID1:
		v = s.cfg.DID1
	case off == scDC0:
		v = s.cfg.DC0
	case off == scDC1:
		v = s.cfg.DC1
	case off == scDC2:
		v = s.cfg.DC2
	case off == scDC3:
		v = s.cfg.DC3
	case off == scDC4:
		v = s.cfg.DC4
	case off == scPBORCTL:
		v = s.pborctl
	case off == scLDOPCTL:
		v = s.ldopctl
	case off >= scSRCR0 && off <= scSRCR2:
		v = 0
	case off == scRIS:
		v = s.ris
	case off == scIMC:
		v = s.imc
	case off == scMISC:
		v = s.ris & s.imc
	case off == scRESC:
		v = s.resc
	case off == scRCC:
		v = s.rcc
	case off == scPLLCFG:
		xtal := s.rcc >> rccXTALPos & 0xf
		if s.sandstorm {
			v = pllcfgSandstorm[xtal]
		} else {
			v = pllcfgFury[xtal]
		}
	case off == scRCC2:
		v = s.rcc2
	case off >= scRCGC0 && off < scRCGC0+12:
		v = s.rcgc[(off-scRCGC0)/4]
	case off >= scSCGC0 && off < scSCGC0+12:
		v = s.scgc[(off-scSCGC0)/4]
	case off >= scDCGC0 && off < scDCGC0+12:
		v = s.dcgc[(off-scDCGC0)/4]
	case off == scDSLPCLKCFG:
		v = s.dslpclkcfg
	case off == scCLKVCLR:
		v = s.clkvclr
	case off == scLDOARST:
		v = s.ldoarst
	case off == scUSER0:
		v = s.cfg.USER0
	case off == scUSER1:
		v = s.cfg.USER1
	default:
		s.log.guestError("read of bad offset", "offset", hex(off))
		return 0
	}
	return uint64(v) & sizeMask(size)
}

// Write implements bus.Device.
func (s *SysCtl) Write(off uint64, size int, val uint64) {
	if !s.log.validAccess("write", off, size) {
		return
	}
	v := uint32(val & sizeMask(size))
	switch {
	case off == scPBORCTL:
		s.pborctl = v & 0xffff
	case off == scLDOPCTL:
		s.ldopctl = v & 0x1f
	case off >= scSRCR0 && off <= scSRCR2:
		s.log.unimplemented("peripheral software reset", "offset", hex(off), "value", hex(v))
	case off == scIMC:
		s.imc = v & imcMask
	case off == scMISC:
		s.ris &^= v
	case off == scRESC:
		s.resc = v & rescMask
	case off == scRCC:
		if s.rcc&rccPWRDN != 0 && v&rccPWRDN == 0 {
			s.ris |= risPLLLRIS // the PLL locks at once
		}
		s.rcc = v
		s.recalcClock(false)
	case off == scRCC2:
		if s.sandstorm {
			break
		}
		if s.rcc2&rccPWRDN != 0 && v&rccPWRDN == 0 {
			s.ris |= risPLLLRIS
		}
		s.rcc2 = v
		s.recalcClock(false)
	case off >= scRCGC0 && off < scRCGC0+12:
		s.rcgc[(off-scRCGC0)/4] = v
	case off >= scSCGC0 && off < scSCGC0+12:
		s.scgc[(off-scSCGC0)/4] = v
	case off >= scDCGC0 && off < scDCGC0+12:
		s.dcgc[(off-scDCGC0)/4] = v
	case off == scDSLPCLKCFG:
		s.dslpclkcfg = v
	case off == scCLKVCLR:
		s.clkvclr = v
	case off == scLDOARST:
		s.ldoarst = v
	default:
		s.log.guestError("write to bad offset", "offset", hex(off), "value", hex(v))
	}
	s.update()
}

// SysCtlStateVersion is the version of SysCtlState this package writes.
const SysCtlStateVersion = 1

// SysCtlState is a snapshot of a SysCtl. The identification registers
// are configuration and are not saved.
type SysCtlState struct {
	Version                          int
	PBORCTL, LDOPCTL, RIS, IMC, RESC uint32
	RCC, RCC2                        uint32
	RCGC, SCGC, DCGC                 [3]uint32
	DSLPCLKCFG, CLKVCLR, LDOARST     uint32
}

// State returns a snapshot of the block.
func (s *SysCtl) State() SysCtlState {
	return SysCtlState{
		Version: SysCtlStateVersion,
		PBORCTL: s.pborctl, LDOPCTL: s.ldopctl, RIS: s.ris, IMC: s.imc, RESC: s.resc,
		RCC: s.rcc, RCC2: s.rcc2, RCGC: s.rcgc, SCGC: s.scgc, DCGC: s.dcgc,
		DSLPCLKCFG: s.dslpclkcfg, CLKVCLR: s.clkvclr, LDOARST: s.ldoarst,
	}
}

// Restore replaces the block's state with st after checking it, drives the
// interrupt and tells the clock listeners the restored rate. On error the
// block is unchanged.
func (s *SysCtl) Restore(st SysCtlState) error {
	const dev = "stellaris-sysctl"
	switch {
	case st.Version != SysCtlStateVersion:
		return badState(dev, "version %d, want %d", st.Version, SysCtlStateVersion)
	case st.PBORCTL > 0xffff || st.LDOPCTL > 0x1f || st.RESC&^rescMask != 0:
		return badState(dev, "PBORCTL, LDOPCTL or RESC has undefined bits")
	case st.RIS&^imcMask != 0 || st.IMC&^imcMask != 0:
		return badState(dev, "RIS %#x or IMC %#x has undefined bits", st.RIS, st.IMC)
	case s.sandstorm && st.RCC2 != 0:
		return badState(dev, "RCC2 %#x on a part without RCC2", st.RCC2)
	}
	s.pborctl, s.ldopctl, s.ris, s.imc, s.resc = st.PBORCTL, st.LDOPCTL, st.RIS, st.IMC, st.RESC
	s.rcc, s.rcc2 = st.RCC, st.RCC2
	s.rcgc, s.scgc, s.dcgc = st.RCGC, st.SCGC, st.DCGC
	s.dslpclkcfg, s.clkvclr, s.ldoarst = st.DSLPCLKCFG, st.CLKVCLR, st.LDOARST
	s.level = s.ris&s.imc != 0
	s.irq.Set(s.level)
	s.recalcClock(true)
	return nil
}
