package arm

import (
	"encoding/binary"
	"io"
	"log/slog"
	"testing"

	"mimic/devices/bus"
)

const testRAMBase = 0x40000000

// newTestCPU returns a CPU with 1 MiB of RAM at testRAMBase holding code
// at its start, PC there, in ARM or Thumb state (Supervisor mode, as after
// reset). Thumb code is given as halfwords in memory order; a 32-bit Thumb
// instruction is two entries (first halfword first).
func newTestCPU(t testing.TB, thumb bool, code ...uint32) *CPU {
	t.Helper()
	b := bus.New()
	ram := make([]byte, 1<<20)
	if err := b.MapRAM("ram", testRAMBase, ram); err != nil {
		t.Fatal(err)
	}
	off := 0
	for _, w := range code {
		if thumb {
			binary.LittleEndian.PutUint16(ram[off:], uint16(w))
			off += 2
		} else {
			binary.LittleEndian.PutUint32(ram[off:], w)
			off += 4
		}
	}
	c := New(b, Config{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	c.R[15] = testRAMBase
	c.T = thumb
	// Tests start from clear flags, not the QEMU-compatible reset value
	// (Z set), so their expectations read naturally.
	c.Z = false
	c.R[13] = testRAMBase + 0x80000
	return c
}

// runN runs n instructions (one block at a time, with a budget). It gives
// up after a bounded number of tries, so a guest stuck in an abort loop
// (nothing mapped at the vectors) cannot hang the test.
func runN(t testing.TB, c *CPU, n uint64) {
	t.Helper()
	start := c.Retired()
	for tries := uint64(0); c.Retired()-start < n && tries < n+1000; tries++ {
		if _, why := c.Run(n - (c.Retired() - start)); why != StopBudget {
			return
		}
	}
}
