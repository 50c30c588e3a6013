package usernet

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/adapters/gonet"
	"gvisor.dev/gvisor/pkg/tcpip/network/ipv4"
	"gvisor.dev/gvisor/pkg/tcpip/transport/tcp"
	"gvisor.dev/gvisor/pkg/waiter"
)

// Host forwards (hostfwd=): a host listener per rule; each host connection
// or UDP peer is connected into the guest from the host address.

const (
	guestConnectTimeout = 30 * time.Second
	udpFwdMaxPeers      = 1024
)

// listen opens the host side of f and starts serving it.
func (n *Network) listen(f Forward) error {
	var c closer
	var serve func()
	switch f.Proto {
	case "tcp":
		ln, err := net.ListenTCP("tcp4", net.TCPAddrFromAddrPort(f.Host))
		if err != nil {
			return fmt.Errorf("hostfwd tcp %s: %w", f.Host, hostErr(err))
		}
		f.Host = unmapPort(ln.Addr().(*net.TCPAddr).AddrPort())
		c, serve = ln, func() { n.acceptTCP(ln, f.Guest) }
	case "udp":
		pc, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(f.Host))
		if err != nil {
			return fmt.Errorf("hostfwd udp %s: %w", f.Host, hostErr(err))
		}
		f.Host = unmapPort(pc.LocalAddr().(*net.UDPAddr).AddrPort())
		c, serve = pc, func() { n.serveUDP(pc, f.Guest) }
	default:
		return fmt.Errorf("hostfwd %s: unknown protocol %q", f, f.Proto)
	}
	if !n.track(c) || !n.goTracked(serve) {
		return errors.New("usernet: closed")
	}
	n.mu.Lock()
	n.fwds = append(n.fwds, f)
	n.mu.Unlock()
	return nil
}

func unmapPort(ap netip.AddrPort) netip.AddrPort {
	return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
}

func (n *Network) acceptTCP(ln *net.TCPListener, guest netip.AddrPort) {
	backoff := 5 * time.Millisecond
	for {
		c, err := ln.AcceptTCP()
		if err != nil {
			if n.closed.Load() || errors.Is(err, net.ErrClosed) {
				return
			}
			// Out of file descriptors or the like: wait and retry.
			select {
			case <-n.done:
				return
			case <-time.After(backoff):
			}
			backoff = min(2*backoff, time.Second)
			continue
		}
		backoff = 5 * time.Millisecond
		if !n.goTracked(func() { n.hostfwdTCP(c, guest) }) {
			c.Close()
			return
		}
	}
}

// hostfwdTCP connects a host connection into the guest. If the guest
// refuses or does not answer, the host connection is closed.
func (n *Network) hostfwdTCP(h *net.TCPConn, guest netip.AddrPort) {
	ctx, cancel := context.WithTimeout(n.ctx, guestConnectTimeout)
	g, ep, err := n.dialGuest(ctx, guest)
	cancel()
	if err != nil {
		h.Close()
		return
	}
	n.splice(g, ep, h)
}

// dialGuest opens a TCP connection from the host address to the guest.
func (n *Network) dialGuest(ctx context.Context, to netip.AddrPort) (*gonet.TCPConn, tcpip.Endpoint, error) {
	var wq waiter.Queue
	ep, terr := n.stack.NewEndpoint(tcp.ProtocolNumber, ipv4.ProtocolNumber, &wq)
	if terr != nil {
		return nil, nil, fmt.Errorf("new endpoint: %s", terr)
	}
	we, ready := waiter.NewChannelEntry(waiter.WritableEvents)
	wq.EventRegister(&we)
	defer wq.EventUnregister(&we)
	if terr := ep.Bind(tcpip.FullAddress{NIC: nicID, Addr: tcpAddr(n.cfg.Host)}); terr != nil {
		ep.Close()
		return nil, nil, fmt.Errorf("bind %s: %s", n.cfg.Host, terr)
	}
	terr = ep.Connect(tcpip.FullAddress{NIC: nicID, Addr: tcpAddr(to.Addr()), Port: to.Port()})
	if _, ok := terr.(*tcpip.ErrConnectStarted); ok {
		select {
		case <-ctx.Done():
			ep.Close()
			return nil, nil, ctx.Err()
		case <-ready:
		}
		terr = ep.LastError()
	}
	if terr != nil {
		ep.Close()
		return nil, nil, fmt.Errorf("connect %s: %s", to, terr)
	}
	return gonet.NewTCPConn(&wq, ep), ep, nil
}

// udpPeer is one host peer of a UDP forward and its flow into the guest.
type udpPeer struct {
	g    *gonet.UDPConn
	last atomic.Int64
}

// serveUDP relays datagrams from host peers into the guest, each peer
// through its own flow from the host address, which ends after udpIdle
// without traffic.
func (n *Network) serveUDP(pc *net.UDPConn, guest netip.AddrPort) {
	var mu sync.Mutex
	peers := make(map[netip.AddrPort]*udpPeer)
	buf := make([]byte, 65535)
	for {
		nr, from, err := pc.ReadFromUDPAddrPort(buf)
		if err != nil {
			if n.closed.Load() || errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		mu.Lock()
		p := peers[from]
		if p == nil && len(peers) < udpFwdMaxPeers {
			g, err := gonet.DialUDP(n.stack,
				&tcpip.FullAddress{NIC: nicID, Addr: tcpAddr(n.cfg.Host)},
				&tcpip.FullAddress{NIC: nicID, Addr: tcpAddr(guest.Addr()), Port: guest.Port()},
				ipv4.ProtocolNumber)
			if err == nil && n.track(g) {
				p = &udpPeer{g: g}
				p.last.Store(time.Now().UnixNano())
				peers[from] = p
				peer := p
				if !n.goTracked(func() {
					relay(udpTo{pc, from}, g, udpIdle, &peer.last)
					mu.Lock()
					delete(peers, from)
					mu.Unlock()
					n.untrack(g)
					g.Close()
				}) {
					mu.Unlock()
					g.Close()
					return
				}
			}
		}
		mu.Unlock()
		if p != nil {
			p.last.Store(time.Now().UnixNano())
			p.g.Write(buf[:nr])
		}
	}
}

// udpTo writes datagrams to one peer through a shared socket.
type udpTo struct {
	pc   *net.UDPConn
	peer netip.AddrPort
}

func (u udpTo) Write(b []byte) (int, error) { return u.pc.WriteToUDPAddrPort(b, u.peer) }
