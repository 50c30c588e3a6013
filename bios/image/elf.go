package image

import (
	"bytes"
	"debug/elf"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ELF is a loadable 32-bit little-endian ARM executable.
type ELF struct {
	// Entry is the entry point with bit 0 cleared.
	Entry uint64
	// Thumb reports whether e_entry had bit 0 set: the entry point is T32
	// code (AAELF32 §5.5: the low bit of a Thumb symbol's value is set).
	Thumb bool
	// Segments are the PT_LOAD program headers, at their physical
	// addresses (p_paddr), as qemu-system-arm loads them. Segments whose
	// p_memsz is zero are dropped.
	Segments []Segment
}

// addrLimit is the size of the ARM 32-bit physical address space. LPAE
// physical addresses above it cannot be named by an ELF32 program header.
const addrLimit = 1 << 32

// ErrNotELF is returned (wrapped) by ParseELF for a file without the ELF
// magic number.
var ErrNotELF = errors.New("not an ELF file")

// ParseELF checks that data is an ELF32 little-endian ARM executable and
// returns its entry point and loadable segments. The segments' Data share
// memory with data.
func ParseELF(data []byte) (*ELF, error) {
	if !bytes.HasPrefix(data, []byte(elfMagic)) {
		return nil, ErrNotELF
	}
	f, err := elf.NewFile(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("malformed ELF file: %w", err)
	}
	// Machine is checked first: for an x86-64 or AArch64 binary the
	// machine is the helpful part of the message, not the class.
	if f.Machine != elf.EM_ARM {
		hint := ""
		if f.Machine == elf.EM_AARCH64 {
			hint = "; Mimic runs 32-bit ARM code, build for arm-none-eabi or armhf"
		}
		return nil, fmt.Errorf("not an ARM ELF file (machine %s%s)", machineName(f.Machine), hint)
	}
	if f.Class != elf.ELFCLASS32 {
		return nil, fmt.Errorf("not a 32-bit ELF file (%s); 32-bit ARM needs ELFCLASS32", classOf(f.Class))
	}
	if f.Data != elf.ELFDATA2LSB {
		return nil, errors.New("big-endian ARM ELF file; only little-endian guests are supported")
	}
	switch f.Type {
	case elf.ET_EXEC, elf.ET_DYN:
	case elf.ET_REL:
		return nil, errors.New("relocatable object file (.o), not an executable; link it first")
	case elf.ET_CORE:
		return nil, errors.New("core dump, not an executable")
	default:
		return nil, fmt.Errorf("not an executable ELF file (type %#x)", uint16(f.Type))
	}
	if f.Entry >= addrLimit {
		return nil, fmt.Errorf("entry point %#x is outside the 32-bit address space", f.Entry)
	}

	img := &ELF{Entry: f.Entry &^ 1, Thumb: f.Entry&1 != 0}
	for i, p := range f.Progs {
		if p.Type != elf.PT_LOAD || p.Memsz == 0 {
			continue
		}
		if p.Filesz > p.Memsz {
			return nil, fmt.Errorf("program header %d: file size %#x is larger than memory size %#x", i, p.Filesz, p.Memsz)
		}
		if p.Off > uint64(len(data)) || p.Filesz > uint64(len(data))-p.Off {
			return nil, fmt.Errorf("program header %d: segment data [%#x, %#x) runs past the end of the file (%d bytes); is the file truncated?",
				i, p.Off, p.Off+p.Filesz, len(data))
		}
		if p.Paddr >= addrLimit || p.Memsz > addrLimit-p.Paddr {
			return nil, fmt.Errorf("program header %d: segment at %#x (size %#x) runs past the end of the 32-bit address space", i, p.Paddr, p.Memsz)
		}
		img.Segments = append(img.Segments, Segment{
			Addr:    p.Paddr,
			Data:    data[p.Off : p.Off+p.Filesz : p.Off+p.Filesz],
			MemSize: p.Memsz,
		})
	}
	if len(img.Segments) == 0 {
		return nil, errors.New("ELF file has no loadable segments (no PT_LOAD program headers)")
	}
	if err := checkOverlap(img.Segments); err != nil {
		return nil, err
	}
	return img, nil
}

// checkOverlap refuses segments that share an address: which one would
// win depends on load order, and QEMU's loader refuses them too.
func checkOverlap(segs []Segment) error {
	s := slices.Clone(segs)
	slices.SortFunc(s, func(a, b Segment) int {
		switch {
		case a.Addr < b.Addr:
			return -1
		case a.Addr > b.Addr:
			return 1
		}
		return 0
	})
	for i := 1; i < len(s); i++ {
		if s[i].Addr < s[i-1].End() {
			return fmt.Errorf("segments at %#x (size %#x) and %#x (size %#x) overlap",
				s[i-1].Addr, s[i-1].MemSize, s[i].Addr, s[i].MemSize)
		}
	}
	return nil
}

// machineName names an ELF machine the way a user would say it.
func machineName(m elf.Machine) string {
	switch m {
	case elf.EM_X86_64:
		return "x86-64"
	case elf.EM_386:
		return "i386"
	case elf.EM_AARCH64:
		return "AArch64"
	case elf.EM_RISCV:
		return "RISC-V"
	case elf.EM_MIPS:
		return "MIPS"
	case elf.EM_PPC:
		return "PowerPC"
	case elf.EM_PPC64:
		return "PowerPC64"
	case elf.EM_S390:
		return "s390"
	case elf.EM_NONE:
		return "none"
	}
	s := m.String()
	if strings.HasPrefix(s, "EM_") {
		return strings.TrimPrefix(s, "EM_")
	}
	return fmt.Sprintf("%d", uint16(m))
}

func classOf(c elf.Class) string {
	if c == elf.ELFCLASS64 {
		return "ELF64"
	}
	return c.String()
}
