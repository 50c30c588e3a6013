package usernet

import (
	"context"
	"encoding/binary"
	"fmt"
	"net/netip"
	"sync/atomic"
	"testing"
	"time"

	"gvisor.dev/gvisor/pkg/buffer"
	"gvisor.dev/gvisor/pkg/tcpip"
	gchecksum "gvisor.dev/gvisor/pkg/tcpip/checksum"
	"gvisor.dev/gvisor/pkg/tcpip/header"
	"gvisor.dev/gvisor/pkg/tcpip/link/channel"
	"gvisor.dev/gvisor/pkg/tcpip/link/ethernet"
	"gvisor.dev/gvisor/pkg/tcpip/network/arp"
	"gvisor.dev/gvisor/pkg/tcpip/network/ipv4"
	"gvisor.dev/gvisor/pkg/tcpip/stack"
	"gvisor.dev/gvisor/pkg/tcpip/transport/icmp"
	"gvisor.dev/gvisor/pkg/tcpip/transport/tcp"
	"gvisor.dev/gvisor/pkg/tcpip/transport/udp"
)

// The test guest: a second gVisor stack on the far side of Send and
// deliver, as the emulated NIC and the guest kernel would be.

var guestMAC = [6]byte{0x52, 0x54, 0x00, 0x12, 0x34, 0x56} // QEMU's default NIC MAC

type testGuest struct {
	t   testing.TB
	nw  *Network
	s   *stack.Stack
	ch  *channel.Endpoint
	eth *ethernet.Endpoint

	tapping atomic.Bool
	tap     chan []byte // copies of frames to the guest while tapping
	maxLen  int         // the longest frame the Network may deliver without offload

	// What the guest's NIC saw of the frames to the guest.
	maxFrame  atomic.Int64 // the longest frame
	gsoFrames atomic.Int64 // frames with a payload above their mss
	badFrames atomic.Int64 // frames breaking the deliver contract
	badWhy    atomic.Pointer[string]
}

type guestOptions struct {
	mtu int  // guest link MTU; 0: 1500
	tso bool // the guest hands the NIC TCP segments up to 64 KiB (TSO)
	// offload attaches the guest's NIC with AttachOffload and turns
	// offload on: it takes TCP segments up to 64 KiB with a partial
	// checksum (virtio-net GUEST_TSO4 and GUEST_CSUM).
	offload bool
}

// newTestGuest starts a Network for cfg and a guest stack wired to it.
// The guest has no address until configure.
func newTestGuest(t testing.TB, cfg Config, opt guestOptions) *testGuest {
	t.Helper()
	nw, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if opt.mtu == 0 {
		opt.mtu = 1500
	}
	g := &testGuest{t: t, nw: nw, tap: make(chan []byte, 4096)}
	g.s = stack.New(stack.Options{
		NetworkProtocols:   []stack.NetworkProtocolFactory{ipv4.NewProtocol, arp.NewProtocol},
		TransportProtocols: []stack.TransportProtocolFactory{tcp.NewProtocol, udp.NewProtocol, icmp.NewProtocol4},
	})
	for _, o := range []tcpip.SettableTransportProtocolOption{
		ptr(tcpip.TCPSACKEnabled(true)),
		&tcpip.TCPReceiveBufferSizeRangeOption{Min: tcp.MinBufferSize, Default: tcp.DefaultReceiveBufferSize, Max: 8 << 20},
		&tcpip.TCPSendBufferSizeRangeOption{Min: tcp.MinBufferSize, Default: tcp.DefaultSendBufferSize, Max: 8 << 20},
		ptr(tcpip.TCPModerateReceiveBufferOption(true)),
	} {
		if err := g.s.SetTransportProtocolOption(tcp.ProtocolNumber, o); err != nil {
			t.Fatalf("guest tcp option: %s", err)
		}
	}
	g.ch = channel.New(4096, uint32(opt.mtu), tcpip.LinkAddress(guestMAC[:]))
	if opt.tso {
		g.ch.SupportedGSOKind = stack.HostGSOSupported
	}
	g.eth = ethernet.New(g.ch)
	if err := g.s.CreateNIC(1, g.eth); err != nil {
		t.Fatalf("guest NIC: %s", err)
	}
	g.maxLen = ethHeaderLen + nw.cfg.MTU
	if opt.offload {
		nw.AttachOffload(g.receiveOffload)
		nw.SetOffload(true)
	} else {
		nw.Attach(g.receive)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go g.transmit(ctx, done)
	t.Cleanup(func() {
		cancel()
		<-done
		nw.Close()
		g.s.Close()
		g.s.Wait()
		g.contractOK()
	})
	return g
}

// transmit is the guest NIC's transmit side: each packet the guest stack
// writes goes to Send as one frame. A TSO packet gets its checksum
// completed first, as a NIC does for VIRTIO_NET_HDR_F_NEEDS_CSUM.
func (g *testGuest) transmit(ctx context.Context, done chan<- struct{}) {
	defer close(done)
	buf := make([]byte, 0, 65536+ethHeaderLen)
	for {
		pkt := g.ch.ReadContext(ctx)
		if pkt == nil {
			return
		}
		buf = buf[:0]
		vl, skip := pkt.AsViewList()
		for v := vl.Front(); v != nil; v = v.Next() {
			s := v.AsSlice()
			if skip >= len(s) {
				skip -= len(s)
				continue
			}
			buf = append(buf, s[skip:]...)
			skip = 0
		}
		if gso := pkt.GSOOptions; gso.Type != stack.GSONone && gso.NeedsCsum {
			l4 := buf[ethHeaderLen+int(gso.L3HdrLen):]
			binary.BigEndian.PutUint16(l4[gso.CsumOffset:], ^gchecksum.Checksum(l4, 0))
		}
		pkt.DecRef()
		g.nw.Send(buf)
	}
}

// receive is the guest NIC's receive side (the Network's deliver). Each
// frame must fit the MTU and carry complete checksums.
func (g *testGuest) receive(frame []byte) {
	g.check(frame, 0)
	g.input(frame)
}

// receiveOffload is the receive side of a NIC that takes offloads. A frame
// with mss != 0 has a partial TCP checksum, which is completed here (as
// the guest kernel would trust it), so the guest stack's own check
// confirms the pseudo-header sum the Network left. A large segment goes
// to the guest stack whole, as Linux takes a GSO packet.
func (g *testGuest) receiveOffload(frame []byte, mss int) {
	g.check(frame, mss)
	if tcp, ok := tcpOf(frame); ok && mss != 0 {
		tcp.SetChecksum(^gchecksum.Checksum(tcp, 0))
	}
	g.input(frame)
}

// check records frame and counts it bad if it breaks the contract of
// deliver: with mss 0 at most MTU+14 bytes with complete checksums, else
// an IPv4/TCP frame whose TCP checksum field holds the pseudo-header sum.
func (g *testGuest) check(frame []byte, mss int) {
	if n := int64(len(frame)); n > g.maxFrame.Load() {
		g.maxFrame.Store(n) // one deliver goroutine: no race
	}
	bad := func(format string, args ...any) {
		if g.badFrames.Add(1) == 1 {
			why := fmt.Sprintf(format, args...)
			g.badWhy.Store(&why)
		}
	}
	tcp, isTCP := tcpOf(frame)
	if isTCP && ^gchecksum.Checksum(frame[ethHeaderLen:len(frame)-len(tcp)], 0) != 0 {
		bad("bad IPv4 header checksum")
	}
	if mss == 0 {
		if len(frame) > g.maxLen {
			bad("%d-byte frame, MTU+14 is %d", len(frame), g.maxLen)
		}
		if isTCP && ^gchecksum.Checksum(tcp, pseudoSum(frame, len(tcp))) != 0 {
			bad("bad TCP checksum in a %d-byte frame", len(frame))
		}
		return
	}
	if !isTCP {
		bad("mss %d on a frame that is not IPv4/TCP", mss)
		return
	}
	if tcp.Checksum() != pseudoSum(frame, len(tcp)) {
		bad("TCP checksum field %#04x is not the pseudo-header sum %#04x", tcp.Checksum(), pseudoSum(frame, len(tcp)))
	}
	if len(tcp)-int(tcp.DataOffset()) > mss {
		g.gsoFrames.Add(1)
	}
}

// tcpOf returns the TCP header and payload of an Ethernet/IPv4/TCP frame.
func tcpOf(frame []byte) (header.TCP, bool) {
	if len(frame) < ethHeaderLen+header.IPv4MinimumSize || binary.BigEndian.Uint16(frame[12:]) != ethTypeIPv4 {
		return nil, false
	}
	ip := header.IPv4(frame[ethHeaderLen:])
	if !ip.IsValid(len(ip)) || ip.TransportProtocol() != header.TCPProtocolNumber || int(ip.TotalLength()) != len(ip) {
		return nil, false
	}
	tcp := header.TCP(ip[ip.HeaderLength():])
	if len(tcp) < header.TCPMinimumSize || int(tcp.DataOffset()) < header.TCPMinimumSize || int(tcp.DataOffset()) > len(tcp) {
		return nil, false
	}
	return tcp, true
}

// pseudoSum is the TCP pseudo-header sum of an Ethernet/IPv4 frame for a
// TCP length of n.
func pseudoSum(frame []byte, n int) uint16 {
	ip := header.IPv4(frame[ethHeaderLen:])
	return header.PseudoHeaderChecksum(header.TCPProtocolNumber, ip.SourceAddress(), ip.DestinationAddress(), uint16(n))
}

// contractOK fails the test if a frame broke the deliver contract.
func (g *testGuest) contractOK() {
	g.t.Helper()
	if n := g.badFrames.Load(); n != 0 {
		g.t.Errorf("%d frames to the guest broke the contract; the first: %s", n, *g.badWhy.Load())
	}
}

func (g *testGuest) input(frame []byte) {
	if g.tapping.Load() {
		select {
		case g.tap <- append([]byte(nil), frame...):
		default:
		}
	}
	pkt := stack.NewPacketBuffer(stack.PacketBufferOptions{Payload: buffer.MakeWithData(frame)})
	g.eth.DeliverNetworkPacket(0, pkt)
	pkt.DecRef()
}

// configure gives the guest addr/bits with gw as its default gateway.
func (g *testGuest) configure(addr netip.Prefix, gw netip.Addr) {
	g.t.Helper()
	if err := g.s.AddProtocolAddress(1, tcpip.ProtocolAddress{
		Protocol:          ipv4.ProtocolNumber,
		AddressWithPrefix: tcpip.AddressWithPrefix{Address: tcpAddr(addr.Addr()), PrefixLen: addr.Bits()},
	}, stack.AddressProperties{}); err != nil {
		g.t.Fatalf("guest address: %s", err)
	}
	sub, err := tcpip.NewSubnet(tcpAddr(addr.Masked().Addr()), tcpip.MaskFromBytes(net4Mask(addr.Bits())))
	if err != nil {
		g.t.Fatal(err)
	}
	g.s.SetRouteTable([]tcpip.Route{
		{Destination: sub, NIC: 1},
		{Destination: header.IPv4EmptySubnet, Gateway: tcpAddr(gw), NIC: 1},
	})
}

func net4Mask(bits int) []byte {
	m := ^uint32(0) << (32 - bits)
	return []byte{byte(m >> 24), byte(m >> 16), byte(m >> 8), byte(m)}
}

// expect returns the next frame to the guest that match accepts, failing
// the test after timeout. Tapping must be on.
func (g *testGuest) expect(timeout time.Duration, what string, match func([]byte) bool) []byte {
	g.t.Helper()
	deadline := time.After(timeout)
	for {
		select {
		case f := <-g.tap:
			if match(f) {
				return f
			}
		case <-deadline:
			g.t.Fatalf("no %s within %v", what, timeout)
			return nil
		}
	}
}

// startTap turns on the frame tap, emptying it first.
func (g *testGuest) startTap() {
	g.tapping.Store(true)
	for {
		select {
		case <-g.tap:
		default:
			return
		}
	}
}
