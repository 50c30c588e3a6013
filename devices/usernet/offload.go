package usernet

import (
	"encoding/binary"

	gchecksum "gvisor.dev/gvisor/pkg/tcpip/checksum"
	"gvisor.dev/gvisor/pkg/tcpip/header"
)

// Receive offload: the stack's TCP builds segments of up to 64 KiB with a
// partial checksum (see link.SupportedGSO). A receiver attached with
// AttachOffload that has SetOffload(true) gets them whole; for any other,
// segment does what the NIC of a guest without GSO would need done: cut
// them to the MSS and complete the checksums.

const (
	tcpFlagFIN = 0x01
	tcpFlagPSH = 0x08
	tcpFlagCWR = 0x80
)

// segment delivers the TCP frame fb (fb.mss != 0) to s as frames of at
// most MTU+14 bytes with complete checksums. Each segment gets the
// headers with its own sequence number, IPv4 length, identification and
// checksum, and TCP checksum; FIN and PSH stay on the last segment, CWR
// on the first, as a NIC's TSO does. buf is scratch space for the
// segments; segment returns it, grown if it had to be.
func (n *Network) segment(s *sink, fb *frame, buf []byte) []byte {
	b := fb.b
	l4, mss := int(fb.l4), int(fb.mss)
	end := l4 + int(b[l4+12]>>4)*4
	if end < l4+header.TCPMinimumSize || end > len(b) {
		n.stats.droppedToGuest.Add(1)
		return buf
	}
	if len(b)-end <= mss {
		// One segment: the checksum field holds the pseudo-header sum,
		// so the sum over the TCP header and payload completes it.
		tcp := b[l4:]
		binary.BigEndian.PutUint16(tcp[header.TCPChecksumOffset:], ^checksum(tcp, 0))
		n.deliver(s, b, 0)
		return buf
	}
	const l3 = ethHeaderLen
	payload := b[end:]
	seq := binary.BigEndian.Uint32(b[l4+4:])
	flags := b[l4+13]
	id := binary.BigEndian.Uint16(b[l3+4:])
	for i, off := 0, 0; off < len(payload); i, off = i+1, off+mss {
		chunk := payload[off:min(off+mss, len(payload))]
		size := end + len(chunk)
		if cap(buf) < size {
			buf = make([]byte, size)
		}
		seg := buf[:size]
		copy(seg, b[:end])
		copy(seg[end:], chunk)
		f := flags
		if off+mss < len(payload) {
			f &^= tcpFlagFIN | tcpFlagPSH
		}
		if i > 0 {
			f &^= tcpFlagCWR
		}
		ip, tcp := seg[l3:l4], seg[l4:]
		binary.BigEndian.PutUint16(ip[2:], uint16(size-l3))
		binary.BigEndian.PutUint16(ip[4:], id+uint16(i))
		ip[10], ip[11] = 0, 0
		binary.BigEndian.PutUint16(ip[10:], ^checksum(ip, 0))
		binary.BigEndian.PutUint32(tcp[4:], seq+uint32(off))
		tcp[13] = f
		tcp[16], tcp[17] = 0, 0
		sum := gchecksum.Combine(checksum(ip[12:20], 0), uint16(header.TCPProtocolNumber))
		sum = gchecksum.Combine(sum, uint16(len(tcp)))
		binary.BigEndian.PutUint16(tcp[16:], ^checksum(tcp, sum))
		n.deliver(s, seg, 0)
	}
	return buf
}
