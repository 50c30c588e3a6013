package usernet

import (
	"encoding/binary"
	"net/netip"
	"time"

	gchecksum "gvisor.dev/gvisor/pkg/tcpip/checksum"
	"gvisor.dev/gvisor/pkg/tcpip/header"
)

// The frames the Network answers itself, without gVisor: ARP, echo replies
// from the virtual hosts, and (in dhcp.go) DHCP.

const (
	arpLen       = 28
	arpOpRequest = 1
	arpOpReply   = 2

	ipTTL        = 64  // slirp's IPDEFTTL
	ipTTLReflect = 255 // slirp's icmp_reflect uses MAXTTL
)

// checksum is the 16-bit one's complement sum of b added to initial (not
// complemented).
func checksum(b []byte, initial uint16) uint16 { return gchecksum.Checksum(b, initial) }

// arpInput answers ARP requests for the host and DNS addresses, as
// slirp's arp_input does, and learns the sender either way.
func (n *Network) arpInput(frame []byte) bool {
	if len(frame) < ethHeaderLen+arpLen {
		return false
	}
	a := frame[ethHeaderLen : ethHeaderLen+arpLen]
	if binary.BigEndian.Uint16(a[0:2]) != 1 || binary.BigEndian.Uint16(a[2:4]) != ethTypeIPv4 || a[4] != 6 || a[5] != 4 {
		return false
	}
	sha := [6]byte(a[8:14])
	spa := netip.AddrFrom4([4]byte(a[14:18]))
	tpa := netip.AddrFrom4([4]byte(a[24:28]))
	switch binary.BigEndian.Uint16(a[6:8]) {
	case arpOpRequest:
		if spa == tpa { // gratuitous
			n.learnGuest(spa, sha)
			return true
		}
		if !n.cfg.Net.Contains(tpa) || (tpa != n.cfg.Host && tpa != n.cfg.DNS) {
			return true // not ours: a wire would carry it to nobody
		}
		n.learnGuest(spa, sha)
		mac := slirpMAC(tpa)
		fb := n.getFrame(ethHeaderLen + arpLen)
		b := fb.b
		copy(b[0:6], frame[6:12])
		copy(b[6:12], mac[:])
		binary.BigEndian.PutUint16(b[12:14], ethTypeARP)
		r := b[ethHeaderLen:]
		binary.BigEndian.PutUint16(r[0:2], 1)
		binary.BigEndian.PutUint16(r[2:4], ethTypeIPv4)
		r[4], r[5] = 6, 4
		binary.BigEndian.PutUint16(r[6:8], arpOpReply)
		copy(r[8:14], mac[:])
		copy(r[14:18], a[24:28])
		copy(r[18:24], a[8:14])
		copy(r[24:28], a[14:18])
		n.enqueue(fb)
	case arpOpReply:
		n.learnGuest(spa, sha)
	}
	return true
}

// learnGuest records a guest station's address, ignoring what cannot be one.
func (n *Network) learnGuest(ip netip.Addr, mac [6]byte) {
	if n.cfg.Net.Contains(ip) && ip != n.cfg.Net.Addr() && ip != n.bcast && ip != n.cfg.Host && ip != n.cfg.DNS {
		n.arp.learn(ip, mac)
	}
}

// arpRequest asks the guest for ip's MAC (slirp's if_encap4 does the same
// when it has a packet for an unknown address).
func (n *Network) arpRequest(ip netip.Addr) {
	if !ip.Is4() || !n.cfg.Net.Contains(ip) || !n.arp.shouldAsk(ip, time.Now()) {
		return
	}
	fb := n.getFrame(ethHeaderLen + arpLen)
	b := fb.b
	copy(b[0:6], broadcastMAC[:])
	copy(b[6:12], n.hostMAC[:])
	binary.BigEndian.PutUint16(b[12:14], ethTypeARP)
	r := b[ethHeaderLen:]
	binary.BigEndian.PutUint16(r[0:2], 1)
	binary.BigEndian.PutUint16(r[2:4], ethTypeIPv4)
	r[4], r[5] = 6, 4
	binary.BigEndian.PutUint16(r[6:8], arpOpRequest)
	copy(r[8:14], n.hostMAC[:])
	h := n.cfg.Host.As4()
	copy(r[14:18], h[:])
	clear(r[18:24])
	t := ip.As4()
	copy(r[24:28], t[:])
	n.enqueue(fb)
}

// echoInput handles an ICMP echo request: the host and DNS addresses answer
// themselves (even restricted, as slirp's icmp_input); other destinations
// are pinged from the host unless restricted.
func (n *Network) echoInput(srcMAC [6]byte, ip []byte, ihl int) bool {
	icmp := ip[ihl:]
	if len(icmp) < header.ICMPv4MinimumSize || ^checksum(icmp, 0) != 0 {
		return false
	}
	src := netip.AddrFrom4([4]byte(ip[12:16]))
	dst := netip.AddrFrom4([4]byte(ip[16:20]))
	if dst == n.cfg.Host || dst == n.cfg.DNS {
		n.sendEchoReply(srcMAC, dst, src, icmp[4:6], icmp[6:8], icmp[8:])
		return true
	}
	if n.cfg.Restrict || !n.natTarget(dst) || n.cfg.Net.Contains(dst) ||
		(n.natFilter != nil && !n.natFilter(netip.AddrPortFrom(dst, 0))) {
		return false
	}
	return n.ping.start(srcMAC, src, dst, [2]byte(icmp[4:6]), [2]byte(icmp[6:8]), icmp[8:])
}

// sendEchoReply queues an echo reply from src to dst, unless it would not
// fit the MTU (nothing here fragments it).
func (n *Network) sendEchoReply(dstMAC [6]byte, src, dst netip.Addr, ident, seq, data []byte) {
	if header.IPv4MinimumSize+header.ICMPv4MinimumSize+len(data) > n.cfg.MTU {
		n.stats.droppedToGuest.Add(1)
		return
	}
	fb, icmp := n.newIPFrame(dstMAC, src, dst, uint8(header.ICMPv4ProtocolNumber), ipTTLReflect, header.ICMPv4MinimumSize+len(data))
	icmp[0], icmp[1] = uint8(header.ICMPv4EchoReply), 0
	icmp[2], icmp[3] = 0, 0
	copy(icmp[4:6], ident)
	copy(icmp[6:8], seq)
	copy(icmp[8:], data)
	binary.BigEndian.PutUint16(icmp[2:4], ^checksum(icmp, 0))
	n.enqueue(fb)
}

// newIPFrame returns a frame holding Ethernet and IPv4 headers (header
// checksum done) and the payload slice for the caller to fill.
func (n *Network) newIPFrame(dstMAC [6]byte, src, dst netip.Addr, proto, ttl uint8, payloadLen int) (*frame, []byte) {
	const ihl = header.IPv4MinimumSize
	fb := n.getFrame(ethHeaderLen + ihl + payloadLen)
	b := fb.b
	copy(b[0:6], dstMAC[:])
	copy(b[6:12], n.hostMAC[:])
	binary.BigEndian.PutUint16(b[12:14], ethTypeIPv4)
	ip := b[ethHeaderLen : ethHeaderLen+ihl]
	ip[0], ip[1] = 0x45, 0
	binary.BigEndian.PutUint16(ip[2:4], uint16(ihl+payloadLen))
	binary.BigEndian.PutUint16(ip[4:6], uint16(n.ipID.Add(1)))
	ip[6], ip[7] = 0, 0
	ip[8], ip[9] = ttl, proto
	ip[10], ip[11] = 0, 0
	s, d := src.As4(), dst.As4()
	copy(ip[12:16], s[:])
	copy(ip[16:20], d[:])
	binary.BigEndian.PutUint16(ip[10:12], ^checksum(ip, 0))
	return fb, b[ethHeaderLen+ihl:]
}

// udpChecksum returns the checksum to store in a UDP header (udp holds the
// header, with a zero checksum field, and the payload).
func udpChecksum(src, dst netip.Addr, udp []byte) uint16 {
	s, d := src.As4(), dst.As4()
	sum := checksum(s[:], 0)
	sum = checksum(d[:], sum)
	sum = checksum([]byte{0, uint8(header.UDPProtocolNumber), byte(len(udp) >> 8), byte(len(udp))}, sum)
	sum = ^checksum(udp, sum)
	if sum == 0 {
		sum = 0xffff
	}
	return sum
}
