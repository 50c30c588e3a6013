package usernet

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseHostFwd(t *testing.T) {
	ap := netip.MustParseAddrPort
	tests := []struct {
		in      string
		want    Forward
		wantErr string
	}{
		{in: "tcp::2222-:22", want: Forward{"tcp", ap("0.0.0.0:2222"), netip.AddrPortFrom(netip.Addr{}, 22)}},
		{in: "::2222-:22", want: Forward{"tcp", ap("0.0.0.0:2222"), netip.AddrPortFrom(netip.Addr{}, 22)}},
		{in: "tcp:127.0.0.1:2222-10.0.2.15:22", want: Forward{"tcp", ap("127.0.0.1:2222"), ap("10.0.2.15:22")}},
		{in: "udp:127.0.0.1:5353-10.0.2.20:53", want: Forward{"udp", ap("127.0.0.1:5353"), ap("10.0.2.20:53")}},
		{in: "tcp::0-:80", want: Forward{"tcp", ap("0.0.0.0:0"), netip.AddrPortFrom(netip.Addr{}, 80)}},
		{in: "tcp::0x10-:010", want: Forward{"tcp", ap("0.0.0.0:16"), netip.AddrPortFrom(netip.Addr{}, 8)}}, // C numbers, as qemu_strtoi
		{in: "sctp::1-:2", wantErr: `hostfwd "sctp::1-:2": unknown protocol "sctp" (want tcp or udp)`},
		{in: "tcp", wantErr: `hostfwd "tcp": missing ':' after the protocol`},
		{in: "tcp:2222-:22", wantErr: `hostfwd "tcp:2222-:22": bad host address "2222-"`},
		{in: "tcp:2222", wantErr: `hostfwd "tcp:2222": missing ':' between host address and host port`},
		{in: "tcp::2222:22", wantErr: `hostfwd "tcp::2222:22": missing '-' between host and guest parts`},
		{in: "tcp::2222-22", wantErr: `hostfwd "tcp::2222-22": missing ':' between guest address and guest port`},
		{in: "tcp:localhost:2222-:22", wantErr: `hostfwd "tcp:localhost:2222-:22": bad host address "localhost"`},
		{in: "tcp:::1:2222-:22", wantErr: `hostfwd "tcp:::1:2222-:22": bad host port ":1:2222"`},
		{in: "tcp::65536-:22", wantErr: `hostfwd "tcp::65536-:22": bad host port "65536"`},
		{in: "tcp::x-:22", wantErr: `hostfwd "tcp::x-:22": bad host port "x"`},
		{in: "tcp::-:22", wantErr: `hostfwd "tcp::-:22": bad host port ""`},
		{in: "tcp::22-10.0.2:22", wantErr: `hostfwd "tcp::22-10.0.2:22": bad guest address "10.0.2"`},
		{in: "tcp::22-:0", wantErr: `hostfwd "tcp::22-:0": bad guest port "0"`},
		{in: "tcp::22-:", wantErr: `hostfwd "tcp::22-:": bad guest port ""`},
		{in: "tcp::22-:1_0", wantErr: `hostfwd "tcp::22-:1_0": bad guest port "1_0"`},
	}
	for _, tt := range tests {
		got, err := ParseHostFwd(tt.in)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("ParseHostFwd(%q) error = %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseHostFwd(%q): %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got, cmp.Comparer(func(a, b netip.AddrPort) bool { return a == b })); diff != "" {
			t.Errorf("ParseHostFwd(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestParseNet(t *testing.T) {
	tests := []struct {
		in, want, wantErr string
	}{
		{in: "10.0.2.0/24", want: "10.0.2.0/24"},
		{in: "192.168.76.0/255.255.255.0", want: "192.168.76.0/24"},
		{in: "10.1.2.3/16", want: "10.1.0.0/16"}, // host bits cleared, as QEMU
		{in: "10.0.0.0", want: "10.0.0.0/8"},
		{in: "172.16.5.0", want: "172.16.0.0/12"},
		{in: "192.168.1.0", want: "192.168.0.0/16"},
		{in: "10.0.2.0/3", wantErr: "netmask must be in range 4-32"},
		{in: "10.0.2.0/33", wantErr: "netmask must be in range 4-32"},
		{in: "10.0.2.0/255.0.255.0", wantErr: "netmask 255.0.255.0 is not contiguous"},
		{in: "10.0.2/24", wantErr: `bad network address "10.0.2"`},
		{in: "10.0.2.0/x", wantErr: `bad netmask "x"`},
	}
	for _, tt := range tests {
		got, err := ParseNet(tt.in)
		switch {
		case tt.wantErr != "":
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("ParseNet(%q) error = %v, want %q", tt.in, err, tt.wantErr)
			}
		case err != nil:
			t.Errorf("ParseNet(%q): %v", tt.in, err)
		case got.String() != tt.want:
			t.Errorf("ParseNet(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestConfigSet(t *testing.T) {
	var c Config
	for _, kv := range [][2]string{
		{"hostfwd", "tcp::2222-:22"}, {"restrict", "on"}, {"net", "192.168.76.0/24"},
		{"host", "192.168.76.1"}, {"dns", "192.168.76.53"}, {"dhcpstart", "192.168.76.100"},
		{"hostname", "vm"}, {"domainname", "lan"}, {"hostfwd", "udp::5353-:53"},
	} {
		if err := c.Set(kv[0], kv[1]); err != nil {
			t.Fatalf("Set(%s, %s): %v", kv[0], kv[1], err)
		}
	}
	got, err := c.Resolved()
	if err != nil {
		t.Fatal(err)
	}
	a, ap := netip.MustParseAddr, netip.MustParseAddrPort
	want := Config{
		Net: netip.MustParsePrefix("192.168.76.0/24"), Host: a("192.168.76.1"), DNS: a("192.168.76.53"),
		DHCPStart: a("192.168.76.100"), Restrict: true, Hostname: "vm", DomainName: "lan", MTU: 1500,
		HostFwd: []Forward{
			{"tcp", ap("0.0.0.0:2222"), ap("192.168.76.100:22")},
			{"udp", ap("0.0.0.0:5353"), ap("192.168.76.100:53")},
		},
		Nameservers: []netip.AddrPort{},
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b netip.Addr) bool { return a == b }),
		cmp.Comparer(func(a, b netip.AddrPort) bool { return a == b }),
		cmp.Comparer(func(a, b netip.Prefix) bool { return a == b })); diff != "" {
		t.Errorf("resolved config (-want +got):\n%s", diff)
	}

	for _, tc := range []struct{ k, v, want string }{
		{"restrict", "maybe", "restrict=maybe: want on or off"},
		{"host", "10.0.2", "host=10.0.2: not an IPv4 address"},
		{"hostfwd", "tcp::x-:22", `hostfwd "tcp::x-:22": bad host port "x"`},
		{"domainname", "", "domainname: cannot be empty"},
		{"smb", "/tmp", `unknown option "smb"`},
	} {
		err := (&Config{}).Set(tc.k, tc.v)
		if err == nil || err.Error() != tc.want {
			t.Errorf("Set(%s, %q) = %v, want %q", tc.k, tc.v, err, tc.want)
		}
	}
	if err := (&Config{}).Set("smb", "x"); !errors.Is(err, ErrUnknownOption) {
		t.Errorf("unknown key error %v is not ErrUnknownOption", err)
	}
}

func TestConfigDefaultsAndErrors(t *testing.T) {
	got, err := Config{}.Resolved()
	if err != nil {
		t.Fatal(err)
	}
	if got.Net.String() != "10.0.2.0/24" || got.Host.String() != "10.0.2.2" || got.DNS.String() != "10.0.2.3" || got.DHCPStart.String() != "10.0.2.15" || got.MTU != 1500 {
		t.Errorf("defaults: %+v", got)
	}
	net10 := netip.MustParsePrefix("10.0.0.0/8")
	if got, _ := (Config{Net: net10}).Resolved(); got.Host.String() != "10.0.2.2" || got.DHCPStart.String() != "10.0.2.15" {
		t.Errorf("net=10.0.0.0/8: host %s dhcpstart %s, want QEMU's 10.0.2.2 and 10.0.2.15", got.Host, got.DHCPStart)
	}
	a := netip.MustParseAddr
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{Host: a("10.0.3.2")}, "host 10.0.3.2 doesn't belong to network 10.0.2.0/24"},
		{Config{DNS: a("10.0.2.2")}, "dns must be different from host"},
		{Config{DNS: a("8.8.8.8"), Restrict: true}, "dns 8.8.8.8 doesn't belong to network 10.0.2.0/24"},
		{Config{DHCPStart: a("10.0.3.15")}, "dhcpstart 10.0.3.15 doesn't belong to network 10.0.2.0/24"},
		{Config{DHCPStart: a("10.0.2.3")}, "dhcpstart must be different from host and dns"},
		{Config{MTU: 40}, "mtu 40 out of range 68-65521"},
		{Config{HostFwd: []Forward{{Proto: "tcp", Guest: netip.MustParseAddrPort("10.0.3.15:22")}}}, "hostfwd tcp:0.0.0.0:0-10.0.3.15:22: guest address doesn't belong to network 10.0.2.0/24"},
		{Config{HostFwd: []Forward{{Proto: "sctp", Guest: netip.MustParseAddrPort("10.0.2.15:22")}}}, `hostfwd sctp::0-10.0.2.15:22: unknown protocol "sctp" (want tcp or udp)`},
		{Config{Nameservers: []netip.AddrPort{netip.MustParseAddrPort("[::1]:53")}}, "nameserver [::1]:53 is not an IPv4 address and port"},
	} {
		if _, err := tc.cfg.Resolved(); err == nil || err.Error() != tc.want {
			t.Errorf("%+v: error %v, want %q", tc.cfg, err, tc.want)
		}
	}
	if _, err := (Config{DNS: a("8.8.8.8")}).Resolved(); err != nil {
		t.Errorf("dns outside the network without restrict: %v (QEMU allows it)", err)
	}
}

func TestParseResolvConf(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"# comment\nsearch lan\nnameserver 192.168.1.1\nnameserver 8.8.8.8\n", "192.168.1.1"},
		{"nameserver fe80::1\nnameserver 127.0.0.53\n", "127.0.0.53"},
		{"options edns0\n", "invalid IP"},
	} {
		a, _ := parseResolvConf([]byte(tc.in))
		if a.String() != tc.want {
			t.Errorf("parseResolvConf(%q) = %s, want %s", tc.in, a, tc.want)
		}
	}
}
