// Package net is the virtio network device (virtio 1.2 §5.1), QEMU's
// virtio-net-device: one receive and one transmit queue over a host
// network back end that takes and gives Ethernet frames (the user-mode
// network, a tap device, a socket).
//
// Offloads, chosen because they move per-packet and per-byte work out of
// the emulated guest into Go:
//   - VIRTIO_NET_F_CSUM and HOST_TSO4/6 (and HOST_ECN): the guest hands
//     over frames with the transport checksum left to the device, and TCP
//     segments up to 64 KiB, which the device checksums and cuts to the
//     MSS (§5.1.6.2).
//   - VIRTIO_NET_F_GUEST_CSUM: frames for the guest carry DATA_VALID, so
//     the guest does not verify checksums; the back end guarantees them.
//     A TCP frame whose checksum the back end left partial goes to the
//     guest with NEEDS_CSUM instead, which the guest trusts as well.
//   - VIRTIO_NET_F_GUEST_TSO4/6 (and GUEST_ECN), with an OffloadBackend:
//     the back end hands over TCP segments of up to 64 KiB, which reach
//     the guest whole, as GSO packets (§5.1.6.4): one packet instead of
//     up to 45 for the guest's network stack to process. Without them
//     (or if the guest did not negotiate them), the back end, or for
//     frames already on their way the device, cuts the segments to the
//     MSS, so the guest never sees a frame it cannot take.
//   - VIRTIO_NET_F_MRG_RXBUF: a frame may span several receive buffers,
//     so a 64 KiB segment fits the guest's page-sized buffers.
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
	// retained after Send returns. Its checksums are complete and it may
	// exceed the MTU (a TSO segment from the guest is not cut).
	Send(frame []byte)
	// Attach sets the function the back end calls, from any goroutine,
	// with each Ethernet frame for the guest (copied by the callee), of
	// at most MTU+14 bytes with complete checksums.
	Attach(deliver func(frame []byte))
}

// OffloadBackend is a Backend that can leave TCP work to the guest
// (receive offload). The device attaches it with AttachOffload instead of
// Attach, and calls SetOffload(true) once the guest has negotiated
// GUEST_CSUM and GUEST_TSO4 or 6, SetOffload(false) when the device is
// reset. The back end decides nothing from the guest's features itself.
type OffloadBackend interface {
	Backend
	// AttachOffload is Attach for a deliver that also takes mss. With
	// mss 0 the frame is as Attach describes. Otherwise it is an
	// Ethernet/IPv4 or IPv6/TCP frame whose TCP checksum field holds
	// only the pseudo-header sum over its whole TCP length (Linux's
	// CHECKSUM_PARTIAL), and whose payload, when longer than mss, is a
	// TCP segment of up to 64 KiB to be cut into mss-byte segments
	// (GSO).
	AttachOffload(deliver func(frame []byte, mss int))
	// SetOffload says whether deliver may get frames with mss != 0
	// (initially not). Frames already on their way when it is turned
	// off may still carry mss: the device completes those itself.
	SetOffload(on bool)
}

// Feature bits (§5.1.3).
const (
	FCsum      = 1 << 0
	FGuestCsum = 1 << 1
	FMAC       = 1 << 5
	FGuestTSO4 = 1 << 7
	FGuestTSO6 = 1 << 8
	FGuestECN  = 1 << 9
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
	// maxPending bounds the frames waiting for receive buffers, and
	// maxPendingBytes the memory they hold. 16 MiB is well above the
	// largest receive window of a Linux guest by default (tcp_rmem, 6
	// MiB), so the guest's window rather than this bound holds back a
	// download in 64 KiB segments.
	maxPending      = 1024
	maxPendingBytes = 16 << 20
	// Frames for the guest are copied into recycled buffers of two sizes:
	// MTU-sized, and big enough for any TCP segment (an IPv6 packet of 64
	// KiB behind a VLAN tag).
	smallBuf = 2048
	bigBuf   = 14 + 4 + 40 + 65535

	statusLinkUp = 1
)

// Device is one virtio-net device. Create it with New.
type Device struct {
	mac       [6]byte
	backend   Backend
	offloader OffloadBackend // backend, when it can leave TCP work to the guest
	post      func(func())

	features uint64
	rx, tx   *virtio.Queue
	active   bool
	hdrLen   int
	txBuf    []byte
	segBuf   []byte
	rxParts  []virtio.Chain

	mu           sync.Mutex
	pending      fifo     // frames for the guest
	pendingBytes int      // the capacity of their buffers
	free         [][]byte // recycled buffers of capacity smallBuf
	freeBig      [][]byte // recycled buffers of capacity bigBuf
	draining     bool     // a drain is posted
	drainFn      func()   // d.drainPosted, made once: a method value allocates

	stats Stats
}

// Stats counts the device's traffic.
type Stats struct {
	TxFrames, TxBytes, TxSegmented uint64
	RxFrames, RxBytes, RxDropped   uint64
	GuestErrors                    uint64
}

// rxFrame is a frame waiting for the guest, with the mss the back end
// gave it (OffloadBackend): 0, or the MSS of a TCP frame whose checksum
// is partial.
type rxFrame struct {
	b   []byte
	mss int
}

// fifo is the queue of frames waiting for the guest: a slice read from
// head, reset when it empties and compacted when half read, so that once
// grown neither pushing nor popping allocates.
type fifo struct {
	s    []rxFrame
	head int
}

func (q *fifo) len() int        { return len(q.s) - q.head }
func (q *fifo) all() []rxFrame  { return q.s[q.head:] }
func (q *fifo) front() *rxFrame { return &q.s[q.head] }
func (q *fifo) push(f rxFrame)  { q.s = append(q.s, f) }
func (q *fifo) clear()          { clear(q.s); q.s, q.head = q.s[:0], 0 }

// pop removes and returns the oldest frame; the queue must not be empty.
func (q *fifo) pop() rxFrame {
	f := q.s[q.head]
	q.s[q.head] = rxFrame{}
	q.head++
	switch {
	case q.head == len(q.s):
		q.s, q.head = q.s[:0], 0
	case q.head >= 64 && 2*q.head >= len(q.s):
		n := copy(q.s, q.s[q.head:])
		clear(q.s[n:])
		q.s, q.head = q.s[:n], 0
	}
	return f
}

// replaceFront replaces the oldest frame by fs (a rare path: it
// allocates).
func (q *fifo) replaceFront(fs []rxFrame) {
	q.s = append(fs, q.s[q.head+1:]...)
	q.head = 0
}

var _ virtio.Device = (*Device)(nil)

// New returns a network device with the given MAC address over backend.
// post must run its argument on the machine's goroutine soon (the
// clock's Post); it is called from the back end's goroutines.
func New(mac [6]byte, backend Backend, post func(func())) *Device {
	d := &Device{mac: mac, backend: backend, post: post, hdrLen: hdrLen}
	d.drainFn = d.drainPosted
	if ob, ok := backend.(OffloadBackend); ok {
		d.offloader = ob
		ob.SetOffload(false)
		ob.AttachOffload(d.deliverOffload)
	} else {
		backend.Attach(d.deliver)
	}
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
	return FCsum | FGuestCsum | FMAC | FGuestTSO4 | FGuestTSO6 | FGuestECN |
		FHostTSO4 | FHostTSO6 | FHostECN | FMrgRxBuf | FStatus |
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
	if d.offloader != nil {
		// GUEST_TSO4/6 depend on GUEST_CSUM (§5.1.3.1); a driver that
		// takes them alone gets neither.
		d.offloader.SetOffload(features&FGuestCsum != 0 && features&(FGuestTSO4|FGuestTSO6) != 0)
	}
	d.transmit()
	d.drain()
}

// Reset implements virtio.Device. Frames waiting for the guest are
// dropped.
func (d *Device) Reset() {
	d.active = false
	d.rx, d.tx, d.features = nil, nil, 0
	if d.offloader != nil {
		d.offloader.SetOffload(false)
	}
	d.mu.Lock()
	for _, f := range d.pending.all() {
		d.recycle(f.b)
	}
	d.pending.clear()
	d.pendingBytes = 0
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

// deliver queues a frame from a plain back end (any goroutine).
func (d *Device) deliver(frame []byte) { d.deliverOffload(frame, 0) }

// deliverOffload queues a frame from the back end (any goroutine), mss
// as OffloadBackend describes.
func (d *Device) deliverOffload(frame []byte, mss int) {
	d.mu.Lock()
	if d.pending.len() >= maxPending || d.pendingBytes+bufCap(len(frame)) > maxPendingBytes {
		d.stats.RxDropped++
		d.mu.Unlock()
		return
	}
	b := append(d.takeBuf(len(frame)), frame...)
	d.pending.push(rxFrame{b: b, mss: mss})
	d.pendingBytes += cap(b)
	post := !d.draining
	d.draining = true
	d.mu.Unlock()
	if post {
		d.post(d.drainFn)
	}
}

// bufCap is the capacity of the buffer takeBuf gives for n bytes.
func bufCap(n int) int {
	switch {
	case n <= smallBuf:
		return smallBuf
	case n <= bigBuf:
		return bigBuf
	}
	return n
}

// takeBuf returns an empty buffer for n bytes. Call with d.mu held.
func (d *Device) takeBuf(n int) []byte {
	free := &d.free
	switch bufCap(n) {
	case smallBuf:
	case bigBuf:
		free = &d.freeBig
	default:
		return make([]byte, 0, n)
	}
	if k := len(*free); k > 0 {
		b := (*free)[k-1]
		*free = (*free)[:k-1]
		return b[:0]
	}
	return make([]byte, 0, bufCap(n))
}

// recycle keeps b for takeBuf, as many as the pending bounds can use.
// Call with d.mu held.
func (d *Device) recycle(b []byte) {
	switch {
	case cap(b) == smallBuf && len(d.free) < maxPending:
		d.free = append(d.free, b)
	case cap(b) == bigBuf && len(d.freeBig) < maxPendingBytes/bigBuf:
		d.freeBig = append(d.freeBig, b)
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
		if d.pending.len() == 0 {
			d.mu.Unlock()
			break
		}
		f := *d.pending.front()
		d.mu.Unlock()
		hdr, ok := d.rxHeader(f)
		if !ok {
			continue // f was replaced by its segments, or dropped
		}
		if !d.receive(f.b, &hdr) {
			break // no room: wait for the guest to add buffers
		}
		delivered = true
		d.mu.Lock()
		d.pending.pop()
		d.pendingBytes -= cap(f.b)
		d.recycle(f.b)
		d.stats.RxFrames++
		d.stats.RxBytes += uint64(len(f.b))
		d.mu.Unlock()
	}
	if delivered {
		d.rx.Signal()
	}
}

// rxHeader returns the virtio_net_hdr (§5.1.6) for f, the oldest pending
// frame, under the negotiated features. A frame with a partial checksum
// goes to a guest with GUEST_CSUM as NEEDS_CSUM (the checksum field holds
// the pseudo-header sum, as §5.1.6.4.1 asks), and a segment above its MSS
// to a guest with GUEST_TSO for its IP version as a GSO packet. What the
// guest cannot take the device does instead: it completes the checksum,
// or cuts the segment into frames that replace f in the queue; then
// rxHeader returns false, as it does when f is malformed and dropped.
func (d *Device) rxHeader(f rxFrame) (hdr [hdrLen]byte, ok bool) {
	csum := d.features&FGuestCsum != 0
	if f.mss == 0 {
		if csum {
			hdr[0] = hdrFDataValid
		}
		return hdr, true
	}
	t, err := parseTCP(f.b, gsoNone)
	if err != nil {
		d.mu.Lock()
		d.dropFirst()
		d.mu.Unlock()
		d.hostError("back end frame with mss %d: %v", f.mss, err)
		return hdr, false
	}
	if len(f.b)-t.end > f.mss {
		tso := uint64(FGuestTSO4)
		if t.gso == gsoTCPv6 {
			tso = FGuestTSO6
		}
		cwr := f.b[t.l4+13]&tcpCWR != 0
		if !csum || d.features&tso == 0 || (cwr && d.features&FGuestECN == 0) {
			d.expand(f, t.gso)
			return hdr, false
		}
		hdr[1] = t.gso
		if cwr {
			hdr[1] |= gsoECN
		}
		binary.LittleEndian.PutUint16(hdr[2:], uint16(t.end)) // hdr_len
		binary.LittleEndian.PutUint16(hdr[4:], uint16(f.mss)) // gso_size
	} else if !csum {
		tcp := f.b[t.l4:]
		binary.BigEndian.PutUint16(tcp[16:], ^checksum(tcp, 0))
		d.mu.Lock()
		d.pending.front().mss = 0 // complete now, should it wait for buffers
		d.mu.Unlock()
		return hdr, true
	}
	hdr[0] = hdrFNeedsCsum
	binary.LittleEndian.PutUint16(hdr[6:], uint16(t.l4)) // csum_start
	binary.LittleEndian.PutUint16(hdr[8:], 16)           // csum_offset: TCP's checksum
	return hdr, true
}

// expand replaces f, the oldest pending frame, by the MSS-sized frames
// with complete checksums that the guest would have got from a back end
// without offload. It happens only to frames that were on their way when
// the guest's features changed.
func (d *Device) expand(f rxFrame, gso uint8) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var segs []rxFrame
	_, err := segmentTCP(f.b, gso, f.mss, &d.segBuf, func(s []byte) {
		b := append(d.takeBuf(len(s)), s...)
		segs = append(segs, rxFrame{b: b})
		d.pendingBytes += cap(b)
	})
	if err != nil {
		for _, s := range segs {
			d.pendingBytes -= cap(s.b)
			d.recycle(s.b)
		}
		d.dropFirst()
		d.hostError("back end frame with mss %d: %v", f.mss, err)
		return
	}
	d.pendingBytes -= cap(f.b)
	d.recycle(f.b)
	d.pending.replaceFront(segs)
}

// dropFirst drops the oldest pending frame. Call with d.mu held.
func (d *Device) dropFirst() {
	f := d.pending.pop()
	d.pendingBytes -= cap(f.b)
	d.recycle(f.b)
	d.stats.RxDropped++
}

// receive writes one frame, after hdr, into receive buffers: as many as
// it takes with MRG_RXBUF (num_buffers says how many), else one. It
// returns false, having taken nothing, when the buffers available cannot
// hold the frame yet. A frame that can never fit one buffer (without
// MRG_RXBUF) is dropped, as QEMU drops it.
func (d *Device) receive(frame []byte, hdr *[hdrLen]byte) bool {
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

// hostError reports a frame from the back end that breaks the Backend
// contract (a bug on the host side, not the guest's doing).
func (d *Device) hostError(format string, args ...any) {
	slog.Error("virtio-net: " + fmt.Sprintf(format, args...))
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
