package usernet

import (
	"encoding/binary"
	"net/netip"
	"testing"
	"time"

	"gvisor.dev/gvisor/pkg/tcpip"
	gchecksum "gvisor.dev/gvisor/pkg/tcpip/checksum"
	"gvisor.dev/gvisor/pkg/tcpip/header"
)

// Frame builders and parsers for tests, on gVisor's header package so that
// they share no code with what they test.

var (
	ipHost  = netip.MustParseAddr("10.0.2.2")
	ipDNS   = netip.MustParseAddr("10.0.2.3")
	ipGuest = netip.MustParseAddr("10.0.2.15")
	ipAny   = netip.IPv4Unspecified()
	ipBcast = netip.MustParseAddr("255.255.255.255")
	macHost = [6]byte{0x52, 0x55, 10, 0, 2, 2}
	macDNS  = [6]byte{0x52, 0x55, 10, 0, 2, 3}
)

func ethFrame(src, dst [6]byte, typ tcpip.NetworkProtocolNumber, payloadLen int) []byte {
	b := make([]byte, header.EthernetMinimumSize+payloadLen)
	header.Ethernet(b).Encode(&header.EthernetFields{
		SrcAddr: tcpip.LinkAddress(src[:]), DstAddr: tcpip.LinkAddress(dst[:]), Type: typ,
	})
	return b
}

func arpFrame(src [6]byte, op header.ARPOp, sha [6]byte, spa netip.Addr, tha [6]byte, tpa netip.Addr) []byte {
	dst := broadcastMAC
	if op == header.ARPReply {
		dst = tha
	}
	b := ethFrame(src, dst, header.ARPProtocolNumber, header.ARPSize)
	a := header.ARP(b[header.EthernetMinimumSize:])
	a.SetIPv4OverEthernet()
	a.SetOp(op)
	s, t := spa.As4(), tpa.As4()
	copy(a.HardwareAddressSender(), sha[:])
	copy(a.ProtocolAddressSender(), s[:])
	copy(a.HardwareAddressTarget(), tha[:])
	copy(a.ProtocolAddressTarget(), t[:])
	return b
}

func ipFrame(srcMAC, dstMAC [6]byte, src, dst netip.Addr, proto tcpip.TransportProtocolNumber, payload []byte) []byte {
	b := ethFrame(srcMAC, dstMAC, header.IPv4ProtocolNumber, header.IPv4MinimumSize+len(payload))
	ip := header.IPv4(b[header.EthernetMinimumSize:])
	ip.Encode(&header.IPv4Fields{
		TotalLength: uint16(header.IPv4MinimumSize + len(payload)),
		TTL:         64,
		Protocol:    uint8(proto),
		SrcAddr:     tcpAddr(src),
		DstAddr:     tcpAddr(dst),
	})
	ip.SetChecksum(^ip.CalculateChecksum())
	copy(ip.Payload(), payload)
	return b
}

func udpFrame(srcMAC, dstMAC [6]byte, src, dst netip.Addr, sport, dport uint16, payload []byte) []byte {
	u := make([]byte, header.UDPMinimumSize+len(payload))
	header.UDP(u).Encode(&header.UDPFields{SrcPort: sport, DstPort: dport, Length: uint16(len(u))})
	copy(u[header.UDPMinimumSize:], payload)
	xsum := header.PseudoHeaderChecksum(header.UDPProtocolNumber, tcpAddr(src), tcpAddr(dst), uint16(len(u)))
	xsum = gchecksum.Checksum(payload, xsum)
	header.UDP(u).SetChecksum(^header.UDP(u).CalculateChecksum(xsum))
	return ipFrame(srcMAC, dstMAC, src, dst, header.UDPProtocolNumber, u)
}

func echoFrame(dst netip.Addr, dstMAC [6]byte, ident, seq uint16, data []byte) []byte {
	m := make([]byte, header.ICMPv4MinimumSize+len(data))
	icmp := header.ICMPv4(m)
	icmp.SetType(header.ICMPv4Echo)
	icmp.SetIdent(ident)
	icmp.SetSequence(seq)
	copy(m[header.ICMPv4MinimumSize:], data)
	icmp.SetChecksum(^gchecksum.Checksum(m, 0))
	return ipFrame(guestMAC, dstMAC, ipGuest, dst, header.ICMPv4ProtocolNumber, m)
}

// parsedIP is an IPv4 frame taken apart.
type parsedIP struct {
	eth      header.Ethernet
	ip       header.IPv4
	src, dst netip.Addr
	proto    tcpip.TransportProtocolNumber
	payload  []byte
}

// parseIP returns f's IPv4 headers, checking every checksum.
func parseIP(t testing.TB, f []byte) (parsedIP, bool) {
	t.Helper()
	if len(f) < header.EthernetMinimumSize+header.IPv4MinimumSize || header.Ethernet(f).Type() != header.IPv4ProtocolNumber {
		return parsedIP{}, false
	}
	ip := header.IPv4(f[header.EthernetMinimumSize:])
	if !ip.IsValid(len(ip)) || !ip.IsChecksumValid() {
		t.Errorf("bad IPv4 header in frame % x", f)
		return parsedIP{}, false
	}
	p := parsedIP{
		eth: header.Ethernet(f), ip: ip,
		src: netipAddr(ip.SourceAddress()), dst: netipAddr(ip.DestinationAddress()),
		proto: ip.TransportProtocol(), payload: ip.Payload(),
	}
	switch p.proto {
	case header.UDPProtocolNumber:
		u := header.UDP(p.payload)
		if u.Checksum() != 0 && !u.IsChecksumValid(ip.SourceAddress(), ip.DestinationAddress(), gchecksum.Checksum(u.Payload(), 0)) {
			t.Errorf("bad UDP checksum in frame % x", f)
		}
	case header.ICMPv4ProtocolNumber:
		if gchecksum.Checksum(p.payload, 0) != 0xffff {
			t.Errorf("bad ICMP checksum in frame % x", f)
		}
	}
	return p, true
}

// dhcpReply is a BOOTP reply taken apart.
type dhcpReply struct {
	xid      uint32
	yiaddr   netip.Addr
	siaddr   netip.Addr
	chaddr   [6]byte
	msgType  byte
	options  map[byte][]byte
	ethDst   [6]byte
	ipSrc    netip.Addr
	ipDst    netip.Addr
	totalLen int
}

func parseDHCPReply(t testing.TB, f []byte) (dhcpReply, bool) {
	t.Helper()
	p, ok := parseIP(t, f)
	if !ok || p.proto != header.UDPProtocolNumber {
		return dhcpReply{}, false
	}
	u := header.UDP(p.payload)
	if u.SourcePort() != 67 || u.DestinationPort() != 68 {
		return dhcpReply{}, false
	}
	b := u.Payload()
	if len(b) < 240 || b[0] != 2 {
		t.Errorf("short or non-reply BOOTP: % x", b)
		return dhcpReply{}, false
	}
	r := dhcpReply{
		xid:     binary.BigEndian.Uint32(b[4:8]),
		yiaddr:  netip.AddrFrom4([4]byte(b[16:20])),
		siaddr:  netip.AddrFrom4([4]byte(b[20:24])),
		chaddr:  [6]byte(b[28:34]),
		options: map[byte][]byte{},
		ethDst:  [6]byte(p.eth[0:6]),
		ipSrc:   p.src, ipDst: p.dst, totalLen: len(p.ip),
	}
	o := b[240:]
	for len(o) > 0 && o[0] != 255 {
		if o[0] == 0 {
			o = o[1:]
			continue
		}
		if len(o) < 2 || len(o) < 2+int(o[1]) {
			t.Errorf("truncated DHCP option in % x", b)
			break
		}
		r.options[o[0]] = o[2 : 2+int(o[1])]
		o = o[2+int(o[1]):]
	}
	if mt := r.options[53]; len(mt) == 1 {
		r.msgType = mt[0]
	}
	return r, true
}

// dhcpRequest builds a DHCP message from mac (msgType 0: plain BOOTP) with
// extra raw options.
func dhcpRequestFrame(mac [6]byte, xid uint32, msgType byte, ciaddr netip.Addr, opts ...byte) []byte {
	b := make([]byte, 300)
	b[0], b[1], b[2] = 1, 1, 6
	binary.BigEndian.PutUint32(b[4:8], xid)
	c := ciaddr.As4()
	copy(b[12:16], c[:])
	copy(b[28:34], mac[:])
	o := append([]byte{99, 130, 83, 99}, opts...)
	if msgType != 0 {
		o = append(o, 53, 1, msgType)
	}
	o = append(o, 255)
	copy(b[236:], o)
	src := ipAny
	if ciaddr != ipAny {
		src = ciaddr
	}
	return udpFrame(mac, broadcastMAC, src, ipBcast, 68, 67, b)
}

// dhcpExchange sends req and returns the reply to xid.
func (g *testGuest) dhcpExchange(req []byte, xid uint32) dhcpReply {
	g.t.Helper()
	g.nw.Send(req)
	var r dhcpReply
	g.expect(5*time.Second, "DHCP reply", func(f []byte) bool {
		var ok bool
		r, ok = parseDHCPReply(g.t, f)
		return ok && r.xid == xid
	})
	return r
}

// lease runs DISCOVER/OFFER/REQUEST/ACK for mac and returns the address.
func (g *testGuest) lease(mac [6]byte, xid uint32) netip.Addr {
	g.t.Helper()
	g.startTap()
	defer g.tapping.Store(false)
	offer := g.dhcpExchange(dhcpRequestFrame(mac, xid, dhcpDiscover, ipAny), xid)
	if offer.msgType != dhcpOffer {
		g.t.Fatalf("DISCOVER: got message type %d, want OFFER", offer.msgType)
	}
	a := offer.yiaddr.As4()
	ack := g.dhcpExchange(dhcpRequestFrame(mac, xid+1, dhcpRequest, ipAny, append([]byte{50, 4}, a[:]...)...), xid+1)
	if ack.msgType != dhcpAck || ack.yiaddr != offer.yiaddr {
		g.t.Fatalf("REQUEST %s: got type %d for %s, want ACK", offer.yiaddr, ack.msgType, ack.yiaddr)
	}
	return ack.yiaddr
}
