package cli

import (
	"fmt"
	"strconv"
	"strings"

	"mimic/devices/usernet"
)

// netdev builds a back end from checked sub-options.
func netdev(a *arg, l kvs) (Netdev, error) {
	nd := Netdev{Type: a.variant.Name}
	nd.ID, _ = l.get("id")
	nd.Props = kvs(l).without("type", "id")
	if nd.Type == "user" {
		u, err := userNet(l)
		if err != nil {
			return nd, a.errorf("%v", err)
		}
		nd.User = u
	}
	return nd, nil
}

// userNet reads -netdev user's keys into the user-mode network's own
// configuration (package usernet holds the grammar of net=, hostfwd= and
// the rest, and QEMU's defaults and checks), so problems are reported
// before anything starts.
func userNet(l kvs) (*usernet.Config, error) {
	var c usernet.Config
	for _, kv := range l {
		if kv.Key == "type" || kv.Key == "id" || kv.Key == "ipv4" || kv.Key == "ipv6" {
			continue
		}
		if err := c.Set(kv.Key, kv.Value); err != nil {
			return nil, err
		}
	}
	r, err := c.Resolved()
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// parseMAC reads six hex bytes separated by ':' or '-', as QEMU's
// net_parse_macaddr does. A card's address may not be multicast or zero.
func parseMAC(s string) (MAC, error) {
	var m MAC
	bad := fmt.Errorf("mac=%s: want a MAC address such as 52:54:00:12:34:56", s)
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == ':' || r == '-' })
	if len(parts) != 6 || strings.Count(s, ":")+strings.Count(s, "-") != 5 {
		return m, bad
	}
	for i, p := range parts {
		n, err := strconv.ParseUint(p, 16, 8)
		if err != nil || len(p) > 2 {
			return m, bad
		}
		m[i] = byte(n)
	}
	if m[0]&1 != 0 {
		return m, fmt.Errorf("mac=%s: a network card cannot have a multicast address", s)
	}
	if m == (MAC{}) {
		return m, fmt.Errorf("mac=%s: a network card cannot have the zero address", s)
	}
	return m, nil
}
