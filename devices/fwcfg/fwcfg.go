// Package fwcfg models the memory-mapped interface of QEMU's firmware
// configuration device ("fw_cfg", QEMU docs/specs/fw_cfg.rst): the
// signature, the feature ID, a few fixed items, the file directory,
// writable files (such as ramfb's "etc/ramfb") and the DMA interface.
// Firmware built for QEMU's virt board (U-Boot's qemu_arm) probes it
// through the device tree; Linux's qemu_fw_cfg and ramfb use DMA.
//
// Interface:
//   - MMIO: a 0x18-byte window. Data register at 0x0 (1, 2, 4 or 8
//     bytes wide: a read returns the next bytes of the selected item in
//     item order, as if copied to memory; past the end it reads zero),
//     Selector register at 0x8 (16 bits, big-endian; selecting an item
//     rewinds it), DMA address register at 0x10 (64 bits, big-endian:
//     writing its low half at 0x14, or all of it at 0x10, starts a
//     transfer; reading it returns the signature "QEMU CFG").
//   - No interrupt.
//
// DMA (after EnableDMA, which also sets FW_CFG_ID bit 1): the guest
// writes the address of a FWCfgDmaAccess (big-endian control u32,
// length u32, address u64) to the DMA register. The control word may
// select an item (SELECT, key in its high 16 bits) and then read, write
// or skip length bytes at the item's current offset, which data
// register reads share. The device then stores the control word back:
// zero, or ERROR (bit 0) when the transfer failed: a buffer outside RAM,
// a write to a read-only item, or a write running past the item's end
// (QEMU's rule: a write must fit in the item in one piece). A read past
// the end fills the rest with zeros. Transfers complete synchronously.
//
// Deliberate deviations from QEMU:
//   - Items are written only through DMA; data register writes are
//     guest errors (QEMU ignores them since 2.4 as well).
//   - Only the items listed in New exist, plus files added with AddFile
//     and AddWritableFile; every other key reads as an empty item.
package fwcfg

import (
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"math/bits"

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

// FW_CFG_ID bits: the traditional (non-DMA) interface, and DMA.
const (
	idTraditional = 1
	idDMA         = 2
)

// DMA control bits (fw_cfg.rst "FW_CFG_DMA_CTL_*").
const (
	DMAError  = 0x01
	DMARead   = 0x02
	DMASkip   = 0x04
	DMASelect = 0x08
	DMAWrite  = 0x10
)

// DMASignature is what the DMA address register reads: "QEMU CFG".
const DMASignature = 0x51454d5520434647

// dmaAccessSize is the size of a FWCfgDmaAccess.
const dmaAccessSize = 16

// fileNameLen is the size of a FWCfgFile name field.
const fileNameLen = 56

// Memory is guest physical memory as the DMA interface reaches it (a
// bus.Bus satisfies it): the host bytes of [addr, addr+n) when they lie
// entirely in RAM.
type Memory interface {
	DMA(addr uint64, n int, write bool) ([]byte, error)
}

// Device is a fw_cfg device. Create it with New.
type Device struct {
	items    map[uint16][]byte
	files    []file
	writable map[uint16]func(contents []byte, off, n int)
	key      uint16 // selected key, masked
	selected []byte
	off      int

	mem     Memory // nil: no DMA interface
	dmaHigh uint64 // the DMA address's high half, written first

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
	d := &Device{items: map[uint16][]byte{}, writable: map[uint16]func([]byte, int, int){}}
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

// EnableDMA turns on the DMA interface over guest memory mem and
// advertises it in FW_CFG_ID. The board calls it before the machine
// runs.
func (d *Device) EnableDMA(mem Memory) {
	d.mem = mem
	d.items[KeyID] = binary.LittleEndian.AppendUint32(nil, idTraditional|idDMA)
	d.selectKey(d.key)
}

// SetNoGraphic sets FW_CFG_NOGRAPHIC (1 at start: the machine has no
// display).
func (d *Device) SetNoGraphic(v bool) {
	var n uint16
	if v {
		n = 1
	}
	binary.LittleEndian.PutUint16(d.items[KeyNoGraphic], n)
}

// AddFile adds a named file (such as "etc/bootorder") to the directory.
// Names longer than 55 bytes, or repeated, are a board bug and panic.
func (d *Device) AddFile(name string, data []byte) { d.addFile(name, data) }

// AddWritableFile adds a named file the guest may write through DMA.
// After each write, onWrite is called (on the machine's goroutine) with
// the file's whole contents, valid during the call, and the offset and
// length written. The file's size is len(data) and never changes.
func (d *Device) AddWritableFile(name string, data []byte, onWrite func(contents []byte, off, n int)) {
	key := d.addFile(name, data)
	d.writable[key] = onWrite
}

func (d *Device) addFile(name string, data []byte) uint16 {
	if len(name) >= fileNameLen {
		panic(fmt.Sprintf("BUG: fwcfg: file name %q too long", name))
	}
	for _, f := range d.files {
		if f.name == name {
			panic(fmt.Sprintf("BUG: fwcfg: file %q added twice", name))
		}
	}
	key := uint16(KeyFileFirst + len(d.files))
	d.files = append(d.files, file{name: name, key: key, size: len(data)})
	d.items[key] = append([]byte{}, data...)
	d.rebuildDir()
	return key
}

// SetFile replaces the contents of the named file, of the same size, as
// when restoring the device that owns it. It does not call onWrite.
func (d *Device) SetFile(name string, data []byte) error {
	for _, f := range d.files {
		if f.name == name {
			if len(data) != f.size {
				return fmt.Errorf("fwcfg: file %q is %d bytes, not %d", name, f.size, len(data))
			}
			copy(d.items[f.key], data)
			return nil
		}
	}
	return fmt.Errorf("fwcfg: no file %q", name)
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
	if d.key == KeyFileDir {
		d.selected = dir
	}
}

// Reset selects the signature item, as after QEMU's reset.
func (d *Device) Reset() {
	d.selectKey(KeySignature)
	d.dmaHigh = 0
}

// GuestErrors returns how many guest errors the device has seen.
func (d *Device) GuestErrors() uint64 { return d.guestErrors }

func (d *Device) guestError(msg string, args ...any) {
	d.guestErrors++
	slog.Warn("guest error: fw_cfg: "+msg, args...)
}

func (d *Device) selectKey(key uint16) {
	d.key = key & keyMask
	d.selected = d.items[d.key]
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
	if d.mem != nil && off >= regDMA && off+uint64(size) <= regDMA+8 {
		// The signature, big-endian: the byte at regDMA is 'Q'.
		var v uint64
		for i := 0; i < size; i++ {
			shift := 8 * (7 - (off - regDMA + uint64(i)))
			v |= (DMASignature >> shift & 0xff) << (8 * i)
		}
		return v
	}
	d.guestError("read", "offset", fmt.Sprintf("%#x", off), "size", size)
	return 0
}

// Write implements bus.Device.
func (d *Device) Write(off uint64, size int, val uint64) {
	switch {
	case off == regSelector && size == 2:
		// The register is big-endian: the guest stores the key's high
		// byte first.
		d.selectKey(uint16(val>>8) | uint16(val&0xff)<<8)
		return
	case d.mem != nil && off == regDMA && size == 4:
		d.dmaHigh = uint64(bits.ReverseBytes32(uint32(val))) << 32
		return
	case d.mem != nil && off == regDMA+4 && size == 4:
		d.dma(d.dmaHigh | uint64(bits.ReverseBytes32(uint32(val))))
		return
	case d.mem != nil && off == regDMA && size == 8:
		d.dma(bits.ReverseBytes64(val))
		return
	}
	d.guestError("write", "offset", fmt.Sprintf("%#x", off), "size", size, "value", fmt.Sprintf("%#x", val))
}

// dma performs the transfer described by the FWCfgDmaAccess at addr.
func (d *Device) dma(addr uint64) {
	d.dmaHigh = 0
	acc, err := d.mem.DMA(addr, dmaAccessSize, true)
	if err != nil {
		d.guestError("DMA access structure outside RAM", "addr", fmt.Sprintf("%#x", addr))
		return
	}
	be := binary.BigEndian
	control, length, buf := be.Uint32(acc), be.Uint32(acc[4:]), be.Uint64(acc[8:])
	if control&DMASelect != 0 {
		d.selectKey(uint16(control >> 16))
	}
	var status uint32
	switch {
	case control&DMARead != 0:
		status = d.dmaRead(buf, length)
	case control&DMAWrite != 0:
		status = d.dmaWrite(buf, length)
	case control&DMASkip != 0:
		d.off += int(min(uint64(length), uint64(max(len(d.selected)-d.off, 0))))
	}
	be.PutUint32(acc, status)
}

func (d *Device) dmaRead(buf uint64, length uint32) uint32 {
	dst, err := d.mem.DMA(buf, int(length), true)
	if err != nil {
		d.guestError("DMA read into a buffer outside RAM", "addr", fmt.Sprintf("%#x", buf), "length", length)
		return DMAError
	}
	n := 0
	if d.off < len(d.selected) {
		n = copy(dst, d.selected[d.off:])
		d.off += n
	}
	clear(dst[n:]) // past the end reads zero
	return 0
}

func (d *Device) dmaWrite(buf uint64, length uint32) uint32 {
	if length == 0 {
		return 0
	}
	onWrite, ok := d.writable[d.key]
	if !ok {
		d.guestError("DMA write to a read-only item", "key", fmt.Sprintf("%#x", d.key))
		return DMAError
	}
	if uint64(d.off)+uint64(length) > uint64(len(d.selected)) {
		d.guestError("DMA write past the end of an item", "key", fmt.Sprintf("%#x", d.key),
			"offset", d.off, "length", length, "size", len(d.selected))
		return DMAError
	}
	src, err := d.mem.DMA(buf, int(length), false)
	if err != nil {
		d.guestError("DMA write from a buffer outside RAM", "addr", fmt.Sprintf("%#x", buf), "length", length)
		return DMAError
	}
	off := d.off
	copy(d.selected[off:], src)
	d.off += int(length)
	if onWrite != nil {
		onWrite(d.selected, off, int(length))
	}
	return 0
}

// StateVersion is the version of State this package writes.
const StateVersion = 1

// State is the guest-visible state of the interface: the selected item,
// the offset in it, and a half-written DMA address. Item contents belong
// to the board and to the devices owning writable files, which restore
// them (SetFile).
type State struct {
	Version int
	Key     uint16
	Offset  uint32
	DMAHigh uint64
}

// State returns a snapshot of the device.
func (d *Device) State() State {
	return State{Version: StateVersion, Key: d.key, Offset: uint32(d.off), DMAHigh: d.dmaHigh}
}

// ErrBadState is wrapped by every error Restore returns.
var ErrBadState = errors.New("fw_cfg: bad state")

// Restore replaces the device's state with s after checking it.
func (d *Device) Restore(s State) error {
	switch {
	case s.Version != StateVersion:
		return fmt.Errorf("%w: version %d, want %d", ErrBadState, s.Version, StateVersion)
	case s.Key&^keyMask != 0:
		return fmt.Errorf("%w: key %#x", ErrBadState, s.Key)
	case int64(s.Offset) > int64(len(d.items[s.Key])):
		return fmt.Errorf("%w: offset %d in item %#x of %d bytes", ErrBadState, s.Offset, s.Key, len(d.items[s.Key]))
	case s.DMAHigh&0xffffffff != 0 || s.DMAHigh != 0 && d.mem == nil:
		return fmt.Errorf("%w: DMA address high half %#x", ErrBadState, s.DMAHigh)
	}
	d.selectKey(s.Key)
	d.off = int(s.Offset)
	d.dmaHigh = s.DMAHigh
	return nil
}
