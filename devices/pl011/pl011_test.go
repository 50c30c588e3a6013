package pl011

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"mimic/devices/bus"
)

func TestMain(m *testing.M) {
	// Guest errors are counted and checked; their log lines are noise here.
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	os.Exit(m.Run())
}

// base is where QEMU's virt board maps the UART.
const base = 0x09000000

// recLine is an interrupt line that remembers its level and every change.
type recLine struct {
	level bool
	sets  []bool
}

func (l *recLine) Set(v bool) { l.level = v; l.sets = append(l.sets, v) }

type rig struct {
	t   *testing.T
	bus *bus.Bus
	u   *UART
	out *bytes.Buffer
	irq *recLine
}

func newRig(t *testing.T) *rig {
	t.Helper()
	r := &rig{t: t, bus: bus.New(), out: &bytes.Buffer{}, irq: &recLine{}}
	r.u = New(r.out, r.irq)
	if err := r.bus.MapDevice("pl011", base, WindowSize, r.u); err != nil {
		t.Fatal(err)
	}
	return r
}

func (r *rig) read(off uint64) uint32 { return uint32(r.readN(off, 4)) }

func (r *rig) readN(off uint64, size int) uint64 {
	r.t.Helper()
	v, ok := r.bus.Read(base+off, size)
	if !ok {
		r.t.Fatalf("bus read at %#x failed", off)
	}
	return v
}

func (r *rig) write(off uint64, v uint32) { r.writeN(off, 4, uint64(v)) }

func (r *rig) writeN(off uint64, size int, v uint64) {
	r.t.Helper()
	if !r.bus.Write(base+off, size, v) {
		r.t.Fatalf("bus write at %#x failed", off)
	}
}

// step is one action in a scripted test: a register write, a register
// read with its expected value, host input, or a check of the IRQ line.
type step struct {
	op   string // "w", "r", "rx", "irq", "out"
	off  uint64
	val  uint32 // written value, or expected read value
	data string // host input for "rx", expected output so far for "out"
	want int    // bytes accepted for "rx"; 0/1 line level for "irq"
}

func (r *rig) run(steps []step) {
	r.t.Helper()
	for i, s := range steps {
		where := fmt.Sprintf("step %d (%s %#x)", i, s.op, s.off)
		switch s.op {
		case "w":
			r.write(s.off, s.val)
		case "r":
			if diff := cmp.Diff(fmt.Sprintf("%#x", s.val), fmt.Sprintf("%#x", r.read(s.off))); diff != "" {
				r.t.Errorf("%s: read mismatch (-want +got):\n%s", where, diff)
			}
		case "rx":
			if diff := cmp.Diff(s.want, r.u.Receive([]byte(s.data))); diff != "" {
				r.t.Errorf("%s: Receive(%q) accepted (-want +got):\n%s", where, s.data, diff)
			}
		case "irq":
			if diff := cmp.Diff(s.want == 1, r.irq.level); diff != "" {
				r.t.Errorf("%s: UARTINTR level (-want +got):\n%s", where, diff)
			}
		case "out":
			if diff := cmp.Diff(s.data, r.out.String()); diff != "" {
				r.t.Errorf("%s: host output (-want +got):\n%s", where, diff)
			}
		default:
			r.t.Fatalf("%s: unknown op", where)
		}
	}
}

func TestResetValues(t *testing.T) {
	tests := []struct {
		name string
		off  uint64
		want uint32
	}{
		{"UARTRSR", regRSR, 0},
		{"UARTFR", regFR, frTXFE | frRXFE},
		{"UARTILPR", regILPR, 0},
		{"UARTIBRD", regIBRD, 0},
		{"UARTFBRD", regFBRD, 0},
		{"UARTLCR_H", regLCR_H, 0},
		{"UARTCR", regCR, 0x300},
		{"UARTIFLS", regIFLS, 0x12},
		{"UARTIMSC", regIMSC, 0},
		{"UARTRIS", regRIS, 0},
		{"UARTMIS", regMIS, 0},
		{"UARTDMACR", regDMACR, 0},
		{"UARTPeriphID0", 0xfe0, 0x11},
		{"UARTPeriphID1", 0xfe4, 0x10},
		{"UARTPeriphID2", 0xfe8, 0x14},
		{"UARTPeriphID3", 0xfec, 0x00},
		{"UARTPCellID0", 0xff0, 0x0d},
		{"UARTPCellID1", 0xff4, 0xf0},
		{"UARTPCellID2", 0xff8, 0x05},
		{"UARTPCellID3", 0xffc, 0xb1},
	}
	r := newRig(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, r.read(tt.off)); diff != "" {
				t.Errorf("reset value (-want +got):\n%s", diff)
			}
		})
	}
	if r.irq.level {
		t.Error("UARTINTR is high after reset")
	}
	if got := r.u.GuestErrors(); got != 0 {
		t.Errorf("GuestErrors() = %d after reading valid registers", got)
	}
}

func TestScripts(t *testing.T) {
	tests := []struct {
		name  string
		steps []step
	}{
		{
			// What Linux's pl011_startup and pl011_set_termios do, then
			// a console write polling UARTFR.TXFF as pl011_put_poll_char
			// does.
			name: "linux startup and polled transmit",
			steps: []step{
				{op: "w", off: regCR, val: 0},                       // disable while configuring
				{op: "w", off: regICR, val: intMask},                // clear everything
				{op: "w", off: regIMSC, val: 0},                     // mask everything
				{op: "w", off: regIFLS, val: 0x12},                  // 1/2 FIFO levels
				{op: "w", off: regIBRD, val: 13},                    // 115200 at 24 MHz
				{op: "w", off: regFBRD, val: 1},                     // ...
				{op: "w", off: regLCR_H, val: 0x70},                 // 8N1, FIFOs on
				{op: "w", off: regCR, val: 0x301},                   // UARTEN|TXE|RXE
				{op: "w", off: regIMSC, val: intRX | intRT},         // RX interrupts on
				{op: "r", off: regIBRD, val: 13},                    //
				{op: "r", off: regFBRD, val: 1},                     //
				{op: "r", off: regLCR_H, val: 0x70},                 //
				{op: "r", off: regFR, val: frTXFE | frRXFE},         // not full, not busy
				{op: "w", off: regDR, val: 'o'},                     //
				{op: "r", off: regFR, val: frTXFE | frRXFE},         // still empty: TX is instant
				{op: "w", off: regDR, val: 'k' | 0xff00},            // only bits 7:0 are sent
				{op: "out", data: "ok"},                             //
				{op: "r", off: regRIS, val: intTX},                  // TXRIS latched by the writes
				{op: "r", off: regMIS, val: 0},                      // but masked
				{op: "irq", want: 0},                                //
				{op: "w", off: regIMSC, val: intRX | intRT | intTX}, // Linux starts TX irq
				{op: "irq", want: 1},                                // fires at once
				{op: "r", off: regMIS, val: intTX},                  //
				{op: "w", off: regICR, val: intTX},                  //
				{op: "irq", want: 0},                                //
				{op: "w", off: regDR, val: '!'},                     // next character re-raises it
				{op: "irq", want: 1},                                //
				{op: "w", off: regIMSC, val: intRX | intRT},         // pl011_stop_tx
				{op: "irq", want: 0},                                //
				{op: "out", data: "ok!"},                            //
			},
		},
		{
			name: "receive with RXIM raises the line, reading drains it",
			steps: []step{
				{op: "w", off: regLCR_H, val: 0x70},
				{op: "w", off: regCR, val: 0x301},
				{op: "w", off: regIMSC, val: intRX | intRT},
				{op: "rx", data: "hi", want: 2},
				{op: "irq", want: 1},
				{op: "r", off: regRIS, val: intRX},
				{op: "r", off: regMIS, val: intRX},
				{op: "r", off: regFR, val: frTXFE},
				{op: "r", off: regDR, val: 'h'},
				{op: "irq", want: 1}, // one character left
				{op: "r", off: regDR, val: 'i'},
				{op: "irq", want: 0}, // empty: RXRIS cleared
				{op: "r", off: regFR, val: frTXFE | frRXFE},
				{op: "r", off: regRIS, val: 0},
			},
		},
		{
			name: "UARTICR clears RXRIS while data remains",
			steps: []step{
				{op: "w", off: regLCR_H, val: 0x70},
				{op: "w", off: regIMSC, val: intRX},
				{op: "rx", data: "ab", want: 2},
				{op: "irq", want: 1},
				{op: "w", off: regICR, val: intRX},
				{op: "irq", want: 0},
				{op: "r", off: regRIS, val: 0},
				{op: "r", off: regDR, val: 'a'},
				{op: "r", off: regDR, val: 'b'},
				{op: "rx", data: "c", want: 1}, // FIFO went empty, so one character re-arms it
				{op: "irq", want: 1},
			},
		},
		{
			name: "RXRIS ignores the UARTIFLS trigger level, as in QEMU",
			steps: []step{
				{op: "w", off: regLCR_H, val: 0x70},
				{op: "w", off: regIFLS, val: 0x24}, // RX at 7/8 full
				{op: "rx", data: "x", want: 1},
				{op: "r", off: regRIS, val: intRX},
				{op: "r", off: regIFLS, val: 0x24},
			},
		},
		{
			name: "IMSC set after data arrives raises the line",
			steps: []step{
				{op: "rx", data: "z", want: 1},
				{op: "irq", want: 0},
				{op: "w", off: regIMSC, val: intRX},
				{op: "irq", want: 1},
				{op: "w", off: regIMSC, val: 0},
				{op: "irq", want: 0},
			},
		},
		{
			name: "loopback feeds transmit to receive and drops host input",
			steps: []step{
				{op: "w", off: regLCR_H, val: 0x70},
				{op: "w", off: regCR, val: 0x381}, // UARTEN|TXE|RXE|LBE
				{op: "w", off: regDR, val: 'L'},
				{op: "out", data: "L"}, // still sent to the host, as QEMU does
				{op: "rx", data: "host", want: 4},
				{op: "r", off: regFR, val: frTXFE},
				{op: "r", off: regDR, val: 'L'},
				{op: "r", off: regFR, val: frTXFE | frRXFE},
			},
		},
		{
			name: "loopback of modem control lines",
			steps: []step{
				{op: "w", off: regCR, val: 0x3c81}, // LBE|RTS|DTR|Out1|Out2
				{op: "r", off: regFR, val: frTXFE | frRXFE | frCTS | frDSR | frDCD | frRI},
				{op: "r", off: regRIS, val: intModem},
				{op: "w", off: regCR, val: 0x0881}, // LBE|RTS
				{op: "r", off: regFR, val: frTXFE | frRXFE | frCTS},
				{op: "r", off: regRIS, val: intCTS},
			},
		},
		{
			name: "loopback break and overrun",
			steps: []step{
				{op: "w", off: regCR, val: 0x381},
				{op: "w", off: regLCR_H, val: lcrBRK}, // FIFO off: one-character holding register
				{op: "r", off: regFR, val: frTXFE | frRXFF},
				{op: "w", off: regDR, val: 'x'}, // no room: overrun
				{op: "r", off: regRSR, val: rsrOE},
				{op: "r", off: regRIS, val: intOE | intTX | intRX},
				{op: "w", off: regRSR, val: 0}, // UARTECR
				{op: "r", off: regRSR, val: 0},
				{op: "r", off: regDR, val: drBE}, // the break character
				{op: "r", off: regRSR, val: drBE >> 8},
			},
		},
		{
			name: "toggling FEN flushes the receive FIFO",
			steps: []step{
				{op: "w", off: regLCR_H, val: lcrFEN},
				{op: "rx", data: "abc", want: 3},
				{op: "w", off: regLCR_H, val: lcrFEN | 0x60}, // FEN unchanged: kept
				{op: "r", off: regDR, val: 'a'},
				{op: "w", off: regLCR_H, val: 0x60}, // FEN off: flushed
				{op: "r", off: regFR, val: frTXFE | frRXFE},
			},
		},
		{
			name: "baud divisors keep only their implemented bits",
			steps: []step{
				{op: "w", off: regIBRD, val: 0xfffff},
				{op: "w", off: regFBRD, val: 0xff},
				{op: "r", off: regIBRD, val: 0xffff},
				{op: "r", off: regFBRD, val: 0x3f},
			},
		},
		{
			name: "storage registers",
			steps: []step{
				{op: "w", off: regILPR, val: 0x1f},
				{op: "r", off: regILPR, val: 0x1f},
				{op: "w", off: regDMACR, val: 0x7}, // DMA is logged as unimplemented, value kept
				{op: "r", off: regDMACR, val: 0x7},
				{op: "w", off: regFR, val: 0xffff}, // read-only, silently ignored
				{op: "r", off: regFR, val: frTXFE | frRXFE},
			},
		},
		{
			name: "reading an empty FIFO returns the stale entry",
			steps: []step{
				{op: "rx", data: "q", want: 1},
				{op: "r", off: regDR, val: 'q'},
				{op: "r", off: regDR, val: 'q'},
				{op: "r", off: regFR, val: frTXFE | frRXFE},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			newRig(t).run(tt.steps)
		})
	}
}

func TestReceiveFlowControl(t *testing.T) {
	tests := []struct {
		name          string
		lcrH          uint32
		input         string
		wantAccepted  int
		wantCanAfter  int
		wantFR        uint32
		wantFirstRead uint32
	}{
		{"FIFO on, fits", lcrFEN, "hello", 5, 11, frTXFE, 'h'},
		{"FIFO on, exactly full", lcrFEN, "0123456789abcdef", 16, 0, frTXFE | frRXFF, '0'},
		{"FIFO on, overflows", lcrFEN, "0123456789abcdefXYZ", 16, 0, frTXFE | frRXFF, '0'},
		{"FIFO off, holding register", 0, "xyz", 1, 0, frTXFE | frRXFF, 'x'},
		{"nothing offered", lcrFEN, "", 0, 16, frTXFE | frRXFE, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			r.write(regLCR_H, tt.lcrH)
			got := []any{r.u.Receive([]byte(tt.input)), r.u.CanReceive(), r.read(regFR), r.read(regDR)}
			want := []any{tt.wantAccepted, tt.wantCanAfter, tt.wantFR, tt.wantFirstRead}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("[accepted, CanReceive, FR, DR] (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReceiveDrainsInOrder(t *testing.T) {
	r := newRig(t)
	r.write(regLCR_H, lcrFEN)
	accepts := 0
	r.u.SetAcceptInput(func() { accepts++ })
	input := []byte("The quick brown fox jumps over the lazy dog")
	var got []byte
	for len(input) > 0 || r.read(regFR)&frRXFE == 0 {
		n := r.u.Receive(input)
		input = input[n:]
		for r.read(regFR)&frRXFE == 0 {
			got = append(got, byte(r.read(regDR)))
		}
	}
	if diff := cmp.Diff("The quick brown fox jumps over the lazy dog", string(got)); diff != "" {
		t.Errorf("received (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(len(got), accepts); diff != "" {
		t.Errorf("accept-input callbacks (-want +got):\n%s", diff)
	}
}

func TestBreak(t *testing.T) {
	r := newRig(t)
	if !r.u.Break() {
		t.Fatal("Break() = false on an empty FIFO")
	}
	if r.u.Break() {
		t.Error("Break() = true with the holding register full")
	}
	got := []uint32{r.read(regDR), r.read(regRSR)}
	if diff := cmp.Diff([]uint32{drBE, drBE >> 8}, got); diff != "" {
		t.Errorf("[DR, RSR] after a break (-want +got):\n%s", diff)
	}
}

func TestNarrowAccesses(t *testing.T) {
	r := newRig(t)
	// Linux's amba-pl011 uses 16-bit accessors by default.
	r.writeN(regCR, 2, 0x301)
	r.writeN(regIMSC, 2, intRX)
	r.writeN(regDR, 1, 'A')
	r.u.Receive([]byte("b"))
	got := []uint64{r.readN(regCR, 2), r.readN(regFR, 2), r.readN(regFR, 1), r.readN(regDR, 2), r.readN(0xfe0, 1)}
	want := []uint64{0x301, frTXFE | frRXFF, frTXFE | frRXFF, 'b', 0x11} // FIFO off: one character fills it
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("narrow reads (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff("A", r.out.String()); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
	if n := r.u.GuestErrors(); n != 0 {
		t.Errorf("GuestErrors() = %d, want 0", n)
	}
}

func TestGuestErrors(t *testing.T) {
	tests := []struct {
		name  string
		write bool
		off   uint64
		size  int
	}{
		{"read of unused offset", false, 0x008, 4},
		{"read of write-only UARTICR", false, regICR, 4},
		{"read past the registers", false, 0x04c, 4},
		{"unaligned read", false, regFR + 1, 1},
		{"unaligned halfword read", false, regFR + 2, 2},
		{"8-byte read", false, regFR, 8},
		{"write to UARTRIS", true, regRIS, 4},
		{"write to UARTMIS", true, regMIS, 4},
		{"write to an ID register", true, 0xfe0, 4},
		{"unaligned write", true, regCR + 1, 1},
		{"8-byte write", true, regCR, 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			before := r.u.State()
			var got uint64
			if tt.write {
				r.writeN(tt.off, tt.size, 0xffffffffffffffff)
			} else {
				got = r.readN(tt.off, tt.size)
			}
			if diff := cmp.Diff(uint64(0), got); diff != "" {
				t.Errorf("read value (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(uint64(1), r.u.GuestErrors()); diff != "" {
				t.Errorf("GuestErrors (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(before, r.u.State()); diff != "" {
				t.Errorf("state changed (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTransmitWhileDisabledIsLoggedOnce(t *testing.T) {
	r := newRig(t)
	r.write(regCR, 0) // UART disabled
	r.write(regDR, 'a')
	r.write(regDR, 'b')
	if diff := cmp.Diff(uint64(1), r.u.GuestErrors()); diff != "" {
		t.Errorf("GuestErrors (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff("ab", r.out.String()); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
}

type failingWriter struct{ calls int }

func (w *failingWriter) Write(p []byte) (int, error) {
	w.calls++
	return 0, errors.New("host pipe closed")
}

func TestHostWriteErrorIsSurvived(t *testing.T) {
	w := &failingWriter{}
	u := New(w, nil)
	for range 3 {
		u.Write(regDR, 4, 'x')
	}
	if diff := cmp.Diff(3, w.calls); diff != "" {
		t.Errorf("writes attempted (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(uint32(intTX), uint32(u.Read(regRIS, 4))); diff != "" {
		t.Errorf("RIS (-want +got):\n%s", diff)
	}
}

func TestReset(t *testing.T) {
	r := newRig(t)
	fresh := r.u.State()
	r.write(regLCR_H, 0x70)
	r.write(regIMSC, intRX)
	r.u.Receive([]byte("abc"))
	if !r.irq.level {
		t.Fatal("line low before reset")
	}
	r.u.Reset()
	if diff := cmp.Diff(fresh, r.u.State()); diff != "" {
		t.Errorf("state after Reset (-want +got):\n%s", diff)
	}
	if r.irq.level {
		t.Error("line high after Reset")
	}
}

func TestStateRoundTrip(t *testing.T) {
	r := newRig(t)
	r.run([]step{
		{op: "w", off: regLCR_H, val: 0x70},
		{op: "w", off: regCR, val: 0x301},
		{op: "w", off: regIBRD, val: 13},
		{op: "w", off: regIMSC, val: intRX},
		{op: "rx", data: "0123456789abcdefgh", want: 16},
		{op: "r", off: regDR, val: '0'},
		{op: "r", off: regDR, val: '1'},
		{op: "rx", data: "gh", want: 2}, // wraps around the circular buffer
	})
	saved := r.u.State()

	r2 := newRig(t)
	if err := r2.u.Restore(saved); err != nil {
		t.Fatalf("Restore: %v", err)
	}
	if diff := cmp.Diff(saved, r2.u.State()); diff != "" {
		t.Errorf("restored state (-want +got):\n%s", diff)
	}
	if !r2.irq.level {
		t.Error("restored UART does not drive its line high")
	}
	var got []byte
	for r2.read(regFR)&frRXFE == 0 {
		got = append(got, byte(r2.read(regDR)))
	}
	if diff := cmp.Diff("23456789abcdefgh", string(got)); diff != "" {
		t.Errorf("FIFO contents after restore (-want +got):\n%s", diff)
	}
}

func TestRestoreRejectsBadState(t *testing.T) {
	good := New(nil, nil).State()
	tests := []struct {
		name   string
		mutate func(*State)
	}{
		{"version", func(s *State) { s.Version = 99 }},
		{"negative count", func(s *State) { s.RXCount = -1 }},
		{"count beyond holding register", func(s *State) { s.RXCount = 2; s.FR = frTXFE }},
		{"count beyond FIFO", func(s *State) { s.LCR_H = lcrFEN; s.RXCount = 17; s.FR = frTXFE }},
		{"position beyond holding register", func(s *State) { s.RXPos = 1 }},
		{"RXFE disagrees", func(s *State) { s.FR = frTXFE }},
		{"RXFF disagrees", func(s *State) { s.FR |= frRXFF }},
		{"TX FIFO not empty", func(s *State) { s.FR &^= frTXFE }},
		{"undefined FR bits", func(s *State) { s.FR |= 1 << 12 }},
		{"undefined RIS bits", func(s *State) { s.RIS = 1 << 11 }},
		{"undefined RSR bits", func(s *State) { s.RSR = 0x10 }},
		{"IBRD too wide", func(s *State) { s.IBRD = 0x10000 }},
		{"FBRD too wide", func(s *State) { s.FBRD = 0x40 }},
		{"FIFO entry too wide", func(s *State) { s.RXFIFO[3] = 0x1000 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := New(nil, nil)
			u.Write(regIBRD, 4, 7) // something to see preserved
			before := u.State()
			s := good
			tt.mutate(&s)
			err := u.Restore(s)
			if !errors.Is(err, ErrBadState) {
				t.Fatalf("Restore() = %v, want an ErrBadState", err)
			}
			if diff := cmp.Diff(before, u.State()); diff != "" {
				t.Errorf("state changed by a failed Restore (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLuminaryID: the Stellaris UART identifies itself as Luminary's
// PrimeCell (what QEMU's pl011_luminary reads), the plain one as ARM's.
func TestLuminaryID(t *testing.T) {
	for _, c := range []struct {
		u    *UART
		want [8]uint64
	}{
		{New(nil, nil), [8]uint64{0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1}},
		{NewLuminary(nil, nil), [8]uint64{0x11, 0x00, 0x18, 0x01, 0x0d, 0xf0, 0x05, 0xb1}},
	} {
		for i := range 8 {
			if got := c.u.Read(uint64(0xfe0+4*i), 4); got != c.want[i] {
				t.Errorf("ID register %#x: %#x, want %#x", 0xfe0+4*i, got, c.want[i])
			}
		}
	}
}
