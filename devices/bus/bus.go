// Package bus is the guest physical address space: RAM and ROM regions the
// CPU reaches through host slices, and MMIO devices reached by offset.
//
// A Device sees only offsets inside its own window. The bus is an ordered
// range map that refuses overlapping regions, so a board's memory map cannot
// silently shadow itself.
package bus

import (
	"encoding/binary"
	"fmt"
	"sort"
)

// Device is a memory-mapped register file. off is relative to the start of
// the device's window; size is 1, 2, 4 or 8 bytes; values are little-endian
// and zero-extended. A device handles guest misuse itself (log, read as
// zero, ignore the write): a device access never fails at the bus level.
type Device interface {
	Read(off uint64, size int) uint64
	Write(off uint64, size int, val uint64)
}

// PageSize is the granule of HostPage.
const PageSize = 4096

type kind uint8

const (
	kindRAM kind = iota
	kindROM
	kindDevice
	// kindROMDevice is a device whose contents are also a host slice
	// (QEMU's "romd" memory regions, e.g. NOR flash): reads come from
	// the slice while romd is set, from the device otherwise; writes
	// always go to the device.
	kindROMDevice
)

type region struct {
	name string
	base uint64
	size uint64
	kind kind
	mem  []byte // RAM, ROM and ROM devices
	dev  Device
	romd bool // kindROMDevice: reads are served from mem
}

func (r *region) end() uint64 { return r.base + r.size }

// Bus is a guest physical address space. Set it up with the Map methods
// before the machine runs; accesses are not synchronised with mapping.
type Bus struct {
	regions []*region // sorted by base, non-overlapping
	watch   func(addr uint64, n int)
	remap   func()
}

// New returns an empty bus: every access is unmapped.
func New() *Bus { return &Bus{} }

// MapRAM maps mem at base as guest RAM.
func (b *Bus) MapRAM(name string, base uint64, mem []byte) error {
	return b.add(&region{name: name, base: base, size: uint64(len(mem)), kind: kindRAM, mem: mem})
}

// MapROM maps mem at base as read-only memory; guest writes are dropped
// (the CPU's slow path reports them as guest errors).
func (b *Bus) MapROM(name string, base uint64, mem []byte) error {
	return b.add(&region{name: name, base: base, size: uint64(len(mem)), kind: kindROM, mem: mem})
}

// MapDevice maps dev over [base, base+size).
func (b *Bus) MapDevice(name string, base, size uint64, dev Device) error {
	return b.add(&region{name: name, base: base, size: size, kind: kindDevice, dev: dev})
}

// MapROMDevice maps dev over [base, base+len(mem)) with its contents in
// mem: in ROM-device mode (the initial one) reads, instruction fetches
// included, come straight from mem, as from ROM; otherwise every read
// goes to dev. Writes always go to dev. SetROMDevice switches the mode.
func (b *Bus) MapROMDevice(name string, base uint64, mem []byte, dev Device) error {
	return b.add(&region{name: name, base: base, size: uint64(len(mem)), kind: kindROMDevice, mem: mem, dev: dev, romd: true})
}

// SetROMDevice switches the ROM device mapped at base between reads from
// its contents (romd) and reads through the device. The CPU is told
// (WatchMappings) so that it drops the host pages it cached.
func (b *Bus) SetROMDevice(base uint64, romd bool) {
	r := b.find(base)
	if r == nil || r.kind != kindROMDevice || r.base != base || r.romd == romd {
		return
	}
	r.romd = romd
	if b.remap != nil {
		b.remap()
	}
}

// Changed tells the bus that a device changed n bytes of the contents it
// serves directly at addr (a ROM device's program or erase), so that
// translated code there is dropped, as for a write to RAM.
func (b *Bus) Changed(addr uint64, n int) {
	if b.watch != nil && n > 0 {
		b.watch(addr, n)
	}
}

// WatchMappings registers fn to be told when what HostPage returns may
// have changed (a ROM device changed mode). The CPU flushes its TLB.
func (b *Bus) WatchMappings(fn func()) { b.remap = fn }

func (b *Bus) add(r *region) error {
	if r.size == 0 {
		return fmt.Errorf("bus: %s: empty region at %#x", r.name, r.base)
	}
	if r.base+r.size < r.base {
		return fmt.Errorf("bus: %s: region at %#x size %#x wraps", r.name, r.base, r.size)
	}
	for _, o := range b.regions {
		if r.base < o.end() && o.base < r.end() {
			return fmt.Errorf("bus: %s [%#x,%#x) overlaps %s [%#x,%#x)",
				r.name, r.base, r.end(), o.name, o.base, o.end())
		}
	}
	b.regions = append(b.regions, r)
	sort.Slice(b.regions, func(i, j int) bool { return b.regions[i].base < b.regions[j].base })
	return nil
}

// find returns the region holding addr, or nil.
func (b *Bus) find(addr uint64) *region {
	rs := b.regions
	i := sort.Search(len(rs), func(i int) bool { return rs[i].end() > addr })
	if i < len(rs) && rs[i].base <= addr {
		return rs[i]
	}
	return nil
}

// WatchWrites registers fn to be told of every write the bus itself performs
// into RAM (Write and WriteBytes: device DMA, loaders, CPU slow path). The
// CPU uses it to invalidate translated code.
func (b *Bus) WatchWrites(fn func(addr uint64, n int)) { b.watch = fn }

// Read reads size bytes at addr. ok is false when no region holds the whole
// access: the caller raises an external abort.
func (b *Bus) Read(addr uint64, size int) (val uint64, ok bool) {
	r := b.find(addr)
	if r == nil || addr+uint64(size) > r.end() {
		return 0, false
	}
	off := addr - r.base
	if r.kind == kindDevice || r.kind == kindROMDevice && !r.romd {
		return r.dev.Read(off, size), true
	}
	return loadLE(r.mem[off:], size), true
}

// Write writes size bytes at addr. ok is false when no region holds the
// whole access. Writes to ROM are dropped and report ok.
func (b *Bus) Write(addr uint64, size int, val uint64) (ok bool) {
	r := b.find(addr)
	if r == nil || addr+uint64(size) > r.end() {
		return false
	}
	off := addr - r.base
	switch r.kind {
	case kindDevice, kindROMDevice:
		r.dev.Write(off, size, val)
	case kindRAM:
		storeLE(r.mem[off:], size, val)
		if b.watch != nil {
			b.watch(addr, size)
		}
	}
	return true
}

// IsROM reports whether addr lies in a read-only memory region, where
// writes are dropped (a ROM device takes its writes: it is not ROM).
func (b *Bus) IsROM(addr uint64) bool {
	r := b.find(addr)
	return r != nil && r.kind == kindROM
}

// HostPage returns the PageSize bytes of host memory backing the guest page
// that holds addr, or nil when that page is not entirely RAM (or ROM, when
// write is false). The CPU caches these slices in its TLB.
func (b *Bus) HostPage(addr uint64, write bool) []byte {
	page := addr &^ (PageSize - 1)
	r := b.find(page)
	if r == nil || r.kind == kindDevice || (write && r.kind != kindRAM) || page+PageSize > r.end() ||
		r.kind == kindROMDevice && !r.romd {
		return nil
	}
	off := page - r.base
	return r.mem[off : off+PageSize : off+PageSize]
}

// WriteBytes copies data into RAM or ROM at addr, for loaders and DMA. It
// fails if any byte would fall outside RAM/ROM; nothing is written then.
func (b *Bus) WriteBytes(addr uint64, data []byte) error {
	mem, err := b.span(addr, len(data))
	if err != nil {
		return err
	}
	copy(mem, data)
	if b.watch != nil && len(data) > 0 {
		b.watch(addr, len(data))
	}
	return nil
}

// ReadBytes copies len(data) bytes of RAM or ROM at addr into data.
func (b *Bus) ReadBytes(addr uint64, data []byte) error {
	mem, err := b.span(addr, len(data))
	if err != nil {
		return err
	}
	copy(data, mem)
	return nil
}

// DMA returns the host bytes of guest RAM [addr, addr+n) for a device that
// reads or writes guest memory in place (virtio buffers), or an error when
// the range is not entirely in one RAM region (ROM and MMIO are refused:
// device DMA there is a guest error). With write set the caller is about to
// write the bytes: the write watcher (the CPU's translated-code tracking) is
// told now, so the slice must be filled before the CPU runs again.
func (b *Bus) DMA(addr uint64, n int, write bool) ([]byte, error) {
	r := b.find(addr)
	if r == nil || r.kind != kindRAM || addr+uint64(n) > r.end() || addr+uint64(n) < addr {
		return nil, fmt.Errorf("bus: DMA to [%#x,%#x) outside RAM", addr, addr+uint64(n))
	}
	off := addr - r.base
	if write && b.watch != nil && n > 0 {
		b.watch(addr, n)
	}
	return r.mem[off : off+uint64(n) : off+uint64(n)], nil
}

// span returns the host bytes for [addr, addr+n), which must lie in one RAM
// or ROM region (a ROM device's contents count: loaders fill them).
func (b *Bus) span(addr uint64, n int) ([]byte, error) {
	r := b.find(addr)
	if r == nil || r.kind == kindDevice || addr+uint64(n) > r.end() || addr+uint64(n) < addr {
		return nil, fmt.Errorf("bus: [%#x,%#x) is not in RAM or ROM", addr, addr+uint64(n))
	}
	off := addr - r.base
	return r.mem[off : off+uint64(n)], nil
}

// Region describes one mapped region, for diagnostics and device trees.
type Region struct {
	Name       string
	Base, Size uint64
	RAM, ROM   bool
	Dev        Device // the device of an MMIO region; nil for memory
}

// Regions lists the mapped regions in address order.
func (b *Bus) Regions() []Region {
	out := make([]Region, len(b.regions))
	for i, r := range b.regions {
		out[i] = Region{Name: r.name, Base: r.base, Size: r.size, RAM: r.kind == kindRAM, ROM: r.kind == kindROM || r.kind == kindROMDevice, Dev: r.dev}
	}
	return out
}

func loadLE(b []byte, size int) uint64 {
	switch size {
	case 1:
		return uint64(b[0])
	case 2:
		return uint64(binary.LittleEndian.Uint16(b))
	case 4:
		return uint64(binary.LittleEndian.Uint32(b))
	case 8:
		return binary.LittleEndian.Uint64(b)
	}
	panic(fmt.Sprintf("BUG: bus access of size %d", size))
}

func storeLE(b []byte, size int, v uint64) {
	switch size {
	case 1:
		b[0] = byte(v)
	case 2:
		binary.LittleEndian.PutUint16(b, uint16(v))
	case 4:
		binary.LittleEndian.PutUint32(b, uint32(v))
	case 8:
		binary.LittleEndian.PutUint64(b, v)
	default:
		panic(fmt.Sprintf("BUG: bus access of size %d", size))
	}
}
