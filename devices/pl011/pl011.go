// Package pl011 models the ARM PrimeCell UART (PL011), Technical Reference
// Manual ARM DDI 0183G, as QEMU's "pl011" device presents it on the virt
// board, so that Linux's amba-pl011 driver, its earlycon and U-Boot's
// pl01x driver run unmodified.
//
// Interface:
//   - MMIO: one 4 KiB register window (TRM 3.2). Registers are 32 bits
//     wide; 1-, 2- and 4-byte accesses at a register's offset see its low
//     bytes. Everything else is a guest error: read as zero, write ignored.
//   - IRQ: one output, UARTINTR, the OR of the masked interrupt status
//     UARTMIS (QEMU's sysbus IRQ 0; the per-source lines UARTRXINTR etc.
//     are not modelled because no board wires them).
//   - Host side: a byte the guest writes to UARTDR goes to the io.Writer at
//     once; received bytes arrive through Receive, which takes only what
//     fits in the receive FIFO so the machine can apply flow control.
//
// Deliberate deviations from the PL011 hardware, all shared with QEMU
// unless marked (Mimic):
//   - Transmission is instantaneous: the transmit FIFO is always empty
//     (UARTFR.TXFE=1, TXFF=0, BUSY=0), and every write to UARTDR sets
//     UARTRIS.TXRIS. TXRIS is cleared only through UARTICR, so a driver that
//     enables TXIM is interrupted at once and again after each ICR, which
//     is what Linux's interrupt-driven transmit path needs.
//   - The receive interrupt ignores the FIFO level in UARTIFLS: RXRIS is set
//     as soon as the receive FIFO holds one character and cleared when it
//     is read empty. QEMU chose this because drivers that rely on the
//     receive timeout would otherwise wait for one that never comes.
//   - The receive timeout interrupt (RTRIS) is never raised, for the same
//     reason: with the trigger level at one character it has nothing to
//     add. Guests see the same UARTRIS values as under QEMU.
//   - Baud rate, word length, parity and stop bits are stored but have no
//     effect; no framing, parity or break errors arise on the host side
//     except a break sent with Break.
//   - UARTCR.UARTEN, TXE and RXE do not gate data (QEMU keeps the UART
//     working for guests that never enable it); transmitting while the
//     UART or its transmitter is disabled is logged once as a guest error.
//   - Modem status inputs (CTS, DSR, DCD, RI) read as 0 except in loopback
//     (UARTCR.LBE), where they follow RTS, DTR, Out1 and Out2 as in QEMU.
//   - DMA (UARTDMACR) is stored but not implemented; enabling it is logged.
//   - (Mimic) A character looped back into a full receive FIFO is dropped
//     and reported as an overrun (UARTRSR.OE, UARTRIS.OERIS); QEMU writes
//     past the end of its FIFO in that case.
//   - (Mimic) Accesses at an offset that is not a multiple of 4, and 8-byte
//     accesses, are guest errors (read as zero, write ignored); QEMU widens
//     or rejects them in ways no driver depends on.
package pl011

import (
	"errors"
	"fmt"
	"io"
	"log/slog"

	"mimic/devices/bus"
	"mimic/devices/irq"
)

// Register offsets (TRM Table 3-1).
const (
	regDR     = 0x000 // UARTDR, data
	regRSR    = 0x004 // UARTRSR (read) / UARTECR (write), receive status / error clear
	regFR     = 0x018 // UARTFR, flags
	regILPR   = 0x020 // UARTILPR, IrDA low-power counter
	regIBRD   = 0x024 // UARTIBRD, integer baud rate divisor
	regFBRD   = 0x028 // UARTFBRD, fractional baud rate divisor
	regLCR_H  = 0x02c // UARTLCR_H, line control
	regCR     = 0x030 // UARTCR, control
	regIFLS   = 0x034 // UARTIFLS, interrupt FIFO level select
	regIMSC   = 0x038 // UARTIMSC, interrupt mask set/clear
	regRIS    = 0x03c // UARTRIS, raw interrupt status
	regMIS    = 0x040 // UARTMIS, masked interrupt status
	regICR    = 0x044 // UARTICR, interrupt clear
	regDMACR  = 0x048 // UARTDMACR, DMA control
	regPeriph = 0xfe0 // UARTPeriphID0..3, UARTPCellID0..3 up to 0xffc
)

// WindowSize is the size of the MMIO window.
const WindowSize = 0x1000

// UARTFR bits.
const (
	frCTS  = 1 << 0
	frDSR  = 1 << 1
	frDCD  = 1 << 2
	frBUSY = 1 << 3
	frRXFE = 1 << 4
	frTXFF = 1 << 5
	frRXFF = 1 << 6
	frTXFE = 1 << 7
	frRI   = 1 << 8

	frModem = frCTS | frDSR | frDCD | frRI
	frMask  = 0x1ff
)

// UARTDR receive error bits, stored with each character in the FIFO.
const (
	drFE = 1 << 8  // framing error
	drPE = 1 << 9  // parity error
	drBE = 1 << 10 // break error
	drOE = 1 << 11 // overrun error
)

// UARTRSR bits: UARTDR bits 11:8 shifted down.
const rsrOE = drOE >> 8

// Interrupt bits, shared by UARTIMSC, UARTRIS, UARTMIS and UARTICR.
const (
	intRI  = 1 << 0
	intCTS = 1 << 1
	intDCD = 1 << 2
	intDSR = 1 << 3
	intRX  = 1 << 4
	intTX  = 1 << 5
	intRT  = 1 << 6
	intFE  = 1 << 7
	intPE  = 1 << 8
	intBE  = 1 << 9
	intOE  = 1 << 10

	intModem = intRI | intCTS | intDCD | intDSR
	intMask  = 0x7ff
)

// UARTLCR_H bits.
const (
	lcrBRK = 1 << 0 // send break
	lcrFEN = 1 << 4 // FIFOs enabled
)

// UARTCR bits.
const (
	crUARTEN = 1 << 0
	crLBE    = 1 << 7
	crTXE    = 1 << 8
	crRXE    = 1 << 9
	crDTR    = 1 << 10
	crRTS    = 1 << 11
	crOut1   = 1 << 12
	crOut2   = 1 << 13
)

// UARTDMACR bits.
const dmacrEnables = 1<<0 | 1<<1 // RXDMAE, TXDMAE

// Reset values that are not zero (TRM Table 3-1).
const (
	resetFR   = frTXFE | frRXFE
	resetCR   = crTXE | crRXE
	resetIFLS = 0x12 // both FIFO levels at 1/2
)

// FIFODepth is the depth of the receive FIFO when UARTLCR_H.FEN is set;
// with FEN clear it is a one-character holding register.
const FIFODepth = 16

// periphID holds UARTPeriphID0..3 and UARTPCellID0..3 (TRM 3.3.14, 3.3.15):
// part 0x011, designer ARM (0x41), revision r1p5, PrimeCell.
var periphID = [8]uint8{0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1}

// luminaryID is the Stellaris (Luminary Micro) UART's: the same PrimeCell
// with Luminary's designer code (LM3S6965 data sheet, UARTPeriphID0-3),
// as QEMU's pl011_luminary reports.
var luminaryID = [8]uint8{0x11, 0x00, 0x18, 0x01, 0x0d, 0xf0, 0x05, 0xb1}

// UART is a PL011. Create it with New. It is not safe for concurrent use:
// the machine's run loop calls both its MMIO methods and Receive.
type UART struct {
	out io.Writer
	irq irq.Line
	id  *[8]uint8 // periphID or luminaryID

	// Register state, named as the TRM names the registers.
	fr, rsr, lcrH, cr, ifls, imsc, ris uint32
	ilpr, ibrd, fbrd, dmacr            uint32

	// Receive FIFO: rxCount characters from rxFIFO[rxPos], circular over
	// the current depth (FIFODepth or 1). Each entry holds the character
	// in bits 7:0 and its error flags in bits 11:8, as UARTDR reads it.
	rxFIFO  [FIFODepth]uint16
	rxPos   int
	rxCount int

	level     bool // current level of UARTINTR
	txBuf     [1]byte
	onAccept  func()
	warnedTX  bool // "transmit while disabled" logged since the last CR write
	warnedOut bool // host write error logged

	guestErrors uint64
}

var _ bus.Device = (*UART)(nil)

// New returns a PL011 in its reset state that sends transmitted bytes to
// out and drives line. out may be nil (output discarded); line may be nil
// (irq.None).
func New(out io.Writer, line irq.Line) *UART {
	if out == nil {
		out = io.Discard
	}
	if line == nil {
		line = irq.None
	}
	u := &UART{out: out, irq: line, id: &periphID}
	u.Reset()
	return u
}

// NewLuminary returns the Stellaris variant: a PL011 with Luminary
// Micro's identification registers.
func NewLuminary(out io.Writer, line irq.Line) *UART {
	u := New(out, line)
	u.id = &luminaryID
	return u
}

// Reset puts the UART in its power-on state and lowers its interrupt.
func (u *UART) Reset() {
	u.fr = resetFR
	u.rsr = 0
	u.lcrH = 0
	u.cr = resetCR
	u.ifls = resetIFLS
	u.imsc = 0
	u.ris = 0
	u.ilpr, u.ibrd, u.fbrd, u.dmacr = 0, 0, 0, 0
	u.rxFIFO = [FIFODepth]uint16{}
	u.rxPos, u.rxCount = 0, 0
	u.warnedTX = false
	u.level = false
	u.irq.Set(false)
}

// SetAcceptInput registers fn to be called each time the guest reads
// UARTDR, that is whenever room may have appeared in the receive FIFO. The
// machine can use it to resume feeding host input. fn may be nil.
func (u *UART) SetAcceptInput(fn func()) { u.onAccept = fn }

// GuestErrors returns how many guest errors (bad offsets, bad sizes,
// misuse) the UART has seen.
func (u *UART) GuestErrors() uint64 { return u.guestErrors }

func (u *UART) guestError(msg string, args ...any) {
	u.guestErrors++
	slog.Warn("guest error: pl011: "+msg, args...)
}

func (u *UART) fifoEnabled() bool { return u.lcrH&lcrFEN != 0 }
func (u *UART) loopback() bool    { return u.cr&crLBE != 0 }

func (u *UART) depth() int {
	if u.fifoEnabled() {
		return FIFODepth
	}
	return 1
}

// readTrigger is the receive FIFO level that raises RXRIS. QEMU uses one
// character whatever UARTIFLS says; see the package comment.
func (u *UART) readTrigger() int { return 1 }

// update drives UARTINTR from UARTMIS.
func (u *UART) update() {
	level := u.ris&u.imsc != 0
	if level != u.level {
		u.level = level
		u.irq.Set(level)
	}
}

// CanReceive returns how many characters the receive FIFO can take now.
func (u *UART) CanReceive() int { return u.depth() - u.rxCount }

// Receive offers host input to the UART. It accepts as many bytes as fit in
// the receive FIFO, in order, and returns how many it took; the caller
// keeps the rest and offers them again later (after SetAcceptInput's
// callback, or on its own schedule). In loopback mode the receiver is
// disconnected from the line, so accepted bytes are dropped, as in QEMU.
func (u *UART) Receive(b []byte) int {
	n := min(len(b), u.CanReceive())
	if u.loopback() {
		return n
	}
	for _, c := range b[:n] {
		u.putFIFO(uint16(c))
	}
	return n
}

// Break signals a break condition on the receive line: a NUL character
// with the break error flag enters the receive FIFO. It reports false when
// the FIFO is full (or the UART is in loopback) and nothing was received.
func (u *UART) Break() bool {
	if u.loopback() || u.CanReceive() == 0 {
		return false
	}
	u.putFIFO(drBE)
	return true
}

// putFIFO appends v to the receive FIFO, which must have room.
func (u *UART) putFIFO(v uint16) {
	depth := u.depth()
	slot := (u.rxPos + u.rxCount) & (depth - 1)
	u.rxFIFO[slot] = v
	u.rxCount++
	u.fr &^= frRXFE
	if u.rxCount == depth {
		u.fr |= frRXFF
	}
	if u.rxCount == u.readTrigger() {
		u.ris |= intRX
		u.update()
	}
}

// loopbackTX feeds a transmitted character back to the receiver when
// UARTCR.LBE is set.
func (u *UART) loopbackTX(v uint16) {
	if !u.loopback() {
		return
	}
	if u.CanReceive() == 0 {
		// The FIFO keeps its contents and the new character is lost
		// (TRM 3.3.2, OE).
		u.rsr |= rsrOE
		u.ris |= intOE
		u.update()
		return
	}
	u.putFIFO(v)
}

// loopbackModem copies the modem control outputs to the modem status
// inputs when UARTCR.LBE is set: RI<-Out2, DCD<-Out1, CTS<-RTS, DSR<-DTR.
// The matching modem interrupt bits follow the new input levels (QEMU).
func (u *UART) loopbackModem() {
	if !u.loopback() {
		return
	}
	fr := u.fr &^ frModem
	ris := u.ris &^ intModem
	if u.cr&crOut2 != 0 {
		fr |= frRI
		ris |= intRI
	}
	if u.cr&crOut1 != 0 {
		fr |= frDCD
		ris |= intDCD
	}
	if u.cr&crRTS != 0 {
		fr |= frCTS
		ris |= intCTS
	}
	if u.cr&crDTR != 0 {
		fr |= frDSR
		ris |= intDSR
	}
	u.fr, u.ris = fr, ris
	u.update()
}

// readDR pops the receive FIFO. Reading an empty FIFO returns the stale
// entry at the read position, as QEMU does.
func (u *UART) readDR() uint32 {
	depth := u.depth()
	u.fr &^= frRXFF
	c := u.rxFIFO[u.rxPos]
	if u.rxCount > 0 {
		u.rxCount--
		u.rxPos = (u.rxPos + 1) & (depth - 1)
	}
	if u.rxCount == 0 {
		u.fr |= frRXFE
	}
	if u.rxCount == u.readTrigger()-1 {
		u.ris &^= intRX
	}
	u.rsr = uint32(c) >> 8
	u.update()
	if u.onAccept != nil {
		u.onAccept()
	}
	return uint32(c)
}

func (u *UART) writeDR(v uint32) {
	if !u.warnedTX && u.cr&(crUARTEN|crTXE) != crUARTEN|crTXE {
		u.warnedTX = true
		u.guestError("data written while the UART or its transmitter is disabled", "UARTCR", hex(u.cr))
	}
	u.txBuf[0] = byte(v)
	if _, err := u.out.Write(u.txBuf[:]); err != nil && !u.warnedOut {
		u.warnedOut = true
		slog.Error("pl011: host output failed; further errors are not logged", "err", err)
	}
	u.loopbackTX(uint16(v & 0xff))
	u.ris |= intTX
	u.update()
}

func (u *UART) resetRXFIFO() {
	u.rxCount, u.rxPos = 0, 0
	u.fr &^= frRXFF
	u.fr |= frRXFE
}

func (u *UART) resetTXFIFO() {
	u.fr &^= frTXFF
	u.fr |= frTXFE
}

func (u *UART) writeLCRH(v uint32) {
	if (u.lcrH^v)&lcrFEN != 0 {
		// Enabling or disabling the FIFOs flushes them (TRM 3.3.7).
		u.resetRXFIFO()
		u.resetTXFIFO()
	}
	if (u.lcrH^v)&lcrBRK != 0 && v&lcrBRK != 0 {
		// A break sent in loopback is received as one (QEMU); a break
		// on the host side has no representation and is dropped.
		u.loopbackTX(drBE)
	}
	u.lcrH = v
}

// Read implements bus.Device.
func (u *UART) Read(off uint64, size int) uint64 {
	if !u.validAccess("read", off, size) {
		return 0
	}
	var v uint32
	switch off {
	case regDR:
		v = u.readDR()
	case regRSR:
		v = u.rsr
	case regFR:
		v = u.fr
	case regILPR:
		v = u.ilpr
	case regIBRD:
		v = u.ibrd
	case regFBRD:
		v = u.fbrd
	case regLCR_H:
		v = u.lcrH
	case regCR:
		v = u.cr
	case regIFLS:
		v = u.ifls
	case regIMSC:
		v = u.imsc
	case regRIS:
		v = u.ris
	case regMIS:
		v = u.ris & u.imsc
	case regDMACR:
		v = u.dmacr
	default:
		if off >= regPeriph && off < WindowSize {
			v = uint32(u.id[(off-regPeriph)/4])
			break
		}
		u.guestError("read of bad offset", "offset", hex(off))
		return 0
	}
	return uint64(v) & sizeMask(size)
}

// Write implements bus.Device.
func (u *UART) Write(off uint64, size int, val uint64) {
	if !u.validAccess("write", off, size) {
		return
	}
	v := uint32(val & sizeMask(size))
	switch off {
	case regDR:
		u.writeDR(v)
	case regRSR: // UARTECR: any write clears the error flags
		u.rsr = 0
	case regFR:
		// Read-only; QEMU ignores writes silently.
	case regILPR:
		u.ilpr = v
	case regIBRD:
		u.ibrd = v & 0xffff
	case regFBRD:
		u.fbrd = v & 0x3f
	case regLCR_H:
		u.writeLCRH(v)
	case regCR:
		u.cr = v
		u.warnedTX = false
		u.loopbackModem()
	case regIFLS:
		u.ifls = v
	case regIMSC:
		u.imsc = v
		u.update()
	case regICR:
		u.ris &^= v
		u.update()
	case regDMACR:
		u.dmacr = v
		if v&dmacrEnables != 0 {
			slog.Info("unimplemented: pl011: DMA", "UARTDMACR", hex(v))
		}
	default:
		u.guestError("write to bad offset", "offset", hex(off), "value", hex(val))
	}
}

// validAccess reports whether an access may reach a register, logging a
// guest error when it may not.
func (u *UART) validAccess(op string, off uint64, size int) bool {
	switch {
	case size != 1 && size != 2 && size != 4:
		u.guestError("bad access size", "op", op, "offset", hex(off), "size", size)
		return false
	case off%4 != 0 || off >= WindowSize:
		u.guestError("unaligned or out-of-window access", "op", op, "offset", hex(off), "size", size)
		return false
	}
	return true
}

func sizeMask(size int) uint64 { return 1<<(8*uint(size)) - 1 }

func hex[T uint32 | uint64](v T) string { return fmt.Sprintf("%#x", v) }

// StateVersion is the version of State this package writes.
const StateVersion = 1

// State is a snapshot of the UART's guest-visible state. Fields are named
// after the registers they hold. The io.Writer, the interrupt line and the
// SetAcceptInput callback are wiring, not state, and are not saved.
type State struct {
	Version int

	FR, RSR, LCR_H, CR, IFLS, IMSC, RIS uint32
	ILPR, IBRD, FBRD, DMACR             uint32

	// RXFIFO holds RXCount characters starting at index RXPos,
	// circular over the FIFO depth (16, or 1 when LCR_H.FEN is clear).
	RXFIFO  [FIFODepth]uint16
	RXPos   int
	RXCount int
}

// State returns a snapshot of the UART.
func (u *UART) State() State {
	return State{
		Version: StateVersion,
		FR:      u.fr, RSR: u.rsr, LCR_H: u.lcrH, CR: u.cr, IFLS: u.ifls,
		IMSC: u.imsc, RIS: u.ris,
		ILPR: u.ilpr, IBRD: u.ibrd, FBRD: u.fbrd, DMACR: u.dmacr,
		RXFIFO: u.rxFIFO, RXPos: u.rxPos, RXCount: u.rxCount,
	}
}

// ErrBadState is wrapped by every error Restore returns.
var ErrBadState = errors.New("pl011: bad state")

// Restore replaces the UART's state with s after checking it, and drives
// the interrupt line to match. On error the UART is unchanged.
func (u *UART) Restore(s State) error {
	depth := 1
	if s.LCR_H&lcrFEN != 0 {
		depth = FIFODepth
	}
	fail := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrBadState, fmt.Sprintf(format, args...))
	}
	switch {
	case s.Version != StateVersion:
		return fail("version %d, want %d", s.Version, StateVersion)
	case s.RXCount < 0 || s.RXCount > depth:
		return fail("RXCount %d outside [0,%d]", s.RXCount, depth)
	case s.RXPos < 0 || s.RXPos >= depth:
		return fail("RXPos %d outside [0,%d)", s.RXPos, depth)
	case s.FR&^frMask != 0:
		return fail("FR %#x has undefined bits", s.FR)
	case s.FR&frRXFE != 0 != (s.RXCount == 0):
		return fail("FR.RXFE disagrees with RXCount %d", s.RXCount)
	case s.FR&frRXFF != 0 != (s.RXCount == depth):
		return fail("FR.RXFF disagrees with RXCount %d of %d", s.RXCount, depth)
	case s.FR&(frTXFF|frBUSY) != 0 || s.FR&frTXFE == 0:
		return fail("FR %#x: the transmit FIFO is always empty", s.FR)
	case s.RIS&^intMask != 0:
		return fail("RIS %#x has undefined bits", s.RIS)
	case s.RSR > 0xf:
		return fail("RSR %#x has undefined bits", s.RSR)
	case s.IBRD > 0xffff || s.FBRD > 0x3f:
		return fail("IBRD %#x or FBRD %#x out of range", s.IBRD, s.FBRD)
	}
	for i, c := range s.RXFIFO {
		if c > 0xfff {
			return fail("RXFIFO[%d] = %#x has undefined bits", i, c)
		}
	}
	u.fr, u.rsr, u.lcrH, u.cr, u.ifls = s.FR, s.RSR, s.LCR_H, s.CR, s.IFLS
	u.imsc, u.ris = s.IMSC, s.RIS
	u.ilpr, u.ibrd, u.fbrd, u.dmacr = s.ILPR, s.IBRD, s.FBRD, s.DMACR
	u.rxFIFO, u.rxPos, u.rxCount = s.RXFIFO, s.RXPos, s.RXCount
	u.warnedTX = false
	u.level = u.ris&u.imsc != 0
	u.irq.Set(u.level)
	return nil
}
