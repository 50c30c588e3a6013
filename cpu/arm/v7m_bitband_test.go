package arm

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// recDev is a 4 KiB device that records its accesses and holds one word.
type recDev struct {
	word uint32
	log  []string
}

func (d *recDev) Read(off uint64, size int) uint64 {
	d.log = append(d.log, fmt.Sprintf("r%d@%#x", size, off))
	return uint64(d.word>>(8*(off&3))) & (1<<(8*size) - 1)
}

func (d *recDev) Write(off uint64, size int, val uint64) {
	d.log = append(d.log, fmt.Sprintf("w%d@%#x=%#x", size, off, val))
	sh := 8 * (off & 3)
	mask := uint32(1)<<(8*size) - 1
	if size == 4 {
		mask = ^uint32(0)
	}
	d.word = d.word&^(mask<<sh) | (uint32(val)&mask)<<sh
}

// TestMBitBand drives the bit-band aliases through the bus: SRAM bits by
// word, halfword and byte accesses, a peripheral whose target access has
// the alias access's size (QEMU 7.2, the Cortex-M TRMs), and an unmapped
// target (a BusFault of the access).
func TestMBitBand(t *testing.T) {
	c := newMTest(t, MConfig{Model: CortexM3}, mProg_reset)
	b := c.Bus
	for _, w := range []struct {
		name          string
		alias, target uint32
	}{{"bitband-sram", BitBandSRAMAlias, BitBandSRAMTarget}, {"bitband-periph", BitBandPeriphAlias, BitBandPeriphTarget}} {
		if err := b.MapDevice(w.name, uint64(w.alias), BitBandAliasSize, c.BitBand(w.target)); err != nil {
			t.Fatal(err)
		}
	}
	dev := &recDev{}
	if err := b.MapDevice("rec", 0x40001000, 0x1000, dev); err != nil {
		t.Fatal(err)
	}
	alias := func(base, byteOff uint32, bit uint32) uint64 { return uint64(base + byteOff*32 + bit*4) }

	// SRAM: set bits 0 and 7 of byte 0x10 and bit 3 of byte 0x13.
	for _, a := range []struct {
		addr uint64
		size int
		v    uint64
	}{
		{alias(BitBandSRAMAlias, 0x10, 0), 4, 1},
		{alias(BitBandSRAMAlias, 0x10, 7), 2, 3}, // only bit 0 of the value counts
		{alias(BitBandSRAMAlias, 0x13, 3), 1, 1},
		{alias(BitBandSRAMAlias, 0x14, 0), 4, 1},
		{alias(BitBandSRAMAlias, 0x14, 0), 4, 0}, // and cleared again
	} {
		b.Write(a.addr, a.size, a.v)
	}
	got, _ := b.Read(BitBandSRAMTarget+0x10, 4)
	if got != 0x08000081 {
		t.Errorf("SRAM word after alias writes = %#x, want 0x08000081", got)
	}
	b.Write(BitBandSRAMTarget+0x20, 4, 0x80000004)
	var bitsRead []uint64
	for _, bit := range []uint32{0, 2, 31, 7} {
		v, ok := b.Read(alias(BitBandSRAMAlias, 0x20+bit/8, bit%8), 4)
		if !ok {
			t.Fatalf("alias read failed")
		}
		bitsRead = append(bitsRead, v)
	}
	if diff := cmp.Diff([]uint64{0, 1, 1, 0}, bitsRead); diff != "" {
		t.Errorf("SRAM bits read through the alias (-want +got):\n%s", diff)
	}

	// A peripheral: a word access to bit 8 of the register at 0x40001004
	// reads and writes the whole word; a byte access the byte.
	dev.word = 0x100
	v, _ := b.Read(alias(BitBandPeriphAlias, 0x1005, 0), 4)
	b.Write(alias(BitBandPeriphAlias, 0x1005, 0), 4, 0)
	b.Write(alias(BitBandPeriphAlias, 0x1006, 2), 1, 1)
	want := []string{"r4@0x4", "r4@0x4", "w4@0x4=0x0", "r1@0x6", "w1@0x6=0x4"}
	if diff := cmp.Diff(want, dev.log); diff != "" {
		t.Errorf("peripheral accesses (-want +got):\n%s", diff)
	}
	if v != 1 || dev.word != 0x40000 {
		t.Errorf("peripheral bit read %d, register %#x; want 1, 0x40000", v, dev.word)
	}

	// Nothing at 0x40080000: the alias access is a bus error.
	c.m.busErr = false
	b.Read(alias(BitBandPeriphAlias, 0x80000, 0), 4)
	if !c.m.busErr {
		t.Errorf("alias read of an unmapped target: no bus error")
	}
	c.m.busErr = false
}
