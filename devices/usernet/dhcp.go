package usernet

import (
	"bytes"
	"encoding/binary"
	"net/netip"
	"sync"

	"gvisor.dev/gvisor/pkg/tcpip/header"
)

// The DHCP server, after slirp's bootp.c: 16 leases from DHCPStart, one per
// client MAC, each for 24 hours; replies are broadcast. (RFC 2131 for the
// message, RFC 2132 for the options.)

const (
	dhcpServerPort = 67
	dhcpClientPort = 68

	dhcpClients   = 16        // slirp's NB_BOOTP_CLIENTS
	dhcpLeaseTime = 24 * 3600 // slirp's LEASE_TIME, seconds

	bootpRequest = 1
	bootpReply   = 2
	bootpFixed   = 236 // op .. file: the BOOTP header before the options
	bootpLen     = 548 // slirp's struct bootp_t: header and 312 option bytes

	dhcpDiscover = 1
	dhcpOffer    = 2
	dhcpRequest  = 3
	dhcpAck      = 5
	dhcpNak      = 6

	optPad        = 0
	optSubnetMask = 1
	optRouter     = 3
	optDNS        = 6
	optHostname   = 12
	optDomainName = 15
	optRequested  = 50
	optLeaseTime  = 51
	optMsgType    = 53
	optServerID   = 54
	optMessage    = 56
	optEnd        = 255
)

var dhcpCookie = []byte{99, 130, 83, 99}

type dhcpServer struct {
	n       *Network
	mu      sync.Mutex
	clients [dhcpClients]dhcpClient
}

type dhcpClient struct {
	allocated bool
	mac       [6]byte
}

// input handles a BOOTP/DHCP request in ip (ihl: IP header length). It
// reports false for a malformed packet.
func (d *dhcpServer) input(ip []byte, ihl int) bool {
	udp := ip[ihl:]
	ulen := int(binary.BigEndian.Uint16(udp[4:6]))
	if ulen < header.UDPMinimumSize || ulen > len(udp) {
		return false
	}
	udp = udp[:ulen]
	if binary.BigEndian.Uint16(udp[6:8]) != 0 {
		src := netip.AddrFrom4([4]byte(ip[12:16]))
		dst := netip.AddrFrom4([4]byte(ip[16:20]))
		if udpChecksum(src, dst, zeroCsum(udp)) != binary.BigEndian.Uint16(udp[6:8]) {
			return false
		}
	}
	bp := udp[header.UDPMinimumSize:]
	if len(bp) < bootpFixed || bp[0] != bootpRequest {
		return false
	}
	msgType, req := dhcpDecode(bp)
	d.reply(bp, msgType, req)
	return true
}

// zeroCsum returns udp with its checksum field zeroed, on a copy.
func zeroCsum(udp []byte) []byte {
	c := bytes.Clone(udp)
	c[6], c[7] = 0, 0
	return c
}

// dhcpDecode returns the message type (0 for plain BOOTP) and the requested
// address (option 50, else ciaddr for a REQUEST) of a request.
func dhcpDecode(bp []byte) (msgType int, req netip.Addr) {
	opts := bp[bootpFixed:min(len(bp), bootpLen)]
	if len(opts) >= 4 && bytes.Equal(opts[:4], dhcpCookie) {
		p := opts[4:]
		for len(p) > 0 {
			tag := p[0]
			if tag == optPad {
				p = p[1:]
				continue
			}
			if tag == optEnd || len(p) < 2 || len(p) < 2+int(p[1]) {
				break
			}
			v := p[2 : 2+int(p[1])]
			switch tag {
			case optMsgType:
				if len(v) >= 1 {
					msgType = int(v[0])
				}
			case optRequested:
				if len(v) >= 4 {
					req = netip.AddrFrom4([4]byte(v[:4]))
				}
			}
			p = p[2+len(v):]
		}
	}
	if ciaddr := netip.AddrFrom4([4]byte(bp[12:16])); msgType == dhcpRequest && (!req.IsValid() || req.IsUnspecified()) && !ciaddr.IsUnspecified() {
		req = ciaddr
	}
	if req.IsValid() && req.IsUnspecified() {
		req = netip.Addr{}
	}
	return msgType, req
}

// lease finds the lease for a client as slirp's bootp_reply does. It
// returns ok=false for a NAK (REQUEST for an address the client may not
// have) and no reply at all when the pool is exhausted (noReply).
func (d *dhcpServer) lease(msgType int, mac [6]byte, req netip.Addr) (addr netip.Addr, ok, noReply bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	start := be32(d.n.cfg.DHCPStart)
	// requested is slirp's request_addr: the address is ours and free or
	// already this client's.
	requested := func() bool {
		if !req.IsValid() {
			return false
		}
		i := be32(req) - start
		if be32(req) < start || i >= dhcpClients {
			return false
		}
		c := &d.clients[i]
		if c.allocated && c.mac != mac {
			return false
		}
		c.allocated, c.mac = true, mac
		addr = req
		return true
	}
	// fresh is slirp's get_new_addr: the first free slot or this client's.
	fresh := func() bool {
		for i := range d.clients {
			c := &d.clients[i]
			if !c.allocated || c.mac == mac {
				c.allocated, c.mac = true, mac
				addr = from32(start + uint32(i))
				return true
			}
		}
		return false
	}
	switch {
	case msgType == dhcpDiscover:
		if requested() || fresh() {
			return addr, true, false
		}
		return addr, false, true
	case req.IsValid():
		return addr, requested(), false
	default:
		// find_addr, then a new address: a client that never asked is
		// treated as if it had been assigned one (slirp's Windows fix).
		for i := range d.clients {
			if d.clients[i].allocated && d.clients[i].mac == mac {
				return from32(start + uint32(i)), true, false
			}
		}
		if fresh() {
			return addr, true, false
		}
		return addr, false, true
	}
}

// reply answers one request (bp: the BOOTP message).
func (d *dhcpServer) reply(bp []byte, msgType int, req netip.Addr) {
	n := d.n
	if msgType == 0 {
		msgType = dhcpRequest // plain BOOTP client: answer as to a REQUEST
	}
	if msgType != dhcpDiscover && msgType != dhcpRequest {
		return
	}
	mac := [6]byte(bp[28:34])
	addr, ok, noReply := d.lease(msgType, mac, req)
	if noReply {
		return
	}
	if ok {
		n.learnGuest(addr, mac)
	}

	bcast := netip.AddrFrom4([4]byte{255, 255, 255, 255})
	fb, udp := n.newIPFrame(broadcastMAC, n.cfg.Host, bcast, uint8(header.UDPProtocolNumber), ipTTL, header.UDPMinimumSize+bootpLen)
	fb.b[ethHeaderLen+1] = 0x10 // TOS: slirp's IPTOS_LOWDELAY
	ipHdr := fb.b[ethHeaderLen : ethHeaderLen+header.IPv4MinimumSize]
	ipHdr[10], ipHdr[11] = 0, 0
	binary.BigEndian.PutUint16(ipHdr[10:12], ^checksum(ipHdr, 0))

	binary.BigEndian.PutUint16(udp[0:2], dhcpServerPort)
	binary.BigEndian.PutUint16(udp[2:4], dhcpClientPort)
	binary.BigEndian.PutUint16(udp[4:6], uint16(len(udp)))
	udp[6], udp[7] = 0, 0
	r := udp[header.UDPMinimumSize:]
	clear(r)
	r[0], r[1], r[2] = bootpReply, 1, 6 // op, htype Ethernet, hlen
	copy(r[4:8], bp[4:8])               // xid
	host := n.cfg.Host.As4()
	if ok {
		a := addr.As4()
		copy(r[16:20], a[:]) // yiaddr
	}
	copy(r[20:24], host[:]) // siaddr
	copy(r[28:34], mac[:])  // chaddr

	o := r[bootpFixed:]
	copy(o, dhcpCookie)
	p := 4
	put := func(tag byte, v ...byte) {
		o[p], o[p+1] = tag, byte(len(v))
		p += 2 + copy(o[p+2:], v)
	}
	room := func(size int) bool { return p+2+size < len(o) }
	if ok {
		if msgType == dhcpDiscover {
			put(optMsgType, dhcpOffer)
		} else {
			put(optMsgType, dhcpAck)
		}
		put(optServerID, host[:]...)
		mask := from32(^uint32(0) << (32 - n.cfg.Net.Bits())).As4()
		put(optSubnetMask, mask[:]...)
		if !n.cfg.Restrict {
			dns := n.cfg.DNS.As4()
			put(optRouter, host[:]...)
			put(optDNS, dns[:]...)
		}
		put(optLeaseTime, binary.BigEndian.AppendUint32(nil, dhcpLeaseTime)...)
		// Like slirp, a name that does not fit is left out.
		if h := n.cfg.Hostname; h != "" && room(len(h)) {
			put(optHostname, []byte(h)...)
		}
		if dn := n.cfg.DomainName; dn != "" && room(len(dn)) {
			put(optDomainName, []byte(dn)...)
		}
	} else {
		put(optMsgType, dhcpNak)
		put(optMessage, []byte("requested address not available")...)
	}
	o[p] = optEnd

	binary.BigEndian.PutUint16(udp[6:8], udpChecksum(n.cfg.Host, bcast, udp))
	n.enqueue(fb)
}
