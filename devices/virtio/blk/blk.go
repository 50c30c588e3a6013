// Package blk is the virtio block device (virtio 1.2 §5.2), QEMU's
// virtio-blk-device: one request queue of 256 entries over a disk image.
//
// Requests are served synchronously on the machine's goroutine when the
// driver kicks the queue: reads and writes go straight between the image
// and guest memory (no bounce buffer, so memory use does not grow with the
// request or the disk), and the used-buffer interrupt follows at once.
// That keeps deterministic (--icount) runs deterministic and costs little:
// a guest waits for its request either way, and page-cache I/O is fast.
//
// What the driver may ask (feature bits offered, as QEMU's defaults):
// SEG_MAX, GEOMETRY, BLK_SIZE, TOPOLOGY, FLUSH, CONFIG_WCE, DISCARD,
// WRITE_ZEROES, RO for a read-only image, plus INDIRECT_DESC and
// EVENT_IDX. Requests: IN, OUT, FLUSH, GET_ID, DISCARD, WRITE_ZEROES;
// anything else completes with VIRTIO_BLK_S_UNSUPP.
//
// Guest errors: a request outside the disk, a data length that is not a
// whole number of sectors, or a write to a read-only disk completes with
// VIRTIO_BLK_S_IOERR, as QEMU's does; a chain too short to hold a header
// and a status byte cannot be completed at all and fails the queue
// (DEVICE_NEEDS_RESET). A host I/O error completes with IOERR and is
// logged; the image is never written except as the guest asked.
package blk

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"mimic/devices/virtio"
)

// Backend is the disk image behind the device (devices/disk.Image
// satisfies it). Offsets and lengths are in bytes.
type Backend interface {
	ReadAt(p []byte, off int64) (int, error)
	WriteAt(p []byte, off int64) (int, error)
	Size() int64
	Flush() error
	Discard(off, n int64) error
	WriteZeroes(off, n int64, mayUnmap bool) error
	ReadOnly() bool
}

// Feature bits (§5.2.3).
const (
	FSizeMax     = 1 << 1
	FSegMax      = 1 << 2
	FGeometry    = 1 << 4
	FRO          = 1 << 5
	FBlkSize     = 1 << 6
	FFlush       = 1 << 9
	FTopology    = 1 << 10
	FConfigWCE   = 1 << 11
	FDiscard     = 1 << 13
	FWriteZeroes = 1 << 14
)

// Request types and status values (§5.2.6).
const (
	tIn          = 0
	tOut         = 1
	tFlush       = 4
	tGetID       = 8
	tDiscard     = 11
	tWriteZeroes = 13

	sOK     = 0
	sIOErr  = 1
	sUnsupp = 2
)

const (
	sectorSize = 512
	// QueueSize is the request queue's size, QEMU's default.
	QueueSize = 256
	// segMax is how many data segments a request may have: QEMU's
	// queue size - 2 (the header and status take two descriptors).
	segMax = QueueSize - 2
	// idBytes is the length of GET_ID's answer (VIRTIO_BLK_ID_BYTES).
	idBytes = 20
	// maxZeroSectors bounds one DISCARD or WRITE_ZEROES segment (QEMU's
	// max-discard-sectors and max-write-zeroes-sectors default to its
	// largest request, 2^30 - 1 bytes rounded down to sectors).
	maxZeroSectors = (1<<30 - 1) / sectorSize
)

// Config space layout (§5.2.4), the fields Mimic fills.
const (
	cfgCapacity          = 0
	cfgSegMax            = 12
	cfgCylinders         = 16
	cfgHeads             = 18
	cfgSectors           = 19
	cfgBlkSize           = 20
	cfgPhysBlockExp      = 24
	cfgWriteback         = 32
	cfgNumQueues         = 34
	cfgMaxDiscardSectors = 36
	cfgMaxDiscardSeg     = 40
	cfgDiscardAlign      = 44
	cfgMaxWZSectors      = 48
	cfgMaxWZSeg          = 52
	cfgWZMayUnmap        = 56
	configSize           = 60
)

// Device is one virtio block device. Create it with New.
type Device struct {
	disk   Backend
	serial string

	config    [configSize]byte
	writeback bool
	features  uint64
	q         *virtio.Queue
	active    bool

	stats Stats
}

// Stats counts the device's work.
type Stats struct {
	Reads, Writes, Flushes, Discards, WriteZeroes uint64
	ReadBytes, WriteBytes                         uint64
	IOErrors, GuestErrors                         uint64
}

var _ virtio.Device = (*Device)(nil)

// New returns a block device over disk. serial is what GET_ID reports (at
// most 20 bytes are used, as QEMU's serial= property).
func New(disk Backend, serial string) *Device {
	d := &Device{disk: disk, serial: serial, writeback: true}
	d.fillConfig()
	return d
}

func (d *Device) fillConfig() {
	c := d.config[:]
	clear(c)
	binary.LittleEndian.PutUint64(c[cfgCapacity:], uint64(d.disk.Size())/sectorSize)
	binary.LittleEndian.PutUint32(c[cfgSegMax:], segMax)
	// QEMU's default geometry for a virtio disk (hd_geometry_guess's
	// LBA translation is not modelled): 16 heads, 63 sectors.
	cyl := uint64(d.disk.Size()) / sectorSize / (16 * 63)
	binary.LittleEndian.PutUint16(c[cfgCylinders:], uint16(min(cyl, 65535)))
	c[cfgHeads] = 16
	c[cfgSectors] = 63
	binary.LittleEndian.PutUint32(c[cfgBlkSize:], sectorSize)
	c[cfgPhysBlockExp] = 0
	c[cfgWriteback] = b2u8(d.writeback)
	binary.LittleEndian.PutUint16(c[cfgNumQueues:], 1)
	binary.LittleEndian.PutUint32(c[cfgMaxDiscardSectors:], maxZeroSectors)
	binary.LittleEndian.PutUint32(c[cfgMaxDiscardSeg:], 1)
	binary.LittleEndian.PutUint32(c[cfgDiscardAlign:], 1)
	binary.LittleEndian.PutUint32(c[cfgMaxWZSectors:], maxZeroSectors)
	binary.LittleEndian.PutUint32(c[cfgMaxWZSeg:], 1)
	c[cfgWZMayUnmap] = 1
}

// Stats returns the device's counters.
func (d *Device) Stats() Stats { return d.stats }

// ID implements virtio.Device.
func (d *Device) ID() uint32 { return virtio.IDBlock }

// Features implements virtio.Device.
func (d *Device) Features() uint64 {
	f := uint64(FSegMax | FGeometry | FBlkSize | FTopology | FFlush | FConfigWCE |
		virtio.FIndirectDesc | virtio.FEventIdx | virtio.FVersion1)
	if d.disk.ReadOnly() {
		f |= FRO
	} else {
		f |= FDiscard | FWriteZeroes
	}
	return f
}

// QueueSizes implements virtio.Device.
func (d *Device) QueueSizes() []int { return []int{QueueSize} }

// ReadConfig implements virtio.Device.
func (d *Device) ReadConfig(off uint64, size int) uint64 {
	if off+uint64(size) > configSize {
		return 0
	}
	var b [8]byte
	copy(b[:], d.config[off:off+uint64(size)])
	return binary.LittleEndian.Uint64(b[:])
}

// WriteConfig implements virtio.Device. Only the writeback byte is
// writable (with VIRTIO_BLK_F_CONFIG_WCE): 0 makes every write reach
// stable storage before it completes.
func (d *Device) WriteConfig(off uint64, size int, val uint64) {
	if off == cfgWriteback && size == 1 {
		d.writeback = val&1 != 0
		d.config[cfgWriteback] = b2u8(d.writeback)
		return
	}
	d.stats.GuestErrors++
	slog.Warn("guest error: virtio-blk: write to read-only config field", "offset", off, "size", size)
}

// Activate implements virtio.Device.
func (d *Device) Activate(t virtio.Transport, features uint64, qs []*virtio.Queue) {
	d.features, d.q, d.active = features, qs[0], true
	if features&FConfigWCE == 0 && features&FFlush == 0 {
		// A driver that cannot flush gets writethrough (§5.2.5.1).
		d.writeback = false
		d.config[cfgWriteback] = 0
	}
	d.Notify(0)
}

// Reset implements virtio.Device.
func (d *Device) Reset() {
	d.q, d.active, d.features = nil, false, 0
	d.writeback = true
	d.fillConfig()
}

// Notify implements virtio.Device: serve every available request.
func (d *Device) Notify(int) {
	if !d.active {
		return
	}
	for {
		c, ok := d.q.Pop()
		if !ok {
			break
		}
		n, ok := d.serve(c)
		if !ok {
			return
		}
		d.q.Push(c, n)
	}
	d.q.Signal()
}

// errGuest is a request the driver got wrong: IOERR, counted.
var errGuest = errors.New("bad request")

// serve handles one request and returns the used length; false when the
// chain cannot carry a status byte (the queue has failed).
func (d *Device) serve(c virtio.Chain) (uint32, bool) {
	r, w := c.Reader(), c.Writer()
	var hdr [16]byte
	if _, err := io.ReadFull(&r, hdr[:]); err != nil || w.Len() < 1 {
		d.q.Fail(fmt.Errorf("%w: virtio-blk request without a header or a status byte", virtio.ErrQueue))
		return 0, false
	}
	typ := binary.LittleEndian.Uint32(hdr[0:])
	sector := binary.LittleEndian.Uint64(hdr[8:])
	data := w.Len() - 1 // the last writable byte is the status
	status := uint8(sOK)
	var err error
	switch typ {
	case tIn:
		err = d.read(&w, sector, data)
	case tOut:
		err = d.write(&r, sector)
	case tFlush:
		d.stats.Flushes++
		err = d.disk.Flush()
	case tGetID:
		var id [idBytes]byte
		copy(id[:], d.serial)
		_, err = w.Write(id[:min(idBytes, data)])
	case tDiscard, tWriteZeroes:
		err = d.zero(&r, typ)
	default:
		status = sUnsupp
	}
	if err != nil {
		status = sIOErr
		if errors.Is(err, errGuest) {
			d.stats.GuestErrors++
			slog.Warn("guest error: virtio-blk: "+err.Error(), "type", typ, "sector", sector)
		} else {
			d.stats.IOErrors++
			slog.Error("virtio-blk: host I/O error", "type", typ, "sector", sector, "err", err)
		}
	}
	// Skip what is left of the data area; the status goes in the last
	// writable byte.
	for w.Len() > 1 {
		if _, err := w.Next(w.Len() - 1); err != nil {
			break
		}
	}
	w.Write([]byte{status})
	return w.Written(), true
}

// span checks that n bytes at sector lie within the disk.
func (d *Device) span(sector uint64, n int) (int64, error) {
	if n%sectorSize != 0 {
		return 0, fmt.Errorf("%w: length %d is not a whole number of sectors", errGuest, n)
	}
	size := uint64(d.disk.Size())
	if sector > size/sectorSize || uint64(n) > size-sector*sectorSize {
		return 0, fmt.Errorf("%w: %d bytes at sector %d beyond the %d-byte disk", errGuest, n, sector, size)
	}
	return int64(sector * sectorSize), nil
}

func (d *Device) read(w *virtio.Writer, sector uint64, n int) error {
	off, err := d.span(sector, n)
	if err != nil {
		return err
	}
	d.stats.Reads++
	for n > 0 {
		b, err := w.Next(n)
		if err != nil {
			return err
		}
		if _, err := d.disk.ReadAt(b, off); err != nil {
			return err
		}
		off += int64(len(b))
		n -= len(b)
		d.stats.ReadBytes += uint64(len(b))
	}
	return nil
}

func (d *Device) write(r *virtio.Reader, sector uint64) error {
	n := r.Len()
	off, err := d.span(sector, n)
	if err != nil {
		return err
	}
	if d.disk.ReadOnly() {
		return fmt.Errorf("%w: write to a read-only disk", errGuest)
	}
	d.stats.Writes++
	for n > 0 {
		b, err := r.Next(n)
		if err != nil {
			return err
		}
		if _, err := d.disk.WriteAt(b, off); err != nil {
			return err
		}
		off += int64(len(b))
		n -= len(b)
		d.stats.WriteBytes += uint64(len(b))
	}
	if !d.writeback {
		return d.disk.Flush()
	}
	return nil
}

// zero serves DISCARD and WRITE_ZEROES: one or more 16-byte segments
// {sector, num_sectors, flags} (§5.2.6); flags bit 0 is "unmap".
func (d *Device) zero(r *virtio.Reader, typ uint32) error {
	if d.disk.ReadOnly() {
		return fmt.Errorf("%w: discard or write-zeroes on a read-only disk", errGuest)
	}
	if r.Len() == 0 || r.Len()%16 != 0 {
		return fmt.Errorf("%w: %d bytes of discard/write-zeroes segments", errGuest, r.Len())
	}
	if r.Len() > 16 {
		return fmt.Errorf("%w: %d segments, max_*_seg is 1", errGuest, r.Len()/16)
	}
	var seg [16]byte
	if _, err := io.ReadFull(r, seg[:]); err != nil {
		return err
	}
	sector := binary.LittleEndian.Uint64(seg[0:])
	num := binary.LittleEndian.Uint32(seg[8:])
	flags := binary.LittleEndian.Uint32(seg[12:])
	if num > maxZeroSectors {
		return fmt.Errorf("%w: %d sectors in one segment", errGuest, num)
	}
	if flags&^1 != 0 || (typ == tDiscard && flags != 0) {
		return fmt.Errorf("%w: segment flags %#x", errGuest, flags)
	}
	off, err := d.span(sector, int(num)*sectorSize)
	if err != nil {
		return err
	}
	n := int64(num) * sectorSize
	if typ == tDiscard {
		d.stats.Discards++
		return d.disk.Discard(off, n)
	}
	d.stats.WriteZeroes++
	return d.disk.WriteZeroes(off, n, flags&1 != 0)
}

func b2u8(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

// StateVersion is the version of State this package writes.
const StateVersion = 1

// State is the device's own state beyond its transport: the write cache
// mode the driver chose. Requests are completed synchronously, so none is
// ever in flight at a snapshot.
type State struct {
	Version   int
	Writeback bool
}

// State returns a snapshot of the device.
func (d *Device) State() State { return State{Version: StateVersion, Writeback: d.writeback} }

// ErrBadState is wrapped by every error Restore returns.
var ErrBadState = errors.New("virtio-blk: bad state")

// Restore replaces the device's state with s (after the transport's).
func (d *Device) Restore(s State) error {
	if s.Version != StateVersion {
		return fmt.Errorf("%w: version %d, want %d", ErrBadState, s.Version, StateVersion)
	}
	d.writeback = s.Writeback
	d.config[cfgWriteback] = b2u8(s.Writeback)
	return nil
}
