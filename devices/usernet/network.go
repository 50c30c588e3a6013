package usernet

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"sync"
	"sync/atomic"

	"gvisor.dev/gvisor/pkg/buffer"
	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/header"
	"gvisor.dev/gvisor/pkg/tcpip/network/ipv4"
	"gvisor.dev/gvisor/pkg/tcpip/stack"
	"gvisor.dev/gvisor/pkg/tcpip/transport/tcp"
	"gvisor.dev/gvisor/pkg/tcpip/transport/udp"
)

// Network is one user-mode network: a virtual host, gateway, DHCP and DNS
// server behind a single Ethernet link to the guest.
type Network struct {
	cfg     Config // resolved: every default filled in
	hostMAC [6]byte
	bcast   netip.Addr // subnet broadcast

	stack  *stack.Stack
	link   *link
	arp    arpTable
	dhcp   dhcpServer
	resolv resolvConf
	ping   pinger

	txq       chan *frame
	txBytes   atomic.Int64 // bytes of the frames in txq
	framePool sync.Pool    // frames of cap ethHeaderLen+MTU
	bigPool   sync.Pool    // frames of cap maxFrameLen, for TCP segments above the MTU
	sink      atomic.Pointer[sink]
	offload   atomic.Bool // SetOffload
	ipID      atomic.Uint32
	udpFlows  atomic.Int32
	stats     stats

	ctx    context.Context // cancelled by Close
	cancel context.CancelFunc
	done   chan struct{} // closed by Close
	closed atomic.Bool
	wg     sync.WaitGroup // every goroutine of the Network

	// natFilter, when set (by tests, before traffic), vetoes NAT targets.
	natFilter func(netip.AddrPort) bool

	mu      sync.Mutex
	closers map[closer]struct{} // listeners and live connections
	fwds    []Forward           // HostFwd with the bound host ports
}

// closer is anything Close must shut: a listener or a live connection.
type closer interface{ Close() error }

// New builds the network described by cfg. Host forward listeners are open
// when it returns, so a port in use is an error here.
func New(cfg Config) (*Network, error) {
	cfg, err := cfg.Resolved()
	if err != nil {
		return nil, fmt.Errorf("usernet: %w", err)
	}
	n := &Network{
		cfg:     cfg,
		hostMAC: slirpMAC(cfg.Host),
		bcast:   from32(be32(cfg.Net.Addr()) | ^uint32(0)>>cfg.Net.Bits()),
		txq:     make(chan *frame, txQueueLen),
		done:    make(chan struct{}),
		closers: make(map[closer]struct{}),
		resolv:  resolvConf{path: "/etc/resolv.conf"},
	}
	n.framePool.New = func() any { return &frame{b: make([]byte, 0, ethHeaderLen+cfg.MTU)} }
	n.bigPool.New = func() any { return &frame{b: make([]byte, 0, maxFrameLen)} }
	n.arp.entries = make(map[netip.Addr]arpEntry)
	n.arp.bcast = n.bcast
	n.dhcp.n = n
	n.ping.n = n
	n.ctx, n.cancel = context.WithCancel(context.Background())
	n.link = &link{n: n, mtu: uint32(cfg.MTU)}
	if err := n.newStack(); err != nil {
		if n.stack != nil {
			n.stack.Destroy()
		}
		return nil, fmt.Errorf("usernet: %w", err)
	}
	n.wg.Add(1)
	go n.txLoop()
	for _, f := range cfg.HostFwd {
		if err := n.listen(f); err != nil {
			n.Close()
			return nil, err
		}
	}
	return n, nil
}

// slirpMAC is the MAC slirp gives a virtual address: 52:55 then the IPv4
// address (so 52:55:0a:00:02:02 for 10.0.2.2).
func slirpMAC(a netip.Addr) [6]byte {
	b := a.As4()
	return [6]byte{0x52, 0x55, b[0], b[1], b[2], b[3]}
}

func (n *Network) newStack() error {
	s := stack.New(stack.Options{
		NetworkProtocols:   []stack.NetworkProtocolFactory{ipv4.NewProtocol},
		TransportProtocols: []stack.TransportProtocolFactory{tcp.NewProtocol, udp.NewProtocol},
	})
	n.stack = s
	// Tuned as network-facing gVisor users do: SACK on, buffers that
	// auto-tune up to 8 MiB so one flow fills a fast host link.
	opts := []tcpip.SettableTransportProtocolOption{
		ptr(tcpip.TCPSACKEnabled(true)),
		&tcpip.TCPReceiveBufferSizeRangeOption{Min: tcp.MinBufferSize, Default: tcp.DefaultReceiveBufferSize, Max: 8 << 20},
		&tcpip.TCPSendBufferSizeRangeOption{Min: tcp.MinBufferSize, Default: tcp.DefaultSendBufferSize, Max: 8 << 20},
		ptr(tcpip.TCPModerateReceiveBufferOption(true)),
	}
	for _, o := range opts {
		if err := s.SetTransportProtocolOption(tcp.ProtocolNumber, o); err != nil {
			return fmt.Errorf("tcp option %T: %s", o, err)
		}
	}
	if err := s.CreateNICWithOptions(nicID, n.link, stack.NICOptions{Name: "usernet"}); err != nil {
		return fmt.Errorf("create NIC: %s", err)
	}
	// Promiscuous: accept packets to any address (the NAT); spoofing: send
	// from any address (replies from the outside world's addresses).
	if err := s.SetPromiscuousMode(nicID, true); err != nil {
		return fmt.Errorf("promiscuous mode: %s", err)
	}
	if err := s.SetSpoofing(nicID, true); err != nil {
		return fmt.Errorf("spoofing: %s", err)
	}
	if err := s.AddProtocolAddress(nicID, tcpip.ProtocolAddress{
		Protocol:          ipv4.ProtocolNumber,
		AddressWithPrefix: tcpip.AddressWithPrefix{Address: tcpAddr(n.cfg.Host), PrefixLen: n.cfg.Net.Bits()},
	}, stack.AddressProperties{}); err != nil {
		return fmt.Errorf("add address: %s", err)
	}
	s.SetRouteTable([]tcpip.Route{{Destination: header.IPv4EmptySubnet, NIC: nicID}})
	s.SetTransportProtocolHandler(tcp.ProtocolNumber, tcp.NewForwarder(s, 0, tcpMaxInFlight, n.forwardTCP).HandlePacket)
	s.SetTransportProtocolHandler(udp.ProtocolNumber, udp.NewForwarder(s, n.forwardUDP).HandlePacket)
	return nil
}

func ptr[T any](v T) *T { return &v }

func tcpAddr(a netip.Addr) tcpip.Address { return tcpip.AddrFrom4(a.As4()) }

func netipAddr(a tcpip.Address) netip.Addr {
	if a.Len() != 4 {
		return netip.Addr{}
	}
	return netip.AddrFrom4(a.As4())
}

// Attach sets the function that receives the frames for the guest. Call it
// once, before traffic. deliver is called from one goroutine of the
// Network, one frame at a time; the frame is only valid during the call.
// Every frame is at most MTU+14 bytes with complete checksums.
func (n *Network) Attach(deliver func(frame []byte)) {
	n.sink.Store(&sink{deliver: func(frame []byte, _ int) { deliver(frame) }})
}

// AttachOffload is Attach for a receiver that can take TCP work off the
// Network (receive offload, as a NIC's virtio_net_hdr describes it):
// while SetOffload(true) is in force, deliver may get, with mss != 0, an
// Ethernet/IPv4/TCP frame whose TCP checksum field holds only the
// pseudo-header sum (over the frame's whole TCP length: Linux's
// CHECKSUM_PARTIAL, virtio's NEEDS_CSUM with csum_start at the TCP header
// and csum_offset 16) and whose payload, when longer than mss, is a TCP
// segment of up to 64 KiB for the receiver to cut into mss-byte segments
// (GSO). Every other frame comes with mss 0 and is as Attach describes.
// Call it once, before traffic, instead of Attach.
func (n *Network) AttachOffload(deliver func(frame []byte, mss int)) {
	n.sink.Store(&sink{deliver: deliver, offload: true})
}

// SetOffload turns receive offload on or off (it starts off) for a
// receiver attached with AttachOffload; a NIC model turns it on once the
// guest has negotiated it. It is safe for concurrent use and costs one
// atomic store. When it is off, the Network cuts segments and completes
// checksums itself. Turning it off affects every frame deliver gets after
// SetOffload returns, except the one being handed over at that moment.
func (n *Network) SetOffload(on bool) { n.offload.Store(on) }

// sink is the receiver of the frames for the guest.
type sink struct {
	deliver func(frame []byte, mss int)
	offload bool // AttachOffload: deliver understands mss
}

// Send hands one Ethernet frame from the guest to the network. It is safe
// for concurrent use and does not block: the frame is copied (frame is not
// retained) and processed; replies are delivered later, from the Network's
// goroutine, never from within Send. Frames may exceed the MTU (a TSO
// segment from the guest is accepted whole); their checksums must be
// complete.
func (n *Network) Send(frame []byte) {
	n.stats.framesFromGuest.Add(1)
	n.stats.bytesFromGuest.Add(uint64(len(frame)))
	if !n.input(frame) {
		n.stats.droppedFromGuest.Add(1)
	}
}

// input handles one guest frame and reports whether it was accepted.
func (n *Network) input(frame []byte) bool {
	if n.closed.Load() || len(frame) < ethHeaderLen || len(frame) > maxFrameLen {
		return false
	}
	switch binary.BigEndian.Uint16(frame[12:14]) {
	case ethTypeARP:
		return n.arpInput(frame)
	case ethTypeIPv4:
		return n.ipInput(frame)
	}
	return false // IPv6, VLAN, ...: unsupported
}

func (n *Network) ipInput(frame []byte) bool {
	ip := frame[ethHeaderLen:]
	if len(ip) < header.IPv4MinimumSize || ip[0]>>4 != 4 {
		return false
	}
	ihl := int(ip[0]&0xf) * 4
	total := int(binary.BigEndian.Uint16(ip[2:4]))
	if ihl < header.IPv4MinimumSize || total < ihl || total > len(ip) {
		return false
	}
	ip = ip[:total] // drop Ethernet padding
	if ^checksum(ip[:ihl], 0) != 0 {
		return false
	}
	src := netip.AddrFrom4([4]byte(ip[12:16]))
	dst := netip.AddrFrom4([4]byte(ip[16:20]))
	if n.cfg.Net.Contains(src) && src != n.cfg.Net.Addr() && src != n.bcast {
		n.arp.learn(src, [6]byte(frame[6:12]))
	}
	fragment := binary.BigEndian.Uint16(ip[6:8])&0x3fff != 0
	switch ip[9] {
	case uint8(header.UDPProtocolNumber):
		if !fragment && len(ip) >= ihl+header.UDPMinimumSize &&
			binary.BigEndian.Uint16(ip[ihl+2:]) == dhcpServerPort &&
			(dst == n.cfg.Host || dst == netip.AddrFrom4([4]byte{255, 255, 255, 255})) {
			return n.dhcp.input(ip, ihl)
		}
	case uint8(header.ICMPv4ProtocolNumber):
		// Echo requests are answered here, never by gVisor, which in
		// promiscuous mode would answer for every address. Fragmented
		// ICMP is dropped for the same reason.
		if fragment {
			return false
		}
		if len(ip) > ihl && ip[ihl] == uint8(header.ICMPv4Echo) {
			return n.echoInput([6]byte(frame[6:12]), ip, ihl)
		}
	}
	pkt := stack.NewPacketBuffer(stack.PacketBufferOptions{Payload: buffer.MakeWithData(ip)})
	n.link.deliverIP(pkt)
	pkt.DecRef()
	return true
}

// Stats returns the link counters.
func (n *Network) Stats() Stats {
	s := &n.stats
	return Stats{
		FramesFromGuest:  s.framesFromGuest.Load(),
		BytesFromGuest:   s.bytesFromGuest.Load(),
		DroppedFromGuest: s.droppedFromGuest.Load(),
		FramesToGuest:    s.framesToGuest.Load(),
		BytesToGuest:     s.bytesToGuest.Load(),
		DroppedToGuest:   s.droppedToGuest.Load(),
	}
}

// Forwards returns the host forwards in force, with every default filled in
// and the host port a listener actually got (useful with host port 0).
func (n *Network) Forwards() []Forward {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]Forward(nil), n.fwds...)
}

// Close shuts the listeners and every connection, stops the goroutines and
// waits for them. deliver is not called after Close returns.
func (n *Network) Close() error {
	if n.closed.Swap(true) {
		return nil
	}
	n.cancel()
	close(n.done)
	n.mu.Lock()
	cs := n.closers
	n.closers = nil
	n.mu.Unlock()
	for c := range cs {
		c.Close()
	}
	n.stack.Close()
	n.wg.Wait()
	n.stack.Wait()
	return nil
}

// track registers c to be closed by Close; it reports false (and closes c)
// when the Network is already closed.
func (n *Network) track(c closer) bool {
	n.mu.Lock()
	if n.closers == nil {
		n.mu.Unlock()
		c.Close()
		return false
	}
	n.closers[c] = struct{}{}
	n.mu.Unlock()
	return true
}

func (n *Network) untrack(c closer) {
	n.mu.Lock()
	delete(n.closers, c)
	n.mu.Unlock()
}

// goTracked runs f on a new goroutine that Close waits for, unless the
// Network is closed.
func (n *Network) goTracked(f func()) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closers == nil {
		return false
	}
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		f()
	}()
	return true
}

// hostErr reduces a socket error to its reason ("address already in
// use") for messages that already name the address.
func hostErr(err error) error {
	var se *os.SyscallError
	if errors.As(err, &se) {
		return se.Err
	}
	var oe *net.OpError
	if errors.As(err, &oe) {
		return oe.Err
	}
	return err
}

// enter registers a goroutine that is already running (a gVisor forwarder
// handler) with Close; it reports false if the Network is closed. Call
// n.wg.Done when it returns true.
func (n *Network) enter() bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closers == nil {
		return false
	}
	n.wg.Add(1)
	return true
}
