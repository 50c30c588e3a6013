package usernet

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/netip"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/adapters/gonet"
	"gvisor.dev/gvisor/pkg/tcpip/header"
	"gvisor.dev/gvisor/pkg/tcpip/network/ipv4"
)

const testTimeout = 20 * time.Second

// dhcpGuest starts a guest that leases an address by DHCP and configures it.
func dhcpGuest(t testing.TB, cfg Config) *testGuest {
	t.Helper()
	g := newTestGuest(t, cfg, guestOptions{})
	a := g.lease(guestMAC, 0x1000)
	g.configure(netip.PrefixFrom(a, 24), ipHost)
	return g
}

func (g *testGuest) dialTCP(ctx context.Context, to netip.AddrPort) (*gonet.TCPConn, error) {
	return gonet.DialContextTCP(ctx, g.s, tcpip.FullAddress{NIC: 1, Addr: tcpAddr(to.Addr()), Port: to.Port()}, ipv4.ProtocolNumber)
}

func (g *testGuest) dialUDP(to netip.AddrPort) *gonet.UDPConn {
	g.t.Helper()
	c, err := gonet.DialUDP(g.s, nil, &tcpip.FullAddress{NIC: 1, Addr: tcpAddr(to.Addr()), Port: to.Port()}, ipv4.ProtocolNumber)
	if err != nil {
		g.t.Fatalf("guest DialUDP %s: %v", to, err)
	}
	g.t.Cleanup(func() { c.Close() })
	return c
}

func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	t.Cleanup(cancel)
	return ctx
}

func randomData(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func listenTCP(t testing.TB) *net.TCPListener {
	t.Helper()
	ln, err := net.ListenTCP("tcp4", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln
}

func port(a net.Addr) uint16 {
	switch a := a.(type) {
	case *net.TCPAddr:
		return uint16(a.Port)
	case *net.UDPAddr:
		return uint16(a.Port)
	}
	panic("BUG: not a TCP or UDP address")
}

// udpEcho runs a UDP echo server on 127.0.0.1 and returns it and a channel
// of the peers it saw.
func udpEcho(t testing.TB) (*net.UDPConn, <-chan netip.AddrPort) {
	t.Helper()
	pc, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	peers := make(chan netip.AddrPort, 16)
	go func() {
		buf := make([]byte, 65535)
		for {
			n, from, err := pc.ReadFromUDPAddrPort(buf)
			if err != nil {
				return
			}
			select {
			case peers <- from:
			default:
			}
			pc.WriteToUDPAddrPort(buf[:n], from)
		}
	}()
	return pc, peers
}

func TestDHCP(t *testing.T) {
	mac2 := [6]byte{0x52, 0x54, 0, 0, 0, 2}
	tests := []struct {
		name     string
		cfg      Config
		wantOpts map[byte][]byte
	}{
		{
			name: "default",
			wantOpts: map[byte][]byte{
				1: {255, 255, 255, 0}, 3: {10, 0, 2, 2}, 6: {10, 0, 2, 3},
				51: {0, 1, 0x51, 0x80}, 53: {dhcpOffer}, 54: {10, 0, 2, 2},
			},
		},
		{
			name: "hostname and domain",
			cfg:  Config{Hostname: "guest1", DomainName: "example.test"},
			wantOpts: map[byte][]byte{
				1: {255, 255, 255, 0}, 3: {10, 0, 2, 2}, 6: {10, 0, 2, 3},
				12: []byte("guest1"), 15: []byte("example.test"),
				51: {0, 1, 0x51, 0x80}, 53: {dhcpOffer}, 54: {10, 0, 2, 2},
			},
		},
		{
			name: "restricted: no router, no DNS",
			cfg:  Config{Restrict: true},
			wantOpts: map[byte][]byte{
				1: {255, 255, 255, 0}, 51: {0, 1, 0x51, 0x80}, 53: {dhcpOffer}, 54: {10, 0, 2, 2},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := newTestGuest(t, tt.cfg, guestOptions{})
			g.startTap()
			offer := g.dhcpExchange(dhcpRequestFrame(guestMAC, 1, dhcpDiscover, ipAny), 1)
			if diff := cmp.Diff(tt.wantOpts, offer.options); diff != "" {
				t.Errorf("OFFER options (-want +got):\n%s", diff)
			}
			if offer.yiaddr != ipGuest || offer.siaddr != ipHost || offer.chaddr != guestMAC {
				t.Errorf("OFFER yiaddr %s siaddr %s chaddr %x, want %s %s %x", offer.yiaddr, offer.siaddr, offer.chaddr, ipGuest, ipHost, guestMAC)
			}
			if offer.ethDst != broadcastMAC || offer.ipSrc != ipHost || offer.ipDst != ipBcast || offer.totalLen != 576 {
				t.Errorf("OFFER sent to %x %s from %s, %d bytes; want broadcast from 10.0.2.2, 576 bytes (as slirp)", offer.ethDst, offer.ipDst, offer.ipSrc, offer.totalLen)
			}
			// REQUEST with option 50, then with only ciaddr (a renewal).
			ack := g.dhcpExchange(dhcpRequestFrame(guestMAC, 2, dhcpRequest, ipAny, 50, 4, 10, 0, 2, 15), 2)
			if ack.msgType != dhcpAck || ack.yiaddr != ipGuest {
				t.Errorf("REQUEST: type %d yiaddr %s, want ACK 10.0.2.15", ack.msgType, ack.yiaddr)
			}
			renew := g.dhcpExchange(dhcpRequestFrame(guestMAC, 3, dhcpRequest, ipGuest), 3)
			if renew.msgType != dhcpAck || renew.yiaddr != ipGuest {
				t.Errorf("renewal: type %d yiaddr %s, want ACK 10.0.2.15", renew.msgType, renew.yiaddr)
			}
			// A second client gets the next address and may not take the first.
			offer2 := g.dhcpExchange(dhcpRequestFrame(mac2, 4, dhcpDiscover, ipAny), 4)
			if offer2.yiaddr != netip.MustParseAddr("10.0.2.16") {
				t.Errorf("second client offered %s, want 10.0.2.16", offer2.yiaddr)
			}
			nak := g.dhcpExchange(dhcpRequestFrame(mac2, 5, dhcpRequest, ipAny, 50, 4, 10, 0, 2, 15), 5)
			if nak.msgType != dhcpNak || string(nak.options[56]) != "requested address not available" {
				t.Errorf("second client asking for 10.0.2.15: type %d message %q, want NAK", nak.msgType, nak.options[56])
			}
			// A plain BOOTP request is answered like a REQUEST.
			bootp := g.dhcpExchange(dhcpRequestFrame(guestMAC, 6, 0, ipAny), 6)
			if bootp.msgType != dhcpAck || bootp.yiaddr != ipGuest {
				t.Errorf("BOOTP: type %d yiaddr %s, want ACK 10.0.2.15", bootp.msgType, bootp.yiaddr)
			}
		})
	}
}

func TestDHCPPoolExhausted(t *testing.T) {
	g := newTestGuest(t, Config{}, guestOptions{})
	g.startTap()
	for i := range dhcpClients {
		mac := [6]byte{0x52, 0x54, 0, 0, 1, byte(i)}
		r := g.dhcpExchange(dhcpRequestFrame(mac, uint32(100+i), dhcpDiscover, ipAny), uint32(100+i))
		if want := from32(be32(ipGuest) + uint32(i)); r.yiaddr != want {
			t.Fatalf("client %d offered %s, want %s", i, r.yiaddr, want)
		}
	}
	// The 17th client gets no answer; an ARP request sent after it is
	// answered first, which shows no DHCP reply was queued before it.
	g.nw.Send(dhcpRequestFrame([6]byte{0x52, 0x54, 0, 0, 2, 0}, 999, dhcpDiscover, ipAny))
	g.nw.Send(arpFrame(guestMAC, header.ARPRequest, guestMAC, ipGuest, [6]byte{}, ipHost))
	f := g.expect(5*time.Second, "any frame", func([]byte) bool { return true })
	if header.Ethernet(f).Type() != header.ARPProtocolNumber {
		t.Errorf("after the pool ran out, got a non-ARP frame % x", f)
	}
}

func TestARP(t *testing.T) {
	g := newTestGuest(t, Config{}, guestOptions{})
	g.startTap()
	arpReply := func(f []byte) bool {
		return header.Ethernet(f).Type() == header.ARPProtocolNumber && header.ARP(f[14:]).Op() == header.ARPReply
	}
	for _, tc := range []struct {
		target netip.Addr
		mac    [6]byte
	}{{ipHost, macHost}, {ipDNS, macDNS}} {
		g.nw.Send(arpFrame(guestMAC, header.ARPRequest, guestMAC, ipGuest, [6]byte{}, tc.target))
		f := g.expect(5*time.Second, "ARP reply", arpReply)
		a := header.ARP(f[14:])
		got := fmt.Sprintf("eth %x>%x sha %x spa %v tha %x tpa %v", f[6:12], f[0:6],
			a.HardwareAddressSender(), netip.AddrFrom4([4]byte(a.ProtocolAddressSender())),
			a.HardwareAddressTarget(), netip.AddrFrom4([4]byte(a.ProtocolAddressTarget())))
		want := fmt.Sprintf("eth %x>%x sha %x spa %v tha %x tpa %v", tc.mac, guestMAC, tc.mac, tc.target, guestMAC, ipGuest)
		if got != want {
			t.Errorf("ARP reply for %s:\n got %s\nwant %s", tc.target, got, want)
		}
	}
	// No answer for another address of the network, or outside it: the
	// reply to the request after them comes first.
	g.nw.Send(arpFrame(guestMAC, header.ARPRequest, guestMAC, ipGuest, [6]byte{}, netip.MustParseAddr("10.0.2.77")))
	g.nw.Send(arpFrame(guestMAC, header.ARPRequest, guestMAC, ipGuest, [6]byte{}, netip.MustParseAddr("192.0.2.1")))
	g.nw.Send(arpFrame(guestMAC, header.ARPRequest, guestMAC, ipGuest, [6]byte{}, ipDNS))
	f := g.expect(5*time.Second, "ARP reply", arpReply)
	if spa := netip.AddrFrom4([4]byte(header.ARP(f[14:]).ProtocolAddressSender())); spa != ipDNS {
		t.Errorf("got an ARP reply for %s, want none before 10.0.2.3's", spa)
	}
}

// TestStaticGuest: a guest that never did DHCP or spoke first is found by
// ARP when a host forward connects to it.
func TestStaticGuest(t *testing.T) {
	g := newTestGuest(t, Config{HostFwd: []Forward{mustFwd(t, "tcp:127.0.0.1:0-:22")}}, guestOptions{})
	g.configure(netip.MustParsePrefix("10.0.2.15/24"), ipHost)
	ln, err := gonet.ListenTCP(g.s, tcpip.FullAddress{NIC: 1, Addr: tcpAddr(ipGuest), Port: 22}, ipv4.ProtocolNumber)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		if c, err := ln.Accept(); err == nil {
			c.Write([]byte("SSH-2.0-guest\r\n"))
			c.Close()
		}
	}()
	c, err := net.DialTimeout("tcp4", g.nw.Forwards()[0].Host.String(), testTimeout)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(testTimeout))
	got, err := io.ReadAll(c)
	if err != nil || string(got) != "SSH-2.0-guest\r\n" {
		t.Errorf("read %q, %v; want the guest's banner", got, err)
	}
}

func TestPingVirtualHosts(t *testing.T) {
	for _, restrict := range []bool{false, true} {
		t.Run(fmt.Sprintf("restrict=%v", restrict), func(t *testing.T) {
			g := newTestGuest(t, Config{Restrict: restrict}, guestOptions{})
			g.startTap()
			for i, dst := range []netip.Addr{ipHost, ipDNS} {
				data := []byte("abcdefgh0123456789")
				g.nw.Send(echoFrame(dst, macHost, 0x4242, uint16(i), data))
				f := g.expect(5*time.Second, "echo reply", func(f []byte) bool {
					p, ok := parseIP(t, f)
					return ok && p.proto == header.ICMPv4ProtocolNumber
				})
				p, _ := parseIP(t, f)
				icmp := header.ICMPv4(p.payload)
				if p.src != dst || p.dst != ipGuest || icmp.Type() != header.ICMPv4EchoReply ||
					icmp.Ident() != 0x4242 || icmp.Sequence() != uint16(i) || !bytes.Equal(icmp.Payload(), data) {
					t.Errorf("echo reply from %s: % x", dst, f)
				}
			}
		})
	}
}

// TestPingOutside pings 127.0.0.1 through the NAT, where the host allows
// unprivileged ICMP sockets.
func TestPingOutside(t *testing.T) {
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_DGRAM, syscall.IPPROTO_ICMP)
	if err != nil {
		t.Skipf("no unprivileged ICMP sockets here (net.ipv4.ping_group_range): %v", err)
	}
	syscall.Close(fd)
	g := newTestGuest(t, Config{}, guestOptions{})
	g.startTap()
	lo := netip.MustParseAddr("127.0.0.1")
	g.nw.Send(echoFrame(lo, macHost, 7, 9, []byte("hello")))
	f := g.expect(5*time.Second, "echo reply", func(f []byte) bool {
		p, ok := parseIP(t, f)
		return ok && p.proto == header.ICMPv4ProtocolNumber
	})
	p, _ := parseIP(t, f)
	icmp := header.ICMPv4(p.payload)
	if p.src != lo || icmp.Type() != header.ICMPv4EchoReply || icmp.Ident() != 7 || icmp.Sequence() != 9 || string(icmp.Payload()) != "hello" {
		t.Errorf("echo reply from 127.0.0.1: % x", f)
	}
}

func TestTCPOutbound(t *testing.T) {
	g := dhcpGuest(t, Config{})
	ln := listenTCP(t)
	up, down := randomData(1, 4<<20), randomData(2, 3<<20)
	type result struct {
		peer netip.AddrPort
		sum  [32]byte
		err  error
	}
	res := make(chan result, 1)
	go func() {
		c, err := ln.AcceptTCP()
		if err != nil {
			res <- result{err: err}
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(testTimeout))
		h := sha256.New()
		_, err = io.Copy(h, c) // to the guest's half-close
		if err == nil {
			_, err = c.Write(down)
		}
		res <- result{peer: c.RemoteAddr().(*net.TCPAddr).AddrPort(), sum: [32]byte(h.Sum(nil)), err: err}
	}()
	c, err := g.dialTCP(testCtx(t), netip.AddrPortFrom(ipHost, port(ln.Addr())))
	if err != nil {
		t.Fatalf("guest dial 10.0.2.2: %v", err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(testTimeout))
	if _, err := c.Write(up); err != nil {
		t.Fatalf("guest write: %v", err)
	}
	if err := c.CloseWrite(); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(c)
	if err != nil {
		t.Fatalf("guest read: %v", err)
	}
	r := <-res
	if r.err != nil {
		t.Fatalf("host side: %v", r.err)
	}
	if r.sum != sha256.Sum256(up) {
		t.Errorf("host received corrupted data")
	}
	if !bytes.Equal(got, down) {
		t.Errorf("guest received %d bytes, want the host's %d", len(got), len(down))
	}
	if !r.peer.Addr().IsLoopback() {
		t.Errorf("host saw the connection from %s, want loopback", r.peer)
	}
}

func TestTCPRefused(t *testing.T) {
	g := dhcpGuest(t, Config{})
	ln := listenTCP(t)
	p := port(ln.Addr())
	ln.Close()
	start := time.Now()
	_, err := g.dialTCP(testCtx(t), netip.AddrPortFrom(ipHost, p))
	if err == nil || !strings.Contains(err.Error(), "refused") {
		t.Errorf("dial a closed port: %v, want connection refused", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("refusal took %v", d)
	}
}

func TestHostResetReachesGuest(t *testing.T) {
	g := dhcpGuest(t, Config{})
	ln := listenTCP(t)
	go func() {
		c, err := ln.AcceptTCP()
		if err != nil {
			return
		}
		c.SetDeadline(time.Now().Add(testTimeout))
		c.Write([]byte("x"))
		c.Read(make([]byte, 1)) // the guest is connected and has read
		c.SetLinger(0)
		c.Close() // RST
	}()
	c, err := g.dialTCP(testCtx(t), netip.AddrPortFrom(ipHost, port(ln.Addr())))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(testTimeout))
	if _, err := io.ReadFull(c, make([]byte, 1)); err != nil {
		t.Fatal(err)
	}
	c.Write([]byte("y"))
	_, err = io.ReadAll(c)
	if err == nil || !strings.Contains(err.Error(), "reset") {
		t.Errorf("guest read after host reset: %v, want connection reset", err)
	}
}

func TestGuestResetReachesHost(t *testing.T) {
	g := dhcpGuest(t, Config{})
	ln := listenTCP(t)
	res := make(chan error, 1)
	go func() {
		c, err := ln.AcceptTCP()
		if err != nil {
			res <- err
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(testTimeout))
		c.Write([]byte("x"))
		_, err = io.ReadAll(c)
		res <- err
	}()
	// The guest connects, reads, and aborts: a reset, not a FIN.
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	dst := netip.AddrPortFrom(ipHost, port(ln.Addr()))
	// dialGuest dials from any stack; here it gives the guest's endpoint.
	gnw := &Network{stack: g.s, cfg: Config{Host: ipGuest}}
	c, ep, err := gnw.dialGuest(ctx, dst)
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(testTimeout))
	if _, err := io.ReadFull(c, make([]byte, 1)); err != nil {
		t.Fatal(err)
	}
	ep.Abort()
	if err := <-res; !errors.Is(err, syscall.ECONNRESET) {
		t.Errorf("host read after guest reset: %v, want ECONNRESET", err)
	}
}

func TestUDPOutbound(t *testing.T) {
	g := dhcpGuest(t, Config{})
	pc, peers := udpEcho(t)
	c := g.dialUDP(netip.AddrPortFrom(ipHost, port(pc.LocalAddr())))
	c.SetDeadline(time.Now().Add(testTimeout))
	for i := range 3 {
		msg := fmt.Appendf(nil, "datagram %d", i)
		if _, err := c.Write(msg); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 100)
		n, err := c.Read(buf)
		if err != nil || !bytes.Equal(buf[:n], msg) {
			t.Fatalf("echo %d: %q, %v", i, buf[:n], err)
		}
	}
	if p := <-peers; !p.Addr().IsLoopback() {
		t.Errorf("host saw datagrams from %s, want loopback", p)
	}
	big := randomData(3, 8000) // fragmented on the way out of the guest
	c.Write(big)
	buf := make([]byte, 10000)
	n, err := c.Read(buf)
	if err != nil || !bytes.Equal(buf[:n], big) {
		t.Errorf("8000-byte echo: %d bytes, %v", n, err)
	}
}

// fakeResolver answers DNS-shaped messages on 127.0.0.1, over UDP and TCP
// on the same port, with the query and its QR bit set.
func fakeResolver(t testing.TB) (netip.AddrPort, <-chan string) {
	t.Helper()
	seen := make(chan string, 16)
	for range 20 {
		pc, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
		if err != nil {
			t.Fatal(err)
		}
		ap := pc.LocalAddr().(*net.UDPAddr).AddrPort()
		ln, err := net.ListenTCP("tcp4", net.TCPAddrFromAddrPort(ap))
		if err != nil {
			pc.Close()
			continue
		}
		t.Cleanup(func() { pc.Close(); ln.Close() })
		answer := func(q []byte) []byte {
			r := bytes.Clone(q)
			if len(r) > 2 {
				r[2] |= 0x80
			}
			return r
		}
		go func() {
			buf := make([]byte, 4096)
			for {
				n, from, err := pc.ReadFromUDPAddrPort(buf)
				if err != nil {
					return
				}
				seen <- "udp " + string(buf[12:n])
				pc.WriteToUDPAddrPort(answer(buf[:n]), from)
			}
		}()
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				var l [2]byte
				io.ReadFull(c, l[:])
				q := make([]byte, int(l[0])<<8|int(l[1]))
				io.ReadFull(c, q)
				seen <- "tcp " + string(q[12:])
				c.Write(append(l[:], answer(q)...))
				c.Close()
			}
		}()
		return netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), ap.Port()), seen
	}
	t.Fatal("no port free for both UDP and TCP")
	return netip.AddrPort{}, nil
}

func dnsQuery(id uint16, name string) []byte {
	return append([]byte{byte(id >> 8), byte(id), 1, 0, 0, 1, 0, 0, 0, 0, 0, 0}, name...)
}

func TestDNS(t *testing.T) {
	ns, seen := fakeResolver(t)
	g := dhcpGuest(t, Config{Nameservers: []netip.AddrPort{ns}})
	dns := netip.AddrPortFrom(ipDNS, 53)

	c := g.dialUDP(dns)
	c.SetDeadline(time.Now().Add(testTimeout))
	q := dnsQuery(0x1234, "example.test")
	c.Write(q)
	buf := make([]byte, 512)
	n, err := c.Read(buf)
	if err != nil || n != len(q) || buf[2]&0x80 == 0 || !bytes.Equal(buf[12:n], q[12:]) {
		t.Errorf("UDP DNS answer % x, %v", buf[:n], err)
	}
	if s := <-seen; s != "udp example.test" {
		t.Errorf("resolver saw %q", s)
	}

	tc, err := g.dialTCP(testCtx(t), dns)
	if err != nil {
		t.Fatalf("TCP to 10.0.2.3:53: %v", err)
	}
	defer tc.Close()
	tc.SetDeadline(time.Now().Add(testTimeout))
	q = dnsQuery(0x5678, "tcp.example.test")
	tc.Write(append([]byte{0, byte(len(q))}, q...))
	ans, err := io.ReadAll(tc)
	if err != nil || len(ans) != 2+len(q) || !bytes.Equal(ans[14:], q[12:]) {
		t.Errorf("TCP DNS answer % x, %v", ans, err)
	}
	if s := <-seen; s != "tcp tcp.example.test" {
		t.Errorf("resolver saw %q", s)
	}
}

func mustFwd(t testing.TB, s string) Forward {
	t.Helper()
	f, err := ParseHostFwd(s)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestHostFwdTCP(t *testing.T) {
	g := dhcpGuest(t, Config{HostFwd: []Forward{mustFwd(t, "tcp:127.0.0.1:0-:22")}})
	ln, err := gonet.ListenTCP(g.s, tcpip.FullAddress{NIC: 1, Addr: tcpAddr(ipGuest), Port: 22}, ipv4.ProtocolNumber)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	fw := g.nw.Forwards()
	if len(fw) != 1 || fw[0].Host.Addr() != netip.MustParseAddr("127.0.0.1") || fw[0].Host.Port() == 0 || fw[0].Guest != netip.MustParseAddrPort("10.0.2.15:22") {
		t.Fatalf("Forwards() = %v", fw)
	}
	peer := make(chan string, 1)
	up, down := randomData(4, 2<<20), randomData(5, 1<<20)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			peer <- err.Error()
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(testTimeout))
		got, err := io.ReadAll(c) // to the host's half-close
		if err != nil || !bytes.Equal(got, up) {
			peer <- fmt.Sprintf("guest read %d bytes, %v", len(got), err)
			return
		}
		c.Write(down)
		peer <- c.RemoteAddr().(*net.TCPAddr).IP.String()
	}()
	c, err := net.DialTCP("tcp4", nil, net.TCPAddrFromAddrPort(fw[0].Host))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(testTimeout))
	c.Write(up)
	c.CloseWrite()
	got, err := io.ReadAll(c)
	if err != nil || !bytes.Equal(got, down) {
		t.Errorf("host read %d bytes, %v; want the guest's %d", len(got), err, len(down))
	}
	if p := <-peer; p != "10.0.2.2" {
		t.Errorf("guest saw the connection from %s, want 10.0.2.2", p)
	}
}

func TestHostFwdUDP(t *testing.T) {
	g := dhcpGuest(t, Config{HostFwd: []Forward{mustFwd(t, "udp:127.0.0.1:0-10.0.2.15:5555")}})
	gc, err := gonet.DialUDP(g.s, &tcpip.FullAddress{NIC: 1, Addr: tcpAddr(ipGuest), Port: 5555}, nil, ipv4.ProtocolNumber)
	if err != nil {
		t.Fatal(err)
	}
	defer gc.Close()
	peers := make(chan string, 4)
	go func() {
		buf := make([]byte, 2000)
		for {
			n, from, err := gc.ReadFrom(buf)
			if err != nil {
				return
			}
			peers <- from.String()
			gc.WriteTo(append([]byte("echo "), buf[:n]...), from)
		}
	}()
	for i := range 2 { // two host peers, two flows into the guest
		c, err := net.DialUDP("udp4", nil, net.UDPAddrFromAddrPort(g.nw.Forwards()[0].Host))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(testTimeout))
		msg := fmt.Sprintf("hello %d", i)
		c.Write([]byte(msg))
		buf := make([]byte, 100)
		n, err := c.Read(buf)
		if err != nil || string(buf[:n]) != "echo "+msg {
			t.Errorf("peer %d: %q, %v", i, buf[:n], err)
		}
		if p := <-peers; !strings.HasPrefix(p, "10.0.2.2:") {
			t.Errorf("guest saw the datagram from %s, want 10.0.2.2", p)
		}
	}
}

func TestHostFwdPortTaken(t *testing.T) {
	ln := listenTCP(t)
	pc, _ := udpEcho(t)
	for _, tc := range []struct{ fwd, want string }{
		{fmt.Sprintf("tcp:127.0.0.1:%d-:22", port(ln.Addr())), fmt.Sprintf("hostfwd tcp 127.0.0.1:%d: address already in use", port(ln.Addr()))},
		{fmt.Sprintf("udp:127.0.0.1:%d-:53", port(pc.LocalAddr())), fmt.Sprintf("hostfwd udp 127.0.0.1:%d: address already in use", port(pc.LocalAddr()))},
	} {
		// A good forward first: New must close it again on failure.
		nw, err := New(Config{HostFwd: []Forward{mustFwd(t, "tcp:127.0.0.1:0-:80"), mustFwd(t, tc.fwd)}})
		if err == nil {
			nw.Close()
			t.Errorf("New with %s: no error", tc.fwd)
			continue
		}
		if err.Error() != tc.want {
			t.Errorf("New with %s:\n got %q\nwant %q", tc.fwd, err, tc.want)
		}
	}
}

func TestRestrict(t *testing.T) {
	ns, seen := fakeResolver(t)
	g := dhcpGuest(t, Config{Restrict: true, Nameservers: []netip.AddrPort{ns}, HostFwd: []Forward{mustFwd(t, "tcp:127.0.0.1:0-:22")}})
	ln := listenTCP(t)
	go func() {
		if c, err := ln.Accept(); err == nil {
			c.Close()
			t.Errorf("restricted guest reached the host")
		}
	}()
	_, err := g.dialTCP(testCtx(t), netip.AddrPortFrom(ipHost, port(ln.Addr())))
	if err == nil || !strings.Contains(err.Error(), "refused") {
		t.Errorf("restricted TCP to 10.0.2.2: %v, want refused (libslirp resets it)", err)
	}
	_, err = g.dialTCP(testCtx(t), netip.AddrPortFrom(ipDNS, 53))
	if err == nil || !strings.Contains(err.Error(), "refused") {
		t.Errorf("restricted TCP to 10.0.2.3:53: %v, want refused", err)
	}

	pc, peers := udpEcho(t)
	c := g.dialUDP(netip.AddrPortFrom(ipHost, port(pc.LocalAddr())))
	c.Write([]byte("x"))
	d := g.dialUDP(netip.AddrPortFrom(ipDNS, 53))
	d.Write(dnsQuery(1, "blocked.test"))
	// Send runs the UDP forwarder before it returns, so once the guest has
	// had an answer to a later echo request the datagrams are settled.
	g.startTap()
	g.nw.Send(echoFrame(ipHost, macHost, 1, 1, nil))
	g.expect(5*time.Second, "echo reply", func(f []byte) bool {
		p, ok := parseIP(t, f)
		return ok && p.proto == header.ICMPv4ProtocolNumber
	})
	d.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	if n, err := d.Read(make([]byte, 100)); err == nil {
		t.Errorf("restricted DNS query answered (%d bytes)", n)
	}
	select {
	case p := <-peers:
		t.Errorf("restricted UDP reached the host from %s", p)
	case s := <-seen:
		t.Errorf("restricted DNS reached the resolver: %s", s)
	default:
	}

	// The host forward still works.
	gl, err := gonet.ListenTCP(g.s, tcpip.FullAddress{NIC: 1, Addr: tcpAddr(ipGuest), Port: 22}, ipv4.ProtocolNumber)
	if err != nil {
		t.Fatal(err)
	}
	defer gl.Close()
	go func() {
		if c, err := gl.Accept(); err == nil {
			c.Write([]byte("hi"))
			c.Close()
		}
	}()
	hc, err := net.DialTimeout("tcp4", g.nw.Forwards()[0].Host.String(), testTimeout)
	if err != nil {
		t.Fatal(err)
	}
	defer hc.Close()
	hc.SetDeadline(time.Now().Add(testTimeout))
	if got, err := io.ReadAll(hc); err != nil || string(got) != "hi" {
		t.Errorf("hostfwd in restricted mode: %q, %v", got, err)
	}
}

// TestGuestTSO: TCP segments of up to 64 KiB from the guest (virtio-net
// TSO, checksums completed by the NIC) go through whole.
func TestGuestTSO(t *testing.T) {
	g := newTestGuest(t, Config{}, guestOptions{tso: true})
	g.configure(netip.PrefixFrom(g.lease(guestMAC, 1), 24), ipHost)
	ln := listenTCP(t)
	data := randomData(6, 8<<20)
	sum := make(chan [32]byte, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		h := sha256.New()
		io.Copy(h, c)
		sum <- [32]byte(h.Sum(nil))
	}()
	before := g.nw.Stats()
	c, err := g.dialTCP(testCtx(t), netip.AddrPortFrom(ipHost, port(ln.Addr())))
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(testTimeout))
	if _, err := c.Write(data); err != nil {
		t.Fatal(err)
	}
	c.Close()
	if <-sum != sha256.Sum256(data) {
		t.Errorf("host received corrupted data")
	}
	st := g.nw.Stats()
	frames := st.FramesFromGuest - before.FramesFromGuest
	if avg := (st.BytesFromGuest - before.BytesFromGuest) / max(frames, 1); avg < 4000 {
		t.Errorf("average guest frame %d bytes over %d frames: TSO not in use", avg, frames)
	}
	if st.DroppedFromGuest != 0 {
		t.Errorf("%d guest frames dropped", st.DroppedFromGuest)
	}
}

func TestClose(t *testing.T) {
	g := dhcpGuest(t, Config{HostFwd: []Forward{mustFwd(t, "tcp:127.0.0.1:0-:22"), mustFwd(t, "udp:127.0.0.1:0-:22")}})
	ln := listenTCP(t)
	accepted := make(chan net.Conn, 1)
	go func() {
		if c, err := ln.Accept(); err == nil {
			accepted <- c
		}
	}()
	c, err := g.dialTCP(testCtx(t), netip.AddrPortFrom(ipHost, port(ln.Addr())))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	hc := <-accepted
	defer hc.Close()
	fwd := g.nw.Forwards()

	done := make(chan error, 1)
	go func() { done <- g.nw.Close() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Close: %v", err)
		}
	case <-time.After(testTimeout):
		t.Fatal("Close hangs with a live connection")
	}
	// The host side of the live connection is closed.
	hc.SetDeadline(time.Now().Add(testTimeout))
	if _, err := io.ReadAll(hc); err != nil && !errors.Is(err, syscall.ECONNRESET) {
		t.Errorf("host side after Close: %v", err)
	}
	// The listeners are gone.
	for _, f := range fwd {
		if f.Proto == "tcp" {
			if c, err := net.Dial("tcp4", f.Host.String()); err == nil {
				c.Close()
				t.Errorf("hostfwd %s still listening after Close", f)
			}
		}
	}
	g.nw.Send(echoFrame(ipHost, macHost, 1, 1, nil)) // ignored, no panic
	if err := g.nw.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// TestConcurrentFlows runs several TCP connections and UDP flows at once.
func TestConcurrentFlows(t *testing.T) {
	g := dhcpGuest(t, Config{})
	ln := listenTCP(t)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { io.Copy(c, c); c.Close() }()
		}
	}()
	pc, _ := udpEcho(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := g.dialTCP(testCtx(t), netip.AddrPortFrom(ipHost, port(ln.Addr())))
			if err != nil {
				t.Errorf("flow %d: %v", i, err)
				return
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(testTimeout))
			data := randomData(uint64(10+i), 256<<10)
			go func() { c.Write(data); c.CloseWrite() }()
			got, err := io.ReadAll(c)
			if err != nil || !bytes.Equal(got, data) {
				t.Errorf("flow %d: %d bytes back, %v", i, len(got), err)
			}
			u := g.dialUDP(netip.AddrPortFrom(ipHost, port(pc.LocalAddr())))
			u.SetDeadline(time.Now().Add(testTimeout))
			u.Write([]byte{byte(i)})
			b := make([]byte, 4)
			if n, err := u.Read(b); err != nil || n != 1 || b[0] != byte(i) {
				t.Errorf("udp flow %d: % x, %v", i, b[:n], err)
			}
		}()
	}
	wg.Wait()
}
