// Package stellaris models the on-chip peripherals of the Texas
// Instruments (Luminary Micro) Stellaris LM3S6965 microcontroller (LM3S6965
// Microcontroller Data Sheet, DS-LM3S6965, "the data sheet") that QEMU's
// lm3s6965evb machine instantiates and that have no model elsewhere in
// Mimic, following QEMU's hw/arm/stellaris.c and hw/timer/stellaris-gptm.c:
//
//   - SysCtl (sysctl.go): the system control block, with the clock
//     configuration registers firmware polls at boot and the system clock
//     frequency derived from them.
//   - GPTM (gptm.go): a general-purpose timer module.
//
// The UARTs are PL011s (package pl011) and the GPIO ports PL061s (package
// pl061), both in their Luminary variants; the watchdog is package cmsdk's
// Watchdog with WatchdogOptions.Luminary.
//
// Every device has one 4 KiB MMIO window of 32-bit registers; 1-, 2- and
// 4-byte accesses at a register's offset see its low bytes (a narrow write
// writes the register with the upper bytes zero). Accesses at an offset
// that is not a multiple of 4, and 8-byte accesses, are guest errors: read
// as zero, write ignored (Mimic).
package stellaris

import (
	"errors"
	"fmt"
	"log/slog"
	"math/bits"
)

// WindowSize is the size of every device's MMIO window.
const WindowSize = 0x1000

// ErrBadState is wrapped by every error a Restore method returns.
var ErrBadState = errors.New("stellaris: bad state")

func badState(dev, format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s", ErrBadState, dev, fmt.Sprintf(format, args...))
}

// logger counts and logs guest errors and unimplemented features for one
// device.
type logger struct {
	name        string
	guestErrors uint64
}

func (l *logger) guestError(msg string, args ...any) {
	l.guestErrors++
	slog.Warn("guest error: "+l.name+": "+msg, args...)
}

func (l *logger) unimplemented(msg string, args ...any) {
	slog.Info("unimplemented: "+l.name+": "+msg, args...)
}

func (l *logger) validAccess(op string, off uint64, size int) bool {
	switch {
	case size != 1 && size != 2 && size != 4:
		l.guestError("bad access size", "op", op, "offset", hex(off), "size", size)
		return false
	case off%4 != 0 || off >= WindowSize:
		l.guestError("unaligned or out-of-window access", "op", op, "offset", hex(off), "size", size)
		return false
	}
	return true
}

func sizeMask(size int) uint64 { return 1<<(8*uint(size)) - 1 }

func hex[T uint32 | uint64](v T) string { return fmt.Sprintf("%#x", v) }

const nsPerSecond = 1_000_000_000

// Rate is a clock frequency of Hz/Div cycles per second, exact for the
// system clock's 200 MHz / (SYSDIV+1).
type Rate struct {
	Hz, Div uint64
}

// valid reports whether the rate is one the devices can count at.
func (r Rate) valid() bool { return r.Hz > 0 && r.Hz <= nsPerSecond && r.Div > 0 && r.Div <= 1<<20 }

// HzApprox returns the frequency rounded down to whole Hz.
func (r Rate) HzApprox() uint64 { return r.Hz / r.Div }

// cyclesToNs returns the virtual time n cycles take, rounded up, and false
// if it exceeds 64 bits.
func (r Rate) cyclesToNs(n uint64) (uint64, bool) {
	hi, lo := bits.Mul64(n, r.Div*nsPerSecond)
	var carry uint64
	lo, carry = bits.Add64(lo, r.Hz-1, 0)
	hi += carry
	if hi >= r.Hz {
		return 0, false
	}
	q, _ := bits.Div64(hi, lo, r.Hz)
	return q, true
}

// nsToCycles returns how many whole cycles fit in ns.
func (r Rate) nsToCycles(ns uint64) uint64 {
	den := r.Div * nsPerSecond
	hi, lo := bits.Mul64(ns, r.Hz)
	q, _ := bits.Div64(hi%den, lo, den)
	return q
}
