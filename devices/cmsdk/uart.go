package cmsdk

import (
	"io"
	"log/slog"

	"mimic/devices/bus"
	"mimic/devices/irq"
)

// UART register offsets (TRM Table 4-7).
const (
	uartDATA      = 0x00
	uartSTATE     = 0x04
	uartCTRL      = 0x08
	uartINTSTATUS = 0x0c // read: INTSTATUS; write: INTCLEAR
	uartBAUDDIV   = 0x10
)

// UART STATE bits.
const (
	uartStateTXFULL    = 1 << 0
	uartStateRXFULL    = 1 << 1
	uartStateTXOVERRUN = 1 << 2
	uartStateRXOVERRUN = 1 << 3
	uartStateMask      = 0xf
)

// UART CTRL bits.
const (
	uartCtrlTXEN     = 1 << 0
	uartCtrlRXEN     = 1 << 1
	uartCtrlTXINTEN  = 1 << 2
	uartCtrlRXINTEN  = 1 << 3
	uartCtrlTXOINTEN = 1 << 4
	uartCtrlRXOINTEN = 1 << 5
	uartCtrlHSTEST   = 1 << 6
	uartCtrlMask     = 0x7f
)

// UART INTSTATUS bits.
const (
	uartIntTX   = 1 << 0
	uartIntRX   = 1 << 1
	uartIntTXO  = 1 << 2
	uartIntRXO  = 1 << 3
	uartIntMask = 0xf

	// The overrun interrupt bits are STATE's overrun bits masked by
	// their CTRL enables, which sit two places higher.
	uartIntOverrun = uartIntTXO | uartIntRXO
)

// uartBaudDivMin is the smallest BAUDDIV the TRM allows (4.4.2); QEMU
// ignores smaller settings, which usually mean "not programmed yet".
const uartBaudDivMin = 16

// UARTIRQs are the interrupt outputs of a UART, each nil when the board
// leaves it unconnected. QEMU's sysbus IRQs 0..4 are TX, RX, TXOverrun,
// RXOverrun, Combined in that order.
type UARTIRQs struct {
	TX        irq.Line // TXINT: INTSTATUS.TX
	RX        irq.Line // RXINT: INTSTATUS.RX
	TXOverrun irq.Line // TXOVRINT: INTSTATUS.TXO
	RXOverrun irq.Line // RXOVRINT: INTSTATUS.RXO
	Combined  irq.Line // UARTINT: any INTSTATUS bit
}

// UART is a CMSDK APB UART (TRM 4.4, QEMU's "cmsdk-apb-uart").
//
// Interface:
//   - MMIO: one 4 KiB window (see the package comment for access sizes).
//   - IRQ: five outputs (UARTIRQs): TX, RX, TX overrun, RX overrun and
//     their OR. On mps2-an385 QEMU wires RX to NVIC 0/2/4/18/20, TX to the
//     next line, and ORs the overrun lines of UARTs 0-2 into NVIC 12.
//   - Host side: a byte the guest writes to DATA goes to the io.Writer at
//     once; input arrives through Receive, one byte at a time as the
//     one-character receive buffer allows.
//
// The UART is always 8N1 at PCLK/BAUDDIV baud. Deliberate deviations from
// the hardware, shared with QEMU unless marked (Mimic):
//   - Transmission is instantaneous: STATE.TXFULL falls as soon as it
//     rises, and INTSTATUS.TX is set then when CTRL.TXINTEN is set, so
//     the TX overrun can only arise while the transmitter is disabled.
//   - The baud rate has no effect. Enabling the transmitter while BAUDDIV
//     is below 16 (or above the PCLK frequency) is logged as a guest error
//     and the character is sent anyway; CTRL.HSTEST is stored only.
//   - (Mimic) A character written while CTRL.TXEN is clear waits in the
//     buffer (STATE.TXFULL set) and is sent when the transmitter is
//     enabled, as on hardware; QEMU leaves it stuck until reset.
//   - A character received while CTRL.RXEN is clear is dropped.
type UART struct {
	log    logger
	out    io.Writer
	irqs   [5]irq.Line
	levels [5]bool
	pclkHz uint64

	state, ctrl, intstatus, bauddiv uint32
	txbuf, rxbuf                    uint8

	txBuf     [1]byte
	onAccept  func()
	warnedOut bool
}

var _ bus.Device = (*UART)(nil)

var uartID = cmsdkID(0x21)

// NewUART returns a UART in its reset state, clocked at pclkHz (which only
// bounds BAUDDIV), sending transmitted bytes to out (nil: discarded) and
// driving irqs.
func NewUART(out io.Writer, pclkHz uint64, irqs UARTIRQs) *UART {
	if out == nil {
		out = io.Discard
	}
	u := &UART{log: logger{name: "cmsdk-apb-uart"}, out: out, pclkHz: pclkHz}
	u.irqs = [5]irq.Line{irqs.TX, irqs.RX, irqs.TXOverrun, irqs.RXOverrun, irqs.Combined}
	for i, l := range u.irqs {
		if l == nil {
			u.irqs[i] = irq.None
		}
	}
	u.Reset()
	return u
}

// Reset puts the UART in its reset state (every register 0) and lowers
// its interrupts.
func (u *UART) Reset() {
	u.state, u.ctrl, u.intstatus, u.bauddiv = 0, 0, 0, 0
	u.txbuf, u.rxbuf = 0, 0
	u.drive(true)
}

// SetAcceptInput registers fn to be called whenever the guest reads DATA,
// that is whenever the receive buffer may have emptied. fn may be nil.
func (u *UART) SetAcceptInput(fn func()) { u.onAccept = fn }

// GuestErrors returns how many guest errors the UART has seen.
func (u *UART) GuestErrors() uint64 { return u.log.guestErrors }

// CanReceive returns how many bytes Receive would take now: 1 when the
// receiver is enabled and its buffer empty, else 0.
func (u *UART) CanReceive() int {
	if u.ctrl&uartCtrlRXEN != 0 && u.state&uartStateRXFULL == 0 {
		return 1
	}
	return 0
}

// Receive offers host input to the UART and returns how many bytes it took
// (0 or 1); the caller keeps the rest for later (after SetAcceptInput's
// callback).
func (u *UART) Receive(b []byte) int {
	if len(b) == 0 || u.CanReceive() == 0 {
		return 0
	}
	u.rxbuf = b[0]
	u.state |= uartStateRXFULL
	if u.ctrl&uartCtrlRXINTEN != 0 {
		u.intstatus |= uartIntRX
	}
	u.update()
	return 1
}

func (u *UART) baudOK() bool {
	return u.bauddiv >= uartBaudDivMin && uint64(u.bauddiv) <= u.pclkHz
}

// update folds the overrun status into INTSTATUS and drives the outputs.
func (u *UART) update() {
	u.intstatus = u.intstatus&^uartIntOverrun | u.state&(u.ctrl>>2)&uartIntOverrun
	u.drive(false)
}

func (u *UART) drive(force bool) {
	levels := [5]bool{
		u.intstatus&uartIntTX != 0,
		u.intstatus&uartIntRX != 0,
		u.intstatus&uartIntTXO != 0,
		u.intstatus&uartIntRXO != 0,
		u.intstatus != 0,
	}
	for i, l := range levels {
		if l != u.levels[i] || force {
			u.levels[i] = l
			u.irqs[i].Set(l)
		}
	}
}

// transmit sends the buffered character if the transmitter is enabled.
func (u *UART) transmit() {
	if u.ctrl&uartCtrlTXEN == 0 || u.state&uartStateTXFULL == 0 {
		return
	}
	u.txBuf[0] = u.txbuf
	if _, err := u.out.Write(u.txBuf[:]); err != nil && !u.warnedOut {
		u.warnedOut = true
		slog.Error("cmsdk-apb-uart: host output failed; further errors are not logged", "err", err)
	}
	u.state &^= uartStateTXFULL
	if u.ctrl&uartCtrlTXINTEN != 0 {
		u.intstatus |= uartIntTX
	}
	u.update()
}

// Read implements bus.Device.
func (u *UART) Read(off uint64, size int) uint64 {
	if !u.log.validAccess("read", off, size) {
		return 0
	}
	var v uint32
	switch {
	case off == uartDATA:
		v = uint32(u.rxbuf)
		u.state &^= uartStateRXFULL
		u.update()
		if u.onAccept != nil {
			u.onAccept()
		}
	case off == uartSTATE:
		v = u.state
	case off == uartCTRL:
		v = u.ctrl
	case off == uartINTSTATUS:
		v = u.intstatus
	case off == uartBAUDDIV:
		v = u.bauddiv
	case isID(off):
		v = uartID.read(off)
	default:
		u.log.guestError("read of bad offset", "offset", hex(off))
		return 0
	}
	return uint64(v) & sizeMask(size)
}

// Write implements bus.Device.
func (u *UART) Write(off uint64, size int, val uint64) {
	if !u.log.validAccess("write", off, size) {
		return
	}
	v := uint32(val & sizeMask(size))
	switch {
	case off == uartDATA:
		u.txbuf = uint8(v)
		if u.state&uartStateTXFULL != 0 {
			// The pending character is replaced, as QEMU does.
			u.state |= uartStateTXOVERRUN
			u.update()
			return
		}
		u.state |= uartStateTXFULL
		u.transmit()
		u.update()
	case off == uartSTATE:
		// TXFULL and RXFULL are read-only; the overrun bits are W1C.
		u.state &^= v & (uartStateTXOVERRUN | uartStateRXOVERRUN)
		u.update()
	case off == uartCTRL:
		u.ctrl = v & uartCtrlMask
		if u.ctrl&uartCtrlTXEN != 0 && !u.baudOK() {
			u.log.guestError("transmitter enabled with invalid baud rate divider", "BAUDDIV", hex(u.bauddiv))
		}
		u.transmit()
		u.update()
	case off == uartINTSTATUS:
		// INTCLEAR: W1C; clearing an overrun interrupt clears the
		// overrun status it reflects.
		u.state &^= v & uartIntOverrun
		u.intstatus &^= v
		u.update()
	case off == uartBAUDDIV:
		u.bauddiv = v & 0xfffff
	case isID(off):
		u.log.guestError("write to read-only offset", "offset", hex(off), "value", hex(v))
	default:
		u.log.guestError("write to bad offset", "offset", hex(off), "value", hex(v))
	}
}

// UARTStateVersion is the version of UARTState this package writes.
const UARTStateVersion = 1

// UARTState is a snapshot of a UART. The writer, the interrupt lines and
// the SetAcceptInput callback are wiring, not state.
type UARTState struct {
	Version                         int
	STATE, CTRL, INTSTATUS, BAUDDIV uint32
	TXBuf, RXBuf                    uint8
}

// State returns a snapshot of the UART.
func (u *UART) State() UARTState {
	return UARTState{
		Version: UARTStateVersion,
		STATE:   u.state, CTRL: u.ctrl, INTSTATUS: u.intstatus, BAUDDIV: u.bauddiv,
		TXBuf: u.txbuf, RXBuf: u.rxbuf,
	}
}

// Restore replaces the UART's state with s after checking it, and drives
// the interrupt lines to match. On error the UART is unchanged.
func (u *UART) Restore(s UARTState) error {
	const dev = "cmsdk-apb-uart"
	switch {
	case s.Version != UARTStateVersion:
		return badState(dev, "version %d, want %d", s.Version, UARTStateVersion)
	case s.STATE&^uartStateMask != 0:
		return badState(dev, "STATE %#x has undefined bits", s.STATE)
	case s.CTRL&^uartCtrlMask != 0:
		return badState(dev, "CTRL %#x has undefined bits", s.CTRL)
	case s.INTSTATUS&^uartIntMask != 0:
		return badState(dev, "INTSTATUS %#x has undefined bits", s.INTSTATUS)
	case s.INTSTATUS&uartIntOverrun != s.STATE&(s.CTRL>>2)&uartIntOverrun:
		return badState(dev, "INTSTATUS overrun bits disagree with STATE and CTRL")
	case s.STATE&uartStateTXFULL != 0 && s.CTRL&uartCtrlTXEN != 0:
		return badState(dev, "a character is pending with the transmitter enabled")
	case s.BAUDDIV > 0xfffff:
		return badState(dev, "BAUDDIV %#x has undefined bits", s.BAUDDIV)
	}
	u.state, u.ctrl, u.intstatus, u.bauddiv = s.STATE, s.CTRL, s.INTSTATUS, s.BAUDDIV
	u.txbuf, u.rxbuf = s.TXBuf, s.RXBuf
	u.drive(true)
	return nil
}
