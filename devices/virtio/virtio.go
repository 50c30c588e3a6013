// Package virtio is what every virtio device shares, apart from any
// transport (virtio 1.2, OASIS, "Virtual I/O Device (VIRTIO) Version 1.2"):
// the device interface a transport drives, the feature and status bits,
// and split virtqueues (§2.7) whose descriptor chains are checked in full
// before a device sees them and are read and written through bounds-checked
// Reader and Writer values, as crosvm does, so device code never indexes
// guest memory by hand.
//
// The transport lives in package virtio/mmio; each device type in its own
// package (blk, net, rng), unaware of the transport, as Firecracker and
// crosvm split them.
//
// Nothing a guest writes can panic the host: a malformed chain (an address
// outside RAM, a chain longer than its queue, a loop, a device-readable
// buffer after a device-writable one, a nested indirect table) makes the
// queue fail, and the transport puts the device in DEVICE_NEEDS_RESET with
// one guest-error log line, until the driver resets it.
package virtio

import "errors"

// Device IDs (virtio 1.2 §5).
const (
	IDNet     = 1
	IDBlock   = 2
	IDConsole = 3
	IDRNG     = 4
	IDGPU     = 16
	IDInput   = 18
	IDSound   = 25
)

// Transport-independent feature bits (§6).
const (
	FNotifyOnEmpty  = 1 << 24 // legacy only
	FAnyLayout      = 1 << 27 // legacy only; implied by VERSION_1
	FIndirectDesc   = 1 << 28 // VIRTIO_F_INDIRECT_DESC (§2.7.5.3)
	FEventIdx       = 1 << 29 // VIRTIO_F_EVENT_IDX (§2.7.7, §2.7.10)
	FVersion1       = 1 << 32 // VIRTIO_F_VERSION_1: a modern device
	FAccessPlatform = 1 << 33
)

// Device status bits (§2.1).
const (
	StatusAcknowledge      = 1
	StatusDriver           = 2
	StatusDriverOK         = 4
	StatusFeaturesOK       = 8
	StatusDeviceNeedsReset = 64
	StatusFailed           = 128
)

// Device is one virtio device type (block, network, entropy, ...) as its
// transport sees it. All methods are called on the machine's goroutine.
type Device interface {
	// ID is the virtio device ID (IDBlock, IDNet, ...).
	ID() uint32
	// Features returns the feature bits the device offers: its own and the
	// transport-independent ones it supports (FIndirectDesc, FEventIdx,
	// FVersion1 if it can be driven as a modern device).
	Features() uint64
	// QueueSizes returns the maximum size of each of the device's
	// virtqueues; its length is the number of queues.
	QueueSizes() []int
	// ReadConfig and WriteConfig access the device-specific configuration
	// space (little-endian). Out-of-range accesses read as zero and are
	// ignored, as guest errors.
	ReadConfig(off uint64, size int) uint64
	WriteConfig(off uint64, size int, val uint64)
	// Activate starts the device when the driver sets DRIVER_OK: features
	// are the negotiated ones, queues the device's virtqueues as the
	// driver configured them (a queue the driver did not enable has
	// Ready() false).
	Activate(t Transport, features uint64, queues []*Queue)
	// Notify tells the device that the driver made buffers available on
	// queue q (QueueNotify). Called only while the device is active.
	Notify(q int)
	// Reset stops the device and forgets the queues (a write of 0 to the
	// status register, or a machine reset).
	Reset()
}

// Transport is what an active device may ask of its transport.
type Transport interface {
	// ConfigChanged raises a configuration change notification (the
	// configuration space changed, e.g. a network link went up).
	ConfigChanged()
	// Fail puts the device in DEVICE_NEEDS_RESET because the driver broke
	// the protocol; it logs err once as a guest error.
	Fail(err error)
}

// Memory is guest physical memory as a device reaches it: DMA returns the
// host bytes of [addr, addr+n) when they lie entirely in RAM (write set:
// the caller will write them; see bus.Bus.DMA).
type Memory interface {
	DMA(addr uint64, n int, write bool) ([]byte, error)
}

// ErrQueue is wrapped by every error about a malformed virtqueue.
var ErrQueue = errors.New("virtio: malformed virtqueue")
