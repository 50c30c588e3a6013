//go:build !linux

package usernet

import "net/netip"

// pinger would forward echo requests to the outside; only Linux's
// unprivileged ICMP sockets are supported, so elsewhere such requests go
// unanswered.
type pinger struct{ n *Network }

func (p *pinger) start(guestMAC [6]byte, guest, dst netip.Addr, ident, seq [2]byte, data []byte) bool {
	return false
}
