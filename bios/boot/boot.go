// Package boot is the firmware side of starting a guest directly from a
// kernel file, the job QEMU's hw/arm/boot.c does for -kernel, -initrd,
// -append and -dtb, and a boot loader does on hardware:
//
//   - decide what the kernel file is (ELF, uImage, zImage, raw) and
//     whether it is booted as Linux or as a bare-metal program;
//   - place the kernel, the initrd and the device tree blob in RAM exactly
//     where QEMU 7.2 places them, so a guest sees the same addresses;
//   - fill in the device tree's /memory and /chosen (bootargs, initrd);
//   - give the register state the Linux ARM boot protocol asks for
//     (Documentation/arch/arm/booting.rst): r0 = 0, r1 = machine type
//     (0xffffffff: "use the device tree"), r2 = physical address of the
//     DTB, SVC mode, MMU off, IRQs and FIQs masked, ARM state.
//
// Placement, as QEMU 7.2 does it (checked against qemu-system-arm -M virt
// -cpu cortex-a15 with -d in_asm,cpu and dumpdtb):
//
//   - ELF: at its program headers' physical addresses, entered at e_entry
//     (bit 0 selects Thumb) with every register zero: a bare-metal
//     program, not Linux. If the ELF leaves the start of RAM free, the DTB
//     goes there (limited to what fits below the ELF), as QEMU does so a
//     bare-metal program can find it; r2 is not set.
//   - U-Boot uImage of type kernel: the payload at ih_load, entered at
//     ih_ep; of type kernel_noload: the whole file at RAM base +
//     0x02000000, entered at ih_ep relative to the payload. Linux
//     registers when ih_os is Linux, bare-metal entry otherwise.
//   - Anything else, zImage or not: the file at RAM base + 0x10000 (QEMU's
//     KERNEL_LOAD_ADDR for 32-bit ARM), entered there as Linux.
//   - initrd: page-aligned at RAM base + min(RAM/2, 128 MiB), or after the
//     kernel image if that ends higher; a uImage ramdisk contributes its
//     payload.
//   - DTB (Linux): the next 4 KiB boundary after the initrd (after where
//     the initrd would go when there is none).
//
// Deviations from QEMU, all for clearer errors or simpler machinery:
//   - QEMU enters Linux through a four-instruction stub it writes at RAM
//     base (mov r0, #0; ldr r1/r2/pc from a literal pool). Mimic sets the
//     registers and PC directly; the kernel's first instruction sees the
//     same state, and the first 0x1c bytes of RAM stay zero.
//   - Mimic refuses, where QEMU would load them as raw Linux images and
//     crash: kernels for other architectures (arm64 and RISC-V Image, x86
//     bzImage, ELF for another machine), gzip-compressed files, truncated
//     zImages, and truncated or corrupt gzip/cpio initrds. It also refuses
//     --initrd with a bare-metal (ELF or non-Linux uImage) kernel, which
//     QEMU silently ignores.
//   - Compressed uImages are refused (QEMU inflates gzip ones).
package boot

import (
	"encoding/binary"
	"errors"
	"fmt"

	"mimic/bios/image"
)

// Offsets from RAM base (QEMU hw/arm/boot.c).
const (
	// KernelLoadOffset is where a raw image or zImage goes
	// (KERNEL_LOAD_ADDR).
	KernelLoadOffset = 0x00010000
	// KernelNoLoadOffset is where a kernel_noload uImage goes
	// (KERNEL_NOLOAD_ADDR).
	KernelNoLoadOffset = 0x02000000
	// initrdMaxOffset caps the initrd's offset into RAM: QEMU puts it at
	// half of RAM below 256 MiB and at 128 MiB above, far enough for the
	// kernel to decompress below it and low enough to stay in lowmem.
	initrdMaxOffset = 128 << 20
	// dtbAlign aligns the DTB after the initrd (4 KiB for 32-bit ARM).
	dtbAlign = 4096
	pageSize = 4096
)

// MachineDT is the machine type for r1 that means "no machine number: the
// DTB in r2 describes the machine" (the virt board's board_id, -1).
const MachineDT = 0xffffffff

// ErrImage is wrapped by every error about the user's files.
var ErrImage = errors.New("bad boot image")

func imageErr(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrImage}, args...)...)
}

// Config is what Load needs to know.
type Config struct {
	RAMBase, RAMSize uint64
	// BoardID is r1 for Linux; MachineDT for a device-tree board.
	BoardID uint32

	KernelName string // for messages
	Kernel     []byte
	InitrdName string
	Initrd     []byte // nil: no initrd
	Cmdline    string
}

// Boot is a loaded kernel: what to copy where, and how to enter it.
type Boot struct {
	Kind  image.Kind
	Linux bool // booted with the Linux register protocol

	Entry uint32
	Thumb bool
	// Regs are r0..r2 at entry. For Linux r2 is set by PlaceDTB.
	Regs [3]uint32

	// Segments are the images to copy into guest memory at every reset
	// (kernel, initrd, and the DTB once PlaceDTB has run), as QEMU keeps
	// them as ROM blobs that it copies again on a reset.
	Segments []image.Segment

	// KernelLow and KernelHigh bound the kernel image in memory.
	KernelLow, KernelHigh uint64
	// InitrdStart and InitrdSize say where the initrd is (size 0: none).
	InitrdStart, InitrdSize uint64

	// HaveDTB reports whether a DTB is passed at all, at DTBAddr; a blob
	// larger than DTBLimit-DTBAddr (when DTBLimit is not zero) is dropped
	// silently, as QEMU does for bare-metal ELF programs.
	HaveDTB  bool
	DTBAddr  uint64
	DTBLimit uint64
	// DTBSize is the size of the placed blob, 0 until PlaceDTB.
	DTBSize uint64

	ramBase, ramEnd uint64
}

// Load parses the kernel (and initrd) of cfg and plans their placement.
func Load(cfg Config) (*Boot, error) {
	if cfg.RAMSize == 0 {
		return nil, errors.New("BUG: boot.Load with no RAM")
	}
	b := &Boot{ramBase: cfg.RAMBase, ramEnd: cfg.RAMBase + cfg.RAMSize}
	kind, err := image.Detect(cfg.Kernel)
	if err != nil {
		return nil, imageErr("kernel %s: %v", cfg.KernelName, err)
	}
	b.Kind = kind
	switch kind {
	case image.KindELF:
		err = b.loadELF(cfg)
	case image.KindUImage:
		err = b.loadUImage(cfg)
	case image.KindIHex:
		err = b.loadIHex(cfg)
	default:
		err = b.loadRaw(cfg, kind)
	}
	if err != nil {
		return nil, err
	}
	if !b.Linux {
		if cfg.Initrd != nil {
			return nil, imageErr("--initrd needs a Linux kernel (zImage, uImage or raw image); %s is booted as a bare-metal %s program", cfg.KernelName, kind)
		}
		return b, nil
	}
	return b, b.loadInitrd(cfg)
}

func (b *Boot) loadELF(cfg Config) error {
	e, err := image.ParseELF(cfg.Kernel)
	if err != nil {
		return imageErr("kernel %s: %v", cfg.KernelName, err)
	}
	b.Entry, b.Thumb = uint32(e.Entry), e.Thumb
	b.Segments = append(b.Segments, e.Segments...)
	b.KernelLow, b.KernelHigh = e.Segments[0].Addr, e.Segments[0].End()
	for _, s := range e.Segments {
		b.KernelLow = min(b.KernelLow, s.Addr)
		b.KernelHigh = max(b.KernelHigh, s.End())
	}
	// QEMU: if there is room at the base of RAM, put the DTB there as for
	// firmware, limited to what fits below the ELF image (no limit when
	// the image lies wholly below RAM).
	if b.KernelLow > b.ramBase || b.KernelHigh < b.ramBase {
		b.HaveDTB = true
		b.DTBAddr = b.ramBase
		if b.KernelLow > b.ramBase {
			b.DTBLimit = b.KernelLow
		}
	}
	return nil
}

// loadIHex loads an Intel HEX file as a bare-metal program, at the
// addresses its records give. It starts at the start address record, or
// else at its lowest address (Mimic's: QEMU's -kernel takes no HEX).
func (b *Boot) loadIHex(cfg Config) error {
	h, err := image.ParseIHex(cfg.Kernel)
	if err != nil {
		return imageErr("kernel %s: %v", cfg.KernelName, err)
	}
	b.Segments = append(b.Segments, h.Segments...)
	b.KernelLow, b.KernelHigh = h.Segments[0].Addr, h.Segments[len(h.Segments)-1].End()
	entry := h.Segments[0].Addr
	if h.HasEntry {
		entry = h.Entry
	}
	b.Entry, b.Thumb = uint32(entry)&^1, entry&1 != 0
	return nil
}

// uImage ih_os value for Linux.
const uimageOSLinux = 5

func (b *Boot) loadUImage(cfg Config) error {
	u, err := image.ParseUImage(cfg.Kernel)
	if err != nil {
		return imageErr("kernel %s: %v", cfg.KernelName, err)
	}
	var addr uint64
	switch u.Type {
	case image.UImageKernel:
		addr = uint64(u.Load)
		b.Entry = u.Entry
	case image.UImageKernelNoLoad:
		// The file goes at KernelNoLoadOffset; the payload follows the
		// 64-byte header and ih_ep is relative to it.
		addr = b.ramBase + KernelNoLoadOffset + uint64(len(cfg.Kernel)-len(u.Data))
		b.Entry = uint32(addr) + u.Entry
	default:
		return imageErr("kernel %s: uImage of type %s is not a kernel", cfg.KernelName, u.Type)
	}
	b.Linux = u.OS == uimageOSLinux
	b.Thumb = b.Entry&1 != 0
	b.Entry &^= 1
	seg := image.Segment{Addr: addr, Data: u.Data, MemSize: uint64(len(u.Data))}
	b.Segments = append(b.Segments, seg)
	b.KernelLow, b.KernelHigh = seg.Addr, seg.End()
	if b.Linux {
		b.setLinuxRegs(cfg)
	}
	return nil
}

func (b *Boot) loadRaw(cfg Config, kind image.Kind) error {
	if err := checkForeign(cfg.Kernel); err != nil {
		return imageErr("kernel %s: %v", cfg.KernelName, err)
	}
	if kind == image.KindZImage {
		if _, err := image.ParseZImage(cfg.Kernel); err != nil {
			return imageErr("kernel %s: %v", cfg.KernelName, err)
		}
	}
	addr := b.ramBase + KernelLoadOffset
	if uint64(len(cfg.Kernel)) > b.ramEnd-addr {
		return imageErr("kernel %s is too large to fit in RAM (%d bytes at %#x, RAM ends at %#x); use a larger -m",
			cfg.KernelName, len(cfg.Kernel), addr, b.ramEnd)
	}
	b.Linux = true
	b.Entry = uint32(addr)
	seg := image.Segment{Addr: addr, Data: cfg.Kernel, MemSize: uint64(len(cfg.Kernel))}
	b.Segments = append(b.Segments, seg)
	b.KernelLow, b.KernelHigh = seg.Addr, seg.End()
	b.setLinuxRegs(cfg)
	return nil
}

func (b *Boot) setLinuxRegs(cfg Config) {
	b.Regs = [3]uint32{0, cfg.BoardID, 0}
}

// checkForeign refuses the common kernel formats of other architectures
// and compressed files, which would otherwise be run as raw ARM code.
func checkForeign(data []byte) error {
	le := binary.LittleEndian
	switch {
	case len(data) >= 0x40 && le.Uint32(data[0x38:]) == 0x644d5241: // "ARM\x64"
		return errors.New("this is an arm64 (AArch64) Linux Image; Mimic runs 32-bit ARM kernels (zImage)")
	case len(data) >= 0x40 && le.Uint32(data[0x38:]) == 0x05435352: // "RSC\x05"
		return errors.New("this is a RISC-V Linux Image, not a 32-bit ARM kernel")
	case len(data) >= 0x206 && string(data[0x202:0x206]) == "HdrS":
		return errors.New("this is an x86 Linux bzImage, not a 32-bit ARM kernel")
	case len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b:
		return errors.New("gzip-compressed file; pass the uncompressed image (a zImage decompresses itself)")
	case len(data) >= 6 && string(data[:6]) == "\xfd7zXZ\x00":
		return errors.New("xz-compressed file; pass the uncompressed image")
	case len(data) >= 4 && le.Uint32(data) == 0xfd2fb528:
		return errors.New("zstd-compressed file; pass the uncompressed image")
	}
	return nil
}

func (b *Boot) loadInitrd(cfg Config) error {
	size := cfg.RAMSize
	start := b.ramBase + min(size/2, initrdMaxOffset)
	start = max(start, b.KernelHigh)
	start = (start + pageSize - 1) &^ (pageSize - 1)
	b.InitrdStart = start
	if cfg.Initrd != nil {
		data, err := initrdPayload(cfg.Initrd)
		if err != nil {
			return imageErr("initrd %s: %v", cfg.InitrdName, err)
		}
		if start >= b.ramEnd || uint64(len(data)) > b.ramEnd-start {
			return imageErr("initrd %s (%d bytes) is too big to fit into RAM after the kernel (it would go at %#x, RAM ends at %#x); use a larger -m",
				cfg.InitrdName, len(data), start, b.ramEnd)
		}
		b.InitrdSize = uint64(len(data))
		if len(data) > 0 {
			b.Segments = append(b.Segments, image.Segment{Addr: start, Data: data, MemSize: b.InitrdSize})
		}
	}
	b.HaveDTB = true
	b.DTBAddr = (b.InitrdStart + b.InitrdSize + dtbAlign - 1) &^ (dtbAlign - 1)
	if b.DTBAddr >= b.ramEnd {
		return imageErr("not enough RAM for the device tree after the kernel and initrd (it would go at %#x, RAM ends at %#x); use a larger -m", b.DTBAddr, b.ramEnd)
	}
	return nil
}

// initrdPayload checks an initrd and returns the bytes to load: a uImage
// ramdisk's payload, or the file itself.
func initrdPayload(data []byte) ([]byte, error) {
	if k, _ := image.Detect(data); k == image.KindUImage {
		u, err := image.ParseUImage(data)
		if err != nil {
			return nil, err
		}
		if u.Type != image.UImageRamdisk {
			return nil, fmt.Errorf("uImage of type %s is not a ramdisk", u.Type)
		}
		data = u.Data
	}
	if err := CheckInitrd(data); err != nil {
		return nil, err
	}
	return data, nil
}

// PlaceDTB adds the blob to the boot segments at DTBAddr and, for Linux,
// points r2 at it. A blob that does not fit is an error for Linux and
// silently dropped for a bare-metal program (QEMU's behaviour), which
// PlaceDTB reports by returning false.
func (b *Boot) PlaceDTB(blob []byte) (bool, error) {
	if !b.HaveDTB {
		return false, nil
	}
	size := uint64(len(blob))
	limit := b.ramEnd
	if b.DTBLimit != 0 {
		limit = min(limit, b.DTBLimit)
	}
	if b.DTBAddr >= limit || size > limit-b.DTBAddr {
		if !b.Linux {
			return false, nil
		}
		return false, imageErr("device tree (%d bytes) does not fit in RAM at %#x (RAM ends at %#x); use a larger -m", size, b.DTBAddr, b.ramEnd)
	}
	b.Segments = append(b.Segments, image.Segment{Addr: b.DTBAddr, Data: blob, MemSize: size})
	b.DTBSize = size
	if b.Linux {
		b.Regs[2] = uint32(b.DTBAddr)
	}
	return true, nil
}

// Firmware plans a boot from a firmware image (--bios), as QEMU's virt
// does: the image goes into the first flash bank at flashBase (at most
// flashSize bytes), the CPU starts there from its reset state, and the
// DTB goes at the base of RAM, where firmware such as U-Boot's qemu_arm
// build looks for it. ELF files are refused: the flash holds raw bytes.
func Firmware(ramBase, ramSize uint64, name string, data []byte, flashBase, flashSize uint64) (*Boot, error) {
	kind, err := image.Detect(data)
	if err != nil {
		return nil, imageErr("firmware %s: %v", name, err)
	}
	if kind == image.KindELF {
		return nil, imageErr("firmware %s is an ELF file; --bios takes a raw flash image (use --kernel for ELF programs)", name)
	}
	if err := checkForeign(data); err != nil {
		return nil, imageErr("firmware %s: %v", name, err)
	}
	if uint64(len(data)) > flashSize {
		return nil, imageErr("firmware %s is %d bytes; the flash bank holds %d", name, len(data), flashSize)
	}
	return &Boot{
		Kind:       kind,
		Entry:      uint32(flashBase),
		Segments:   []image.Segment{{Addr: flashBase, Data: data, MemSize: uint64(len(data))}},
		KernelLow:  flashBase,
		KernelHigh: flashBase + uint64(len(data)),
		HaveDTB:    true,
		DTBAddr:    ramBase,
		ramBase:    ramBase,
		ramEnd:     ramBase + ramSize,
	}, nil
}

// Flash plans the start of firmware that is already in flash (QEMU's
// -drive if=pflash,unit=0 without -bios): nothing to load, the CPU starts
// at the flash's base and the device tree goes at the base of RAM, as for
// Firmware.
func Flash(ramBase, ramSize, flashBase uint64) *Boot {
	b := NoKernel(ramBase, ramSize)
	b.Entry = uint32(flashBase)
	return b
}

// NoKernel plans a machine with nothing to boot, for --dump-dtb without
// --kernel: the DTB is placed at the base of RAM, as for firmware.
func NoKernel(ramBase, ramSize uint64) *Boot {
	return &Boot{HaveDTB: true, DTBAddr: ramBase, ramBase: ramBase, ramEnd: ramBase + ramSize}
}
