package cmsdk

import (
	"bytes"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type uartRig struct {
	*rig
	u                       *UART
	out                     *bytes.Buffer
	tx, rx, txo, rxo, combo *recLine
}

func newUARTRig(t *testing.T) *uartRig {
	r := &uartRig{rig: newRig(t), out: &bytes.Buffer{},
		tx: &recLine{}, rx: &recLine{}, txo: &recLine{}, rxo: &recLine{}, combo: &recLine{}}
	r.u = NewUART(r.out, pclk, UARTIRQs{TX: r.tx, RX: r.rx, TXOverrun: r.txo, RXOverrun: r.rxo, Combined: r.combo})
	r.mapDev(r.u)
	return r
}

// lines returns the levels of TX, RX, TXOVR, RXOVR and UARTINT.
func (r *uartRig) lines() [5]bool {
	return [5]bool{r.tx.level, r.rx.level, r.txo.level, r.rxo.level, r.combo.level}
}

func TestUARTTransmit(t *testing.T) {
	r := newUARTRig(t)
	r.write(uartBAUDDIV, 217) // 115200 baud at 25 MHz
	r.write(uartCTRL, uartCtrlTXEN|uartCtrlTXINTEN)
	for _, c := range []byte("hi\n") {
		if r.read(uartSTATE)&uartStateTXFULL != 0 {
			t.Fatalf("TXFULL set before writing %q", c)
		}
		r.write(uartDATA, uint32(c))
	}
	if got := r.out.String(); got != "hi\n" {
		t.Errorf("output %q, want %q", got, "hi\n")
	}
	if diff := cmp.Diff([5]bool{true, false, false, false, true}, r.lines()); diff != "" {
		t.Errorf("lines TX,RX,TXO,RXO,INT (-want +got):\n%s", diff)
	}
	r.write(uartINTSTATUS, uartIntTX)
	if r.lines() != [5]bool{} {
		t.Errorf("INTCLEAR left lines %v", r.lines())
	}
	if r.u.GuestErrors() != 0 {
		t.Errorf("guest errors %d, want 0", r.u.GuestErrors())
	}
}

func TestUARTTransmitterDisabled(t *testing.T) {
	r := newUARTRig(t)
	r.write(uartBAUDDIV, 16)
	r.write(uartCTRL, uartCtrlTXOINTEN)
	r.write(uartDATA, 'a')
	if got := r.read(uartSTATE); got != uartStateTXFULL {
		t.Fatalf("STATE = %#x, want TXFULL", got)
	}
	r.write(uartDATA, 'b') // overrun: replaces 'a'
	if got := r.read(uartSTATE); got != uartStateTXFULL|uartStateTXOVERRUN {
		t.Fatalf("STATE = %#x, want TXFULL|TXOVERRUN", got)
	}
	if diff := cmp.Diff([5]bool{false, false, true, false, true}, r.lines()); diff != "" {
		t.Errorf("lines TX,RX,TXO,RXO,INT (-want +got):\n%s", diff)
	}
	// Clearing the overrun interrupt clears STATE.TXOVERRUN.
	r.write(uartINTSTATUS, uartIntTXO)
	if got := r.read(uartSTATE); got != uartStateTXFULL {
		t.Errorf("STATE after INTCLEAR = %#x, want TXFULL", got)
	}
	// Enabling the transmitter sends the pending character.
	r.write(uartCTRL, uartCtrlTXEN)
	if got := r.out.String(); got != "b" {
		t.Errorf("output %q, want %q", got, "b")
	}
	if got := r.read(uartSTATE); got != 0 {
		t.Errorf("STATE = %#x, want 0", got)
	}
}

func TestUARTReceive(t *testing.T) {
	r := newUARTRig(t)
	accepted := 0
	r.u.SetAcceptInput(func() { accepted++ })
	if n := r.u.Receive([]byte("x")); n != 0 {
		t.Fatalf("receiver disabled took %d bytes", n)
	}
	r.write(uartCTRL, uartCtrlRXEN|uartCtrlRXINTEN)
	if n := r.u.Receive([]byte("xy")); n != 1 {
		t.Fatalf("Receive took %d bytes, want 1", n)
	}
	if r.u.CanReceive() != 0 || r.u.Receive([]byte("y")) != 0 {
		t.Fatalf("full receive buffer accepted more")
	}
	if got := r.read(uartSTATE); got != uartStateRXFULL {
		t.Errorf("STATE = %#x, want RXFULL", got)
	}
	if diff := cmp.Diff([5]bool{false, true, false, false, true}, r.lines()); diff != "" {
		t.Errorf("lines TX,RX,TXO,RXO,INT (-want +got):\n%s", diff)
	}
	if got := r.read(uartDATA); got != 'x' {
		t.Errorf("DATA = %#x, want %#x", got, 'x')
	}
	if r.read(uartSTATE) != 0 || accepted != 1 || r.u.CanReceive() != 1 {
		t.Errorf("reading DATA did not empty the buffer (STATE %#x, accepted %d)", r.read(uartSTATE), accepted)
	}
	// The RX interrupt stays until cleared.
	if !r.rx.level {
		t.Errorf("RX interrupt cleared by reading DATA")
	}
	r.write(uartINTSTATUS, uartIntRX)
	if r.combo.level {
		t.Errorf("INTCLEAR left UARTINT high")
	}
}

func TestUARTRegisters(t *testing.T) {
	r := newUARTRig(t)
	r.write(uartBAUDDIV, 0xfffffff)
	r.write(uartCTRL, 0xff)
	tests := []struct {
		off  uint64
		want uint32
	}{
		{uartBAUDDIV, 0xfffff},
		{uartCTRL, 0x7f},
		{0xfd0, 0x04},
		{0xfe0, 0x21},
		{0xfe4, 0xb8},
		{0xfe8, 0x1b},
		{0xff4, 0xf0},
	}
	for _, tt := range tests {
		if got := r.read(tt.off); got != tt.want {
			t.Errorf("read %#x = %#x, want %#x", tt.off, got, tt.want)
		}
	}
	// BAUDDIV 0xfffff exceeds nothing (PCLK is 25 MHz) but enabling TX
	// with BAUDDIV below 16 is a guest error.
	before := r.u.GuestErrors()
	r.write(uartCTRL, uartCtrlTXEN)
	if r.u.GuestErrors() != before {
		t.Errorf("valid BAUDDIV reported")
	}
	r.write(uartBAUDDIV, 15)
	r.write(uartCTRL, uartCtrlTXEN)
	r.write(0xfe0, 0)
	r.read(0x14)
	if got := r.u.GuestErrors() - before; got != 3 {
		t.Errorf("guest errors = %d, want 3", got)
	}
}

func TestUARTStateRoundTrip(t *testing.T) {
	r := newUARTRig(t)
	r.write(uartCTRL, uartCtrlRXEN|uartCtrlRXINTEN|uartCtrlTXOINTEN)
	r.write(uartBAUDDIV, 100)
	r.write(uartDATA, 'q')
	r.write(uartDATA, 'r')
	r.u.Receive([]byte("z"))
	s := r.u.State()
	want := UARTState{Version: UARTStateVersion,
		STATE: uartStateTXFULL | uartStateTXOVERRUN | uartStateRXFULL,
		CTRL:  uartCtrlRXEN | uartCtrlRXINTEN | uartCtrlTXOINTEN, INTSTATUS: uartIntRX | uartIntTXO,
		BAUDDIV: 100, TXBuf: 'r', RXBuf: 'z'}
	if diff := cmp.Diff(want, s); diff != "" {
		t.Fatalf("State (-want +got):\n%s", diff)
	}
	r2 := newUARTRig(t)
	if err := r2.u.Restore(s); err != nil {
		t.Fatal(err)
	}
	if r2.lines() != r.lines() || r2.read(uartDATA) != 'z' {
		t.Errorf("restored UART differs: lines %v, want %v", r2.lines(), r.lines())
	}
	bad := []UARTState{
		{Version: 0},
		{Version: UARTStateVersion, STATE: 0x10},
		{Version: UARTStateVersion, CTRL: 0x80},
		{Version: UARTStateVersion, INTSTATUS: uartIntTXO},
		{Version: UARTStateVersion, STATE: uartStateTXFULL, CTRL: uartCtrlTXEN},
		{Version: UARTStateVersion, BAUDDIV: 1 << 20},
	}
	for _, b := range bad {
		if err := r2.u.Restore(b); !errors.Is(err, ErrBadState) {
			t.Errorf("Restore(%+v) = %v, want ErrBadState", b, err)
		}
	}
}
