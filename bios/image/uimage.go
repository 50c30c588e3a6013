package image

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
)

// U-Boot legacy image header (U-Boot include/image.h, struct
// legacy_img_hdr): 64 bytes, all words big-endian, followed by ih_size
// bytes of data.
const (
	uimageHeaderSize = 64
	uimageMagic      = 0x27051956
	uimageNameLen    = 32

	uhMagic = 0  // ih_magic
	uhHCRC  = 4  // ih_hcrc: CRC-32 of the header with this field zero
	uhTime  = 8  // ih_time
	uhSize  = 12 // ih_size
	uhLoad  = 16 // ih_load
	uhEP    = 20 // ih_ep
	uhDCRC  = 24 // ih_dcrc: CRC-32 of the data
	uhOS    = 28 // ih_os
	uhArch  = 29 // ih_arch
	uhType  = 30 // ih_type
	uhComp  = 31 // ih_comp
	uhName  = 32 // ih_name[32]
)

// UImageType is a uImage's ih_type.
type UImageType uint8

// The image types ParseUImage accepts (U-Boot's IH_TYPE_* numbering).
const (
	UImageKernel       UImageType = 2  // IH_TYPE_KERNEL: load at Load, enter at Entry
	UImageRamdisk      UImageType = 3  // IH_TYPE_RAMDISK: an initrd
	UImageFirmware     UImageType = 5  // IH_TYPE_FIRMWARE
	UImageKernelNoLoad UImageType = 14 // IH_TYPE_KERNEL_NOLOAD: run where placed; Entry is an offset
)

var uimageTypeNames = map[UImageType]string{
	0: "invalid", 1: "standalone program", 2: "kernel", 3: "ramdisk",
	4: "multi-file image", 5: "firmware", 6: "script", 7: "filesystem",
	8: "flat device tree", 14: "kernel (no load)",
}

func (t UImageType) String() string {
	if s, ok := uimageTypeNames[t]; ok {
		return s
	}
	return fmt.Sprintf("type %d", uint8(t))
}

const uimageArchARM = 2 // IH_ARCH_ARM

var uimageArchNames = map[uint8]string{
	0: "invalid", 1: "Alpha", 2: "ARM", 3: "i386", 4: "IA-64", 5: "MIPS",
	6: "MIPS64", 7: "PowerPC", 8: "s390", 9: "SuperH", 10: "SPARC",
	11: "SPARC64", 12: "m68k", 15: "MicroBlaze", 16: "Nios II",
	17: "Blackfin", 18: "AVR32", 19: "ST200", 20: "Sandbox", 21: "NDS32",
	22: "AArch64", 23: "ARC", 24: "x86-64", 25: "Xtensa", 26: "RISC-V",
}

var uimageCompNames = map[uint8]string{
	0: "none", 1: "gzip", 2: "bzip2", 3: "lzma", 4: "lzo", 5: "lz4", 6: "zstd",
}

// UImage is a U-Boot legacy image with its header checked.
type UImage struct {
	Name  string // ih_name, up to the first NUL
	Type  UImageType
	OS    uint8  // ih_os (5 is Linux)
	Time  uint32 // ih_time, seconds since 1970
	Load  uint32 // ih_load: where the data goes
	Entry uint32 // ih_ep: where to enter
	// Data is the payload after the 64-byte header (exactly ih_size
	// bytes); it shares memory with the parsed file.
	Data []byte
}

// ParseUImage checks a U-Boot legacy image: magic, header CRC, data CRC,
// architecture ARM, an accepted type and no compression.
func ParseUImage(data []byte) (*UImage, error) {
	if len(data) < 4 || binary.BigEndian.Uint32(data) != uimageMagic {
		return nil, errors.New("not a U-Boot uImage (no magic 0x27051956)")
	}
	if len(data) < uimageHeaderSize {
		return nil, fmt.Errorf("truncated uImage: %d bytes, the header alone is %d", len(data), uimageHeaderSize)
	}
	be := binary.BigEndian
	hdr := make([]byte, uimageHeaderSize)
	copy(hdr, data)
	want := be.Uint32(hdr[uhHCRC:])
	be.PutUint32(hdr[uhHCRC:], 0)
	if got := crc32.ChecksumIEEE(hdr); got != want {
		return nil, fmt.Errorf("corrupt uImage: header CRC is %#08x, header says %#08x", got, want)
	}
	size := be.Uint32(data[uhSize:])
	if uint64(size) > uint64(len(data)-uimageHeaderSize) {
		return nil, fmt.Errorf("truncated uImage: header says %d data bytes, file has %d", size, len(data)-uimageHeaderSize)
	}
	payload := data[uimageHeaderSize : uimageHeaderSize+int(size) : uimageHeaderSize+int(size)]
	if got, want := crc32.ChecksumIEEE(payload), be.Uint32(data[uhDCRC:]); got != want {
		return nil, fmt.Errorf("corrupt uImage: data CRC is %#08x, header says %#08x", got, want)
	}
	if arch := data[uhArch]; arch != uimageArchARM {
		name, ok := uimageArchNames[arch]
		if !ok {
			name = fmt.Sprintf("%d", arch)
		}
		return nil, fmt.Errorf("uImage is for architecture %s, not ARM", name)
	}
	t := UImageType(data[uhType])
	switch t {
	case UImageKernel, UImageKernelNoLoad, UImageRamdisk, UImageFirmware:
	default:
		return nil, fmt.Errorf("unsupported uImage type %s (want kernel, ramdisk or firmware)", t)
	}
	if c := data[uhComp]; c != 0 {
		name, ok := uimageCompNames[c]
		if !ok {
			name = fmt.Sprintf("type %d", c)
		}
		return nil, fmt.Errorf("compressed uImage (%s) is not supported; rebuild it with mkimage -C none", name)
	}
	name := data[uhName : uhName+uimageNameLen]
	if i := bytes.IndexByte(name, 0); i >= 0 {
		name = name[:i]
	}
	return &UImage{
		Name:  string(name),
		Type:  t,
		OS:    data[uhOS],
		Time:  be.Uint32(data[uhTime:]),
		Load:  be.Uint32(data[uhLoad:]),
		Entry: be.Uint32(data[uhEP:]),
		Data:  payload,
	}, nil
}
