package arm

import "mimic/devices/bus"

// Bit-banding (ARMv7-M ARM B3.1 leaves it IMPLEMENTATION DEFINED; the
// Cortex-M3 and Cortex-M4 TRMs define it, and QEMU provides it on every
// ARMv7-M board): each word of a 32 MiB alias region stands for one bit
// of the 1 MiB region it aliases,
//
//	alias 0x22000000-0x23ffffff -> bits of 0x20000000-0x200fffff (SRAM)
//	alias 0x42000000-0x43ffffff -> bits of 0x40000000-0x400fffff (peripherals)
//
// Alias offset off is bit (off>>2)&7 of byte target+off>>5. A read returns
// the bit (0 or 1); a write of value v sets the bit to v&1 by a
// read-modify-write of the target. The target access has the size of the
// alias access, aligned down to it, as the TRMs say ("the bit-band
// transfer size matches the transfer size of the instruction making the
// bit-band access") and QEMU 7.2 does (hw/arm/armv7m.c, bitband_read and
// bitband_write): a word access to a peripheral's alias is a word access
// to the peripheral register. The read-modify-write is atomic, as the
// emulator runs one access at a time.
//
// A target access that fails (nothing mapped there) is a precise BusFault
// of the alias access, as QEMU returns the memory transaction error.

// The bit-band windows the board maps.
const (
	BitBandSRAMAlias    = 0x22000000
	BitBandSRAMTarget   = 0x20000000
	BitBandPeriphAlias  = 0x42000000
	BitBandPeriphTarget = 0x40000000
	BitBandAliasSize    = 0x02000000
)

// BitBand returns the bit-band alias device for the 1 MiB region at
// target, accessing it through the CPU's bus. The board maps it at the
// alias address with size BitBandAliasSize:
//
//	b.MapDevice("bitband-sram", arm.BitBandSRAMAlias, arm.BitBandAliasSize, c.BitBand(arm.BitBandSRAMTarget))
func (c *CPU) BitBand(target uint32) bus.Device {
	if c.m == nil {
		panic("BUG: arm: bit-band device of an A-profile CPU")
	}
	return &bitBand{c: c, target: target}
}

type bitBand struct {
	c      *CPU
	target uint32
}

var _ bus.Device = (*bitBand)(nil)

// locate returns the target address, aligned to size, and the bit's
// position in the size bytes there.
func (b *bitBand) locate(off uint64, size int) (addr uint64, bit uint) {
	addr = uint64(b.target | uint32(off&0x1ffffff)>>5)
	addr &^= uint64(size - 1)
	bit = uint(off>>2) & uint(8*size-1)
	return addr, bit
}

// Read implements bus.Device.
func (b *bitBand) Read(off uint64, size int) uint64 {
	size = min(size, 4)
	addr, bit := b.locate(off, size)
	v, ok := b.c.Bus.Read(addr, size)
	if !ok {
		b.fail(addr)
		return 0
	}
	return v >> bit & 1
}

// Write implements bus.Device.
func (b *bitBand) Write(off uint64, size int, val uint64) {
	size = min(size, 4)
	addr, bit := b.locate(off, size)
	v, ok := b.c.Bus.Read(addr, size)
	if !ok {
		b.fail(addr)
		return
	}
	v = v&^(1<<bit) | (val&1)<<bit
	if b.c.Bus.IsROM(addr) {
		b.c.guestError("bit-band write to ROM ignored", "target", hex64(addr))
		return
	}
	if !b.c.Bus.Write(addr, size, v) {
		b.fail(addr)
	}
}

func (b *bitBand) fail(addr uint64) {
	b.c.guestError("bit-band access to an unmapped target", "target", hex64(addr))
	b.c.m.busErr = true
}
