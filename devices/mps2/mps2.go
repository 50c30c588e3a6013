// Package mps2 models the FPGA-side system blocks of ARM's MPS2 prototyping
// board as QEMU presents them on its mps2-an385 and mps2-an386 machines:
//
//   - SCC (scc.go): the Serial Communication Controller, the board's
//     configuration registers (MPS2 TRM, ARM 100112, and the FPGA image
//     Application Notes AN385/AN386; QEMU's hw/misc/mps2-scc.c).
//   - FPGAIO (fpgaio.go): the FPGA system control and I/O block (LEDs,
//     buttons, free-running counters; AN385 section 3.9 and QEMU's
//     hw/misc/mps2-fpgaio.c).
//
// Both have one 4 KiB MMIO window of 32-bit registers; 1-, 2- and 4-byte
// accesses at a register's offset see its low bytes (a narrow write writes
// the register with the upper bytes zero). Accesses at an offset that is
// not a multiple of 4, and 8-byte accesses, are guest errors: read as
// zero, write ignored (Mimic; QEMU passes them to the register code, which
// treats the unaligned ones as bad offsets).
package mps2

import (
	"errors"
	"fmt"
	"log/slog"
	"math/bits"
)

// WindowSize is the size of the SCC's and the FPGAIO's MMIO windows.
const WindowSize = 0x1000

// ErrBadState is wrapped by every error a Restore method returns.
var ErrBadState = errors.New("mps2: bad state")

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

// muldiv returns a*b/c (c > 0) with a 128-bit intermediate product,
// truncated to 64 bits.
func muldiv(a, b, c uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	q, _ := bits.Div64(hi%c, lo, c)
	return q
}
