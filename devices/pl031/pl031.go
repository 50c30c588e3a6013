// Package pl031 models the ARM PrimeCell Real Time Clock (PL031), Technical
// Reference Manual ARM DDI 0224, as QEMU's "pl031" device presents it on the
// virt board, so that Linux's rtc-pl031 driver runs unmodified.
//
// Interface:
//   - MMIO: one 4 KiB register window. Registers are 32 bits wide; 1-, 2-
//     and 4-byte accesses at a register's offset see its low bytes.
//     Everything else is a guest error: read as zero, write ignored.
//   - IRQ: one output, RTCINTR, high while RTCMIS is set.
//   - Time: the counter RTCDR counts whole seconds of the machine's virtual
//     clock. At creation it reads the given start time in Unix seconds and
//     it increments each time the virtual clock crosses a whole second
//     (not one second after creation), as QEMU's does with rtc_clock.
//
// Deliberate deviations from the PL031 hardware, shared with QEMU unless
// marked (Mimic):
//   - The RTC is permanently enabled: RTCCR reads as 1 and writes to it are
//     ignored.
//   - A machine reset leaves the RTC untouched (see Reset).
//   - The match interrupt is armed by writes to RTCMR and RTCLR only, and
//     fires once; it is armed again by the next such write, not every
//     2^32 seconds.
//   - Peripheral ID 2 reads 0x14 (revision 1), QEMU's value.
//   - (Mimic) The alarm fires exactly when RTCDR becomes equal to RTCMR,
//     at a whole virtual second. QEMU counts the remaining seconds from the
//     moment of the RTCMR write and so fires up to one second after the
//     match.
//   - (Mimic) Accesses at an offset that is not a multiple of 4, and 8-byte
//     accesses, are guest errors.
package pl031

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"mimic/devices/bus"
	"mimic/devices/clock"
	"mimic/devices/irq"
)

// Register offsets (TRM Table 3-1).
const (
	regDR     = 0x00 // RTCDR, data (the counter)
	regMR     = 0x04 // RTCMR, match
	regLR     = 0x08 // RTCLR, load
	regCR     = 0x0c // RTCCR, control
	regIMSC   = 0x10 // RTCIMSC, interrupt mask set/clear
	regRIS    = 0x14 // RTCRIS, raw interrupt status
	regMIS    = 0x18 // RTCMIS, masked interrupt status
	regICR    = 0x1c // RTCICR, interrupt clear
	regPeriph = 0xfe0
)

// WindowSize is the size of the MMIO window.
const WindowSize = 0x1000

// intRTC is the only interrupt bit (RTCIMSC, RTCRIS, RTCMIS, RTCICR bit 0).
const intRTC = 1

// periphID holds RTCPeriphID0..3 and RTCPCellID0..3 as QEMU reports them.
var periphID = [8]uint8{0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1}

const nsPerSecond = uint64(time.Second)

// RTC is a PL031. Create it with New. It is not safe for concurrent use.
type RTC struct {
	clk *clock.Clock
	irq irq.Line

	// tickOffset is what RTCDR reads when the virtual clock is at zero:
	// RTCDR = tickOffset + whole virtual seconds, modulo 2^32.
	tickOffset uint32
	mr, lr     uint32
	imsc, ris  uint32
	alarm      *clock.Event
	level      bool

	guestErrors uint64
}

var _ bus.Device = (*RTC)(nil)

// New returns a PL031 whose counter reads start (in Unix seconds, truncated
// to 32 bits) now, counting on with clk's virtual seconds. line may be nil.
func New(clk *clock.Clock, start time.Time, line irq.Line) *RTC {
	if line == nil {
		line = irq.None
	}
	r := &RTC{clk: clk, irq: line}
	r.tickOffset = uint32(start.Unix()) - r.seconds()
	return r
}

// seconds returns the whole virtual seconds elapsed, modulo 2^32.
func (r *RTC) seconds() uint32 { return uint32(r.clk.Now() / nsPerSecond) }

// Count returns the current value of RTCDR.
func (r *RTC) Count() uint32 { return r.tickOffset + r.seconds() }

// Reset is a machine reset as the RTC sees it: nothing changes. QEMU's
// PL031 has no reset handler (the RTC is an always-on block), so the
// counter, RTCMR, RTCLR, the interrupt registers and an armed alarm all
// survive a guest reboot; a guest driver clears what it needs at probe.
func (r *RTC) Reset() {}

// GuestErrors returns how many guest errors the RTC has seen.
func (r *RTC) GuestErrors() uint64 { return r.guestErrors }

func (r *RTC) guestError(msg string, args ...any) {
	r.guestErrors++
	slog.Warn("guest error: pl031: "+msg, args...)
}

func (r *RTC) update(force bool) {
	level := r.ris&r.imsc != 0
	if level != r.level || force {
		r.level = level
		r.irq.Set(level)
	}
}

// setAlarm (re)arms the match interrupt for the moment RTCDR next equals
// RTCMR, firing at once if it already does. It reads the clock once (see
// package clock): a second boundary crossed between two reads would arm
// the alarm a second late.
func (r *RTC) setAlarm() {
	r.clk.Cancel(r.alarm)
	r.alarm = nil
	secs := r.clk.Now() / nsPerSecond
	// The counter wraps; so does this subtraction, which gives the
	// seconds to go even when RTCMR is below RTCDR.
	ticks := r.mr - (r.tickOffset + uint32(secs))
	if ticks == 0 {
		r.fire()
		return
	}
	r.alarm = r.clk.Schedule((secs+uint64(ticks))*nsPerSecond, r.fire)
}

func (r *RTC) fire() {
	r.alarm = nil
	r.ris = intRTC
	r.update(false)
}

// Read implements bus.Device.
func (r *RTC) Read(off uint64, size int) uint64 {
	if !r.validAccess("read", off, size) {
		return 0
	}
	var v uint32
	switch off {
	case regDR:
		v = r.Count()
	case regMR:
		v = r.mr
	case regLR:
		v = r.lr
	case regCR:
		v = 1 // RTCStart: permanently enabled
	case regIMSC:
		v = r.imsc
	case regRIS:
		v = r.ris
	case regMIS:
		v = r.ris & r.imsc
	case regICR:
		r.guestError("read of write-only register RTCICR")
		return 0
	default:
		if off >= regPeriph {
			v = uint32(periphID[(off-regPeriph)/4])
			break
		}
		r.guestError("read of bad offset", "offset", fmt.Sprintf("%#x", off))
		return 0
	}
	return uint64(v) & sizeMask(size)
}

// Write implements bus.Device.
func (r *RTC) Write(off uint64, size int, val uint64) {
	if !r.validAccess("write", off, size) {
		return
	}
	v := uint32(val & sizeMask(size))
	switch off {
	case regLR:
		r.lr = v
		r.tickOffset += v - r.Count()
		r.setAlarm()
	case regMR:
		r.mr = v
		r.setAlarm()
	case regIMSC:
		r.imsc = v & intRTC
		r.update(false)
	case regICR:
		r.ris &^= v
		r.update(false)
	case regCR:
		// Permanently enabled; the write is ignored.
	case regDR, regRIS, regMIS:
		r.guestError("write to read-only register", "offset", fmt.Sprintf("%#x", off))
	default:
		r.guestError("write to bad offset", "offset", fmt.Sprintf("%#x", off))
	}
}

func (r *RTC) validAccess(op string, off uint64, size int) bool {
	switch {
	case size != 1 && size != 2 && size != 4:
		r.guestError("bad access size", "op", op, "offset", fmt.Sprintf("%#x", off), "size", size)
		return false
	case off%4 != 0 || off >= WindowSize:
		r.guestError("unaligned or out-of-window access", "op", op, "offset", fmt.Sprintf("%#x", off), "size", size)
		return false
	}
	return true
}

func sizeMask(size int) uint64 { return 1<<(8*uint(size)) - 1 }

// StateVersion is the version of State this package writes.
const StateVersion = 1

// State is a snapshot of the RTC. The counter is saved as TickOffset, its
// value at virtual time zero, so a snapshot restored together with the
// clock reads the same time; the alarm is saved as whether it is armed,
// its time following from RTCMR.
type State struct {
	Version    int
	TickOffset uint32
	MR, LR     uint32
	IMSC, RIS  uint32
	AlarmArmed bool
}

// State returns a snapshot of the RTC.
func (r *RTC) State() State {
	return State{
		Version:    StateVersion,
		TickOffset: r.tickOffset,
		MR:         r.mr, LR: r.lr, IMSC: r.imsc, RIS: r.ris,
		AlarmArmed: r.alarm.Pending(),
	}
}

// ErrBadState is wrapped by every error Restore returns.
var ErrBadState = errors.New("pl031: bad state")

// Restore replaces the RTC's state with s after checking it. It must be
// called after the clock has been restored to the snapshot's time; an
// armed alarm is rescheduled from it (and fires at once if RTCDR already
// equals RTCMR). On error the RTC is unchanged.
func (r *RTC) Restore(s State) error {
	switch {
	case s.Version != StateVersion:
		return fmt.Errorf("%w: version %d, want %d", ErrBadState, s.Version, StateVersion)
	case s.IMSC&^intRTC != 0 || s.RIS&^intRTC != 0:
		return fmt.Errorf("%w: IMSC %#x or RIS %#x has undefined bits", ErrBadState, s.IMSC, s.RIS)
	}
	r.clk.Cancel(r.alarm)
	r.alarm = nil
	r.tickOffset, r.mr, r.lr, r.imsc, r.ris = s.TickOffset, s.MR, s.LR, s.IMSC, s.RIS
	if s.AlarmArmed {
		r.setAlarm()
	}
	r.update(true)
	return nil
}
