package mcu

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

	"mimic/bios/image"
)

// Firmware is an M-profile image planned for loading: its segments, and
// the initial stack pointer and reset vector of its vector table.
type Firmware struct {
	Kind     image.Kind
	Segments []image.Segment
	SP       uint32 // vector 0: the initial main stack pointer
	Reset    uint32 // vector 1: the reset handler, bit 0 the Thumb bit
}

// Range is a span of the board's memory, for the image checks.
type Range struct {
	Name       string
	Base, Size uint64
}

func (r Range) contains(addr, n uint64) bool {
	return addr >= r.Base && addr+n <= r.Base+r.Size && addr+n >= addr
}

func (r Range) String() string { return fmt.Sprintf("%s [%#x, %#x)", r.Name, r.Base, r.Base+r.Size) }

// ErrImage is wrapped by every error ParseFirmware returns: the image is
// not something the board can run (a usage error, exit status 2).
var ErrImage = errors.New("bad firmware image")

// ParseFirmware plans an M-profile image as QEMU's armv7m loader places
// it: an ELF at its segments' physical addresses, an Intel HEX file at its
// records' addresses, anything else as a raw binary at loadBase (the
// board's code memory at address 0). It then checks what the hardware
// would only find out by faulting or locking up, so that a wrong image is
// a clear message instead:
//   - every segment lies in the board's code or data memory (mem);
//   - the vector table at vtor is in the image (no table: not built for
//     this board, or not an M-profile image at all);
//   - its initial SP lies in RAM (the end of a RAM region included: the
//     stack grows down) and is word-aligned;
//   - its reset vector has bit 0 set (Thumb; ARMv7-M ARM B1.5.5: with the
//     bit clear the first instruction takes an INVSTATE UsageFault, which
//     escalates to a HardFault that has nowhere to go either) and points
//     into the board's memory.
func ParseFirmware(data []byte, loadBase, vtor uint64, mem, ram []Range) (*Firmware, error) {
	kind, err := image.Detect(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrImage, err)
	}
	f := &Firmware{Kind: kind}
	switch kind {
	case image.KindELF:
		e, err := image.ParseELF(data)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrImage, err)
		}
		f.Segments = e.Segments
	case image.KindIHex:
		h, err := image.ParseIHex(data)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrImage, err)
		}
		f.Segments = h.Segments
	case image.KindUImage, image.KindZImage:
		return nil, fmt.Errorf("%w: a Linux %s does not run on a Cortex-M board (use -M virt)", ErrImage, kind)
	default:
		f.Segments = []image.Segment{{Addr: loadBase, Data: data, MemSize: uint64(len(data))}}
	}
	for _, s := range f.Segments {
		if !inAny(mem, s.Addr, s.MemSize) {
			return nil, fmt.Errorf("%w: segment at %#x (size %#x) is outside the board's memory (%s)",
				ErrImage, s.Addr, s.MemSize, list(mem))
		}
	}
	var vt [8]byte
	if !f.read(vtor, vt[:]) {
		return nil, fmt.Errorf("%w: no vector table at %#x (the image holds %s): is it built for this board?",
			ErrImage, vtor, f.extent())
	}
	f.SP = binary.LittleEndian.Uint32(vt[0:])
	f.Reset = binary.LittleEndian.Uint32(vt[4:])
	switch {
	case !inAnyEnd(ram, uint64(f.SP)):
		return nil, fmt.Errorf("%w: the initial stack pointer %#08x is outside RAM (%s): not an M-profile image for this board?",
			ErrImage, f.SP, list(ram))
	case f.SP&3 != 0:
		return nil, fmt.Errorf("%w: the initial stack pointer %#08x is not word-aligned", ErrImage, f.SP)
	case f.Reset&1 == 0:
		return nil, fmt.Errorf("%w: the reset vector %#08x has bit 0 clear: Cortex-M runs Thumb code only (an A-profile image?)",
			ErrImage, f.Reset)
	case !inAny(mem, uint64(f.Reset&^1), 2):
		return nil, fmt.Errorf("%w: the reset vector %#08x points outside the board's memory (%s)", ErrImage, f.Reset, list(mem))
	}
	return f, nil
}

// read copies len(b) bytes at addr from the image's segments (bytes
// beyond a segment's data, its .bss, read as zero); false if any byte is
// in no segment.
func (f *Firmware) read(addr uint64, b []byte) bool {
	for i := range b {
		a := addr + uint64(i)
		found := false
		for _, s := range f.Segments {
			if a >= s.Addr && a < s.End() {
				if off := a - s.Addr; off < uint64(len(s.Data)) {
					b[i] = s.Data[off]
				} else {
					b[i] = 0
				}
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func (f *Firmware) extent() string {
	var parts []string
	for _, s := range f.Segments {
		parts = append(parts, fmt.Sprintf("[%#x, %#x)", s.Addr, s.End()))
	}
	return strings.Join(parts, ", ")
}

func inAny(rs []Range, addr, n uint64) bool {
	for _, r := range rs {
		if r.contains(addr, n) {
			return true
		}
	}
	return false
}

// inAnyEnd reports whether addr is in one of rs or just past its end.
func inAnyEnd(rs []Range, addr uint64) bool {
	for _, r := range rs {
		if addr > r.Base && addr <= r.Base+r.Size {
			return true
		}
	}
	return false
}

func list(rs []Range) string {
	var parts []string
	for _, r := range rs {
		parts = append(parts, r.String())
	}
	return strings.Join(parts, ", ")
}
