package cmsdk

import (
	"errors"
	"fmt"

	"mimic/devices/bus"
	"mimic/devices/clock"
	"mimic/devices/irq"
)

// Timer register offsets (TRM Table 4-3).
const (
	timerCTRL      = 0x00
	timerVALUE     = 0x04
	timerRELOAD    = 0x08
	timerINTSTATUS = 0x0c // read: INTSTATUS; write: INTCLEAR
)

// Timer CTRL bits.
const (
	timerCtrlEN        = 1 << 0
	timerCtrlSELEXTEN  = 1 << 1
	timerCtrlSELEXTCLK = 1 << 2
	timerCtrlIRQEN     = 1 << 3
	timerCtrlMask      = 0xf
)

// Timer is a CMSDK APB timer (TRM 4.3, QEMU's "cmsdk-apb-timer"). Create
// it with NewTimer. It is not safe for concurrent use: the machine's run
// loop calls its MMIO methods and runs its clock events.
//
// Interface:
//   - MMIO: one 4 KiB window (see the package comment for access sizes).
//   - IRQ: one output, TIMERINT, high while INTSTATUS is set.
//   - Time: VALUE counts down at the APB clock frequency given to
//     NewTimer (25 MHz SYSCLK on mps2-an385) on the virtual clock.
//
// The counting rules are those of counter (counter.go), which QEMU's model
// chose where the TRM is vague: the interrupt is raised when VALUE
// decrements from 1 to 0, VALUE holds 0 for one tick before reloading
// from RELOAD, and with RELOAD 0 the timer stops at 0 without another
// interrupt. Writing RELOAD also loads VALUE.
//
// Deliberate deviations from the hardware, shared with QEMU:
//   - The EXTIN input is not modelled: CTRL.SELEXTEN and CTRL.SELEXTCLK
//     are stored and read back, logged as unimplemented, and the timer
//     keeps counting the APB clock.
//   - INTSTATUS is set on expiry only while CTRL.IRQEN is set (the TRM's
//     raw status is not kept while interrupts are disabled).
type Timer struct {
	log logger
	irq irq.Line
	cnt *counter

	ctrl      uint32
	intstatus uint32
	level     bool
}

var _ bus.Device = (*Timer)(nil)

var timerID = cmsdkID(0x22)

// NewTimer returns an APB timer in its reset state that counts at pclkHz
// (0 < pclkHz <= 1 GHz) on clk and drives line (nil: unconnected).
func NewTimer(clk *clock.Clock, pclkHz uint64, line irq.Line) *Timer {
	if line == nil {
		line = irq.None
	}
	t := &Timer{log: logger{name: "cmsdk-apb-timer"}, irq: line}
	t.cnt = newCounter(clk, pclkHz, 1, t.expired)
	t.Reset()
	return t
}

// Reset puts the timer in its reset state: stopped, VALUE and RELOAD 0,
// interrupt low.
func (t *Timer) Reset() {
	t.ctrl = 0
	t.intstatus = 0
	t.cnt.stop()
	t.cnt.setLimit(0, true)
	t.level = false
	t.irq.Set(false)
}

// GuestErrors returns how many guest errors the timer has seen.
func (t *Timer) GuestErrors() uint64 { return t.log.guestErrors }

func (t *Timer) update() {
	level := t.intstatus != 0
	if level != t.level {
		t.level = level
		t.irq.Set(level)
	}
}

func (t *Timer) expired() {
	if t.ctrl&timerCtrlIRQEN != 0 {
		t.intstatus = 1
		t.update()
	}
}

// Read implements bus.Device.
func (t *Timer) Read(off uint64, size int) uint64 {
	if !t.log.validAccess("read", off, size) {
		return 0
	}
	var v uint32
	switch {
	case off == timerCTRL:
		v = t.ctrl
	case off == timerVALUE:
		v = uint32(t.cnt.value())
	case off == timerRELOAD:
		v = uint32(t.cnt.limit)
	case off == timerINTSTATUS:
		v = t.intstatus
	case isID(off):
		v = timerID.read(off)
	default:
		t.log.guestError("read of bad offset", "offset", hex(off))
		return 0
	}
	return uint64(v) & sizeMask(size)
}

// Write implements bus.Device.
func (t *Timer) Write(off uint64, size int, val uint64) {
	if !t.log.validAccess("write", off, size) {
		return
	}
	v := uint32(val & sizeMask(size))
	switch {
	case off == timerCTRL:
		if v&(timerCtrlSELEXTEN|timerCtrlSELEXTCLK) != 0 {
			t.log.unimplemented("EXTIN input", "CTRL", hex(v))
		}
		t.ctrl = v & timerCtrlMask
		if t.ctrl&timerCtrlEN != 0 {
			// With RELOAD 0 the timer runs down once and stops.
			t.cnt.run(t.cnt.limit == 0)
		} else {
			t.cnt.stop()
		}
	case off == timerRELOAD:
		if v == 0 {
			t.cnt.stop()
		}
		t.cnt.setLimit(uint64(v), true)
		if v != 0 && t.ctrl&timerCtrlEN != 0 {
			// Restart a timer that ran down as a one-shot.
			t.cnt.run(false)
		}
	case off == timerVALUE:
		if v == 0 && t.cnt.limit == 0 {
			t.cnt.stop()
		}
		t.cnt.setCount(uint64(v))
		if v != 0 && t.ctrl&timerCtrlEN != 0 {
			t.cnt.run(t.cnt.limit == 0)
		}
	case off == timerINTSTATUS:
		t.intstatus &^= v & 1
		t.update()
	case isID(off):
		t.log.guestError("write to read-only offset", "offset", hex(off), "value", hex(v))
	default:
		t.log.guestError("write to bad offset", "offset", hex(off), "value", hex(v))
	}
}

// TimerStateVersion is the version of TimerState this package writes.
const TimerStateVersion = 1

// TimerState is a snapshot of a Timer. VALUE is saved as the count at the
// moment of the snapshot; a restored timer starts a fresh tick then.
// Restore the clock before the devices.
type TimerState struct {
	Version   int
	CTRL      uint32
	INTSTATUS uint32
	RELOAD    uint32
	VALUE     uint32
	Running   bool // counting (a one-shot run that reached 0 has stopped)
	Oneshot   bool // the current run stops at 0 (RELOAD was 0 when it began)
}

// State returns a snapshot of the timer.
func (t *Timer) State() TimerState {
	c := t.cnt.state()
	return TimerState{
		Version: TimerStateVersion,
		CTRL:    t.ctrl, INTSTATUS: t.intstatus,
		RELOAD: uint32(c.Limit), VALUE: uint32(c.Count),
		Running: c.Running, Oneshot: c.Oneshot,
	}
}

// ErrBadState is wrapped by every error a Restore method returns.
var ErrBadState = errors.New("cmsdk: bad state")

func badState(dev, format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s", ErrBadState, dev, fmt.Sprintf(format, args...))
}

// Restore replaces the timer's state with s after checking it, and drives
// the interrupt line to match. On error the timer is unchanged.
func (t *Timer) Restore(s TimerState) error {
	const dev = "cmsdk-apb-timer"
	switch {
	case s.Version != TimerStateVersion:
		return badState(dev, "version %d, want %d", s.Version, TimerStateVersion)
	case s.CTRL&^timerCtrlMask != 0:
		return badState(dev, "CTRL %#x has undefined bits", s.CTRL)
	case s.INTSTATUS > 1:
		return badState(dev, "INTSTATUS %#x has undefined bits", s.INTSTATUS)
	case s.Running && s.CTRL&timerCtrlEN == 0:
		return badState(dev, "running with CTRL.EN clear")
	}
	t.ctrl, t.intstatus = s.CTRL, s.INTSTATUS
	t.cnt.restore(counterState{Running: s.Running, Oneshot: s.Oneshot, Limit: uint64(s.RELOAD), Count: uint64(s.VALUE)})
	t.level = t.intstatus != 0
	t.irq.Set(t.level)
	return nil
}
