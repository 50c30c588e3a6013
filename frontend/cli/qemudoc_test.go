package cli

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"mimic/devices/usernet"
)

// Command lines from QEMU's documentation, quoted as written there, with
// what Mimic makes of each: the parsed options, or the error.
//
// Sources:
//
//	[inv]   QEMU System Emulation, "Invocation" (docs/system/invocation,
//	        generated from qemu-options.hx; the qemu-system(1) man page of
//	        QEMU 7.2 as Debian 12 ships it),
//	        https://www.qemu.org/docs/master/system/invocation.html
//	[inv9]  the same page in later QEMU (-netdev stream, QEMU 7.2 and up)
//	[uboot] U-Boot, doc/board/emulation/blkdev.rst ("QEMU can emulate
//	        common block devices"), v2023.10
//
// The examples are for qemu-system-x86_64 and its PC board; Mimic is
// qemu-system-arm's virt board, so a PC-only device is an error there
// (as it is for qemu-system-arm), and where QEMU's virt board would use
// its default interface (virtio) Mimic does too. The program name and a
// leading disk image (QEMU's positional -hda, which Mimic does not
// accept) are dropped before parsing; "keepImage" keeps it.
var qemuDocExamples = []struct {
	src, cmdline string
	keepImage    bool
	got          func(*Options) any // what to compare; nil when an error is wanted
	want         any
	err          string // substring of the error
}{
	// -drive
	{src: "[inv] -drive", cmdline: `qemu-system-x86_64 -drive file=file,index=2,media=cdrom`,
		err: "-drive file=file,index=2,media=cdrom: media=cdrom: the virt board has no CD-ROM drive"},
	{src: "[inv] -drive", cmdline: `qemu-system-x86_64 -drive file=file,index=0,media=disk`,
		got: drives, want: []Drive{drive("virtio0", "file", "virtio", 0)}},
	{src: "[inv] -drive", cmdline: `qemu-system-x86_64 -drive file=file,index=3,media=disk`,
		got: drives, want: []Drive{drive("virtio3", "file", "virtio", 3)}},
	{src: "[inv] -drive", cmdline: `qemu-system-x86_64 -drive file=file,if=ide,index=1,media=cdrom`,
		err: "-drive file=file,if=ide,index=1,media=cdrom: if=ide: the virt board has no IDE"},
	{src: "[inv] -drive (an empty drive)", cmdline: `qemu-system-x86_64 -drive if=ide,index=1,media=cdrom`,
		err: "if=ide: the virt board has no IDE"},
	{src: "[inv] -drive", cmdline: `qemu-system-x86_64 -drive file=file,index=1,if=floppy`,
		err: "if=floppy: the virt board has no floppy controller"},
	// "By default, interface is "ide" and index is automatically
	// incremented": on virt the default interface is virtio
	// (hw/arm/virt.c: block_default_type = IF_VIRTIO), the units counted
	// the same way.
	{src: "[inv] -drive", cmdline: `qemu-system-x86_64 -drive file=a -drive file=b`,
		got: drives, want: []Drive{drive("virtio0", "a", "virtio", 0), drive("virtio1", "b", "virtio", 1)}},
	{src: "[inv] -drive file= (a comma in the name is doubled)", cmdline: `qemu-system-x86_64 -drive file=my,,file`,
		got: drives, want: []Drive{drive("virtio0", "my,file", "virtio", 0)}},
	{src: "[inv] -drive (fd sets)", cmdline: `qemu-system-x86_64 -add-fd fd=3,set=2,opaque="rdwr:/path/to/file" -drive file=/dev/fdset/2,index=0,media=disk`,
		err: "unknown option -add-fd"},
	{src: "[uboot] Virtio", cmdline: `qemu-system-arm -drive if=none,file=disk.img,format=raw,id=VIRTIO1 -device virtio-blk,drive=VIRTIO1`,
		got: func(o *Options) any { return [2]any{o.Drives, o.Devices} },
		want: [2]any{[]Drive{{ID: "VIRTIO1", File: "disk.img", Format: "raw", If: "none", Cache: "writeback", Discard: "ignore", AIO: "threads", Locking: "auto"}},
			[]Device{{Driver: "virtio-blk-device", Drive: "VIRTIO1"}}}},
	{src: "[uboot] NVMe", cmdline: `qemu-system-arm -drive if=none,file=disk.img,format=raw,id=NVME1 -device nvme,drive=NVME1,serial=nvme-1`,
		err: `-device nvme,drive=NVME1,serial=nvme-1: unknown device "nvme" (supported: virtio-blk-device, virtio-net-device, virtio-rng-device`},

	// -global, -m, -smp, -machine
	{src: "[inv] -global", cmdline: `qemu-system-x86_64 -global ide-hd.physical_block_size=4096 disk-image.img`,
		err: "-global ide-hd.physical_block_size=4096: unknown property ide-hd.physical_block_size (supported: virtio-mmio.force-legacy)"},
	{src: "[inv] -m", cmdline: `qemu-system-x86_64 -m 1G,slots=3,maxmem=4G`,
		err: "-m 1G,slots=3,maxmem=4G: slots: memory hotplug is not supported"},
	{src: "[inv] -machine memory-backend", cmdline: `qemu-system-x86_64 -machine memory-backend=pc.ram -m 512M`,
		err: `-machine memory-backend=pc.ram: unknown key "memory-backend"`},
	{src: "[inv] -smp", cmdline: `qemu-system-x86_64 -smp 8,sockets=2,cores=2,threads=2,maxcpus=8`,
		err: "-smp 8,sockets=2,cores=2,threads=2,maxcpus=8: Mimic runs one CPU until SMP lands"},
	{src: "[inv] -smp (ARM virt)", cmdline: `qemu-system-x86_64 -smp 16,sockets=2,clusters=2,cores=2,threads=2,maxcpus=16`,
		err: "Mimic runs one CPU until SMP lands"},
	{src: "[inv] -smp", cmdline: `qemu-system-x86_64 -smp 2`, err: "-smp 2: Mimic runs one CPU until SMP lands"},

	// -nic and -netdev
	{src: "[inv] -nic", cmdline: `qemu-system-x86_64 -netdev user,id=n1,ipv6=off -device e1000,netdev=n1,mac=52:54:98:76:54:32`,
		err: `-device e1000,netdev=n1,mac=52:54:98:76:54:32: unknown device "e1000"`},
	{src: "[inv] -nic", cmdline: `qemu-system-x86_64 -nic user,ipv6=off,model=e1000,mac=52:54:98:76:54:32`,
		err: "model=e1000: the virt board has no PCI yet; use model=virtio"},
	{src: "[inv] -nic, with Mimic's card", cmdline: `qemu-system-x86_64 -nic user,ipv6=off,model=virtio,mac=52:54:98:76:54:32`,
		got: nics, want: []NIC{{Model: "virtio-net-device", ModelGiven: true, MAC: MAC{0x52, 0x54, 0x98, 0x76, 0x54, 0x32},
			Netdev: Netdev{Type: "user", ID: "__org.qemu.nic0", Props: []KV{{Key: "ipv6", Value: "off"}}, User: defaultUser()}}}},
	{src: "[inv] -netdev user dnssearch", cmdline: `qemu-system-x86_64 -nic user,dnssearch=mgmt.example.org,dnssearch=example.org`,
		err: "dnssearch: not supported yet"},
	{src: "[inv] -netdev user hostfwd", cmdline: `qemu-system-x86_64 -nic user,hostfwd=tcp:127.0.0.1:6001-:6000`,
		got: hostfwds, want: []usernet.Forward{{Proto: "tcp", Host: netip.MustParseAddrPort("127.0.0.1:6001"),
			Guest: netip.MustParseAddrPort("10.0.2.15:6000")}}},
	{src: "[inv] -netdev user hostfwd", cmdline: `qemu-system-x86_64 -nic user,hostfwd=tcp::5555-:23`,
		got: hostfwds, want: []usernet.Forward{{Proto: "tcp", Host: netip.MustParseAddrPort("0.0.0.0:5555"), Guest: netip.MustParseAddrPort("10.0.2.15:23")}}},
	{src: "[inv] -netdev user guestfwd", cmdline: `qemu-system-x86_64 -nic user,guestfwd=tcp:10.0.2.100:1234-tcp:10.10.1.1:4321`,
		err: "guestfwd: not supported yet"},
	{src: "[inv] -netdev user guestfwd", cmdline: `qemu-system-x86_64 -nic  'user,id=n1,guestfwd=tcp:10.0.2.100:1234-cmd:netcat 10.10.1.1 4321'`,
		err: "guestfwd: not supported yet"},
	{src: "[inv] -netdev user tftp", cmdline: "qemu-system-x86_64 -hda linux.img -boot n -device e1000,netdev=n1 \\\n    -netdev user,id=n1,tftp=/path/to/tftp/files,bootfile=/pxelinux.0",
		err: "unknown option -hda"},
	{src: "[inv] -netdev tap", cmdline: `qemu-system-x86_64 linux.img -nic tap`,
		got: nics, want: []NIC{{Model: "virtio-net-device", Netdev: Netdev{Type: "tap", ID: "__org.qemu.nic0"}}}},
	{src: "[inv] -netdev tap (the disk image kept)", cmdline: `qemu-system-x86_64 linux.img -nic tap`, keepImage: true,
		err: `unexpected argument "linux.img"`},
	{src: "[inv] -netdev tap", cmdline: "qemu-system-x86_64 linux.img \\\n        -netdev tap,id=nd0,ifname=tap0 -device e1000,netdev=nd0 \\\n        -netdev tap,id=nd1,ifname=tap1 -device rtl8139,netdev=nd1",
		err: `unknown device "e1000"`},
	{src: "[inv] -netdev tap, with Mimic's card", cmdline: "qemu-system-x86_64 linux.img \\\n        -netdev tap,id=nd0,ifname=tap0 -device virtio-net-device,netdev=nd0 \\\n        -netdev tap,id=nd1,ifname=tap1 -device virtio-net-device,netdev=nd1",
		got: netdevs, want: []Netdev{{Type: "tap", ID: "nd0", Props: []KV{{Key: "ifname", Value: "tap0"}}},
			{Type: "tap", ID: "nd1", Props: []KV{{Key: "ifname", Value: "tap1"}}}}},
	{src: "[inv] -netdev tap helper", cmdline: "qemu-system-x86_64 linux.img -device virtio-net-pci,netdev=n1 \\\n        -netdev tap,id=n1,\"helper=/path/to/qemu-bridge-helper\"",
		err: "-device virtio-net-pci,netdev=n1: virtio-net-pci: the virt board has no PCI yet; use virtio-net-device"},
	{src: "[inv] -netdev bridge", cmdline: `qemu-system-x86_64 linux.img -netdev bridge,id=n1 -device virtio-net,netdev=n1`,
		err: "-netdev bridge,id=n1: bridge: not supported yet"},
	{src: "[inv] -netdev socket", cmdline: "qemu-system-x86_64 linux.img \\\n        -device e1000,netdev=n1,mac=52:54:00:12:34:56 \\\n        -netdev socket,id=n1,listen=:1234",
		err: `unknown device "e1000"`},
	{src: "[inv] -netdev socket mcast, with Mimic's card", cmdline: "qemu-system-x86_64 linux.img \\\n        -device virtio-net-device,netdev=n1,mac=52:54:00:12:34:56 \\\n        -netdev socket,id=n1,mcast=230.0.0.1:1234",
		got: netdevs, want: []Netdev{{Type: "socket", ID: "n1", Props: []KV{{Key: "mcast", Value: "230.0.0.1:1234"}}}}},
	{src: "[inv9] -netdev stream", cmdline: "qemu-system-arm linux.img \\\n        -device virtio-net,netdev=net0,mac=52:54:00:12:34:56 \\\n        -netdev stream,id=net0,server=on,addr.type=inet,addr.host=localhost,addr.port=1234",
		got: func(o *Options) any { return [2]any{o.Devices, o.Netdevs} },
		want: [2]any{[]Device{{Driver: "virtio-net-device", Netdev: "net0", MAC: MAC{0x52, 0x54, 0, 0x12, 0x34, 0x56}}},
			[]Netdev{{Type: "stream", ID: "net0", Props: []KV{{Key: "server", Value: "on"}, {Key: "addr.type", Value: "inet"},
				{Key: "addr.host", Value: "localhost"}, {Key: "addr.port", Value: "1234"}}}}}},
	{src: "[inv9] -netdev stream reconnect", cmdline: "qemu-system-arm linux.img \\\n        -device virtio-net,netdev=net0,mac=52:54:00:12:34:57 \\\n        -netdev stream,id=net0,server=off,addr.type=inet,addr.host=localhost,addr.port=1234,reconnect=5",
		got: func(o *Options) any { p, _ := kvs(o.Netdevs[0].Props).get("reconnect"); return p }, want: "5"},
	{src: "[inv] -netdev vhost-user", cmdline: "qemu -m 512 -object memory-backend-file,id=mem,size=512M,mem-path=/hugetlbfs,share=on \\\n     -numa node,memdev=mem",
		err: "unknown option -object"},
	{src: "[inv] -netdev vhost-user", cmdline: `qemu -netdev type=vhost-user,id=net0,chardev=chr0 -device virtio-net-pci,netdev=net0`,
		err: "-netdev type=vhost-user,id=net0,chardev=chr0: vhost-user: vhost needs KVM"},
	{src: "[inv] -nic none", cmdline: `qemu-system-x86_64 -nic none`,
		got: func(o *Options) any { return [2]bool{o.NoNIC, o.DefaultNIC()} }, want: [2]bool{true, false}},

	// Character devices, debugging
	{src: "[inv] -serial none", cmdline: `qemu-system-x86_64 -serial none`, got: serial, want: Serial{Backend: "null"}},
	{src: "[inv] -serial vc", cmdline: `qemu-system-x86_64 -serial vc:800x600`, err: "-serial vc:800x600: not supported yet"},
	{src: "[inv] -serial tcp", cmdline: `qemu-system-x86_64 -serial tcp:192.168.0.2:4444`, err: "-serial tcp:192.168.0.2:4444: not supported yet"},
	{src: "[inv] -serial tcp", cmdline: `qemu-system-x86_64 -serial tcp::4444,server=on`, err: "not supported yet"},
	{src: "[inv] -serial udp", cmdline: `qemu-system-x86_64 -serial udp::4555@:4556`, err: "not supported yet"},
	{src: "[inv] -serial mon:", cmdline: `qemu-system-x86_64 -serial mon:telnet::4444,server=on,wait=off`, err: "not supported yet"},
	{src: "[inv] -gdb", cmdline: `qemu-system-x86_64 -gdb tcp::3117`, err: "-gdb: the GDB stub is not supported yet"},
	{src: "[inv] -action", cmdline: `qemu-system-x86_64 -action panic=none -action reboot=shutdown,shutdown=pause -device i6300esb -action watchdog=pause`,
		err: "unknown option -action"},
	{src: "[inv] -rtc", cmdline: `qemu-system-x86_64 -rtc base=2006-06-17T16:01:21`,
		got: rtc, want: RTC{Base: "datetime", Start: time.Date(2006, 6, 17, 16, 1, 21, 0, time.UTC)}},
	{src: "[inv] -rtc", cmdline: `qemu-system-x86_64 -rtc base=2006-06-17`,
		got: rtc, want: RTC{Base: "datetime", Start: time.Date(2006, 6, 17, 0, 0, 0, 0, time.UTC)}},
	{src: "[inv] -prom-env (PPC, SPARC)", cmdline: `qemu-system-sparc -prom-env 'auto-boot?=false' -prom-env 'boot-device=sd(0,2,0):d' -prom-env 'boot-args=linux single'`,
		err: "unknown option -prom-env"},
	{src: "[inv] -smbios", cmdline: "qemu-system-x86_64 -netdev user,id=internet \\\n    -device virtio-net-pci,mac=50:54:00:00:00:42,netdev=internet,id=internet-dev \\\n    -smbios type=41,designation='Onboard LAN',instance=1,kind=ethernet,pcidev=internet-dev",
		err: "unknown option -smbios"}, // unknown options first, as QEMU's first pass reports them
}

func drives(o *Options) any   { return o.Drives }
func nics(o *Options) any     { return o.NICs }
func netdevs(o *Options) any  { return o.Netdevs }
func serial(o *Options) any   { return o.Serial }
func rtc(o *Options) any      { return o.RTC }
func hostfwds(o *Options) any { return o.NICs[0].Netdev.User.HostFwd }

// drive is a Drive with QEMU's defaults.
func drive(id, file, iface string, unit int) Drive {
	return Drive{ID: id, File: file, If: iface, Unit: unit, Cache: "writeback", Discard: "ignore", AIO: "threads", Locking: "auto"}
}

// defaultUser is -netdev user's configuration with QEMU's defaults.
func defaultUser() *usernet.Config {
	return &usernet.Config{Net: netip.MustParsePrefix("10.0.2.0/24"), Host: netip.MustParseAddr("10.0.2.2"),
		DNS: netip.MustParseAddr("10.0.2.3"), DHCPStart: netip.MustParseAddr("10.0.2.15"), MTU: 1500}
}

func TestQEMUDocExamples(t *testing.T) {
	for _, ex := range qemuDocExamples {
		args := shellWords(t, ex.cmdline)[1:] // without the program
		if len(args) > 0 && !strings.HasPrefix(args[0], "-") && !ex.keepImage {
			args = args[1:] // QEMU's positional disk image
		}
		o, err := Parse(args)
		if ex.err != "" {
			if err == nil || !strings.Contains(err.Error(), ex.err) {
				t.Errorf("%s: %s\n\terror = %v\n\twant    %q", ex.src, ex.cmdline, err, ex.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %s: %v", ex.src, ex.cmdline, err)
			continue
		}
		if diff := cmp.Diff(ex.want, ex.got(o), cmpAddr...); diff != "" {
			t.Errorf("%s: %s (-want +got):\n%s", ex.src, ex.cmdline, diff)
		}
	}
}

// shellWords splits a command line as the shell would, for the quoting
// the examples use: '...', "...", and backslash-newline.
func shellWords(t *testing.T, s string) []string {
	t.Helper()
	var words []string
	var w strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && s[i+1] == '\n':
			i++
		case c == ' ' || c == '\n' || c == '\t':
			if inWord {
				words = append(words, w.String())
				w.Reset()
				inWord = false
			}
		case c == '\'' || c == '"':
			j := strings.IndexByte(s[i+1:], c)
			if j < 0 {
				t.Fatalf("unbalanced quote in %q", s)
			}
			w.WriteString(s[i+1 : i+1+j])
			i += j + 1
			inWord = true
		default:
			w.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, w.String())
	}
	return words
}
