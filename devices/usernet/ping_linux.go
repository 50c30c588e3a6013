package usernet

import (
	"encoding/binary"
	"errors"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"sync/atomic"
	"syscall"
	"time"

	"gvisor.dev/gvisor/pkg/tcpip/header"
)

// pinger forwards the guest's echo requests to the outside through
// unprivileged ICMP ("ping") sockets, as libslirp does when the host
// allows them (net.ipv4.ping_group_range). Where it does not, echo
// requests to the outside go unanswered.
type pinger struct {
	n        *Network
	inflight atomic.Int32
	disabled atomic.Bool
}

const (
	maxPings    = 64              // echo requests awaiting a reply
	pingTimeout = 5 * time.Second // how long a reply is waited for
)

// start sends one echo request from the host and arranges for its reply to
// reach the guest. It reports false when the request was dropped.
func (p *pinger) start(guestMAC [6]byte, guest, dst netip.Addr, ident, seq [2]byte, data []byte) bool {
	if p.disabled.Load() || p.inflight.Load() >= maxPings {
		return false
	}
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_DGRAM|syscall.SOCK_NONBLOCK|syscall.SOCK_CLOEXEC, syscall.IPPROTO_ICMP)
	if err != nil {
		if errors.Is(err, syscall.EACCES) || errors.Is(err, syscall.EPERM) || errors.Is(err, syscall.EPROTONOSUPPORT) {
			if !p.disabled.Swap(true) {
				slog.Info("usernet: ICMP echo to the outside disabled: no unprivileged ICMP sockets (net.ipv4.ping_group_range)", "err", err)
			}
		}
		return false
	}
	f := os.NewFile(uintptr(fd), "usernet-ping")
	pc, err := net.FilePacketConn(f)
	f.Close()
	if err != nil {
		return false
	}
	msg := make([]byte, header.ICMPv4MinimumSize+len(data))
	msg[0] = uint8(header.ICMPv4Echo)
	copy(msg[4:6], ident[:])
	copy(msg[6:8], seq[:])
	copy(msg[8:], data)
	binary.BigEndian.PutUint16(msg[2:4], ^checksum(msg, 0))
	p.inflight.Add(1)
	ok := p.n.goTracked(func() {
		defer p.inflight.Add(-1)
		if !p.n.track(pc) {
			return
		}
		defer p.n.untrack(pc)
		defer pc.Close()
		if _, err := pc.WriteTo(msg, &net.UDPAddr{IP: dst.AsSlice()}); err != nil {
			return
		}
		pc.SetReadDeadline(time.Now().Add(pingTimeout))
		buf := make([]byte, 65535)
		for {
			nr, _, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			r := buf[:nr]
			if nr >= header.IPv4MinimumSize && r[0]>>4 == 4 {
				r = r[int(r[0]&0xf)*4:] // some systems include the IP header
			}
			if len(r) >= header.ICMPv4MinimumSize && r[0] == uint8(header.ICMPv4EchoReply) && [2]byte(r[6:8]) == seq {
				// The kernel chose the identifier; the guest gets its own back.
				p.n.sendEchoReply(guestMAC, dst, guest, ident[:], seq[:], r[8:])
				return
			}
		}
	})
	if !ok {
		p.inflight.Add(-1)
		pc.Close()
	}
	return ok
}
