package usernet

import (
	"bufio"
	"bytes"
	"net/netip"
	"os"
	"strings"
	"sync"
	"time"
)

// resolvConf is the host resolver that queries to the virtual DNS server go
// to when Config.Nameservers is empty: like slirp's get_dns_addr, the first
// IPv4 nameserver of /etc/resolv.conf, re-read when the file changes and
// looked at no more than once a second. Without one, slirp falls back to
// 127.0.0.1, and so do we.
type resolvConf struct {
	path string

	mu      sync.Mutex
	checked time.Time
	modTime time.Time
	size    int64
	addr    netip.Addr
}

func (r *resolvConf) nameserver() netip.Addr {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := time.Now()
	if r.addr.IsValid() && now.Sub(r.checked) < time.Second {
		return r.addr
	}
	r.checked = now
	fi, err := os.Stat(r.path)
	if err == nil && r.addr.IsValid() && fi.ModTime().Equal(r.modTime) && fi.Size() == r.size {
		return r.addr
	}
	r.addr = netip.AddrFrom4([4]byte{127, 0, 0, 1})
	if err != nil {
		return r.addr
	}
	r.modTime, r.size = fi.ModTime(), fi.Size()
	data, err := os.ReadFile(r.path)
	if err != nil {
		return r.addr
	}
	if a, ok := parseResolvConf(data); ok {
		r.addr = a
	}
	return r.addr
}

// parseResolvConf returns the first IPv4 nameserver in a resolv.conf.
func parseResolvConf(data []byte) (netip.Addr, bool) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 || f[0] != "nameserver" {
			continue
		}
		if a, err := netip.ParseAddr(f[1]); err == nil && a.Unmap().Is4() {
			return a.Unmap(), true
		}
	}
	return netip.Addr{}, false
}
