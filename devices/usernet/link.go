package usernet

import (
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/header"
	"gvisor.dev/gvisor/pkg/tcpip/stack"
)

const (
	nicID tcpip.NICID = 1

	ethHeaderLen = 14
	ethTypeIPv4  = 0x0800
	ethTypeARP   = 0x0806

	// maxFrameLen bounds what Send accepts: the largest IPv4 packet in an
	// Ethernet header. A frame above the MTU is a TSO segment and is fine.
	maxFrameLen = ethHeaderLen + 65535

	// txQueueLen is how many frames for the guest may wait for deliver,
	// and txQueueBytes how many bytes. Beyond them frames are dropped (TCP
	// retransmits).
	txQueueLen   = 4096
	txQueueBytes = 16 << 20

	// gsoMaxSize bounds the TCP segments the stack builds: 64 KiB with
	// headers, so that each fits an IPv4 packet.
	gsoMaxSize = 1 << 16
)

// link is the gVisor link endpoint behind the Network: the stack writes IP
// packets to it, it frames them in Ethernet and queues them for the guest.
// Inbound frames do not pass through it: Network.Send parses them and hands
// IP packets to the dispatcher directly. It does its own ARP (like slirp),
// so the stack runs without gVisor's ARP and never answers for an address
// slirp would not answer for.
type link struct {
	n   *Network
	mtu uint32

	mu         sync.RWMutex
	dispatcher stack.NetworkDispatcher
}

var (
	_ stack.LinkEndpoint = (*link)(nil)
	_ stack.GSOEndpoint  = (*link)(nil)
)

func (l *link) MTU() uint32                                  { return l.mtu }
func (l *link) SetMTU(uint32)                                {}
func (l *link) MaxHeaderLength() uint16                      { return 0 }
func (l *link) LinkAddress() tcpip.LinkAddress               { return tcpip.LinkAddress(l.n.hostMAC[:]) }
func (l *link) SetLinkAddress(tcpip.LinkAddress)             {}
func (l *link) Capabilities() stack.LinkEndpointCapabilities { return 0 }
func (l *link) Wait()                                        {}
func (l *link) ARPHardwareType() header.ARPHardwareType      { return header.ARPHardwareEther }
func (l *link) AddHeader(*stack.PacketBuffer)                {}
func (l *link) ParseHeader(*stack.PacketBuffer) bool         { return true }
func (l *link) Close()                                       {}
func (l *link) SetOnCloseAction(func())                      {}

func (l *link) Attach(d stack.NetworkDispatcher) {
	l.mu.Lock()
	l.dispatcher = d
	l.mu.Unlock()
}

func (l *link) IsAttached() bool {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.dispatcher != nil
}

func (l *link) deliverIP(pkt *stack.PacketBuffer) {
	l.mu.RLock()
	d := l.dispatcher
	l.mu.RUnlock()
	if d != nil {
		d.DeliverNetworkPacket(header.IPv4ProtocolNumber, pkt)
	}
}

// WritePackets frames each packet for the guest. It never fails: a packet
// that cannot be sent (unknown guest MAC, full queue) is dropped and
// counted, as a wire would lose it.
func (l *link) WritePackets(pkts stack.PacketBufferList) (int, tcpip.Error) {
	for _, pkt := range pkts.AsSlice() {
		l.writePacket(pkt)
	}
	return pkts.Len(), nil
}

func (l *link) writePacket(pkt *stack.PacketBuffer) {
	n := l.n
	if pkt.NetworkProtocolNumber != header.IPv4ProtocolNumber {
		n.stats.droppedToGuest.Add(1)
		return
	}
	size := pkt.Size()
	fb := n.getFrame(ethHeaderLen + size)
	b := fb.b
	off := ethHeaderLen
	vl, skip := pkt.AsViewList()
	for v := vl.Front(); v != nil && off < len(b); v = v.Next() {
		s := v.AsSlice()
		if skip >= len(s) {
			skip -= len(s)
			continue
		}
		off += copy(b[off:], s[skip:])
		skip = 0
	}
	if off != len(b) || size < header.IPv4MinimumSize {
		n.putFrame(fb)
		n.stats.droppedToGuest.Add(1)
		return
	}
	// A TCP packet of a connection using host GSO (all of them, see
	// SupportedGSO) has only the pseudo-header sum in its checksum field
	// and may carry up to 64 KiB: note where its TCP header is and its MSS,
	// for txLoop to hand it on whole or cut it.
	if gso := pkt.GSOOptions; gso.Type == stack.GSOTCPv4 && gso.NeedsCsum {
		l4 := ethHeaderLen + len(pkt.NetworkHeader().Slice())
		if pkt.TransportProtocolNumber != header.TCPProtocolNumber || l4+header.TCPMinimumSize > len(b) ||
			int(gso.CsumOffset) != header.TCPChecksumOffset {
			n.putFrame(fb)
			n.stats.droppedToGuest.Add(1)
			return
		}
		fb.mss, fb.l4 = gso.MSS, uint16(l4)
		if fb.mss == 0 {
			// A reset sent during the handshake, before the
			// connection knows its MSS: partial all the same.
			fb.mss = uint16(n.cfg.MTU)
		}
	} else if len(b) > ethHeaderLen+n.cfg.MTU {
		n.putFrame(fb) // cannot happen: only GSO packets exceed the MTU
		n.stats.droppedToGuest.Add(1)
		return
	}
	dst := netip.AddrFrom4([4]byte(b[ethHeaderLen+16 : ethHeaderLen+20]))
	mac, ok := n.arp.macFor(dst)
	if !ok {
		n.putFrame(fb)
		n.stats.droppedToGuest.Add(1)
		n.arpRequest(dst)
		return
	}
	copy(b[0:6], mac[:])
	copy(b[6:12], n.hostMAC[:])
	b[12], b[13] = ethTypeIPv4>>8, ethTypeIPv4&0xff
	n.enqueue(fb)
}

// frame is a pooled buffer holding one frame for the guest.
type frame struct {
	b []byte
	// mss, when not zero, marks a TCP frame whose checksum is partial
	// (the TCP checksum field holds the pseudo-header sum) and whose
	// payload may exceed mss; l4 is the offset of its TCP header.
	mss, l4 uint16
}

// getFrame returns a frame of size bytes: from the pool of MTU-sized
// frames, or for a larger TCP segment from the pool of 64 KiB ones.
func (n *Network) getFrame(size int) *frame {
	pool := &n.framePool
	if size > ethHeaderLen+n.cfg.MTU {
		pool = &n.bigPool
	}
	fb := pool.Get().(*frame)
	if cap(fb.b) < size {
		fb.b = make([]byte, size) // not reached: maxFrameLen bounds size
	}
	fb.b = fb.b[:size]
	fb.mss, fb.l4 = 0, 0
	return fb
}

func (n *Network) putFrame(fb *frame) {
	switch cap(fb.b) {
	case ethHeaderLen + n.cfg.MTU:
		n.framePool.Put(fb)
	case maxFrameLen:
		n.bigPool.Put(fb)
	}
}

// enqueue queues fb for the deliver goroutine, or drops it.
func (n *Network) enqueue(fb *frame) {
	size := int64(len(fb.b))
	if n.txBytes.Add(size) > txQueueBytes {
		n.txBytes.Add(-size)
		n.putFrame(fb)
		n.stats.droppedToGuest.Add(1)
		return
	}
	select {
	case n.txq <- fb:
	default:
		n.txBytes.Add(-size)
		n.putFrame(fb)
		n.stats.droppedToGuest.Add(1)
	}
}

// txLoop calls deliver for each queued frame. It is the only caller of
// deliver, so the guest sees frames in order and one at a time. A TCP
// frame with a partial checksum goes on whole to a receiver that takes
// offloads; for any other it is cut to the MSS and checksummed here.
func (n *Network) txLoop() {
	defer n.wg.Done()
	var seg []byte // scratch for the segments cut here
	for {
		select {
		case <-n.done:
			return
		case fb := <-n.txq:
			n.txBytes.Add(-int64(len(fb.b)))
			s := n.sink.Load()
			switch {
			case s == nil:
				n.stats.droppedToGuest.Add(1)
			case fb.mss == 0:
				n.deliver(s, fb.b, 0)
			case s.offload && n.offload.Load():
				n.deliver(s, fb.b, int(fb.mss))
			default:
				seg = n.segment(s, fb, seg)
			}
			n.putFrame(fb)
		}
	}
}

func (n *Network) deliver(s *sink, frame []byte, mss int) {
	n.stats.framesToGuest.Add(1)
	n.stats.bytesToGuest.Add(uint64(len(frame)))
	s.deliver(frame, mss)
}

// arpTable maps guest IPv4 addresses to MACs, learnt from the guest's ARP
// packets, DHCP and the source of its IPv4 frames.
type arpTable struct {
	bcast netip.Addr // the subnet's broadcast address

	mu      sync.RWMutex
	entries map[netip.Addr]arpEntry
}

type arpEntry struct {
	mac   [6]byte
	known bool
	asked time.Time // when we last sent an ARP request for it
}

const arpTableMax = 256

var broadcastMAC = [6]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}

func (t *arpTable) learn(ip netip.Addr, mac [6]byte) {
	if mac[0]&1 != 0 || mac == ([6]byte{}) {
		return // multicast or zero: not a station address
	}
	t.mu.RLock()
	e, ok := t.entries[ip]
	t.mu.RUnlock()
	if ok && e.known && e.mac == mac {
		return
	}
	t.mu.Lock()
	if len(t.entries) >= arpTableMax {
		clear(t.entries)
	}
	t.entries[ip] = arpEntry{mac: mac, known: true}
	t.mu.Unlock()
}

// macFor returns the MAC for a packet to dst.
func (t *arpTable) macFor(dst netip.Addr) ([6]byte, bool) {
	if dst == netip.AddrFrom4([4]byte{255, 255, 255, 255}) || dst == t.bcast || dst.IsMulticast() {
		return broadcastMAC, true
	}
	t.mu.RLock()
	e := t.entries[dst]
	t.mu.RUnlock()
	return e.mac, e.known
}

// shouldAsk reports whether to send an ARP request for ip now: at most one a
// second per address, as slirp's 1 s resolution timeout.
func (t *arpTable) shouldAsk(ip netip.Addr, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	e := t.entries[ip]
	if e.known || now.Sub(e.asked) < time.Second {
		return false
	}
	if len(t.entries) >= arpTableMax {
		clear(t.entries)
	}
	e.asked = now
	t.entries[ip] = e
	return true
}

// stats are the Network's counters.
type stats struct {
	framesFromGuest, bytesFromGuest, droppedFromGuest atomic.Uint64
	framesToGuest, bytesToGuest, droppedToGuest       atomic.Uint64
}

// Stats counts the frames that crossed the link.
type Stats struct {
	FramesFromGuest  uint64 // frames passed to Send
	BytesFromGuest   uint64
	DroppedFromGuest uint64 // malformed, unsupported (IPv6, VLAN, ...) or refused frames
	FramesToGuest    uint64 // frames passed to deliver
	BytesToGuest     uint64
	DroppedToGuest   uint64 // queue full, guest MAC unknown, or not attached
}

// GSOMaxSize and SupportedGSO make the stack's TCP hand WritePackets
// segments of up to 64 KiB with their checksum left partial ("host GSO",
// as gVisor's fdbased endpoint does over a tap with a virtio_net_hdr):
// txLoop passes them on whole to a guest that takes them, and cuts them
// otherwise. A connection chooses its GSO kind once, when it starts, so
// it is host GSO for every connection whatever the guest negotiates.
func (l *link) GSOMaxSize() uint32               { return gsoMaxSize }
func (l *link) SupportedGSO() stack.SupportedGSO { return stack.HostGSOSupported }
