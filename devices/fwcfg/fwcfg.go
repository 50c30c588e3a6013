// Package fwcfg models the memory-mapped interface of QEMU's firmware
// configuration device ("fw_cfg", QEMU docs/specs/fw_cfg.rst), reduced to
// what a guest needs to find it and read items: the signature, the
// feature ID, a few fixed items and the file directory. Firmware built for
// QEMU's virt board (U-Boot's qemu_arm) probes it through the device tree.
//
// Interface:
//   - MMIO: a 0x18-byte window. Data register at 0x0 (1, 2, 4 or 8
//     bytes wide: a read returns the next bytes of the selected item in
//     item order, as if copied to memory; past the end it reads zero),
//     Selector register at 0x8 (16 bits, big-endian; selecting an item
//     rewinds it), DMA address register at 0x10 (not implemented).
//   - No interrupt.
//
// Deliberate deviations from QEMU:
//   - The DMA interface is not implemented: FW_CFG_ID reports only the
//     traditional interface (bit 0), so guests do not use DMA; accesses to
//     the DMA register are guest errors (read as zero, write ignored).
//   - Items are read-only; data register writes are guest errors (QEMU
//     ignores them since 2.4 as well).
//   - Only the items listed in New exist, plus files added with AddFile;
//     every other key reads as an empty item.
package fwcfg

import (
	"encoding/binary"
	"fmt"
	"log/slog"

	"mimic/devices/bus"
)

// WindowSize is the size of the MMIO window (as the virt board's DT says).
const WindowSize = 0x18

// Register offsets.
const (
	regData     = 0x00
	regSelector = 0x08
	regDMA      = 0x10
)

// Well-known item keys (fw_cfg.rst "Selector register").
const (
	KeySignature = 0x0000
	KeyID        = 0x0001
	KeyUUID      = 0x0002
	KeyRAMSize   = 0x0003
	KeyNoGraphic = 0x0004
	KeyNbCPUs    = 0x0005
	KeyMaxCPUs   = 0x000f
	KeyFileDir   = 0x0019
	KeyFileFirst = 0x0020

	// keyMask drops the obsolete write bit (0x4000); the architecture
	// bit (0x8000) stays part of the key.
	keyMask = 0xbfff
)

// idTraditional is FW_CFG_ID bit 0: the traditional (non-DMA) interface.
const idTraditional = 1

// fileNameLen is the size of a FWCfgFile name field.
const fileNameLen = 56

// Device is a fw_cfg device. Create it with New.
type Device struct {
	items    map[uint16][]byte
	files    []file
	selected []byte
	off      int

	guestErrors uint64
}

type file struct {
	name string
	key  uint16
	size int
}

var _ bus.Device = (*Device)(nil)

// New returns a fw_cfg device describing a machine with ramSize bytes of
// RAM and cpus CPUs, with no graphics and an empty file directory.
func New(ramSize uint64, cpus int) *Device {
	d := &Device{items: map[uint16][]byte{}}
	d.items[KeySignature] = []byte("QEMU")
	d.items[KeyID] = binary.LittleEndian.AppendUint32(nil, idTraditional)
	d.items[KeyUUID] = make([]byte, 16)
	d.items[KeyRAMSize] = binary.LittleEndian.AppendUint64(nil, ramSize)
	d.items[KeyNoGraphic] = binary.LittleEndian.AppendUint16(nil, 1)
	d.items[KeyNbCPUs] = binary.LittleEndian.AppendUint16(nil, uint16(cpus))
	d.items[KeyMaxCPUs] = binary.LittleEndian.AppendUint16(nil, uint16(cpus))
	d.rebuildDir()
	d.Reset()
	return d
}

// AddFile adds a named file (such as "etc/bootorder") to the directory.
// Names longer than 55 bytes are a board bug and panic.
func (d *Device) AddFile(name string, data []byte) {
	if len(name) >= fileNameLen {
		panic(fmt.Sprintf("BUG: fwcfg: file name %q too long", name))
	}
	key := uint16(KeyFileFirst + len(d.files))
	d.files = append(d.files, file{name: name, key: key, size: len(data)})
	d.items[key] = append([]byte{}, data...)
	d.rebuildDir()
}

// rebuildDir regenerates FW_CFG_FILE_DIR: a big-endian count, then per
// file a big-endian size, select key and reserved half-word, and the name.
func (d *Device) rebuildDir() {
	be := binary.BigEndian
	dir := be.AppendUint32(nil, uint32(len(d.files)))
	for _, f := range d.files {
		dir = be.AppendUint32(dir, uint32(f.size))
		dir = be.AppendUint16(dir, f.key)
		dir = be.AppendUint16(dir, 0)
		name := make([]byte, fileNameLen)
		copy(name, f.name)
		dir = append(dir, name...)
	}
	d.items[KeyFileDir] = dir
}

// Reset selects the signature item, as after QEMU's reset.
func (d *Device) Reset() { d.selectKey(KeySignature) }

// GuestErrors returns how many guest errors the device has seen.
func (d *Device) GuestErrors() uint64 { return d.guestErrors }

func (d *Device) guestError(msg string, args ...any) {
	d.guestErrors++
	slog.Warn("guest error: fw_cfg: "+msg, args...)
}

func (d *Device) selectKey(key uint16) {
	d.selected = d.items[key&keyMask]
	d.off = 0
}

// Read implements bus.Device.
func (d *Device) Read(off uint64, size int) uint64 {
	if off == regData && size <= 8 {
		var v uint64
		for i := 0; i < size; i++ {
			if d.off < len(d.selected) {
				v |= uint64(d.selected[d.off]) << (8 * i)
				d.off++
			}
		}
		return v
	}
	d.guestError("read", "offset", fmt.Sprintf("%#x", off), "size", size)
	return 0
}

// Write implements bus.Device.
func (d *Device) Write(off uint64, size int, val uint64) {
	if off == regSelector && size == 2 {
		// The register is big-endian: the guest stores the key's high
		// byte first.
		d.selectKey(uint16(val>>8) | uint16(val&0xff)<<8)
		return
	}
	d.guestError("write", "offset", fmt.Sprintf("%#x", off), "size", size, "value", fmt.Sprintf("%#x", val))
}
