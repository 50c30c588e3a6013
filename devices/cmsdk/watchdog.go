package cmsdk

import (
	"mimic/devices/bus"
	"mimic/devices/clock"
	"mimic/devices/irq"
)

// Watchdog register offsets (TRM Table 4-9; LM3S6965 data sheet 12.5).
const (
	wdogLOAD    = 0x000
	wdogVALUE   = 0x004
	wdogCONTROL = 0x008
	wdogINTCLR  = 0x00c
	wdogRIS     = 0x010
	wdogMIS     = 0x014
	wdogTEST    = 0x418 // Luminary only: WDTTEST, stall enable
	wdogLOCK    = 0xc00
	wdogITCR    = 0xf00 // CMSDK only
	wdogITOP    = 0xf04 // CMSDK only
)

// Watchdog CONTROL bits.
const (
	wdogCtrlINTEN = 1 << 0
	wdogCtrlRESEN = 1 << 1
	wdogCtrlMask  = wdogCtrlINTEN | wdogCtrlRESEN
)

// WDOGITOP bits.
const (
	wdogITOPRes  = 1 << 0
	wdogITOPInt  = 1 << 1
	wdogITOPMask = wdogITOPRes | wdogITOPInt
)

// WatchdogUnlock is the value that, written to LOCK, enables writes to the
// other registers; any other value disables them.
const WatchdogUnlock = 0x1ACCE551

// Identification registers: the CMSDK part, and the Luminary one (part
// 0x805, designer 0x18, as QEMU's "luminary-watchdog" reads).
var (
	watchdogID         = cmsdkID(0x24)
	luminaryWatchdogID = idRegs{0, 0, 0, 0, 0x05, 0x18, 0x18, 0x01, 0x0d, 0xf0, 0x05, 0xb1}
)

// WatchdogOptions configure a Watchdog.
type WatchdogOptions struct {
	// Luminary selects the variant in the Stellaris LM3S parts: other
	// identification registers, no integration test registers, WDTTEST
	// at 0x418, and CONTROL ignoring writes once INTEN is set.
	Luminary bool
}

// Watchdog is a CMSDK APB watchdog (TRM 4.6, QEMU's "cmsdk-apb-watchdog"),
// or with WatchdogOptions.Luminary the Stellaris watchdog timer (LM3S6965
// data sheet chapter 12, QEMU's "luminary-watchdog").
//
// Interface:
//   - MMIO: one 4 KiB window (see the package comment for access sizes).
//   - IRQ: WDOGINT, high while RIS and CONTROL.INTEN are set. QEMU's mps2
//     boards wire it to the NMI, lm3s6965evb to NVIC 18.
//   - Reset: WDOGRES, a level output that rises when the counter expires a
//     second time with RIS still set and CONTROL.RESEN set. The board
//     resets the machine on its rising edge (QEMU's default watchdog
//     action); it stays high until the watchdog is reset.
//   - Time: the counter runs at WDOGCLK, the frequency given to
//     NewWatchdog; SetClock changes it (the Stellaris system clock
//     follows RCC).
//
// The counter counts down from LOAD while CONTROL.INTEN is set; setting
// INTEN reloads it. On the first expiry RIS is set and the counter reloads
// (after holding 0 for a tick, counter.go); on the second, with RIS still
// set, WDOGRES is asserted and the counter stops. INTCLR clears RIS and
// reloads. LOCK guards every other register.
//
// Deliberate deviations from the hardware, shared with QEMU:
//   - Luminary: the WDTTEST stall bit is logged as unimplemented.
//   - The reset is asserted only while CONTROL.RESEN is set at the second
//     expiry or at a later register write that re-evaluates it.
type Watchdog struct {
	log      logger
	luminary bool
	id       *idRegs
	irq      irq.Line
	reset    irq.Line
	cnt      *counter

	control, intstatus, lock, itcr, itop, resetstatus uint32

	level, resLevel bool
}

var _ bus.Device = (*Watchdog)(nil)

// NewWatchdog returns a watchdog in its reset state clocked at
// wdogclkHz/div (0 < wdogclkHz <= 1 GHz, 0 < div <= 2^20) on clk, driving
// wdogint and wdogres (either may be nil).
func NewWatchdog(clk *clock.Clock, wdogclkHz, div uint64, wdogint, wdogres irq.Line, o WatchdogOptions) *Watchdog {
	if wdogint == nil {
		wdogint = irq.None
	}
	if wdogres == nil {
		wdogres = irq.None
	}
	w := &Watchdog{irq: wdogint, reset: wdogres, luminary: o.Luminary}
	w.log.name, w.id = "cmsdk-apb-watchdog", &watchdogID
	if o.Luminary {
		w.log.name, w.id = "luminary-watchdog", &luminaryWatchdogID
	}
	w.cnt = newCounter(clk, wdogclkHz, div, w.expired)
	w.Reset()
	return w
}

// SetClock changes the counter's clock to hz/div without losing its count
// (the board calls it when the Stellaris system clock changes).
func (w *Watchdog) SetClock(hz, div uint64) { w.cnt.setRate(hz, div) }

// Reset puts the watchdog in its reset state: stopped, LOAD and VALUE
// 0xffffffff, unlocked, outputs low.
func (w *Watchdog) Reset() {
	w.control, w.intstatus, w.lock, w.itcr, w.itop, w.resetstatus = 0, 0, 0, 0, 0, 0
	w.cnt.stop()
	w.cnt.setLimit(0xffffffff, true)
	w.drive(true)
}

// GuestErrors returns how many guest errors the watchdog has seen.
func (w *Watchdog) GuestErrors() uint64 { return w.log.guestErrors }

func (w *Watchdog) drive(force bool) {
	var wint, wres bool
	if w.itcr != 0 {
		wint, wres = w.itop&wdogITOPInt != 0, w.itop&wdogITOPRes != 0
	} else {
		wint = w.intstatus != 0 && w.control&wdogCtrlINTEN != 0
		wres = w.resetstatus != 0 && w.control&wdogCtrlRESEN != 0
	}
	if wint != w.level || force {
		w.level = wint
		w.irq.Set(wint)
	}
	if wres != w.resLevel || force {
		w.resLevel = wres
		w.reset.Set(wres)
	}
}

func (w *Watchdog) expired() {
	if w.intstatus == 0 {
		w.intstatus = 1
	} else {
		w.resetstatus = 1
		w.cnt.stop()
	}
	w.drive(false)
}

// Read implements bus.Device.
func (w *Watchdog) Read(off uint64, size int) uint64 {
	if !w.log.validAccess("read", off, size) {
		return 0
	}
	var v uint32
	switch {
	case off == wdogLOAD:
		v = uint32(w.cnt.limit)
	case off == wdogVALUE:
		v = uint32(w.cnt.value())
	case off == wdogCONTROL:
		v = w.control
	case off == wdogRIS:
		v = w.intstatus
	case off == wdogMIS:
		v = b2u(w.intstatus != 0 && w.control&wdogCtrlINTEN != 0)
	case off == wdogLOCK:
		v = w.lock
	case off == wdogITCR && !w.luminary:
		v = w.itcr
	case isID(off):
		v = w.id.read(off)
	case (off == wdogINTCLR || off == wdogITOP) && !w.luminary:
		w.log.guestError("read of write-only offset", "offset", hex(off))
		return 0
	case off == wdogTEST && w.luminary:
		w.log.unimplemented("WDTTEST stall")
		return 0
	default:
		w.log.guestError("read of bad offset", "offset", hex(off))
		return 0
	}
	return uint64(v) & sizeMask(size)
}

// Write implements bus.Device.
func (w *Watchdog) Write(off uint64, size int, val uint64) {
	if !w.log.validAccess("write", off, size) {
		return
	}
	v := uint32(val & sizeMask(size))
	if w.lock != 0 && off != wdogLOCK {
		w.log.guestError("write to locked watchdog", "offset", hex(off), "value", hex(v))
		return
	}
	switch {
	case off == wdogLOAD:
		w.cnt.setLimit(uint64(v), true)
	case off == wdogCONTROL:
		if w.luminary && w.control&wdogCtrlINTEN != 0 {
			// Once enabled, the Luminary watchdog can only be
			// stopped by a reset (data sheet 12.2).
			break
		}
		old := w.control
		w.control = v & wdogCtrlMask
		if (old^w.control)&wdogCtrlINTEN != 0 {
			if w.control&wdogCtrlINTEN != 0 {
				w.cnt.setCount(w.cnt.limit)
				w.cnt.run(false)
			} else {
				w.cnt.stop()
			}
		}
		w.drive(false)
	case off == wdogINTCLR:
		w.intstatus = 0
		w.cnt.setCount(w.cnt.limit)
		w.drive(false)
	case off == wdogLOCK:
		w.lock = b2u(v != WatchdogUnlock)
	case off == wdogITCR && !w.luminary:
		w.itcr = v & 1
		w.drive(false)
	case off == wdogITOP && !w.luminary:
		w.itop = v & wdogITOPMask
		w.drive(false)
	case off == wdogVALUE || off == wdogRIS || off == wdogMIS || isID(off):
		w.log.guestError("write to read-only offset", "offset", hex(off), "value", hex(v))
	case off == wdogTEST && w.luminary:
		w.log.unimplemented("WDTTEST stall", "value", hex(v))
	default:
		w.log.guestError("write to bad offset", "offset", hex(off), "value", hex(v))
	}
}

// WatchdogStateVersion is the version of WatchdogState this package
// writes.
const WatchdogStateVersion = 1

// WatchdogState is a snapshot of a Watchdog. Restore the clock before the
// devices. The variant (Luminary) and the clock rate are wiring, not state.
type WatchdogState struct {
	Version     int
	LOAD        uint32
	VALUE       uint32
	Running     bool
	CONTROL     uint32
	RIS         uint32
	LOCK        uint32
	ITCR        uint32
	ITOP        uint32
	ResetStatus uint32 // the second expiry happened
}

// State returns a snapshot of the watchdog.
func (w *Watchdog) State() WatchdogState {
	c := w.cnt.state()
	return WatchdogState{
		Version: WatchdogStateVersion,
		LOAD:    uint32(c.Limit), VALUE: uint32(c.Count), Running: c.Running,
		CONTROL: w.control, RIS: w.intstatus, LOCK: w.lock,
		ITCR: w.itcr, ITOP: w.itop, ResetStatus: w.resetstatus,
	}
}

// Restore replaces the watchdog's state with s after checking it, and
// drives the outputs to match. On error the watchdog is unchanged.
func (w *Watchdog) Restore(s WatchdogState) error {
	dev := w.log.name
	switch {
	case s.Version != WatchdogStateVersion:
		return badState(dev, "version %d, want %d", s.Version, WatchdogStateVersion)
	case s.CONTROL&^wdogCtrlMask != 0:
		return badState(dev, "CONTROL %#x has undefined bits", s.CONTROL)
	case s.RIS > 1 || s.LOCK > 1 || s.ResetStatus > 1 || s.ITCR > 1 || s.ITOP&^wdogITOPMask != 0:
		return badState(dev, "RIS, LOCK, ITCR, ITOP or reset status has undefined bits")
	case w.luminary && (s.ITCR != 0 || s.ITOP != 0):
		return badState(dev, "the Luminary watchdog has no integration test registers")
	case s.Running && s.CONTROL&wdogCtrlINTEN == 0:
		return badState(dev, "running with CONTROL.INTEN clear")
	}
	w.control, w.intstatus, w.lock = s.CONTROL, s.RIS, s.LOCK
	w.itcr, w.itop, w.resetstatus = s.ITCR, s.ITOP, s.ResetStatus
	w.cnt.restore(counterState{Running: s.Running, Limit: uint64(s.LOAD), Count: uint64(s.VALUE)})
	w.drive(true)
	return nil
}
