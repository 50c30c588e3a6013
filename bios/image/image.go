// Package image parses the kernel and firmware images a user hands to
// Mimic (--kernel, --bios, --initrd): ARM ELF executables, Linux zImages,
// U-Boot legacy uImages and raw binaries.
//
// The parsers are pure functions over the file's bytes: they say what to
// load and where, and never touch guest memory. The board decides
// placement (where a zImage or raw image goes, where the initrd and DTB
// go) and then calls Load to copy the segments into the bus.
//
// Errors are phrased for the command line without the file's name; the
// caller prefixes its role and name, for example
//
//	fmt.Errorf("kernel %s: %w", path, err)
//
// gives "kernel prog.elf: not an ARM ELF file (machine x86-64)".
package image

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// Kind is the format of an image file.
type Kind int

const (
	// KindRaw is a flat binary with no recognised header: the board loads
	// it at an address of its choosing.
	KindRaw Kind = iota
	// KindELF is an ELF file (see ParseELF).
	KindELF
	// KindUImage is a U-Boot legacy image (see ParseUImage).
	KindUImage
	// KindZImage is a Linux ARM zImage (see ParseZImage).
	KindZImage
	// KindIHex is an Intel HEX text file (see ParseIHex).
	KindIHex
)

func (k Kind) String() string {
	switch k {
	case KindRaw:
		return "raw binary"
	case KindELF:
		return "ELF"
	case KindUImage:
		return "U-Boot uImage"
	case KindZImage:
		return "Linux zImage"
	case KindIHex:
		return "Intel HEX"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// ErrEmpty is returned by Detect for a zero-length file.
var ErrEmpty = errors.New("file is empty")

// Detect classifies data by its magic numbers. It only looks at the magic:
// a file that claims to be ELF, uImage or zImage may still be rejected by
// the matching Parse function. Anything unrecognised is KindRaw.
func Detect(data []byte) (Kind, error) {
	switch {
	case len(data) == 0:
		return KindRaw, ErrEmpty
	case bytes.HasPrefix(data, []byte(elfMagic)):
		return KindELF, nil
	case len(data) >= 4 && binary.BigEndian.Uint32(data) == uimageMagic:
		return KindUImage, nil
	case len(data) >= zimageHeaderEnd && binary.LittleEndian.Uint32(data[zimageMagicOff:]) == zimageMagic:
		return KindZImage, nil
	case looksLikeIHex(data):
		return KindIHex, nil
	}
	return KindRaw, nil
}

const elfMagic = "\x7fELF"

// Segment is a block of guest physical memory to initialise: Data is
// copied to Addr, and the MemSize-len(Data) bytes after it are zeroed (an
// ELF .bss). Data may share memory with the parsed file.
type Segment struct {
	Addr    uint64
	Data    []byte
	MemSize uint64
}

// End returns the first address after the segment.
func (s Segment) End() uint64 { return s.Addr + s.MemSize }
