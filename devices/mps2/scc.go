package mps2

import (
	"mimic/devices/bus"
	"mimic/devices/irq"
)

// SCC register offsets (MPS2 TRM / AN385 section 3.10, "SCC registers").
const (
	sccCFG0        = 0x000 // CFG_REG0: bit 0 remaps block RAM to 0
	sccCFG1        = 0x004 // CFG_REG1: user LEDs
	sccCFG2        = 0x008 // AN524/AN547/AN536 only
	sccCFG3        = 0x00c // CFG_REG3: user switches (not on AN524/AN547/AN536)
	sccCFG4        = 0x010 // CFG_REG4: board revision
	sccCFG5        = 0x014 // AN524/AN547/AN536 only
	sccCFG6        = 0x018 // AN524/AN536 only
	sccCFG7        = 0x01c // AN536 only
	sccCFGDATA_RTN = 0x0a0 // data read back by a config transfer
	sccCFGDATA_OUT = 0x0a4 // data sent by a config transfer
	sccCFGCTRL     = 0x0a8
	sccCFGSTAT     = 0x0ac
	sccDLL         = 0x100
	sccAID         = 0xff8
	sccID          = 0xffc
)

// CFGCTRL fields.
const (
	cfgctrlDevice   = 0xfff      // [11:0]
	cfgctrlRes1     = 0xff << 12 // [19:12]
	cfgctrlFuncPos  = 20         // [25:20]
	cfgctrlFunction = 0x3f << cfgctrlFuncPos
	cfgctrlRes2     = 0xf << 26 // [29:26]
	cfgctrlWrite    = 1 << 30
	cfgctrlStart    = 1 << 31

	cfgctrlReset = 1 << cfgctrlFuncPos // function 1 (OSCCLK), device 0
)

// CFGSTAT bits.
const (
	cfgstatDone  = 1 << 0
	cfgstatError = 1 << 1
)

// DLL: bits [31:24] are a writable mask of the lock bits [23:16]; bit 0,
// "all unmasked DLLs locked", is always set since nothing is modelled.
const (
	dllReset    = 0xffff0001
	dllMaskBits = 0xff000000
)

// cfgFunctionOSCCLK is the only configuration function modelled.
const cfgFunctionOSCCLK = 1

// SCCConfig holds the board- and image-specific values of an SCC.
type SCCConfig struct {
	// ID is SCC_ID: 0x41043850 on mps2-an385, 0x41043860 on an386.
	// Bits [15:4] are the image's part number (0x385), which decides
	// which CFG registers exist.
	ID uint32
	// AID is SCC_AID: 0x00200008 on QEMU's mps2 boards.
	AID uint32
	// CFG4 is the read-only CFG_REG4 (board revision): 0x2 there.
	CFG4 uint32
	// CFG0Reset is CFG_REG0's reset value (QEMU: 0).
	CFG0Reset uint32
	// OscClk holds the reset frequencies of the OSCCLK clocks the
	// configuration channel (CFGCTRL function 1) reaches, one per
	// device number. QEMU's mps2-an385/an386 set none: every
	// configuration transfer then ends with CFGSTAT.ERROR.
	OscClk []uint32
}

// SCC is the MPS2 Serial Communication Controller as QEMU's "mps2-scc"
// models it.
//
// Interface:
//   - MMIO: one 4 KiB window.
//   - Outputs: the "remap" line follows CFG_REG0 bit 0 (QEMU's mps2
//     boards leave it unconnected: the block RAM remap is not
//     modelled), and SetLEDs reports writes to CFG_REG1 (eight user
//     LEDs).
//
// Configuration transfers (CFGCTRL.START) complete at once: CFGSTAT.DONE
// is set, and ERROR too unless the function is 1 (OSCCLK) and the device
// one of SCCConfig.OscClk. The DLLs are always locked.
//
// Deliberate deviations from the hardware, shared with QEMU unless marked:
//   - CFG_REG3 (user switches) reads 0.
//   - Only the OSCCLK function of the configuration channel is modelled.
//   - (Mimic) The image's part number is SCC_ID bits [15:4]; QEMU takes
//     bits [11:4] and so never sees the parts whose numbers it tests
//     for, which changes nothing for AN385 and AN386. QEMU's write to
//     CFG_REG7 lands in CFG_REG6; here it lands in CFG_REG7.
type SCC struct {
	log   logger
	cfg   SCCConfig
	remap irq.Line
	leds  func(uint8)

	cfg0, cfg1, cfg2, cfg5, cfg6, cfg7 uint32
	cfgdataRtn, cfgdataOut             uint32
	cfgctrl, cfgstat, dll              uint32
	oscclk                             []uint32
	remapLevel                         bool
}

var _ bus.Device = (*SCC)(nil)

// NewSCC returns an SCC in its reset state with the given configuration,
// driving remap (nil: unconnected).
func NewSCC(cfg SCCConfig, remap irq.Line) *SCC {
	if remap == nil {
		remap = irq.None
	}
	cfg.OscClk = append([]uint32(nil), cfg.OscClk...)
	s := &SCC{log: logger{name: "mps2-scc"}, cfg: cfg, remap: remap, oscclk: make([]uint32, len(cfg.OscClk))}
	s.Reset()
	return s
}

// SetLEDs registers fn to be told the state of the eight user LEDs
// (CFG_REG1 bits [7:0]) whenever the guest writes CFG_REG1. fn may be nil.
func (s *SCC) SetLEDs(fn func(leds uint8)) { s.leds = fn }

// Reset puts the SCC in its reset state and drives remap from CFG_REG0.
func (s *SCC) Reset() {
	s.cfg0 = s.cfg.CFG0Reset
	s.cfg1, s.cfg2, s.cfg5, s.cfg6, s.cfg7 = 0, 0, 0, 0, 0
	s.cfgdataRtn, s.cfgdataOut = 0, 0
	s.cfgctrl = cfgctrlReset
	s.cfgstat = 0
	s.dll = dllReset
	copy(s.oscclk, s.cfg.OscClk)
	s.driveRemap(true)
	if s.leds != nil {
		s.leds(0)
	}
}

// GuestErrors returns how many guest errors the SCC has seen.
func (s *SCC) GuestErrors() uint64 { return s.log.guestErrors }

func (s *SCC) partno() uint32 { return s.cfg.ID >> 4 & 0xfff }

func (s *SCC) oneOf(parts ...uint32) bool {
	p := s.partno()
	for _, q := range parts {
		if p == q {
			return true
		}
	}
	return false
}

func (s *SCC) haveCFG2() bool { return s.oneOf(0x524, 0x547, 0x536) }
func (s *SCC) haveCFG3() bool { return !s.oneOf(0x524, 0x547, 0x536) }
func (s *SCC) haveCFG5() bool { return s.oneOf(0x524, 0x547, 0x536) }
func (s *SCC) haveCFG6() bool { return s.oneOf(0x524, 0x536) }
func (s *SCC) haveCFG7() bool { return s.oneOf(0x536) }

// cfg0IsRemap and cfg1IsLEDs: on AN536 these registers control the CPUs
// and the memory map instead.
func (s *SCC) cfg0IsRemap() bool { return !s.oneOf(0x536) }
func (s *SCC) cfg1IsLEDs() bool  { return !s.oneOf(0x536) }

func (s *SCC) driveRemap(force bool) {
	level := s.cfg0IsRemap() && s.cfg0&1 != 0
	if level != s.remapLevel || force {
		s.remapLevel = level
		s.remap.Set(level)
	}
}

// Read implements bus.Device.
func (s *SCC) Read(off uint64, size int) uint64 {
	if !s.log.validAccess("read", off, size) {
		return 0
	}
	var v uint32
	switch {
	case off == sccCFG0:
		v = s.cfg0
	case off == sccCFG1:
		v = s.cfg1
	case off == sccCFG2 && s.haveCFG2():
		v = s.cfg2
	case off == sccCFG3 && s.haveCFG3():
		v = 0 // user switches: not modelled
	case off == sccCFG4:
		v = s.cfg.CFG4
	case off == sccCFG5 && s.haveCFG5():
		v = s.cfg5
	case off == sccCFG6 && s.haveCFG6():
		v = s.cfg6
	case off == sccCFG7 && s.haveCFG7():
		v = s.cfg7
	case off == sccCFGDATA_RTN:
		v = s.cfgdataRtn
	case off == sccCFGDATA_OUT:
		v = s.cfgdataOut
	case off == sccCFGCTRL:
		v = s.cfgctrl
	case off == sccCFGSTAT:
		v = s.cfgstat
	case off == sccDLL:
		v = s.dll
	case off == sccAID:
		v = s.cfg.AID
	case off == sccID:
		v = s.cfg.ID
	default:
		s.log.guestError("read of bad offset", "offset", hex(off))
		return 0
	}
	return uint64(v) & sizeMask(size)
}

// Write implements bus.Device.
func (s *SCC) Write(off uint64, size int, val uint64) {
	if !s.log.validAccess("write", off, size) {
		return
	}
	v := uint32(val & sizeMask(size))
	switch {
	case off == sccCFG0:
		s.cfg0 = v
		s.driveRemap(false)
	case off == sccCFG1:
		s.cfg1 = v
		if s.cfg1IsLEDs() && s.leds != nil {
			s.leds(uint8(v))
		}
	case off == sccCFG2 && s.haveCFG2():
		s.cfg2 = v
	case off == sccCFG5 && s.haveCFG5():
		s.cfg5 = v
	case off == sccCFG6 && s.haveCFG6():
		s.cfg6 = v
	case off == sccCFG7 && s.haveCFG7():
		s.cfg7 = v
	case off == sccCFGDATA_OUT:
		s.cfgdataOut = v
	case off == sccCFGCTRL:
		s.writeCFGCTRL(v)
	case off == sccDLL:
		s.dll = s.dll&^dllMaskBits | v&dllMaskBits
	default:
		s.log.guestError("write to bad offset", "offset", hex(off), "value", hex(v))
	}
}

// writeCFGCTRL stores CFGCTRL and, with START set, performs the transfer
// at once.
func (s *SCC) writeCFGCTRL(v uint32) {
	s.cfgstat = 0
	s.cfgctrl = v &^ (cfgctrlRes1 | cfgctrlRes2 | cfgctrlStart)
	if v&cfgctrlStart == 0 {
		return
	}
	device := s.cfgctrl & cfgctrlDevice
	function := (s.cfgctrl & cfgctrlFunction) >> cfgctrlFuncPos
	s.cfgstat = cfgstatDone
	if function != cfgFunctionOSCCLK || int(device) >= len(s.oscclk) {
		s.log.guestError("configuration transfer to a bad function or device",
			"function", function, "device", device, "write", s.cfgctrl&cfgctrlWrite != 0)
		s.cfgstat |= cfgstatError
		return
	}
	if s.cfgctrl&cfgctrlWrite != 0 {
		s.oscclk[device] = s.cfgdataOut
	} else {
		s.cfgdataRtn = s.oscclk[device]
	}
}

// SCCStateVersion is the version of SCCState this package writes.
const SCCStateVersion = 1

// SCCState is a snapshot of an SCC. The configuration (IDs, CFG4, the
// number of OSCCLKs) is wiring and is checked, not restored.
type SCCState struct {
	Version                            int
	CFG0, CFG1, CFG2, CFG5, CFG6, CFG7 uint32
	CFGDATA_RTN, CFGDATA_OUT           uint32
	CFGCTRL, CFGSTAT, DLL              uint32
	OscClk                             []uint32
}

// State returns a snapshot of the SCC.
func (s *SCC) State() SCCState {
	return SCCState{
		Version: SCCStateVersion,
		CFG0:    s.cfg0, CFG1: s.cfg1, CFG2: s.cfg2, CFG5: s.cfg5, CFG6: s.cfg6, CFG7: s.cfg7,
		CFGDATA_RTN: s.cfgdataRtn, CFGDATA_OUT: s.cfgdataOut,
		CFGCTRL: s.cfgctrl, CFGSTAT: s.cfgstat, DLL: s.dll,
		OscClk: append([]uint32(nil), s.oscclk...),
	}
}

// Restore replaces the SCC's state with st after checking it and drives
// the remap line to match. On error the SCC is unchanged.
func (s *SCC) Restore(st SCCState) error {
	const dev = "mps2-scc"
	switch {
	case st.Version != SCCStateVersion:
		return badState(dev, "version %d, want %d", st.Version, SCCStateVersion)
	case len(st.OscClk) != len(s.oscclk):
		return badState(dev, "%d OSCCLKs, this SCC has %d", len(st.OscClk), len(s.oscclk))
	case st.CFGCTRL&(cfgctrlRes1|cfgctrlRes2|cfgctrlStart) != 0:
		return badState(dev, "CFGCTRL %#x has reserved bits set", st.CFGCTRL)
	case st.CFGSTAT&^(cfgstatDone|cfgstatError) != 0:
		return badState(dev, "CFGSTAT %#x has undefined bits", st.CFGSTAT)
	case st.DLL&^dllMaskBits != dllReset&^dllMaskBits:
		return badState(dev, "DLL %#x: only bits [31:24] are writable", st.DLL)
	}
	s.cfg0, s.cfg1, s.cfg2, s.cfg5, s.cfg6, s.cfg7 = st.CFG0, st.CFG1, st.CFG2, st.CFG5, st.CFG6, st.CFG7
	s.cfgdataRtn, s.cfgdataOut = st.CFGDATA_RTN, st.CFGDATA_OUT
	s.cfgctrl, s.cfgstat, s.dll = st.CFGCTRL, st.CFGSTAT, st.DLL
	copy(s.oscclk, st.OscClk)
	s.driveRemap(true)
	return nil
}
