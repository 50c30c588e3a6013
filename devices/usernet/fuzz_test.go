package usernet

import (
	"bytes"
	"encoding/binary"
	"net/netip"
	"testing"

	gchecksum "gvisor.dev/gvisor/pkg/tcpip/checksum"
	"gvisor.dev/gvisor/pkg/tcpip/header"
)

// loopbackOnly keeps fuzzed and malformed traffic on this machine.
func loopbackOnly(a netip.AddrPort) bool { return a.Addr().IsLoopback() }

func tcpSYNFrame(dst netip.Addr, dport uint16) []byte {
	t := make([]byte, header.TCPMinimumSize)
	header.TCP(t).Encode(&header.TCPFields{SrcPort: 40000, DstPort: dport, SeqNum: 1, DataOffset: header.TCPMinimumSize, Flags: header.TCPFlagSyn, WindowSize: 65535})
	xsum := header.PseudoHeaderChecksum(header.TCPProtocolNumber, tcpAddr(ipGuest), tcpAddr(dst), uint16(len(t)))
	header.TCP(t).SetChecksum(^header.TCP(t).CalculateChecksum(xsum))
	return ipFrame(guestMAC, macHost, ipGuest, dst, header.TCPProtocolNumber, t)
}

// seedFrames are valid frames of every kind Send handles, and some
// damaged ones.
func seedFrames() [][]byte {
	valid := [][]byte{
		arpFrame(guestMAC, header.ARPRequest, guestMAC, ipGuest, [6]byte{}, ipHost),
		arpFrame(guestMAC, header.ARPReply, guestMAC, ipGuest, macHost, ipHost),
		dhcpRequestFrame(guestMAC, 1, dhcpDiscover, ipAny),
		dhcpRequestFrame(guestMAC, 2, dhcpRequest, ipAny, 50, 4, 10, 0, 2, 15),
		echoFrame(ipHost, macHost, 1, 2, []byte("data")),
		udpFrame(guestMAC, macHost, ipGuest, ipHost, 1000, 9, []byte("discard")),
		udpFrame(guestMAC, macHost, ipGuest, ipDNS, 1000, 53, dnsQuery(1, "x")),
		tcpSYNFrame(ipHost, 9),
	}
	var out [][]byte
	for _, f := range valid {
		out = append(out, f, f[:len(f)/2], f[:15])
		bad := bytes.Clone(f)
		bad[len(bad)-1] ^= 0xff // checksum no longer matches
		out = append(out, bad)
	}
	return out
}

// malformedFrames must each be dropped and counted.
func malformedFrames() map[string][]byte {
	syn := tcpSYNFrame(ipHost, 9)
	m := map[string][]byte{
		"empty":            nil,
		"short ethernet":   make([]byte, 13),
		"ethernet only":    ethFrame(guestMAC, macHost, header.IPv4ProtocolNumber, 0),
		"IPv6":             ethFrame(guestMAC, macHost, header.IPv6ProtocolNumber, 60),
		"unknown type":     ethFrame(guestMAC, macHost, 0x88b5, 60),
		"huge":             make([]byte, maxFrameLen+1),
		"truncated ARP":    arpFrame(guestMAC, header.ARPRequest, guestMAC, ipGuest, [6]byte{}, ipHost)[:30],
		"truncated IPv4":   syn[:30],
		"total > frame":    syn[:len(syn)-4],
		"bad IP checksum":  withByte(syn, 14+10, syn[14+10]^1),
		"IHL 4":            withByte(syn, 14, 0x44),
		"IHL past end":     withByte(syn, 14, 0x4f),
		"version 6":        withByte(syn, 14, 0x65),
		"bad echo csum":    withByte(echoFrame(ipHost, macHost, 1, 1, nil), 14+20+2, 0),
		"short echo":       ipFrame(guestMAC, macHost, ipGuest, ipHost, header.ICMPv4ProtocolNumber, []byte{8, 0, 0}),
		"fragmented ICMP":  withByte(echoFrame(ipHost, macHost, 1, 1, nil), 14+6, 0x20),
		"DHCP bad UDP len": withByte(dhcpRequestFrame(guestMAC, 1, dhcpDiscover, ipAny), 14+20+4, 0xff),
		"DHCP bad csum":    withByte(dhcpRequestFrame(guestMAC, 1, dhcpDiscover, ipAny), 14+20+6, 0x12),
		"DHCP short":       udpFrame(guestMAC, broadcastMAC, ipAny, ipBcast, 68, 67, make([]byte, 100)),
		"BOOTP reply op":   udpFrame(guestMAC, broadcastMAC, ipAny, ipBcast, 68, 67, append([]byte{2}, make([]byte, 299)...)),
	}
	return m
}

func withByte(b []byte, i int, v byte) []byte {
	c := bytes.Clone(b)
	c[i] = v
	// Keep the IP header checksum right unless the header is the point.
	if i >= 14 && i < 34 && i != 14+10 && i != 14+11 && len(c) >= 34 && c[14]>>4 == 4 {
		c[24], c[25] = 0, 0
		binary.BigEndian.PutUint16(c[24:26], ^gchecksum.Checksum(c[14:34], 0))
	}
	return c
}

func TestMalformedFrames(t *testing.T) {
	nw, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer nw.Close()
	nw.natFilter = loopbackOnly
	nw.Attach(func([]byte) {})
	for name, f := range malformedFrames() {
		before := nw.Stats().DroppedFromGuest
		nw.Send(f)
		if nw.Stats().DroppedFromGuest != before+1 {
			t.Errorf("%s: frame not counted as dropped", name)
		}
	}
	for _, f := range seedFrames() {
		nw.Send(f)
	}
}

func FuzzSend(f *testing.F) {
	for _, s := range seedFrames() {
		f.Add(s)
	}
	for _, s := range malformedFrames() {
		f.Add(s)
	}
	nw, err := New(Config{})
	if err != nil {
		f.Fatal(err)
	}
	defer nw.Close()
	nw.natFilter = loopbackOnly
	nw.Attach(func([]byte) {})
	f.Fuzz(func(t *testing.T, frame []byte) {
		nw.Send(frame)
	})
}
