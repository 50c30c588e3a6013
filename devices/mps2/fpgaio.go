package mps2

import (
	"fmt"

	"mimic/devices/bus"
	"mimic/devices/clock"
)

// FPGAIO register offsets (AN385 Table 3-10 "FPGA system control").
const (
	fpgaLED0     = 0x00
	fpgaDBGCTRL  = 0x04 // only on images that have it (AN505 and later)
	fpgaBUTTON   = 0x08
	fpgaCLK1HZ   = 0x10
	fpgaCLK100HZ = 0x14
	fpgaCOUNTER  = 0x18
	fpgaPRESCALE = 0x1c
	fpgaPSCNTR   = 0x20
	fpgaSWITCH   = 0x28 // only on images that have it
	fpgaMISC     = 0x4c
)

// MaxLEDs is the most LEDs LED0 can drive.
const MaxLEDs = 32

// FPGAIOConfig holds the image-specific parameters of an FPGAIO.
type FPGAIOConfig struct {
	// PrescaleClk is the frequency of the clock PSCNTR counts, in Hz:
	// 25 MHz on QEMU's mps2-an385/an386.
	PrescaleClk uint64
	// NumLEDs is how many bits of LED0 exist (QEMU's default, 2).
	NumLEDs int
	// HasSwitches and HasDbgctrl add the SWITCH and DBGCTRL registers
	// (not on AN385/AN386).
	HasSwitches, HasDbgctrl bool
}

// FPGAIO is the MPS2 FPGA system control and I/O block as QEMU's
// "mps2-fpgaio" models it.
//
// Interface:
//   - MMIO: one 4 KiB window (see the package comment). QEMU maps it at
//     0x40028000 on mps2-an385/an386.
//   - Outputs: SetLEDs reports writes to LED0.
//   - Time: CLK1HZ and CLK100HZ count whole 1 s and 10 ms periods of the
//     virtual clock from their last write (or reset); PSCNTR counts down
//     at PrescaleClk and reloads from PRESCALE one tick after reaching 0,
//     when COUNTER increments. All are computed from the clock when read,
//     as QEMU does; none raises an interrupt.
//
// Deliberate deviations from the hardware, shared with QEMU:
//   - BUTTON and SWITCH read 0 (no buttons or switches are modelled).
//   - MISC (SPI, CLCD and shield control) and DBGCTRL are stored only,
//     and logged as unimplemented when written.
type FPGAIO struct {
	log  logger
	clk  *clock.Clock
	cfg  FPGAIOConfig
	leds func(uint32)

	led0, prescale, misc, dbgctrl uint32
	counter, pscntr               uint32
	// The 1 Hz and 100 Hz counters read (now - offset) in their units;
	// PSCNTR and COUNTER are as of pscntrSync, the time of the last
	// PSCNTR tick accounted for. All are virtual ns, modulo 2^64.
	clk1hzOffset, clk100hzOffset uint64
	pscntrSync                   uint64
}

var _ bus.Device = (*FPGAIO)(nil)

// NewFPGAIO returns an FPGAIO in its reset state counting on clk. It
// panics if cfg.PrescaleClk is 0 or above 1 GHz or NumLEDs is above
// MaxLEDs: those are board bugs.
func NewFPGAIO(clk *clock.Clock, cfg FPGAIOConfig) *FPGAIO {
	if cfg.PrescaleClk == 0 || cfg.PrescaleClk > 1_000_000_000 || cfg.NumLEDs < 0 || cfg.NumLEDs > MaxLEDs {
		panic(fmt.Sprintf("BUG: mps2-fpgaio: bad configuration %+v", cfg))
	}
	f := &FPGAIO{log: logger{name: "mps2-fpgaio"}, clk: clk, cfg: cfg}
	f.Reset()
	return f
}

// SetLEDs registers fn to be told LED0 (one bit per LED) whenever the
// guest writes it. fn may be nil.
func (f *FPGAIO) SetLEDs(fn func(leds uint32)) { f.leds = fn }

// Reset puts the FPGAIO in its reset state: every register 0, the
// counters starting from 0 now.
func (f *FPGAIO) Reset() {
	now := f.clk.Now()
	f.led0, f.prescale, f.misc, f.dbgctrl = 0, 0, 0, 0
	f.clk1hzOffset, f.clk100hzOffset = now, now
	f.counter, f.pscntr = 0, 0
	f.pscntrSync = now
	if f.leds != nil {
		f.leds(0)
	}
}

// GuestErrors returns how many guest errors the FPGAIO has seen.
func (f *FPGAIO) GuestErrors() uint64 { return f.log.guestErrors }

const nsPerSecond = 1_000_000_000

// counterAt returns a counter at freq Hz that read 0 at virtual time
// offset, at time now.
func counterAt(now, offset, freq uint64) uint32 {
	return uint32(muldiv(now-offset, freq, nsPerSecond))
}

// offsetFor returns the offset at which a counter at freq Hz reading
// count at time now read 0.
func offsetFor(now uint64, count uint32, freq uint64) uint64 {
	return now - muldiv(uint64(count), nsPerSecond, freq)
}

// resync brings PSCNTR and COUNTER up to date at time now. Only whole
// PSCNTR ticks are accounted for, so repeated reads within a tick lose no
// time.
func (f *FPGAIO) resync(now uint64) {
	ticks := muldiv(now-f.pscntrSync, f.cfg.PrescaleClk, nsPerSecond)
	switch {
	case ticks == 0:
		return
	case ticks < uint64(f.pscntr):
		f.pscntr -= uint32(ticks)
	case f.prescale == 0:
		// PSCNTR sticks at 0 and COUNTER increments every tick.
		f.counter += uint32(ticks - uint64(f.pscntr))
		f.pscntr = 0
	default:
		// Ticks after PSCNTR first reached 0, counted so that each
		// reload (and COUNTER increment) is one period of
		// PRESCALE+1 ticks apart, the first one tick after 0.
		period := uint64(f.prescale) + 1
		y := ticks - uint64(f.pscntr) + uint64(f.prescale)
		f.pscntr = f.prescale - uint32(y%period)
		f.counter += uint32(y / period)
	}
	f.pscntrSync += muldiv(ticks, nsPerSecond, f.cfg.PrescaleClk)
}

// Read implements bus.Device.
func (f *FPGAIO) Read(off uint64, size int) uint64 {
	if !f.log.validAccess("read", off, size) {
		return 0
	}
	var v uint32
	switch {
	case off == fpgaLED0:
		v = f.led0
	case off == fpgaDBGCTRL && f.cfg.HasDbgctrl:
		v = f.dbgctrl
	case off == fpgaBUTTON:
		v = 0
	case off == fpgaPRESCALE:
		v = f.prescale
	case off == fpgaMISC:
		v = f.misc
	case off == fpgaCLK1HZ:
		v = counterAt(f.clk.Now(), f.clk1hzOffset, 1)
	case off == fpgaCLK100HZ:
		v = counterAt(f.clk.Now(), f.clk100hzOffset, 100)
	case off == fpgaCOUNTER:
		f.resync(f.clk.Now())
		v = f.counter
	case off == fpgaPSCNTR:
		f.resync(f.clk.Now())
		v = f.pscntr
	case off == fpgaSWITCH && f.cfg.HasSwitches:
		v = 0
	default:
		f.log.guestError("read of bad offset", "offset", hex(off))
		return 0
	}
	return uint64(v) & sizeMask(size)
}

// Write implements bus.Device.
func (f *FPGAIO) Write(off uint64, size int, val uint64) {
	if !f.log.validAccess("write", off, size) {
		return
	}
	v := uint32(val & sizeMask(size))
	switch {
	case off == fpgaLED0:
		if f.cfg.NumLEDs == 0 {
			break
		}
		f.led0 = v & uint32(uint64(1)<<f.cfg.NumLEDs-1)
		if f.leds != nil {
			f.leds(f.led0)
		}
	case off == fpgaDBGCTRL && f.cfg.HasDbgctrl:
		f.log.unimplemented("DBGCTRL", "value", hex(v))
		f.dbgctrl = v
	case off == fpgaPRESCALE:
		f.resync(f.clk.Now())
		f.prescale = v
	case off == fpgaMISC:
		f.log.unimplemented("MISC control bits", "value", hex(v))
		f.misc = v
	case off == fpgaCLK1HZ:
		f.clk1hzOffset = offsetFor(f.clk.Now(), v, 1)
	case off == fpgaCLK100HZ:
		f.clk100hzOffset = offsetFor(f.clk.Now(), v, 100)
	case off == fpgaCOUNTER:
		f.resync(f.clk.Now())
		f.counter = v
	case off == fpgaPSCNTR:
		f.resync(f.clk.Now())
		f.pscntr = v
	default:
		f.log.guestError("write to bad offset", "offset", hex(off), "value", hex(v))
	}
}

// FPGAIOStateVersion is the version of FPGAIOState this package writes.
const FPGAIOStateVersion = 1

// FPGAIOState is a snapshot of an FPGAIO. The offsets and PscntrSync are
// virtual times (ns, modulo 2^64) on the machine's clock, which is saved
// and restored with the machine.
type FPGAIOState struct {
	Version                       int
	LED0, PRESCALE, MISC, DBGCTRL uint32
	COUNTER, PSCNTR               uint32
	Clk1HzOffset, Clk100HzOffset  uint64
	PscntrSync                    uint64
}

// State returns a snapshot of the FPGAIO.
func (f *FPGAIO) State() FPGAIOState {
	return FPGAIOState{
		Version: FPGAIOStateVersion,
		LED0:    f.led0, PRESCALE: f.prescale, MISC: f.misc, DBGCTRL: f.dbgctrl,
		COUNTER: f.counter, PSCNTR: f.pscntr,
		Clk1HzOffset: f.clk1hzOffset, Clk100HzOffset: f.clk100hzOffset, PscntrSync: f.pscntrSync,
	}
}

// Restore replaces the FPGAIO's state with s after checking it. On error
// the FPGAIO is unchanged.
func (f *FPGAIO) Restore(s FPGAIOState) error {
	const dev = "mps2-fpgaio"
	switch {
	case s.Version != FPGAIOStateVersion:
		return badState(dev, "version %d, want %d", s.Version, FPGAIOStateVersion)
	case uint64(s.LED0)>>f.cfg.NumLEDs != 0:
		return badState(dev, "LED0 %#x has bits beyond %d LEDs", s.LED0, f.cfg.NumLEDs)
	case s.DBGCTRL != 0 && !f.cfg.HasDbgctrl:
		return badState(dev, "DBGCTRL %#x on an image without it", s.DBGCTRL)
	case s.PscntrSync > f.clk.Now():
		return badState(dev, "PSCNTR synchronised at %d ns, after the clock's %d ns", s.PscntrSync, f.clk.Now())
	}
	f.led0, f.prescale, f.misc, f.dbgctrl = s.LED0, s.PRESCALE, s.MISC, s.DBGCTRL
	f.counter, f.pscntr = s.COUNTER, s.PSCNTR
	f.clk1hzOffset, f.clk100hzOffset, f.pscntrSync = s.Clk1HzOffset, s.Clk100HzOffset, s.PscntrSync
	return nil
}
