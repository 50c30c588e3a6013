package arm

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// ringingRAM is device memory that raises an interrupt line when written:
// a stack placed in it makes the exception entry's own push raise an
// interrupt, the one way an exception can arrive during stacking here.
type ringingRAM struct {
	mem  [256]byte
	ring func()
}

func (d *ringingRAM) Read(off uint64, size int) uint64 {
	var v uint64
	for i := range size {
		v |= uint64(d.mem[off+uint64(i)]) << (8 * i)
	}
	return v
}

func (d *ringingRAM) Write(off uint64, size int, val uint64) {
	for i := range size {
		d.mem[off+uint64(i)] = byte(val >> (8 * i))
	}
	if d.ring != nil {
		d.ring()
	}
}

// TestMLateArrival: an interrupt that becomes pending while an exception
// entry pushes its frame, and that has a higher priority, is taken
// instead, on that frame (late arrival); the exception stays pending and
// is taken when the interrupt returns (a tail-chain), still on the one
// frame. One of lower priority waits.
func TestMLateArrival(t *testing.T) {
	const dev = 0x30000000
	tests := []struct {
		name     string
		irqPrio  uint8
		taken    int
		pending  int
		afterRet int // IPSR after the first handler returns
	}{
		{"interrupt higher: late arrival", 0x00, excIRQ0, excSVCall, excSVCall},
		{"interrupt lower: waits", 0xc0, excSVCall, excIRQ0, excIRQ0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newMTest(t, MConfig{Model: CortexM3, NumIRQ: 1}, mProg_reset)
			m := c.m
			d := &ringingRAM{}
			if err := c.Bus.MapDevice("stack", dev, 256, d); err != nil {
				t.Fatal(err)
			}
			line := c.IRQLine(0)
			d.ring = func() { line.Set(true) }
			m.exc[excIRQ0].enabled = true
			m.exc[excIRQ0].prio = tt.irqPrio
			m.exc[excSVCall].prio = 0x80
			c.R[13] = dev + 0x100
			c.R[0] = 0x1234
			c.mEntry(excSVCall, 0x104, 0)
			c.mBoundary()
			got := []uint32{m.ipsr, c.R[13], c.R[14]}
			want := []uint32{uint32(tt.taken), dev + 0xe0, 0xfffffff9}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("IPSR, SP, LR (-want +got):\n%s", diff)
			}
			if !m.exc[tt.pending].pending || m.exc[tt.pending].active {
				t.Errorf("exception %d: pending %v active %v, want pending", tt.pending, m.exc[tt.pending].pending, m.exc[tt.pending].active)
			}
			d.ring = nil
			line.Set(false)
			if tt.taken == excSVCall {
				return // the interrupt preempts at the next boundary, as before
			}
			// The interrupt returns: SVCall is tail-chained on the frame.
			c.mExceptionReturn(c.R[14])
			c.mBoundary()
			if !c.mCheckInterrupts() {
				t.Fatal("SVCall not taken after the interrupt returned")
			}
			got = []uint32{m.ipsr, c.R[13], c.R[15]}
			want = []uint32{uint32(tt.afterRet), dev + 0xe0, 0x115 &^ 1}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("after the tail-chain: IPSR, SP, PC (-want +got):\n%s", diff)
			}
		})
	}
}
