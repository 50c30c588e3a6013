package usernet

import (
	"errors"
	"io"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/adapters/gonet"
	"gvisor.dev/gvisor/pkg/tcpip/transport/tcp"
	"gvisor.dev/gvisor/pkg/tcpip/transport/udp"
	"gvisor.dev/gvisor/pkg/waiter"
)

// Outbound NAT: the guest's TCP connections and UDP flows become host
// sockets, as slirp's tcp_fconnect and udp_input make them.

const (
	tcpMaxInFlight = 512               // SYNs waiting for a host connect
	tcpDialTimeout = 75 * time.Second  // Linux's default SYN retries take about this long
	udpIdle        = 240 * time.Second // slirp's SO_EXPIRE
	dnsIdle        = 10 * time.Second  // slirp's SO_EXPIREFAST for port 53
	tftpPort       = 69
	dnsPort        = 53
	maxUDPFlows    = 4096 // a guest may not use up the host's descriptors
	spliceBufSize  = 256 << 10
)

var spliceBufs = sync.Pool{New: func() any { return ptr(make([]byte, spliceBufSize)) }}

// natTarget reports whether packets to dst may leave through the NAT:
// unicast only, never to the subnet's network or broadcast address.
func (n *Network) natTarget(dst netip.Addr) bool {
	return dst.Is4() && !dst.IsUnspecified() && !dst.IsMulticast() &&
		dst != netip.AddrFrom4([4]byte{255, 255, 255, 255}) &&
		dst != n.bcast && dst != n.cfg.Net.Addr()
}

// translate maps a guest destination to the host address to connect to,
// as slirp's sotranslate_out: the DNS address goes to the host's resolver
// (at the same port; port 53 to the configured nameserver's port), any
// other address inside the network to the host's loopback, the rest to
// itself.
func (n *Network) translate(dst netip.Addr, port uint16) (netip.AddrPort, bool) {
	if !n.natTarget(dst) {
		return netip.AddrPort{}, false
	}
	var to netip.AddrPort
	switch {
	case !n.cfg.Net.Contains(dst):
		to = netip.AddrPortFrom(dst, port)
	case dst == n.cfg.DNS && len(n.cfg.Nameservers) > 0:
		to = n.cfg.Nameservers[0]
		if port != dnsPort {
			to = netip.AddrPortFrom(to.Addr(), port)
		}
	case dst == n.cfg.DNS:
		to = netip.AddrPortFrom(n.resolv.nameserver(), port)
	default:
		to = netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), port)
	}
	if n.natFilter != nil && !n.natFilter(to) {
		return netip.AddrPort{}, false
	}
	return to, true
}

// forwardTCP handles a guest SYN for which no endpoint exists: it connects
// to the destination from the host and, once connected, completes the
// guest's handshake and splices the two. A refused or failed connect
// resets the guest's connection (slirp sends an ICMP error for failures
// other than "refused"; see the package comment). Restricted, every such
// SYN is reset, as in libslirp's tcp_input.
func (n *Network) forwardTCP(r *tcp.ForwarderRequest) {
	if !n.enter() {
		r.Complete(false)
		return
	}
	defer n.wg.Done()
	id := r.ID()
	if n.cfg.Restrict {
		r.Complete(true)
		return
	}
	target, ok := n.translate(netipAddr(id.LocalAddress), id.LocalPort)
	if !ok {
		r.Complete(false)
		return
	}
	d := net.Dialer{Timeout: tcpDialTimeout}
	c, err := d.DialContext(n.ctx, "tcp4", target.String())
	if err != nil {
		r.Complete(true)
		return
	}
	var wq waiter.Queue
	ep, terr := r.CreateEndpoint(&wq)
	r.Complete(false)
	if terr != nil {
		c.Close()
		return
	}
	n.splice(gonet.NewTCPConn(&wq, ep), ep, c.(*net.TCPConn))
}

// splice copies between a guest connection and a host one until both
// directions are done. A FIN is passed on as a half-close, a reset (or a
// failed write) resets both sides.
func (n *Network) splice(g *gonet.TCPConn, gep tcpip.Endpoint, h *net.TCPConn) {
	if !n.track(g) {
		h.Close()
		return
	}
	defer n.untrack(g)
	if !n.track(h) {
		g.Close()
		return
	}
	defer n.untrack(h)
	var once sync.Once
	reset := func() {
		once.Do(func() {
			h.SetLinger(0)
			h.Close()
			gep.Abort()
		})
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if pump(h, g) {
			h.CloseWrite()
		} else {
			reset()
		}
	}()
	if pump(g, h) {
		g.CloseWrite()
	} else {
		reset()
	}
	<-done
	g.Close()
	h.Close()
}

// pump copies src to dst and reports whether it ended with src's EOF.
func pump(dst io.Writer, src io.Reader) bool {
	bp := spliceBufs.Get().(*[]byte)
	defer spliceBufs.Put(bp)
	buf := *bp
	for {
		nr, err := src.Read(buf)
		if nr > 0 {
			if _, werr := dst.Write(buf[:nr]); werr != nil {
				return false
			}
		}
		if err != nil {
			return err == io.EOF
		}
	}
}

// forwardUDP handles a guest datagram for which no endpoint exists: it
// opens a flow between a gVisor endpoint and a host socket that lives until
// the flow is idle. It runs inside Send, so it only creates the endpoint;
// the host socket is opened on the flow's goroutine. Restricted, nothing
// leaves (libslirp's udp_input drops it; DHCP never gets here).
func (n *Network) forwardUDP(r *udp.ForwarderRequest) {
	id := r.ID()
	dst := netipAddr(id.LocalAddress)
	if n.cfg.Restrict || (dst == n.cfg.Host && id.LocalPort == tftpPort) {
		return // TFTP to the host is slirp's own service, never forwarded
	}
	target, ok := n.translate(dst, id.LocalPort)
	if !ok {
		return
	}
	idle := udpIdle
	if dst == n.cfg.DNS && id.LocalPort == dnsPort {
		idle = dnsIdle
	}
	if n.udpFlows.Add(1) > maxUDPFlows {
		n.udpFlows.Add(-1)
		return
	}
	var wq waiter.Queue
	ep, err := r.CreateEndpoint(&wq)
	if err != nil {
		n.udpFlows.Add(-1)
		return
	}
	g := gonet.NewUDPConn(&wq, ep)
	if !n.goTracked(func() {
		defer n.udpFlows.Add(-1)
		n.udpFlow(g, target, idle)
	}) {
		n.udpFlows.Add(-1)
		g.Close()
	}
}

// udpFlow relays datagrams between g and a host socket connected to
// target until neither side has sent anything for idle.
func (n *Network) udpFlow(g *gonet.UDPConn, target netip.AddrPort, idle time.Duration) {
	h, err := net.DialUDP("udp4", nil, net.UDPAddrFromAddrPort(target))
	if err != nil {
		g.Close()
		return
	}
	if !n.track(g) {
		h.Close()
		return
	}
	defer n.untrack(g)
	if !n.track(h) {
		g.Close()
		return
	}
	defer n.untrack(h)
	var last atomic.Int64
	last.Store(time.Now().UnixNano())
	done := make(chan struct{})
	go func() {
		defer close(done)
		relay(g, h, idle, &last)
		g.Close()
	}()
	relay(h, g, idle, &last)
	h.Close()
	g.Close()
	<-done
}

// deadlineConn is what relay needs of a datagram socket.
type deadlineConn interface {
	io.ReadWriter
	SetReadDeadline(time.Time) error
}

// relay copies datagrams from src to dst until src fails or the flow has
// been idle (no datagram either way, as recorded in last) for idle.
func relay(dst io.Writer, src deadlineConn, idle time.Duration, last *atomic.Int64) {
	bp := spliceBufs.Get().(*[]byte)
	defer spliceBufs.Put(bp)
	buf := (*bp)[:65535]
	for {
		src.SetReadDeadline(time.Now().Add(idle))
		nr, err := src.Read(buf)
		if err != nil {
			var ne net.Error
			switch {
			case errors.As(err, &ne) && ne.Timeout():
				if time.Since(time.Unix(0, last.Load())) < idle {
					continue
				}
			case errors.Is(err, syscall.ECONNREFUSED):
				continue // an earlier datagram was refused; keep the flow
			}
			return
		}
		last.Store(time.Now().UnixNano())
		dst.Write(buf[:nr])
	}
}
