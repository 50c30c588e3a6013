package net

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// checksum returns the 16-bit ones' complement sum of b (RFC 1071) added
// to initial, folded but not inverted.
func checksum(b []byte, initial uint32) uint16 {
	sum := uint64(initial)
	for len(b) >= 8 {
		v := binary.BigEndian.Uint64(b)
		sum += v >> 32
		sum += v & 0xffffffff
		b = b[8:]
	}
	for len(b) >= 2 {
		sum += uint64(binary.BigEndian.Uint16(b))
		b = b[2:]
	}
	if len(b) == 1 {
		sum += uint64(b[0]) << 8
	}
	for sum>>16 != 0 {
		sum = sum&0xffff + sum>>16
	}
	return uint16(sum)
}

var errGSO = errors.New("bad GSO frame")

const (
	etherTypeIPv4 = 0x0800
	etherTypeIPv6 = 0x86dd
	etherTypeVLAN = 0x8100
	protoTCP      = 6

	tcpFIN = 0x01
	tcpPSH = 0x08
	tcpCWR = 0x80
)

// tcpHeaders locates the headers of a TCP frame: l3 and l4 are the
// offsets of the IP and TCP headers, end that of the payload; gso is
// gsoTCPv4 or gsoTCPv6.
type tcpHeaders struct {
	l3, l4, end int
	gso         uint8
}

// parseTCP finds the headers of an Ethernet (optionally VLAN-tagged)
// frame carrying TCP in IPv4 or directly in IPv6. With gso not gsoNone
// the IP version must match it.
func parseTCP(frame []byte, gso uint8) (tcpHeaders, error) {
	t := tcpHeaders{l3: 14}
	if len(frame) < t.l3 {
		return t, fmt.Errorf("%w: %d bytes", errGSO, len(frame))
	}
	etype := binary.BigEndian.Uint16(frame[12:])
	if etype == etherTypeVLAN {
		t.l3 = 18
		if len(frame) < t.l3 {
			return t, fmt.Errorf("%w: truncated VLAN header", errGSO)
		}
		etype = binary.BigEndian.Uint16(frame[16:])
	}
	l3 := t.l3
	switch {
	case etype == etherTypeIPv4 && gso != gsoTCPv6:
		if len(frame) < l3+20 || frame[l3]>>4 != 4 {
			return t, fmt.Errorf("%w: not IPv4", errGSO)
		}
		t.l4 = l3 + int(frame[l3]&0xf)*4
		if frame[l3]&0xf < 5 || frame[l3+9] != protoTCP {
			return t, fmt.Errorf("%w: IPv4 header length or protocol", errGSO)
		}
		t.gso = gsoTCPv4
	case etype == etherTypeIPv6 && gso != gsoTCPv4:
		if len(frame) < l3+40 || frame[l3]>>4 != 6 || frame[l3+6] != protoTCP {
			return t, fmt.Errorf("%w: not IPv6 carrying TCP directly", errGSO)
		}
		t.l4 = l3 + 40
		t.gso = gsoTCPv6
	default:
		return t, fmt.Errorf("%w: GSO type %d with ethertype %#x", errGSO, gso, etype)
	}
	if len(frame) < t.l4+20 {
		return t, fmt.Errorf("%w: truncated TCP header", errGSO)
	}
	t.end = t.l4 + int(frame[t.l4+12]>>4)*4
	if frame[t.l4+12]>>4 < 5 || len(frame) < t.end {
		return t, fmt.Errorf("%w: TCP header length", errGSO)
	}
	return t, nil
}

// segmentTCP cuts a TCP frame of up to 64 KiB into frames of at most mss
// bytes of payload, as a NIC's TSO does (virtio 1.2 §5.1.6.2,
// VIRTIO_NET_HDR_GSO_TCPV4/V6): each segment gets the headers with its own
// sequence number, IP length (and IPv4 identification and header
// checksum) and TCP checksum; FIN and PSH stay on the last segment, CWR on
// the first. It calls out with each segment (buf is reused) and returns
// how many there were. The frame's own TCP checksum does not matter.
func segmentTCP(frame []byte, gso uint8, mss int, buf *[]byte, out func([]byte)) (int, error) {
	if gso != gsoTCPv4 && gso != gsoTCPv6 {
		return 0, fmt.Errorf("%w: GSO type %d", errGSO, gso)
	}
	t, err := parseTCP(frame, gso)
	if err != nil {
		return 0, err
	}
	l3, l4, end := t.l3, t.l4, t.end
	if mss <= 0 {
		return 0, fmt.Errorf("%w: MSS %d", errGSO, mss)
	}
	payload := frame[end:]
	seq := binary.BigEndian.Uint32(frame[l4+4:])
	flags := frame[l4+13]
	var id uint16
	if l4-l3 >= 20 && gso == gsoTCPv4 {
		id = binary.BigEndian.Uint16(frame[l3+4:])
	}
	n := 0
	for off := 0; off < len(payload) || n == 0; off += mss {
		chunk := payload[off:min(off+mss, len(payload))]
		size := end + len(chunk)
		if cap(*buf) < size {
			*buf = make([]byte, size)
		}
		seg := (*buf)[:size]
		copy(seg, frame[:end])
		copy(seg[end:], chunk)
		last := off+mss >= len(payload)
		f := flags
		if !last {
			f &^= tcpFIN | tcpPSH
		}
		if n > 0 {
			f &^= tcpCWR
		}
		seg[l4+13] = f
		binary.BigEndian.PutUint32(seg[l4+4:], seq+uint32(off))
		tcpLen := size - l4
		var pseudo uint32
		if gso == gsoTCPv4 {
			binary.BigEndian.PutUint16(seg[l3+2:], uint16(size-l3))
			binary.BigEndian.PutUint16(seg[l3+4:], id+uint16(n))
			seg[l3+10], seg[l3+11] = 0, 0
			binary.BigEndian.PutUint16(seg[l3+10:], ^checksum(seg[l3:l4], 0))
			pseudo = uint32(checksum(seg[l3+12:l3+20], 0)) + protoTCP + uint32(tcpLen)
		} else {
			binary.BigEndian.PutUint16(seg[l3+4:], uint16(size-l4))
			pseudo = uint32(checksum(seg[l3+8:l3+40], 0)) + protoTCP + uint32(tcpLen)
		}
		seg[l4+16], seg[l4+17] = 0, 0
		binary.BigEndian.PutUint16(seg[l4+16:], ^checksum(seg[l4:], pseudo))
		out(seg)
		n++
		if last {
			break
		}
	}
	return n, nil
}
