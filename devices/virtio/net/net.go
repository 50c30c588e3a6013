// Package net is the virtio network device (virtio 1.2 §5.1), QEMU's
// virtio-net-device: one receive and one transmit queue over a host
// network back end that takes and gives plain Ethernet frames (the
// user-mode network, a tap device, a socket).
//
// Offloads, chosen because they move per-byte work out of the emulated
// guest into Go:
//   - VIRTIO_NET_F_CSUM and HOST_TSO4/6: the guest hands over frames with
//     the transport checksum left to the device, and TCP segments up to
//     64 KiB, which the device checksums and cuts to the MSS (§5.1.6.2).
//   - VIRTIO_NET_F_GUEST_CSUM: frames for the guest carry DATA_VALID, so
//     the guest does not verify checksums; the back end guarantees them.
//   - VIRTIO_NET_F_MRG_RXBUF: a frame may span several receive buffers.
//
// Frames from the back end arrive on its goroutines; they are queued (up
// to a bound, then dropped, as a NIC drops when its ring is full) and
// moved into receive buffers on the machine's goroutine, through the
// post function the board gives (the clock's Post).
package net

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"

	"mimic/devices/virtio"
)

// Backend is the host side of the link.
type Backend interface {
	// Send transmits one Ethernet frame from the guest; the frame is not
	// retained after Send returns.
	Send(frame []byte)
	// Attach sets the function the back end calls, from any goroutine,
	// with each Ethernet frame for the guest (copied by the callee).
	Attach(deliver func(frame []byte))
}

// Feature bits (§5.1.3).
const (
	FCsum      = 1 << 0
	FGuestCsum = 1 << 1
	FMAC       = 1 << 5
	FGuestTSO4 = 1 << 7
	FHostTSO4  = 1 << 11
	FHostTSO6  = 1 << 12
	FHostECN   = 1 << 13
	FMrgRxBuf  = 1 << 15
	FStatus    = 1 << 16
)

// virtio_net_hdr (§5.1.6).
const (
	hdrFNeedsCsum = 1
	hdrFDataValid = 2

	gsoNone  = 0
	gsoTCPv4 = 1
	gsoTCPv6 = 4
	gsoECN   = 0x80

	hdrLen       = 12 // with VERSION_1 or MRG_RXBUF
	hdrLenLegacy = 10
)

const (
	rxQueue = 0
	txQueue = 1
	// QueueSize is each queue's size, QEMU's default.
	QueueSize = 256
	// maxFrame bounds one frame from the guest: 64 KiB of TSO payload
	// plus headers.
	maxFrame = 65536 + 14 + 60 + 60
	// maxPending bounds the frames waiting for receive buffers.
	maxPending = 1024

	statusLinkUp = 1
)

// Device is one virtio-net device. Create it with New.
type Device struct {
	mac     [6]byte
	backend Backend
	post    func(func())

	features uint64
	rx, tx   *virtio.Queue
	active   bool
	hdrLen   int
	txBuf    []byte
	segBuf   []byte
	rxParts  []virtio.Chain

	mu       sync.Mutex
	pending  [][]byte // frames for the guest, oldest first
	free     [][]byte // recycled frame buffers
	draining bool     // a drain is posted

	stats Stats
}

// Stats counts the device's traffic.
type Stats struct {
	TxFrames, TxBytes, TxSegmented uint64
	RxFrames, RxBytes, RxDropped   uint64
	GuestErrors                    uint64
}

var _ virtio.Device = (*Device)(nil)

// New returns a network device with the given MAC address over backend.
// post must run its argument on the machine's goroutine soon (the
// clock's Post); it is called from the back end's goroutines.
func New(mac [6]byte, backend Backend, post func(func())) *Device {
	d := &Device{mac: mac, backend: backend, post: post, hdrLen: hdrLen}
	backend.Attach(d.deliver)
	return d
}

// Stats returns the device's counters.
func (d *Device) Stats() Stats {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.stats
}

// ID implements virtio.Device.
func (d *Device) ID() uint32 { return virtio.IDNet }

// Features implements virtio.Device.
func (d *Device) Features() uint64 {
	return FCsum | FGuestCsum | FMAC | FHostTSO4 | FHostTSO6 | FHostECN | FMrgRxBuf | FStatus |
		virtio.FIndirectDesc | virtio.FEventIdx | virtio.FVersion1
}

// QueueSizes implements virtio.Device.
func (d *Device) QueueSizes() []int { return []int{QueueSize, QueueSize} }

// ReadConfig implements virtio.Device: mac[6], status (§5.1.4).
func (d *Device) ReadConfig(off uint64, size int) uint64 {
	var c [8]byte
	copy(c[:], d.mac[:])
	binary.LittleEndian.PutUint16(c[6:], statusLinkUp)
	if off+uint64(size) > uint64(len(c)) {
		return 0
	}
	var b [8]byte
	copy(b[:], c[off:off+uint64(size)])
	return binary.LittleEndian.Uint64(b[:])
}

// WriteConfig implements virtio.Device: a legacy driver may write the
// MAC address (without VIRTIO_NET_F_CTRL_MAC_ADDR, §5.1.4.2).
func (d *Device) WriteConfig(off uint64, size int, val uint64) {
	if off+uint64(size) <= 6 {
		for i := range size {
			d.mac[int(off)+i] = byte(val >> (8 * i))
		}
		return
	}
	d.stats.GuestErrors++
	slog.Warn("guest error: virtio-net: write to read-only config field", "offset", off, "size", size)
}

// Activate implements virtio.Device.
func (d *Device) Activate(_ virtio.Transport, features uint64, qs []*virtio.Queue) {
	d.features = features
	d.rx, d.tx = qs[rxQueue], qs[txQueue]
	d.hdrLen = hdrLen
	if features&(virtio.FVersion1|FMrgRxBuf) == 0 {
		d.hdrLen = hdrLenLegacy
	}
	d.active = true
	d.transmit()
	d.drain()
}

// Reset implements virtio.Device. Frames waiting for the guest are
// dropped.
func (d *Device) Reset() {
	d.active = false
	d.rx, d.tx, d.features = nil, nil, 0
	d.mu.Lock()
	for _, f := range d.pending {
		d.free = append(d.free, f)
	}
	d.pending = d.pending[:0]
	d.mu.Unlock()
}

// Notify implements virtio.Device.
func (d *Device) Notify(q int) {
	if !d.active {
		return
	}
	switch q {
	case txQueue:
		d.transmit()
	case rxQueue:
		d.drain()
	}
}

// deliver queues a frame from the back end (any goroutine).
func (d *Device) deliver(frame []byte) {
	d.mu.Lock()
	if len(d.pending) >= maxPending {
		d.stats.RxDropped++
		d.mu.Unlock()
		return
	}
	var b []byte
	if n := len(d.free); n > 0 {
		b, d.free = d.free[n-1][:0], d.free[:n-1]
	}
	d.pending = append(d.pending, append(b, frame...))
	post := !d.draining
	d.draining = true
	d.mu.Unlock()
	if post {
		d.post(d.drainPosted)
	}
}

func (d *Device) drainPosted() {
	d.mu.Lock()
	d.draining = false
	d.mu.Unlock()
	if d.active {
		d.drain()
	}
}

// drain moves waiting frames into receive buffers while there are both.
func (d *Device) drain() {
	if !d.active {
		return
	}
	delivered := false
	for {
		d.mu.Lock()
		if len(d.pending) == 0 {
			d.mu.Unlock()
			break
		}
		f := d.pending[0]
		d.mu.Unlock()
		if !d.receive(f) {
			break // no room: wait for the guest to add buffers
		}
		delivered = true
		d.mu.Lock()
		d.pending = d.pending[1:]
		d.free = append(d.free, f)
		d.stats.RxFrames++
		d.stats.RxBytes += uint64(len(f))
		d.mu.Unlock()
	}
	if delivered {
		d.rx.Signal()
	}
}

// receive writes one frame, after its header, into receive buffers: as
// many as it takes with MRG_RXBUF (num_buffers says how many), else one.
// It returns false, having taken nothing, when the buffers available
// cannot hold the frame yet. A frame that can never fit one buffer
// (without MRG_RXBUF) is dropped, as QEMU drops it.
func (d *Device) receive(frame []byte) bool {
	mrg := d.features&FMrgRxBuf != 0
	need := d.hdrLen + len(frame)
	parts := d.rxParts[:0]
	room := 0
	for room < need {
		c, ok := d.rx.Pop()
		if !ok {
			d.rx.Rewind(len(parts))
			return false
		}
		w := c.Writer()
		if len(parts) == 0 && w.Len() < d.hdrLen {
			d.rx.Fail(fmt.Errorf("%w: virtio-net receive buffer of %d bytes cannot hold the header", virtio.ErrQueue, w.Len()))
			return true
		}
		parts = append(parts, c)
		room += w.Len()
		if !mrg {
			break
		}
	}
	d.rxParts = parts[:0]
	if room < need {
		d.rx.Rewind(1)
		d.guestError("a %d-byte receive buffer cannot hold a %d-byte frame", room, len(frame))
		d.mu.Lock()
		d.stats.RxDropped++
		d.mu.Unlock()
		return true
	}
	var hdr [hdrLen]byte
	if d.features&FGuestCsum != 0 {
		hdr[0] = hdrFDataValid
	}
	binary.LittleEndian.PutUint16(hdr[10:], uint16(len(parts))) // num_buffers
	src := frame
	for i, c := range parts {
		w := c.Writer()
		if i == 0 {
			w.Write(hdr[:d.hdrLen])
		}
		n := min(w.Len(), len(src))
		w.Write(src[:n])
		src = src[n:]
		d.rx.Push(c, w.Written())
	}
	return true
}

// transmit sends every frame the guest queued.
func (d *Device) transmit() {
	sent := false
	for {
		c, ok := d.tx.Pop()
		if !ok {
			break
		}
		r := c.Reader()
		n := r.Len()
		if n < d.hdrLen || n > maxFrame+d.hdrLen {
			d.guestError("transmit chain of %d bytes", n)
			d.tx.Push(c, 0)
			sent = true
			continue
		}
		if cap(d.txBuf) < n {
			d.txBuf = make([]byte, n)
		}
		b := d.txBuf[:n]
		io.ReadFull(&r, b)
		d.send(b[:d.hdrLen], b[d.hdrLen:])
		d.tx.Push(c, 0)
		sent = true
	}
	if sent {
		d.tx.Signal()
	}
}

// send applies the header's offloads to frame and hands it to the back
// end.
func (d *Device) send(hdr, frame []byte) {
	flags, gso := hdr[0], hdr[1]
	csumStart := int(binary.LittleEndian.Uint16(hdr[6:]))
	csumOff := int(binary.LittleEndian.Uint16(hdr[8:]))
	if gso&^gsoECN != gsoNone {
		if d.features&(FHostTSO4|FHostTSO6) == 0 {
			d.guestError("GSO frame without HOST_TSO negotiated")
			return
		}
		mss := int(binary.LittleEndian.Uint16(hdr[4:]))
		segs, err := segmentTCP(frame, gso&^gsoECN, mss, &d.segBuf, func(f []byte) { d.out(f) })
		if err != nil {
			d.guestError("%v", err)
			return
		}
		d.mu.Lock()
		d.stats.TxSegmented += uint64(segs)
		d.mu.Unlock()
		return
	}
	if flags&hdrFNeedsCsum != 0 {
		if d.features&FCsum == 0 || csumStart+csumOff+2 > len(frame) || csumStart > len(frame) {
			d.guestError("NEEDS_CSUM with start %d offset %d in a %d-byte frame", csumStart, csumOff, len(frame))
			return
		}
		// The transport checksum over [csum_start, end), seeded with the
		// pseudo-header sum the guest left in the field (§5.1.6.2).
		sum := checksum(frame[csumStart:], 0)
		binary.BigEndian.PutUint16(frame[csumStart+csumOff:], ^sum)
	}
	d.out(frame)
}

func (d *Device) out(frame []byte) {
	d.mu.Lock()
	d.stats.TxFrames++
	d.stats.TxBytes += uint64(len(frame))
	d.mu.Unlock()
	d.backend.Send(frame)
}

func (d *Device) guestError(format string, args ...any) {
	d.mu.Lock()
	d.stats.GuestErrors++
	n := d.stats.GuestErrors
	d.mu.Unlock()
	if n <= 10 {
		slog.Warn("guest error: virtio-net: " + fmt.Sprintf(format, args...))
	}
}

// StateVersion is the version of State this package writes.
const StateVersion = 1

// State is the device's own state beyond its transport. Frames waiting
// for receive buffers are not saved: a NIC may drop them.
type State struct {
	Version int
	MAC     [6]byte
}

// State returns a snapshot of the device.
func (d *Device) State() State { return State{Version: StateVersion, MAC: d.mac} }

// ErrBadState is wrapped by every error Restore returns.
var ErrBadState = errors.New("virtio-net: bad state")

// Restore replaces the device's state with s (after the transport's).
func (d *Device) Restore(s State) error {
	if s.Version != StateVersion {
		return fmt.Errorf("%w: version %d, want %d", ErrBadState, s.Version, StateVersion)
	}
	d.mac = s.MAC
	return nil
}
