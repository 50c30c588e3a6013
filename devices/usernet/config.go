package usernet

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// Config describes one user-mode network. The zero value is QEMU's
// `-netdev user` default: 10.0.2.0/24, host 10.0.2.2, DNS 10.0.2.3, DHCP
// from 10.0.2.15, not restricted, no forwards, MTU 1500.
type Config struct {
	// Net is the guest network (net=). Default 10.0.2.0/24.
	Net netip.Prefix
	// Host is the gateway, which is also the host's loopback as seen from
	// the guest (host=). Default: address 2 of Net.
	Host netip.Addr
	// DNS is the virtual DNS server (dns=). Default: address 3 of Net.
	DNS netip.Addr
	// DHCPStart is the first address DHCP hands out (dhcpstart=). Default:
	// address 15 of Net.
	DHCPStart netip.Addr
	// Restrict isolates the guest (restrict=on): see the package comment.
	Restrict bool
	// HostFwd lists the host-to-guest forwards (hostfwd=, repeatable).
	HostFwd []Forward
	// Hostname is sent to the guest as DHCP option 12 (hostname=); empty:
	// not sent.
	Hostname string
	// DomainName is sent as DHCP option 15 (domainname=); empty: not sent.
	DomainName string
	// Nameservers are where queries to DNS are forwarded. Only the first is
	// used, as slirp does. Empty: the first IPv4 nameserver of
	// /etc/resolv.conf (re-read when the file changes), port 53.
	Nameservers []netip.AddrPort
	// MTU is the link MTU: the largest IP packet sent to the guest. 0 means
	// 1500; libslirp's range, 68 to 65521, is accepted.
	MTU int
}

// Forward is one hostfwd rule: connections to Host on the host are
// connected to Guest inside the guest.
type Forward struct {
	Proto string         // "tcp" or "udp"
	Host  netip.AddrPort // the zero Addr means 0.0.0.0; port 0 picks a free port
	Guest netip.AddrPort // the zero Addr means Config.DHCPStart
}

func (f Forward) String() string {
	h, g := "", ""
	if f.Host.Addr().IsValid() {
		h = f.Host.Addr().String()
	}
	if f.Guest.Addr().IsValid() {
		g = f.Guest.Addr().String()
	}
	return fmt.Sprintf("%s:%s:%d-%s:%d", f.Proto, h, f.Host.Port(), g, f.Guest.Port())
}

// ErrUnknownOption is returned (wrapped) by Config.Set for a key this
// package does not handle.
var ErrUnknownOption = errors.New("unknown option")

// Set applies one `-netdev user` suboption: net, host, dns, dhcpstart,
// restrict, hostfwd (appends), hostname or domainname. Defaults that depend
// on net are computed by New, so the order of Set calls does not matter, as
// in QEMU.
func (c *Config) Set(key, value string) error {
	var err error
	switch key {
	case "net":
		c.Net, err = ParseNet(value)
	case "host":
		c.Host, err = parseV4(value)
	case "dns":
		c.DNS, err = parseV4(value)
	case "dhcpstart":
		c.DHCPStart, err = parseV4(value)
	case "restrict":
		c.Restrict, err = parseBool(value)
	case "hostfwd":
		var f Forward
		if f, err = ParseHostFwd(value); err == nil {
			c.HostFwd = append(c.HostFwd, f)
		}
		return err
	case "hostname":
		c.Hostname = value
	case "domainname":
		if value == "" {
			return errors.New("domainname: cannot be empty")
		}
		c.DomainName = value
	default:
		return fmt.Errorf("%w %q", ErrUnknownOption, key)
	}
	if err != nil {
		return fmt.Errorf("%s=%s: %w", key, value, err)
	}
	return nil
}

func parseV4(s string) (netip.Addr, error) {
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Is4() {
		return netip.Addr{}, errors.New("not an IPv4 address")
	}
	return a, nil
}

// parseBool accepts QEMU's spellings of a boolean option.
func parseBool(s string) (bool, error) {
	switch s {
	case "on", "yes", "true", "y":
		return true, nil
	case "off", "no", "false", "n":
		return false, nil
	}
	return false, errors.New("want on or off")
}

// ParseNet parses QEMU's net= value: addr/bits, addr/dotted-mask, or a bare
// address whose mask QEMU derives from its class. Host bits are cleared.
func ParseNet(s string) (netip.Prefix, error) {
	addrStr, maskStr, hasMask := strings.Cut(s, "/")
	a, err := parseV4(addrStr)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("bad network address %q", addrStr)
	}
	bits := 0
	switch {
	case !hasMask:
		bits = classfulBits(a)
	case isDecimal(maskStr):
		bits, err = strconv.Atoi(maskStr)
		if err != nil || bits < 4 || bits > 32 {
			return netip.Prefix{}, errors.New("netmask must be in range 4-32")
		}
	default:
		m, err := parseV4(maskStr)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("bad netmask %q", maskStr)
		}
		v := be32(m)
		bits = leadingOnes(v)
		if bits < 32 && v<<bits != 0 {
			return netip.Prefix{}, fmt.Errorf("netmask %s is not contiguous", m)
		}
	}
	return netip.PrefixFrom(a, bits).Masked(), nil
}

// classfulBits is QEMU's mask for a net= address given without one.
func classfulBits(a netip.Addr) int {
	v := be32(a)
	switch {
	case v&0x80000000 == 0:
		return 8 // class A
	case v&0xfff00000 == 0xac100000:
		return 12 // 172.16.0.0/12
	case v&0xc0000000 == 0x80000000:
		return 16 // class B
	case v&0xffff0000 == 0xc0a80000:
		return 16 // 192.168.0.0/16
	case v&0xffff0000 == 0xc6120000:
		return 15 // 198.18.0.0/15
	case v&0xe0000000 == 0xe0000000:
		return 24 // QEMU's "class C" test, kept as it is
	}
	return 28
}

func isDecimal(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func leadingOnes(v uint32) int {
	n := 0
	for v&0x80000000 != 0 {
		n++
		v <<= 1
	}
	return n
}

// ParseHostFwd parses the value of QEMU's hostfwd= suboption:
// [tcp|udp]:[hostaddr]:hostport-[guestaddr]:guestport. The host address
// defaults to 0.0.0.0 (all interfaces, as in QEMU), the guest address to the
// first DHCP address. Ports are numbers in C syntax as QEMU reads them
// (decimal, 0x hex, leading-0 octal).
func ParseHostFwd(s string) (Forward, error) {
	fail := func(why string, args ...any) (Forward, error) {
		return Forward{}, fmt.Errorf("hostfwd %q: %s", s, fmt.Sprintf(why, args...))
	}
	var f Forward
	proto, rest, ok := strings.Cut(s, ":")
	if !ok {
		return fail("missing ':' after the protocol")
	}
	switch proto {
	case "", "tcp":
		f.Proto = "tcp"
	case "udp":
		f.Proto = "udp"
	default:
		return fail("unknown protocol %q (want tcp or udp)", proto)
	}
	hostAddr, rest, ok := strings.Cut(rest, ":")
	if !ok {
		return fail("missing ':' between host address and host port")
	}
	ha := netip.IPv4Unspecified()
	if hostAddr != "" {
		a, err := parseV4(hostAddr)
		if err != nil {
			return fail("bad host address %q", hostAddr)
		}
		ha = a
	}
	hostPort, rest, ok := strings.Cut(rest, "-")
	if !ok {
		return fail("missing '-' between host and guest parts")
	}
	hp, err := strconv.ParseUint(hostPort, 0, 16)
	if err != nil || strings.Contains(hostPort, "_") {
		return fail("bad host port %q", hostPort)
	}
	guestAddr, guestPort, ok := strings.Cut(rest, ":")
	if !ok {
		return fail("missing ':' between guest address and guest port")
	}
	var ga netip.Addr
	if guestAddr != "" {
		a, err := parseV4(guestAddr)
		if err != nil {
			return fail("bad guest address %q", guestAddr)
		}
		ga = a
	}
	gp, err := strconv.ParseUint(guestPort, 0, 16)
	if err != nil || gp == 0 || strings.Contains(guestPort, "_") {
		return fail("bad guest port %q", guestPort)
	}
	f.Host = netip.AddrPortFrom(ha, uint16(hp))
	f.Guest = netip.AddrPortFrom(ga, uint16(gp))
	return f, nil
}

// Resolved returns c with every default filled in, or the first problem,
// in the words of QEMU's checks (net/slirp.c). New resolves its Config; a
// command-line parser calls it to report problems before anything starts.
func (c Config) Resolved() (Config, error) {
	if !c.Net.IsValid() {
		c.Net = netip.MustParsePrefix("10.0.2.0/24")
	}
	if !c.Net.Addr().Is4() {
		return c, fmt.Errorf("network %s is not IPv4", c.Net)
	}
	c.Net = c.Net.Masked()
	if c.Net.Bits() < 4 {
		return c, errors.New("netmask must be in range 4-32")
	}
	nth := func(i uint32) netip.Addr {
		mask := ^uint32(0) << (32 - c.Net.Bits())
		return from32(be32(c.Net.Addr()) | i&^mask)
	}
	// QEMU's defaults: x.x.2.2, .3 and .15 as far as the mask allows.
	if !c.Host.IsValid() {
		c.Host = nth(0x0202)
	}
	if !c.DNS.IsValid() {
		c.DNS = nth(0x0203)
	}
	if !c.DHCPStart.IsValid() {
		c.DHCPStart = nth(0x020f)
	}
	switch {
	case !c.Host.Is4() || !c.Net.Contains(c.Host):
		return c, fmt.Errorf("host %s doesn't belong to network %s", c.Host, c.Net)
	case !c.DNS.Is4():
		return c, fmt.Errorf("dns %s is not IPv4", c.DNS)
	case c.Restrict && !c.Net.Contains(c.DNS):
		return c, fmt.Errorf("dns %s doesn't belong to network %s", c.DNS, c.Net)
	case c.DNS == c.Host:
		return c, errors.New("dns must be different from host")
	case !c.DHCPStart.Is4() || !c.Net.Contains(c.DHCPStart):
		return c, fmt.Errorf("dhcpstart %s doesn't belong to network %s", c.DHCPStart, c.Net)
	case c.DHCPStart == c.Host || c.DHCPStart == c.DNS:
		return c, errors.New("dhcpstart must be different from host and dns")
	case len(c.Hostname) > 255:
		return c, errors.New("hostname cannot exceed 255 bytes")
	case len(c.DomainName) > 255:
		return c, errors.New("domainname cannot exceed 255 bytes")
	}
	if c.MTU == 0 {
		c.MTU = 1500
	}
	if c.MTU < 68 || c.MTU > 65521 {
		return c, fmt.Errorf("mtu %d out of range 68-65521", c.MTU)
	}
	nss := make([]netip.AddrPort, len(c.Nameservers))
	for i, ns := range c.Nameservers {
		if !ns.Addr().Unmap().Is4() || ns.Port() == 0 {
			return c, fmt.Errorf("nameserver %s is not an IPv4 address and port", ns)
		}
		nss[i] = netip.AddrPortFrom(ns.Addr().Unmap(), ns.Port())
	}
	c.Nameservers = nss
	fwds := make([]Forward, len(c.HostFwd))
	for i, f := range c.HostFwd {
		if f.Proto != "tcp" && f.Proto != "udp" {
			return c, fmt.Errorf("hostfwd %s: unknown protocol %q (want tcp or udp)", f, f.Proto)
		}
		if !f.Host.Addr().IsValid() {
			f.Host = netip.AddrPortFrom(netip.IPv4Unspecified(), f.Host.Port())
		}
		if !f.Guest.Addr().IsValid() {
			f.Guest = netip.AddrPortFrom(c.DHCPStart, f.Guest.Port())
		}
		switch {
		case !f.Host.Addr().Is4():
			return c, fmt.Errorf("hostfwd %s: host address is not IPv4", f)
		case f.Guest.Port() == 0:
			return c, fmt.Errorf("hostfwd %s: bad guest port 0", f)
		case !c.Net.Contains(f.Guest.Addr()):
			// libslirp accepts this and the forward never connects.
			return c, fmt.Errorf("hostfwd %s: guest address doesn't belong to network %s", f, c.Net)
		}
		fwds[i] = f
	}
	c.HostFwd = fwds
	return c, nil
}

func be32(a netip.Addr) uint32 {
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

func from32(v uint32) netip.Addr {
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}
