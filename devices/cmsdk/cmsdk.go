// Package cmsdk models the APB peripherals of ARM's Cortex-M System Design
// Kit (Cortex-M System Design Kit Technical Reference Manual, ARM DDI 0479C,
// chapter 4) as QEMU presents them on its mps2-an385/an386 boards
// (hw/char/cmsdk-apb-uart.c, hw/timer/cmsdk-apb-timer.c,
// hw/timer/cmsdk-apb-dualtimer.c, hw/watchdog/cmsdk-apb-watchdog.c):
//
//   - UART (uart.go): the APB UART, one-character buffers each way.
//   - Timer (timer.go): the 32-bit APB timer.
//   - DualTimer (dualtimer.go): the APB dual-input timer, two SP804-like
//     counters.
//   - Watchdog (watchdog.go): the APB watchdog, also in the Luminary
//     (Stellaris LM3S) variant that QEMU's lm3s6965evb board uses.
//
// Every device has one 4 KiB MMIO window. Registers are 32 bits wide; 1-,
// 2- and 4-byte accesses at a register's offset see its low bytes (a
// narrow write writes the register with the upper bytes zero, as QEMU's
// zero-padding does). Accesses at an offset that is not a multiple of 4,
// and 8-byte accesses, are guest errors: read as zero, write ignored
// (Mimic; QEMU widens some of them in ways no driver relies on).
//
// The timers count on the machine's virtual clock (package clock) at the
// APB clock frequency the board gives at construction; see counter.go for
// the counting rules they share, which are those of QEMU's ptimer with the
// policies these devices select.
package cmsdk

import (
	"fmt"
	"log/slog"
)

// WindowSize is the size of every CMSDK device's MMIO window.
const WindowSize = 0x1000

// Offsets of the identification registers, common to all CMSDK APB
// peripherals (TRM 4.x, "Programmers model"): PID4..PID7, PID0..PID3,
// CID0..CID3 in that order from 0xfd0.
const (
	regPID4 = 0xfd0
	regCID3 = 0xffc
)

// idRegs holds PID4..PID7, PID0..PID3 and CID0..CID3, indexed by
// (offset-regPID4)/4.
type idRegs [12]uint8

// cmsdkID returns the identification registers of a CMSDK APB peripheral
// with the given part number low byte (PID0).
func cmsdkID(part uint8) idRegs {
	return idRegs{0x04, 0, 0, 0, part, 0xb8, 0x1b, 0x00, 0x0d, 0xf0, 0x05, 0xb1}
}

func isID(off uint64) bool { return off >= regPID4 && off <= regCID3 }

func (id *idRegs) read(off uint64) uint32 { return uint32(id[(off-regPID4)/4]) }

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

// validAccess reports whether an access may reach a register, logging a
// guest error when it may not.
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

func b2u(b bool) uint32 {
	if b {
		return 1
	}
	return 0
}

// deposit16 returns v with its low 16 bits replaced by low.
func deposit16(v, low uint32) uint32 { return v&0xffff0000 | low&0xffff }
