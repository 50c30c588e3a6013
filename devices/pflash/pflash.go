// Package pflash models a bank of CFI parallel NOR flash with the Intel/Sharp
// command set as QEMU's "cfi.pflash01" presents it on the virt board: two
// x16 chips side by side on a 32-bit bus (QEMU properties width=4,
// device-width=2), Intel manufacturer ID 0x89, device ID 0x18, uniform
// 256 KiB erase blocks (128 KiB in each chip). U-Boot's CFI driver and
// Linux's physmap/cfi_cmdset_0001 drive it unmodified.
//
// References: JEDEC JESD68 (CFI), Intel AP-646 "Common Flash Interface and
// Command Sets", the 3 Volt Intel StrataFlash datasheet (290667), and the
// behaviour of QEMU's hw/block/pflash_cfi01.c, recorded from Debian's
// qemu-system-arm (see testdata/qemu).
//
// Interface:
//   - MMIO: one window the size of the bank. Accesses of 1, 2 and 4 bytes
//     at any offset; an 8-byte access is two 4-byte ones, low word first
//     (QEMU's memory core splits it so, the device taking at most 4).
//   - No interrupt, no clock: every operation completes at once; status
//     reads show SR.7 (ready) from reset, and again from the next command
//     after a clear status.
//   - The contents live in a []byte the board provides. In read-array mode
//     (ReadArray) the board may map it for reads, as QEMU's ROM-device
//     ("romd") mode does; OnArrayMode tells it when the mode changes, and
//     OnArrayWrite when program or erase changes the contents.
//   - Program and erase write through to an optional Backing (a disk image).
//
// Command interface (the first write's low byte is the command; the value
// replicated on both chips' lanes, as drivers write it, has the same low
// byte, so each command reaches "both chips" at once):
//
//	0xff, 0xf0, 0x00  read array
//	0x90              read identifier: per 4-byte bus word n (n mod 256),
//	                  n=0 manufacturer, n=1 device, else 0 (lock status:
//	                  unlocked)
//	0x98              CFI query; only 0xff leaves it (QEMU ignores others)
//	0x70              read status register
//	0x50              clear status register (to 0, then read array)
//	0x40, 0x10 + data word program
//	0x20 + 0xd0       block erase
//	0xe8 + count + count+1 data writes + 0xd0   buffered program
//	0x60 + 0x01/0xd0  block lock / unlock: accepted, no effect
//
// Replies are per chip and replicated on both 16-bit lanes: a 4-byte read
// of status, identifier or query data returns v | v<<16; 1- and 2-byte
// reads return v whatever the offset within the bus word (QEMU's
// truncation, not a real chip's byte lanes).
//
// Deliberate deviations from the Intel datasheets, shared with QEMU:
//   - Program overwrites the addressed bytes with the data: it does not AND
//     (a real cell only goes from 1 to 0). U-Boot and Linux check that the
//     destination is erased before they program, so only careless guests
//     can tell.
//   - Block erase happens when 0x20 is written; 0xd0 only confirms it. A
//     0x20 followed by anything else has still erased the block.
//   - Bad command sequences set no status bits (a chip sets SR.4|SR.5): the
//     device returns to read-array mode, and the guest error is logged.
//   - Clear status sets the status register to 0, clearing SR.7 as well,
//     and returns to read-array mode.
//   - Block lock bits are not kept; 0x60 sequences succeed and blocks read
//     as unlocked. Suspend (0xb0), resume (0xd0 alone), the protection
//     registers and the configuration register are unknown commands.
//   - A read-only bank (a read-only drive in QEMU) fails program with SR.4
//     and erase with SR.5, changing nothing.
//   - A buffered program whose confirm finds SR.4 set, from this operation
//     or an earlier one not cleared, or whose confirm is not 0xd0, is
//     discarded and the device returns to read-array mode.
//
// Where QEMU versions differ, Mimic follows the current QEMU source, except
// where marked (Mimic):
//   - The write buffer's 4 KiB window is the aligned one holding the first
//     data write (QEMU since "hw/pflash: fix block write start", 2024, QEMU
//     issue 2343). Debian 12's QEMU 7.2.22 takes the window from the count
//     write's address instead; U-Boot writes its commands at the sector's
//     base, so there saveenv fails past the first 4 KiB of a sector.
//   - (Mimic) A buffered program of one bus word (count 0) works. Current
//     QEMU opens its write buffer only while the count is above 0, so it
//     fails a one-word buffered program with SR.4; Debian 12's QEMU 7.2.22
//     writes it, as Mimic does.
//   - Backing-store write errors are logged and reported by Err; as in
//     QEMU, the guest sees no error status.
package pflash

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/bits"

	"mimic/devices/bus"
)

// Geometry of a virt board bank (QEMU hw/arm/virt.c virt_flash_create1).
const (
	// BankSize is the size of each of the virt board's two banks.
	BankSize = 64 << 20
	// SectorSize is the erase block as the guest sees it on the 32-bit
	// bus: 128 KiB in each of the two chips.
	SectorSize = 256 << 10
	// BankWidth is the bus width in bytes, DeviceWidth each chip's.
	BankWidth   = 4
	DeviceWidth = 2
	// WriteBufferSize is the bus-side write buffer: 2 KiB per chip
	// (CFI max buffer size 2^11) times two chips.
	WriteBufferSize = 2 * (1 << bufferSizeLog2)

	bufferSizeLog2 = 11
	numChips       = BankWidth / DeviceWidth
)

// Identifier codes (read identifier mode) QEMU's virt board gives.
const (
	ManufacturerID = 0x89 // Intel
	DeviceID       = 0x18
)

// Commands (first bus cycle), named as in the StrataFlash datasheet.
const (
	cmdReadArray     = 0xff
	cmdReadArrayZero = 0x00 // QEMU's internal read-array state, accepted as a command
	cmdAMDReset      = 0xf0 // AMD reset, which CFI probes send first
	cmdReadID        = 0x90
	cmdReadQuery     = 0x98
	cmdReadStatus    = 0x70
	cmdClearStatus   = 0x50
	cmdProgram       = 0x40
	cmdProgramAlt    = 0x10
	cmdBlockErase    = 0x20
	cmdWriteToBuffer = 0xe8
	cmdLockSetup     = 0x60
	cmdConfirm       = 0xd0 // erase, buffer and unlock confirm
	cmdLockBlock     = 0x01
)

// Status register bits (StrataFlash "Status Register Definitions").
const (
	srReady        = 0x80 // SR.7 write state machine ready
	srEraseError   = 0x20 // SR.5 erase (or clear lock bits) error
	srProgramError = 0x10 // SR.4 program (or set lock bit) error
	srDefined      = srReady | srEraseError | srProgramError
)

// modeReadArray is the command state of read-array mode: cmd is 0 there and
// nowhere else.
const modeReadArray = 0x00

// Backing is where a bank's contents persist, typically a raw disk image
// of the bank's size: offsets are bank offsets.
type Backing interface {
	WriteAt(p []byte, off int64) (int, error)
	Flush() error
}

// Config describes one bank.
type Config struct {
	// Name identifies the bank in log lines, e.g. "virt.flash0".
	Name string
	// Array holds the contents, as loaded from the image or firmware. Its
	// length is the bank size: a power of two, at least SectorSize. The
	// device keeps and writes it; the board may read it directly while
	// the device is in read-array mode.
	Array []byte
	// Backing receives every program and erase; nil keeps the contents in
	// memory only, as QEMU does for a bank without a drive.
	Backing Backing
	// ReadOnly refuses program and erase with error status, as QEMU does
	// for a read-only drive.
	ReadOnly bool
}

// Flash is one bank. Create it with New. It is not safe for concurrent
// use.
type Flash struct {
	name     string
	array    []byte
	backing  Backing
	readOnly bool
	cfi      [cfiTableLen]byte

	// OnArrayMode, if set, is called with the new mode each time the
	// device enters (true) or leaves (false) read-array mode, and only
	// then. While it is out of read-array mode, reads must come to Read.
	OnArrayMode func(readArray bool)
	// OnArrayWrite, if set, is called after program, erase or a buffered
	// program changed bytes [off, off+n) of the array, so the board can
	// drop what it derived from them (translated code).
	OnArrayWrite func(off uint64, n int)

	// The command state machine, as QEMU keeps it: cmd is the command in
	// progress (modeReadArray in read-array mode), wcycle the bus cycles
	// of it seen so far.
	cmd     uint8
	wcycle  uint8
	status  uint8
	counter uint32 // buffered program: data writes left, minus one

	bufActive bool
	bufOffset uint64 // WriteBufferSize-aligned
	buf       [WriteBufferSize]byte

	guestErrors uint64
	logged      uint32 // guest error kinds already logged
	backingErr  error
	backingErrs uint64
}

var _ bus.Device = (*Flash)(nil)

// New returns a bank in read-array mode with status ready.
func New(cfg Config) (*Flash, error) {
	n := len(cfg.Array)
	if n < SectorSize || n&(n-1) != 0 {
		return nil, fmt.Errorf("pflash: %s: size %#x is not a power of two of at least %#x", cfg.Name, n, SectorSize)
	}
	if n/SectorSize > 1<<16 {
		return nil, fmt.Errorf("pflash: %s: size %#x has more than 65536 blocks", cfg.Name, n)
	}
	f := &Flash{
		name:     cfg.Name,
		array:    cfg.Array,
		backing:  cfg.Backing,
		readOnly: cfg.ReadOnly,
		status:   srReady,
	}
	f.cfi = cfiTable(uint64(n))
	return f, nil
}

// Array returns the bank's contents (the slice given to New).
func (f *Flash) Array() []byte { return f.array }

// ReadArray reports whether the device is in read-array mode, where reads
// return the contents and the board may serve them from Array.
func (f *Flash) ReadArray() bool { return f.cmd == modeReadArray }

// ReadOnly reports whether program and erase are refused.
func (f *Flash) ReadOnly() bool { return f.readOnly }

// GuestErrors returns how many guest errors the bank has seen: unknown
// commands, bad sequences, program or erase of a read-only bank, bad
// buffered programs, bad accesses. The first of each kind is logged.
func (f *Flash) GuestErrors() uint64 { return f.guestErrors }

// Err returns the first error the backing store returned, or nil.
func (f *Flash) Err() error { return f.backingErr }

// Flush flushes the backing store, if any. The board calls it when the
// machine stops or is saved; program and erase have already written their
// bytes with WriteAt.
func (f *Flash) Flush() error {
	if f.backing == nil {
		return nil
	}
	if err := f.backing.Flush(); err != nil {
		return fmt.Errorf("pflash: %s: flush: %w", f.name, err)
	}
	return nil
}

// Reset is a machine reset: read-array mode, status ready, no buffered
// program in progress. The contents are untouched (QEMU's
// pflash_cfi01_system_reset).
func (f *Flash) Reset() {
	was := f.ReadArray()
	f.cmd, f.wcycle, f.status = modeReadArray, 0, srReady
	f.bufActive, f.bufOffset = false, 0
	f.modeChanged(was)
}

// Guest error kinds, each logged the first time only.
const (
	errAccess = 1 << iota
	errUnknownCommand
	errBadSequence
	errReadOnly
	errBufferRange
	errBufferAbort
)

func (f *Flash) guestError(kind uint32, msg string, args ...any) {
	f.guestErrors++
	if f.logged&kind != 0 {
		return
	}
	f.logged |= kind
	args = append([]any{"bank", f.name}, args...)
	slog.Warn("guest error: pflash: "+msg+" (further ones of this kind are counted, not logged)", args...)
}

func fmtHex(v uint64) string { return fmt.Sprintf("%#x", v) }

// validAccess checks what the bus already guarantees, for callers that use
// the device directly.
func (f *Flash) validAccess(op string, off uint64, size int) bool {
	if (size != 1 && size != 2 && size != 4 && size != 8) || off >= uint64(len(f.array)) || uint64(size) > uint64(len(f.array))-off {
		f.guestError(errAccess, "bad access", "op", op, "offset", fmtHex(off), "size", size)
		return false
	}
	return true
}

// Read implements bus.Device.
func (f *Flash) Read(off uint64, size int) uint64 {
	if !f.validAccess("read", off, size) {
		return 0
	}
	if size == 8 {
		return uint64(f.read(off, 4)) | uint64(f.read(off+4, 4))<<32
	}
	return uint64(f.read(off, size)) & sizeMask(size)
}

// read returns what a 1-, 2- or 4-byte read sees, before truncation to
// size.
func (f *Flash) read(off uint64, size int) uint32 {
	switch f.cmd {
	case modeReadArray:
		switch size {
		case 1:
			return uint32(f.array[off])
		case 2:
			return uint32(binary.LittleEndian.Uint16(f.array[off:]))
		default:
			return binary.LittleEndian.Uint32(f.array[off:])
		}
	case cmdReadID:
		return replicate(f.identifier(off))
	case cmdReadQuery:
		return replicate(f.query(off))
	default:
		// Status-returning states: 0x10, 0x20, 0x40, 0x60, 0x70, 0xe8.
		// QEMU puts the second chip's copy in only when the access is
		// wider than one chip.
		s := uint32(f.status)
		if size > DeviceWidth {
			s = replicate(s)
		}
		return s
	}
}

// replicate puts one chip's 16-bit reply on both chips' lanes.
func replicate(v uint32) uint32 { return v&0xffff | v<<16 }

// identifier is one chip's read-identifier reply at bank offset off. Each
// chip sees bus word n = off/4 as its word address; the low 8 bits select
// the code, so the codes repeat at every block (where a real chip also
// gives the block's lock status at n=2: unlocked here).
func (f *Flash) identifier(off uint64) uint32 {
	switch (off / BankWidth) & 0xff {
	case 0:
		return ManufacturerID
	case 1:
		return DeviceID
	}
	return 0
}

// query is one chip's CFI query reply at bank offset off.
func (f *Flash) query(off uint64) uint32 {
	if n := off / BankWidth; n < cfiTableLen {
		return uint32(f.cfi[n])
	}
	return 0
}

// Write implements bus.Device.
func (f *Flash) Write(off uint64, size int, val uint64) {
	if !f.validAccess("write", off, size) {
		return
	}
	was := f.ReadArray()
	if size == 8 {
		f.write(off, 4, uint32(val))
		f.write(off+4, 4, uint32(val>>32))
	} else {
		f.write(off, size, uint32(val&sizeMask(size)))
	}
	f.modeChanged(was)
}

// write runs one bus write cycle through the command state machine.
func (f *Flash) write(off uint64, size int, v uint32) {
	cmd := uint8(v)
	switch f.wcycle {
	case 0:
		f.firstCycle(off, cmd)
	case 1:
		f.secondCycle(off, size, v, cmd)
	case 2:
		f.bufferData(off, size, v)
	case 3:
		f.bufferConfirm(cmd)
	}
}

// firstCycle starts a command: the device is in read-array mode or has
// finished the previous command (reads then return status, identifier or
// query data).
func (f *Flash) firstCycle(off uint64, cmd uint8) {
	switch cmd {
	case cmdReadArray, cmdReadArrayZero, cmdAMDReset:
		f.readArrayMode()
	case cmdReadStatus, cmdReadID:
		f.cmd = cmd
	case cmdClearStatus:
		f.status = 0
		f.readArrayMode()
	case cmdProgram, cmdProgramAlt, cmdLockSetup, cmdReadQuery:
		f.cmd, f.wcycle = cmd, 1
	case cmdBlockErase:
		f.erase(off)
		f.cmd, f.wcycle = cmd, 1
	case cmdWriteToBuffer:
		// The buffer is always available: report it ready at once.
		f.status |= srReady
		f.cmd, f.wcycle = cmd, 1
	default:
		f.guestError(errUnknownCommand, "unknown command", "offset", fmtHex(off), "command", fmtHex(uint64(cmd)))
		f.readArrayMode()
	}
}

// secondCycle is the second bus cycle of a two-cycle command.
func (f *Flash) secondCycle(off uint64, size int, v uint32, cmd uint8) {
	switch f.cmd {
	case cmdProgram, cmdProgramAlt:
		f.program(off, size, v)
		f.status |= srReady
		f.wcycle = 0
	case cmdBlockErase:
		switch cmd {
		case cmdConfirm:
			f.status |= srReady
			f.wcycle = 0
		case cmdReadArray:
			f.readArrayMode()
		default:
			f.guestError(errBadSequence, "block erase not confirmed", "offset", fmtHex(off), "value", fmtHex(uint64(v)))
			f.readArrayMode()
		}
	case cmdLockSetup:
		switch cmd {
		case cmdLockBlock, cmdConfirm:
			f.status |= srReady
			f.wcycle = 0
		case cmdReadArray:
			f.readArrayMode()
		default:
			f.guestError(errBadSequence, "unknown lock command", "offset", fmtHex(off), "value", fmtHex(uint64(v)))
			f.readArrayMode()
		}
	case cmdWriteToBuffer:
		// The word count, minus one, in one chip's lane.
		f.counter = v & (1<<(8*DeviceWidth) - 1)
		f.wcycle = 2
	case cmdReadQuery:
		// Query mode is left by read array only; QEMU ignores the rest
		// (U-Boot's reset sequence writes 0xf0 here first).
		if cmd == cmdReadArray {
			f.readArrayMode()
		}
	default:
		panic(fmt.Sprintf("BUG: pflash: command %#x in write cycle 1", f.cmd))
	}
}

// bufferData takes one data write of a buffered program. The first one
// picks the buffer's window.
func (f *Flash) bufferData(off uint64, size int, v uint32) {
	if !f.bufActive {
		f.bufOffset = off &^ (WriteBufferSize - 1)
		copy(f.buf[:], f.array[f.bufOffset:f.bufOffset+WriteBufferSize])
		f.bufActive = true
	}
	switch {
	case f.readOnly:
		f.guestError(errReadOnly, "program of a read-only bank", "offset", fmtHex(off))
		f.status |= srProgramError
	case off < f.bufOffset || off+uint64(size) > f.bufOffset+WriteBufferSize:
		f.guestError(errBufferRange, "buffered program data outside the write buffer",
			"offset", fmtHex(off), "size", size, "buffer", fmtHex(f.bufOffset))
		f.status |= srProgramError
	default:
		putLE(f.buf[off-f.bufOffset:], size, v)
	}
	f.status |= srReady
	if f.counter == 0 {
		f.wcycle = 3
		return
	}
	f.counter--
}

// bufferConfirm ends a buffered program: 0xd0 with no program error
// writes the buffer to the array; anything else discards it.
func (f *Flash) bufferConfirm(cmd uint8) {
	if cmd == cmdConfirm && f.status&srProgramError == 0 {
		copy(f.array[f.bufOffset:], f.buf[:])
		f.changed(f.bufOffset, WriteBufferSize)
		f.bufActive = false
		f.status |= srReady
		f.wcycle = 0
		return
	}
	if cmd != cmdConfirm {
		f.guestError(errBufferAbort, "buffered program not confirmed: discarded", "value", fmtHex(uint64(cmd)))
	}
	f.bufActive = false
	f.readArrayMode()
}

func (f *Flash) readArrayMode() { f.cmd, f.wcycle = modeReadArray, 0 }

// program writes size bytes of v at off (overwriting: see the package
// comment).
func (f *Flash) program(off uint64, size int, v uint32) {
	if f.readOnly {
		f.guestError(errReadOnly, "program of a read-only bank", "offset", fmtHex(off))
		f.status |= srProgramError
		return
	}
	putLE(f.array[off:], size, v)
	f.changed(off, size)
}

// erase erases the block holding off.
func (f *Flash) erase(off uint64) {
	f.status |= srReady
	if f.readOnly {
		f.guestError(errReadOnly, "erase of a read-only bank", "offset", fmtHex(off))
		f.status |= srEraseError
		return
	}
	base := off &^ (SectorSize - 1)
	block := f.array[base : base+SectorSize]
	for i := range block {
		block[i] = 0xff
	}
	f.changed(base, SectorSize)
}

// changed writes array bytes [off, off+n) through to the backing store
// and tells the board.
func (f *Flash) changed(off uint64, n int) {
	if f.backing != nil {
		if _, err := f.backing.WriteAt(f.array[off:off+uint64(n)], int64(off)); err != nil {
			f.backingErrs++
			if f.backingErr == nil {
				f.backingErr = fmt.Errorf("pflash: %s: write at %#x: %w", f.name, off, err)
				slog.Error("pflash: backing store write failed; the guest is not told", "bank", f.name, "err", err)
			}
		}
	}
	if f.OnArrayWrite != nil {
		f.OnArrayWrite(off, n)
	}
}

func (f *Flash) modeChanged(was bool) {
	if now := f.ReadArray(); now != was && f.OnArrayMode != nil {
		f.OnArrayMode(now)
	}
}

func putLE(b []byte, size int, v uint32) {
	switch size {
	case 1:
		b[0] = byte(v)
	case 2:
		binary.LittleEndian.PutUint16(b, uint16(v))
	default:
		binary.LittleEndian.PutUint32(b, v)
	}
}

func sizeMask(size int) uint64 { return 1<<(8*uint(size)) - 1 }

// Describe writes the bank's state for a person debugging a hang.
func (f *Flash) Describe(w io.Writer) {
	mode := "read-array"
	if !f.ReadArray() {
		mode = fmt.Sprintf("command %#02x cycle %d", f.cmd, f.wcycle)
	}
	buf := "none"
	if f.bufActive {
		buf = fmt.Sprintf("[%#x,%#x) %d writes to go", f.bufOffset, f.bufOffset+WriteBufferSize, f.counter+1)
	}
	fmt.Fprintf(w, "pflash %s: %s status=%#02x buffer=%s read-only=%v guest-errors=%d backing-errors=%d\n",
		f.name, mode, f.status, buf, f.readOnly, f.guestErrors, f.backingErrs)
}

// CFI query table, one chip's view (JESD68; Intel AP-646 for the primary
// vendor-specific extended table). Byte n answers a query read of bus word
// n; QEMU's table is 0x52 bytes long and reads past it return 0.
const cfiTableLen = 0x52

// Query table offsets (JESD68 tables 2-5).
const (
	cfiQRY             = 0x10 // "QRY"
	cfiPrimaryCmdSet   = 0x13 // 16 bits: 0x0001 Intel/Sharp extended
	cfiPrimaryExtTable = 0x15 // 16 bits: address of the "PRI" table
	cfiVccMin          = 0x1b // BCD volts: 4.5 V
	cfiVccMax          = 0x1c // 5.5 V
	cfiWordProgTyp     = 0x1f // 2^n us
	cfiBufProgTyp      = 0x20 // 2^n us
	cfiBlockEraseTyp   = 0x21 // 2^n ms
	cfiWordProgMax     = 0x23 // 2^n times typical
	cfiBufProgMax      = 0x24
	cfiBlockEraseMax   = 0x25
	cfiDeviceSize      = 0x27 // 2^n bytes per chip
	cfiInterface       = 0x28 // 16 bits: 0x0002 x8/x16 asynchronous
	cfiMaxBuffer       = 0x2a // 16 bits: 2^n bytes per chip
	cfiEraseRegions    = 0x2c
	cfiEraseRegion1    = 0x2d // 16 bits blocks-1, 16 bits block size/256
	cfiPRI             = 0x31 // "PRI", version "1" "0", features
	cfiProtFields      = 0x3f // number of protection register fields
)

// cfiTable builds the query table of one chip of a bank of size bytes, with
// QEMU's values: its timing fields, a "PRI" 1.0 table reporting no optional
// features (no suspend, no lock bits), one protection field.
func cfiTable(size uint64) [cfiTableLen]byte {
	var t [cfiTableLen]byte
	blocks := size / SectorSize
	chipBlock := uint64(SectorSize / numChips)
	copy(t[cfiQRY:], "QRY")
	t[cfiPrimaryCmdSet] = 0x01
	t[cfiPrimaryExtTable] = cfiPRI
	t[cfiVccMin] = 0x45
	t[cfiVccMax] = 0x55
	t[cfiWordProgTyp] = 7
	t[cfiBufProgTyp] = 7
	t[cfiBlockEraseTyp] = 10
	t[cfiWordProgMax] = 4
	t[cfiBufProgMax] = 4
	t[cfiBlockEraseMax] = 4
	t[cfiDeviceSize] = byte(bits.TrailingZeros64(chipBlock * blocks))
	t[cfiInterface] = 0x02
	t[cfiMaxBuffer] = bufferSizeLog2
	t[cfiEraseRegions] = 1
	binary.LittleEndian.PutUint16(t[cfiEraseRegion1:], uint16(blocks-1))
	binary.LittleEndian.PutUint16(t[cfiEraseRegion1+2:], uint16(chipBlock>>8))
	copy(t[cfiPRI:], "PRI10")
	t[cfiProtFields] = 1
	return t
}

// StateVersion is the version of State this package writes.
const StateVersion = 1

// State is a snapshot of the command state machine, not of the contents
// (which live in the backing image or the board's saved memory). Cmd and
// WCycle are QEMU's: Cmd 0 is read-array mode; otherwise Cmd is the
// command in progress or last completed and WCycle its bus cycles so far.
// Buffer holds the write buffer's WriteBufferSize bytes while a buffered
// program has taken data (BufferActive), for the window at BufferOffset.
type State struct {
	Version      int
	Cmd          uint8
	WCycle       uint8
	Status       uint8
	Counter      uint32
	BufferActive bool
	BufferOffset uint64
	Buffer       []byte
}

// State returns a snapshot of the bank's state machine.
func (f *Flash) State() State {
	s := State{
		Version: StateVersion,
		Cmd:     f.cmd, WCycle: f.wcycle, Status: f.status, Counter: f.counter,
		BufferActive: f.bufActive,
	}
	if f.bufActive {
		s.BufferOffset = f.bufOffset
		s.Buffer = append([]byte(nil), f.buf[:]...)
	}
	return s
}

// ErrBadState is wrapped by every error Restore returns.
var ErrBadState = errors.New("pflash: bad state")

// maxWCycle is the last write cycle each command state can be in.
var maxWCycle = map[uint8]uint8{
	modeReadArray:    0,
	cmdReadStatus:    0,
	cmdReadID:        0,
	cmdProgram:       1,
	cmdProgramAlt:    1,
	cmdBlockErase:    1,
	cmdLockSetup:     1,
	cmdWriteToBuffer: 3,
}

// Restore replaces the bank's state with s after checking it; on error the
// bank is unchanged. It calls OnArrayMode if the mode changes.
func (f *Flash) Restore(s State) error {
	if err := f.check(s); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrBadState, f.name, err)
	}
	was := f.ReadArray()
	f.cmd, f.wcycle, f.status, f.counter = s.Cmd, s.WCycle, s.Status, s.Counter
	f.bufActive, f.bufOffset = s.BufferActive, 0
	if s.BufferActive {
		f.bufOffset = s.BufferOffset
		copy(f.buf[:], s.Buffer)
	}
	f.modeChanged(was)
	return nil
}

func (f *Flash) check(s State) error {
	if s.Version != StateVersion {
		return fmt.Errorf("version %d, want %d", s.Version, StateVersion)
	}
	switch max, ok := maxWCycle[s.Cmd]; {
	case s.Cmd == cmdReadQuery:
		// Query mode is always in its second cycle.
		if s.WCycle != 1 {
			return fmt.Errorf("query mode in write cycle %d", s.WCycle)
		}
	case !ok:
		return fmt.Errorf("unknown command state %#x", s.Cmd)
	case s.WCycle > max:
		return fmt.Errorf("command %#x in write cycle %d", s.Cmd, s.WCycle)
	}
	if s.Status&^srDefined != 0 {
		return fmt.Errorf("status %#x has bits the device never sets", s.Status)
	}
	if s.Counter >= 1<<(8*DeviceWidth) {
		return fmt.Errorf("buffer count %d", s.Counter)
	}
	inBuffer := s.Cmd == cmdWriteToBuffer && s.WCycle >= 2
	switch {
	case !s.BufferActive:
		if s.BufferOffset != 0 || len(s.Buffer) != 0 {
			return errors.New("buffer contents without a buffered program")
		}
		if inBuffer && s.WCycle == 3 {
			return errors.New("buffered program awaiting confirm without a buffer")
		}
	case !inBuffer:
		return fmt.Errorf("write buffer active in command %#x cycle %d", s.Cmd, s.WCycle)
	case len(s.Buffer) != WriteBufferSize:
		return fmt.Errorf("write buffer of %d bytes, want %d", len(s.Buffer), WriteBufferSize)
	case s.BufferOffset%WriteBufferSize != 0 || s.BufferOffset >= uint64(len(f.array)):
		return fmt.Errorf("write buffer at %#x", s.BufferOffset)
	}
	return nil
}
