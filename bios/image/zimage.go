package image

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Linux ARM zImage header (arch/arm/boot/compressed/head.S; documented in
// Documentation/arch/arm/booting.rst). All words are little-endian for a
// little-endian kernel.
const (
	zimageMagicOff  = 0x24 // 0x016F2818
	zimageStartOff  = 0x28 // absolute load/run address, 0 if position independent
	zimageEndOff    = 0x2c // end address: image size = end - start
	zimageEndianOff = 0x30 // 0x04030201 little-endian, 0x01020304 big-endian
	zimageHeaderEnd = 0x30 // bytes needed for magic, start and end

	zimageMagic    = 0x016f2818
	zimageLittle   = 0x04030201
	zimageBig      = 0x01020304
	zimageMinTable = zimageEndianOff + 4
)

// ZImage is a Linux ARM self-decompressing kernel image. The board places
// it (QEMU's virt puts it 32 KiB into RAM) and enters it at its first
// byte in ARM state with r0=0, r1=machine type, r2=DTB address.
type ZImage struct {
	// Start and End are the header's start and end addresses; End-Start
	// is the size of the zImage proper.
	Start, End uint32
	// Data is the whole file, including anything appended after End
	// (CONFIG_ARM_APPENDED_DTB kernels carry a DTB there). It shares
	// memory with the parsed file.
	Data []byte
}

// Size returns the size of the image the header describes.
func (z *ZImage) Size() uint32 { return z.End - z.Start }

// ParseZImage checks data's zImage header and that the file is at least
// as long as the header says.
func ParseZImage(data []byte) (*ZImage, error) {
	if len(data) < zimageHeaderEnd {
		return nil, fmt.Errorf("not a Linux zImage: file is only %d bytes", len(data))
	}
	le := binary.LittleEndian
	if m := le.Uint32(data[zimageMagicOff:]); m != zimageMagic {
		return nil, fmt.Errorf("not a Linux zImage (no magic 0x016f2818 at offset 0x24, found %#x)", m)
	}
	z := &ZImage{
		Start: le.Uint32(data[zimageStartOff:]),
		End:   le.Uint32(data[zimageEndOff:]),
		Data:  data,
	}
	// The endianness flag was added in Linux 3.17; older kernels have
	// code here instead, which is why any other value is accepted.
	if len(data) >= zimageMinTable && le.Uint32(data[zimageEndianOff:]) == zimageBig {
		return nil, errors.New("big-endian Linux zImage; only little-endian guests are supported")
	}
	if z.End < z.Start {
		return nil, fmt.Errorf("corrupt zImage header: end address %#x is below start address %#x", z.End, z.Start)
	}
	if size := z.Size(); uint64(size) > uint64(len(data)) {
		return nil, fmt.Errorf("truncated zImage: header says %d bytes, file has %d", size, len(data))
	}
	return z, nil
}
