// Package mmio is the virtio-mmio transport (virtio 1.2 §4.2): a 0x200-byte
// register window through which a driver discovers one virtio device,
// negotiates features, sets up its virtqueues and is notified of used
// buffers through one interrupt line.
//
// Interface:
//   - MMIO: registers at 0x000..0x0fc are 32 bits wide and take only
//     aligned 4-byte accesses; the device configuration space from 0x100
//     takes 1-, 2- and 4-byte accesses. Other accesses are guest errors:
//     read as zero, write ignored.
//   - IRQ: one output, high while InterruptStatus is not zero (bit 0: used
//     buffer, bit 1: configuration change). QEMU's virt board describes it
//     as edge-triggered in the device tree and drives it as a level, as
//     this transport does.
//
// Both versions of the register interface are implemented: version 2
// (modern, the default here) and version 1 (legacy, QEMU's
// force-legacy=true, whose queues are placed by a page frame number).
// With no device behind it the transport reads as QEMU's empty one: magic,
// version and vendor as usual, device ID 0 and every other register zero.
//
// When the driver breaks the protocol (a malformed chain, a queue outside
// RAM), the device enters DEVICE_NEEDS_RESET with one guest-error line and
// a configuration change interrupt (modern) until the driver resets it.
package mmio

import (
	"errors"
	"fmt"
	"log/slog"

	"mimic/devices/bus"
	"mimic/devices/irq"
	"mimic/devices/virtio"
)

// WindowSize is the size of one transport's register window on QEMU's virt.
const WindowSize = 0x200

// Registers (virtio 1.2 §4.2.2 and, for version 1, §4.2.4).
const (
	regMagicValue        = 0x000
	regVersion           = 0x004
	regDeviceID          = 0x008
	regVendorID          = 0x00c
	regDeviceFeatures    = 0x010
	regDeviceFeaturesSel = 0x014
	regDriverFeatures    = 0x020
	regDriverFeaturesSel = 0x024
	regGuestPageSize     = 0x028 // legacy
	regQueueSel          = 0x030
	regQueueNumMax       = 0x034
	regQueueNum          = 0x038
	regQueueAlign        = 0x03c // legacy
	regQueuePFN          = 0x040 // legacy
	regQueueReady        = 0x044
	regQueueNotify       = 0x050
	regInterruptStatus   = 0x060
	regInterruptACK      = 0x064
	regStatus            = 0x070
	regQueueDescLow      = 0x080
	regQueueDescHigh     = 0x084
	regQueueDriverLow    = 0x090
	regQueueDriverHigh   = 0x094
	regQueueDeviceLow    = 0x0a0
	regQueueDeviceHigh   = 0x0a4
	regSHMSel            = 0x0ac
	regSHMLenLow         = 0x0b0
	regSHMLenHigh        = 0x0b4
	regSHMBaseLow        = 0x0b8
	regSHMBaseHigh       = 0x0bc
	regConfigGeneration  = 0x0fc
	regConfig            = 0x100
)

const (
	magic      = 0x74726976 // "virt"
	vendorQEMU = 0x554d4551 // "QEMU", as QEMU's transports report

	intUsed   = 1 << 0 // VIRTIO_MMIO_INT_VRING
	intConfig = 1 << 1 // VIRTIO_MMIO_INT_CONFIG
)

// Transport is one virtio-mmio register window. Create it with New. It is
// driven from the machine's goroutine only.
type Transport struct {
	name   string
	mem    virtio.Memory
	dev    virtio.Device // nil: an empty slot
	line   irq.Line
	legacy bool

	devFeatSel, drvFeatSel uint32
	driverFeatures         uint64
	queueSel               uint32
	queues                 []*virtio.Queue
	align, pfn             []uint32 // legacy queue placement
	guestPageSize          uint32
	status                 uint32
	intStatus              uint32
	configGen              uint32
	level                  bool
	active                 bool
	needsReset             bool

	guestErrors uint64
}

var (
	_ bus.Device       = (*Transport)(nil)
	_ virtio.Transport = (*Transport)(nil)
)

// New returns a transport named name (for log lines) presenting dev (nil
// for an empty slot) through memory mem, raising line. legacy selects the
// version 1 register interface.
func New(name string, mem virtio.Memory, dev virtio.Device, line irq.Line, legacy bool) *Transport {
	if line == nil {
		line = irq.None
	}
	t := &Transport{name: name, mem: mem, dev: dev, line: line, legacy: legacy}
	if dev != nil {
		sizes := dev.QueueSizes()
		t.queues = make([]*virtio.Queue, len(sizes))
		for i, n := range sizes {
			t.queues[i] = virtio.NewQueue(mem, n, t.Fail, t.usedBuffer)
		}
		t.align = make([]uint32, len(sizes))
		t.pfn = make([]uint32, len(sizes))
	}
	t.Reset()
	return t
}

// Device returns the device behind the transport (nil for an empty slot).
func (t *Transport) Device() virtio.Device { return t.dev }

// Legacy reports whether the transport presents the version 1 interface.
func (t *Transport) Legacy() bool { return t.legacy }

// GuestErrors returns how many guest errors the transport has seen.
func (t *Transport) GuestErrors() uint64 { return t.guestErrors }

// Status returns the device status register.
func (t *Transport) Status() uint32 { return t.status }

// Reset is a device reset: the driver wrote 0 to Status, or the machine
// was reset.
func (t *Transport) Reset() {
	if t.dev != nil {
		t.dev.Reset()
	}
	for i, q := range t.queues {
		q.Reset()
		t.align[i], t.pfn[i] = 4096, 0
	}
	t.devFeatSel, t.drvFeatSel, t.driverFeatures, t.queueSel = 0, 0, 0, 0
	t.guestPageSize = 4096
	t.status, t.intStatus = 0, 0
	t.active, t.needsReset = false, false
	t.updateLine(true)
}

func (t *Transport) guestError(msg string, args ...any) {
	t.guestErrors++
	slog.Warn("guest error: "+t.name+": "+msg, args...)
}

// Fail puts the device in DEVICE_NEEDS_RESET (virtio.Transport).
func (t *Transport) Fail(err error) {
	if t.needsReset {
		return
	}
	t.needsReset = true
	t.guestError("device needs reset", "err", err)
	for _, q := range t.queues {
		q.Fail(err) // comes back here, and returns
	}
	t.status |= virtio.StatusDeviceNeedsReset
	if !t.legacy {
		t.configGen++
		t.raise(intConfig)
	}
}

// ConfigChanged raises a configuration change notification
// (virtio.Transport).
func (t *Transport) ConfigChanged() {
	t.configGen++
	t.raise(intConfig)
}

func (t *Transport) usedBuffer() { t.raise(intUsed) }

func (t *Transport) raise(bits uint32) {
	t.intStatus |= bits
	t.updateLine(false)
}

func (t *Transport) updateLine(force bool) {
	level := t.intStatus != 0
	if level != t.level || force {
		t.level = level
		t.line.Set(level)
	}
}

// offered returns the feature bits the transport offers: the device's,
// with VERSION_1 only in modern mode and nothing above bit 31 in legacy
// mode (a legacy driver reads one word of features).
func (t *Transport) offered() uint64 {
	f := t.dev.Features()
	if t.legacy {
		return f & 0xffffffff
	}
	return f | virtio.FVersion1
}

func (t *Transport) queue() *virtio.Queue {
	if int(t.queueSel) < len(t.queues) {
		return t.queues[t.queueSel]
	}
	return nil
}

// Read implements bus.Device.
func (t *Transport) Read(off uint64, size int) uint64 {
	if off >= regConfig {
		if t.dev == nil {
			return 0
		}
		if size != 1 && size != 2 && size != 4 {
			t.guestError("bad config space access size", "offset", fmt.Sprintf("%#x", off), "size", size)
			return 0
		}
		return t.dev.ReadConfig(off-regConfig, size)
	}
	if size != 4 || off%4 != 0 {
		t.guestError("register read not 32-bit aligned", "offset", fmt.Sprintf("%#x", off), "size", size)
		return 0
	}
	switch off {
	case regMagicValue:
		return magic
	case regVersion:
		if t.legacy {
			return 1
		}
		return 2
	case regVendorID:
		return vendorQEMU
	}
	if t.dev == nil {
		return 0 // QEMU's empty transport: device ID 0, the rest zero
	}
	q := t.queue()
	switch off {
	case regDeviceID:
		return uint64(t.dev.ID())
	case regDeviceFeatures:
		if t.devFeatSel > 1 {
			return 0
		}
		return t.offered() >> (32 * t.devFeatSel) & 0xffffffff
	case regQueueNumMax:
		if q == nil {
			return 0 // the queue does not exist
		}
		return uint64(q.Max())
	case regQueuePFN:
		if !t.legacy || q == nil {
			break
		}
		return uint64(t.pfn[t.queueSel])
	case regQueueReady:
		if t.legacy || q == nil {
			break
		}
		return b2u(q.Ready())
	case regInterruptStatus:
		return uint64(t.intStatus)
	case regStatus:
		return uint64(t.status)
	case regConfigGeneration:
		if t.legacy {
			break
		}
		return uint64(t.configGen)
	case regSHMLenLow, regSHMLenHigh, regSHMBaseLow, regSHMBaseHigh:
		if t.legacy {
			break
		}
		// No shared memory regions: a length of -1 says "none" (§4.2.2).
		return 0xffffffff
	case regQueueDescLow, regQueueDescHigh, regQueueDriverLow, regQueueDriverHigh, regQueueDeviceLow, regQueueDeviceHigh:
		if t.legacy || q == nil {
			break
		}
		d, a, u := q.Addrs()
		v := u
		switch off {
		case regQueueDescLow, regQueueDescHigh:
			v = d
		case regQueueDriverLow, regQueueDriverHigh:
			v = a
		}
		if (off-regQueueDescLow)%8 == 4 {
			v >>= 32
		}
		return v & 0xffffffff
	case regDeviceFeaturesSel, regDriverFeatures, regDriverFeaturesSel, regGuestPageSize,
		regQueueSel, regQueueNum, regQueueAlign, regQueueNotify, regInterruptACK, regSHMSel:
		// Write-only registers read as zero, as QEMU's do.
		return 0
	}
	t.guestError("read of bad register", "offset", fmt.Sprintf("%#x", off))
	return 0
}

// Write implements bus.Device.
func (t *Transport) Write(off uint64, size int, val uint64) {
	if t.dev == nil {
		return
	}
	if off >= regConfig {
		if size != 1 && size != 2 && size != 4 {
			t.guestError("bad config space access size", "offset", fmt.Sprintf("%#x", off), "size", size)
			return
		}
		t.dev.WriteConfig(off-regConfig, size, val)
		return
	}
	if size != 4 || off%4 != 0 {
		t.guestError("register write not 32-bit aligned", "offset", fmt.Sprintf("%#x", off), "size", size)
		return
	}
	v := uint32(val)
	q := t.queue()
	switch off {
	case regDeviceFeaturesSel:
		t.devFeatSel = v
	case regDriverFeatures:
		if t.drvFeatSel > 1 {
			return
		}
		shift := 32 * t.drvFeatSel
		t.driverFeatures = t.driverFeatures&^(0xffffffff<<shift) | uint64(v)<<shift
	case regDriverFeaturesSel:
		t.drvFeatSel = v
	case regGuestPageSize:
		if !t.legacy {
			t.guestError("GuestPageSize written on a version 2 transport")
			return
		}
		if v == 0 || v&(v-1) != 0 {
			t.guestError("GuestPageSize not a power of two", "value", v)
			return
		}
		t.guestPageSize = v
	case regQueueSel:
		t.queueSel = v
	case regQueueNum:
		if q == nil {
			t.guestError("QueueNum for a queue that does not exist", "queue", t.queueSel)
			return
		}
		if !q.SetSize(v) {
			t.guestError("QueueNum is not a power of two up to QueueNumMax", "queue", t.queueSel, "num", v, "max", q.Max())
		}
	case regQueueAlign:
		if !t.legacy || q == nil {
			t.guestError("QueueAlign written", "queue", t.queueSel)
			return
		}
		if v == 0 || v&(v-1) != 0 {
			t.guestError("QueueAlign not a power of two", "value", v)
			return
		}
		t.align[t.queueSel] = v
	case regQueuePFN:
		if !t.legacy || q == nil {
			t.guestError("QueuePFN written", "queue", t.queueSel)
			return
		}
		t.setPFN(q, v)
	case regQueueReady:
		if t.legacy || q == nil {
			t.guestError("QueueReady written", "queue", t.queueSel)
			return
		}
		q.SetReady(v&1 != 0)
	case regQueueDescLow, regQueueDescHigh, regQueueDriverLow, regQueueDriverHigh, regQueueDeviceLow, regQueueDeviceHigh:
		if t.legacy || q == nil {
			t.guestError("queue address written", "queue", t.queueSel)
			return
		}
		if q.Ready() {
			t.guestError("queue address written while the queue is ready", "queue", t.queueSel)
			return
		}
		d, a, u := q.Addrs()
		set := func(p *uint64, high bool) {
			if high {
				*p = *p&0xffffffff | uint64(v)<<32
			} else {
				*p = *p&^0xffffffff | uint64(v)
			}
		}
		switch off {
		case regQueueDescLow, regQueueDescHigh:
			set(&d, off == regQueueDescHigh)
		case regQueueDriverLow, regQueueDriverHigh:
			set(&a, off == regQueueDriverHigh)
		default:
			set(&u, off == regQueueDeviceHigh)
		}
		q.SetAddrs(d, a, u)
	case regQueueNotify:
		idx := v & 0xffff // VIRTIO_F_NOTIFICATION_DATA is not offered
		if int(idx) >= len(t.queues) {
			t.guestError("notify of a queue that does not exist", "queue", idx)
			return
		}
		if t.active && !t.needsReset {
			t.dev.Notify(int(idx))
		}
	case regInterruptACK:
		t.intStatus &^= v
		t.updateLine(false)
	case regStatus:
		t.setStatus(v)
	case regSHMSel:
	default:
		t.guestError("write of bad register", "offset", fmt.Sprintf("%#x", off), "value", fmt.Sprintf("%#x", v))
	}
}

// setPFN places a legacy queue: the descriptor table at PFN ·
// GuestPageSize, the driver ring right after it, the device ring at the
// next QueueAlign boundary (virtio 0.9.5 §2.3, "Virtqueue layout"). A PFN
// of 0 disables the queue.
func (t *Transport) setPFN(q *virtio.Queue, pfn uint32) {
	t.pfn[t.queueSel] = pfn
	if pfn == 0 {
		q.SetReady(false)
		return
	}
	n := uint64(q.Size())
	desc := uint64(pfn) * uint64(t.guestPageSize)
	avail := desc + 16*n
	align := uint64(t.align[t.queueSel])
	used := (avail + 6 + 2*n + align - 1) &^ (align - 1)
	q.SetAddrs(desc, avail, used)
	q.SetReady(true)
}

// setStatus handles a write to the status register (§2.1, §3.1).
func (t *Transport) setStatus(v uint32) {
	if v == 0 {
		t.Reset()
		return
	}
	if t.needsReset {
		v |= virtio.StatusDeviceNeedsReset
	}
	if !t.legacy && v&virtio.StatusFeaturesOK != 0 && t.status&virtio.StatusFeaturesOK == 0 {
		// The driver may only accept what was offered, and a modern
		// device needs VERSION_1 (§6.1); otherwise FEATURES_OK stays
		// clear, which tells the driver the device refused.
		if extra := t.driverFeatures &^ t.offered(); extra != 0 || t.driverFeatures&virtio.FVersion1 == 0 {
			t.guestError("driver features refused", "features", fmt.Sprintf("%#x", t.driverFeatures), "unoffered", fmt.Sprintf("%#x", extra))
			v &^= virtio.StatusFeaturesOK
		}
	}
	if !t.legacy && v&virtio.StatusDriverOK != 0 && v&virtio.StatusFeaturesOK == 0 && !t.active {
		t.guestError("DRIVER_OK without FEATURES_OK")
		v &^= virtio.StatusDriverOK
	}
	t.status = v
	if v&virtio.StatusDriverOK != 0 && !t.active && !t.needsReset {
		t.activate()
	}
}

func (t *Transport) activate() {
	features := t.driverFeatures & t.offered()
	for _, q := range t.queues {
		q.Negotiated(features)
	}
	t.active = true
	t.dev.Activate(t, features, t.queues)
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// StateVersion is the version of State this package writes.
const StateVersion = 1

// QueueState is one virtqueue's transport-visible state.
type QueueState struct {
	Size              uint16
	Ready             bool
	Desc, Avail, Used uint64
	LastAvail         uint16
	UsedIdx           uint16
	Align, PFN        uint32 // legacy placement
}

// State is a snapshot of the transport's registers and queues (the
// device behind it saves its own state).
type State struct {
	Version        int
	Legacy         bool
	DeviceID       uint32
	DevFeatSel     uint32
	DrvFeatSel     uint32
	DriverFeatures uint64
	QueueSel       uint32
	GuestPageSize  uint32
	Status         uint32
	IntStatus      uint32
	ConfigGen      uint32
	Active         bool
	NeedsReset     bool
	Queues         []QueueState
}

// State returns a snapshot of the transport.
func (t *Transport) State() State {
	s := State{
		Version: StateVersion, Legacy: t.legacy,
		DevFeatSel: t.devFeatSel, DrvFeatSel: t.drvFeatSel, DriverFeatures: t.driverFeatures,
		QueueSel: t.queueSel, GuestPageSize: t.guestPageSize,
		Status: t.status, IntStatus: t.intStatus, ConfigGen: t.configGen,
		Active: t.active, NeedsReset: t.needsReset,
	}
	if t.dev != nil {
		s.DeviceID = t.dev.ID()
	}
	for i, q := range t.queues {
		d, a, u := q.Addrs()
		s.Queues = append(s.Queues, QueueState{
			Size: uint16(q.Size()), Ready: q.Ready(), Desc: d, Avail: a, Used: u,
			LastAvail: q.LastAvail(), UsedIdx: q.UsedIdx(), Align: t.align[i], PFN: t.pfn[i],
		})
	}
	return s
}

// ErrBadState is wrapped by every error Restore returns.
var ErrBadState = errors.New("virtio-mmio: bad state")

// Restore replaces the transport's state with s after checking it against
// this transport's device. An active device is activated again with the
// restored queues (restore the device's own state afterwards). On error
// the transport is unchanged.
func (t *Transport) Restore(s State) error {
	var id uint32
	if t.dev != nil {
		id = t.dev.ID()
	}
	switch {
	case s.Version != StateVersion:
		return fmt.Errorf("%w: version %d, want %d", ErrBadState, s.Version, StateVersion)
	case s.Legacy != t.legacy:
		return fmt.Errorf("%w: legacy=%v, this transport is legacy=%v", ErrBadState, s.Legacy, t.legacy)
	case s.DeviceID != id:
		return fmt.Errorf("%w: device ID %d, this transport has %d", ErrBadState, s.DeviceID, id)
	case len(s.Queues) != len(t.queues):
		return fmt.Errorf("%w: %d queues, the device has %d", ErrBadState, len(s.Queues), len(t.queues))
	case s.GuestPageSize == 0 || s.GuestPageSize&(s.GuestPageSize-1) != 0:
		return fmt.Errorf("%w: guest page size %d", ErrBadState, s.GuestPageSize)
	case s.IntStatus&^(intUsed|intConfig) != 0:
		return fmt.Errorf("%w: interrupt status %#x", ErrBadState, s.IntStatus)
	}
	for i, qs := range s.Queues {
		max := uint16(t.queues[i].Max())
		if qs.Size == 0 || qs.Size > max || qs.Size&(qs.Size-1) != 0 {
			return fmt.Errorf("%w: queue %d size %d (max %d)", ErrBadState, i, qs.Size, max)
		}
		if qs.Align == 0 || qs.Align&(qs.Align-1) != 0 {
			return fmt.Errorf("%w: queue %d alignment %d", ErrBadState, i, qs.Align)
		}
	}
	if t.dev != nil {
		t.dev.Reset()
	}
	t.devFeatSel, t.drvFeatSel, t.driverFeatures = s.DevFeatSel, s.DrvFeatSel, s.DriverFeatures
	t.queueSel, t.guestPageSize = s.QueueSel, s.GuestPageSize
	t.status, t.intStatus, t.configGen = s.Status, s.IntStatus, s.ConfigGen
	t.active, t.needsReset = false, false
	for i, qs := range s.Queues {
		q := t.queues[i]
		q.Reset()
		q.SetSize(uint32(qs.Size))
		q.SetAddrs(qs.Desc, qs.Avail, qs.Used)
		q.SetIndexes(qs.LastAvail, qs.UsedIdx)
		t.align[i], t.pfn[i] = qs.Align, qs.PFN
		if qs.Ready {
			q.SetReady(true)
		}
	}
	if s.NeedsReset {
		t.Fail(fmt.Errorf("%w: restored in DEVICE_NEEDS_RESET", virtio.ErrQueue))
	} else if s.Active {
		t.activate()
	}
	t.updateLine(true)
	return nil
}
