package cli

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"mimic/devices/usernet"
)

var cmpAddr = []cmp.Option{
	cmp.Comparer(func(a, b netip.Addr) bool { return a == b }),
	cmp.Comparer(func(a, b netip.AddrPort) bool { return a == b }),
	cmp.Comparer(func(a, b netip.Prefix) bool { return a == b }),
	cmpopts.EquateEmpty(),
}

func mustParse(t *testing.T, args ...string) *Options {
	t.Helper()
	o, err := Parse(args)
	if err != nil {
		t.Fatalf("Parse(%q): %v", args, err)
	}
	return o
}

// TestDefaults: an empty command line is the bundled demo's: QEMU's virt
// defaults and Mimic's.
func TestDefaults(t *testing.T) {
	want := &Options{Machine: "virt", CPU: "cortex-a15", SMP: 1, Accel: "native", Display: "none",
		Serial: Serial{Backend: "stdio"}, ICount: ICount{Shift: -1}}
	if diff := cmp.Diff(want, mustParse(t)); diff != "" {
		t.Errorf("defaults (-want +got):\n%s", diff)
	}
	if !want.DefaultNIC() {
		t.Errorf("DefaultNIC() = false with no network options")
	}
}

// TestSpellings: QEMU's single-dash form, the double-dash form and
// --name=value mean the same.
func TestSpellings(t *testing.T) {
	groups := [][][]string{
		{{"-kernel", "X"}, {"--kernel", "X"}, {"--kernel=X"}, {"-kernel=X"}},
		{{"-M", "virt"}, {"-machine", "virt"}, {"--machine=virt"}, {"--M", "virt"}, {"-machine", "type=virt"}},
		{{"-m", "512"}, {"--memory", "512"}, {"-m", "512M"}, {"-m", "size=512M"}, {"--m=0.5G"}, {"-m", "524288K"}},
		{{"-drive", "file=a,if=none,id=d0"}, {"--drive", "file=a,if=none,id=d0"}, {"--drive=file=a,if=none,id=d0"}},
		{{"-semihosting"}, {"--semihosting"}, {"--semihosting=true"}, {"-semihosting-config", "enable=on"}, {"-semihosting-config", "on"}},
		{{"-accel", "tcg"}, {"--accel", "native"}, {"-machine", "accel=tcg"}, {"-accel", "kvm", "-accel", "tcg"}},
		{{"-icount", "3"}, {"--icount", "shift=3"}, {"-icount", "shift=3,sleep=on"}},
		{{"-v"}, {"--verbose"}},
		{{"-serial", "none"}, {"-serial", "null"}, {"-serial", "none", "-nodefaults=false"}},
		{{"-nic", "none"}, {"-net", "none"}},
		{{"-smp", "1"}, {"-smp", "cpus=1"}, {"-smp", "1,sockets=1,cores=1,threads=1,maxcpus=1"}},
	}
	ignore := cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Warnings" }, cmp.Ignore())
	for _, g := range groups {
		first := mustParse(t, g[0]...)
		for _, args := range g[1:] {
			if diff := cmp.Diff(first, mustParse(t, args...), ignore); diff != "" {
				t.Errorf("%q and %q differ (-first +second):\n%s", g[0], args, diff)
			}
		}
	}
}

// TestValues: an option's argument is the next word, whatever it looks
// like, as in QEMU.
func TestValues(t *testing.T) {
	tests := []struct {
		args []string
		want string // o.Append
	}{
		{[]string{"-kernel", "k", "-append", "-x"}, "-x"},
		{[]string{"-kernel", "k", "-append", "--"}, "--"},
		{[]string{"-kernel", "k", "-append", "--kernel"}, "--kernel"},
		{[]string{"-kernel", "k", "--append", "-nographic"}, "-nographic"},
		{[]string{"-kernel", "k", "-append", ""}, ""},
		{[]string{"-kernel", "k", "-append=a=b c"}, "a=b c"},
		{[]string{"-kernel", "k", "-append", "first", "-append", "last"}, "last"},
	}
	for _, tt := range tests {
		o := mustParse(t, tt.args...)
		if o.Append != tt.want {
			t.Errorf("Parse(%q).Append = %q, want %q", tt.args, o.Append, tt.want)
		}
	}
	// -append -nographic: -nographic was a value, not an option.
	if o := mustParse(t, "-kernel", "k", "-append", "-nographic"); o.NoGraphic {
		t.Errorf("-append -nographic set NoGraphic")
	}
}

// TestErrors covers every way a command line is refused: each error is
// one line naming the option as written and, for sub-options, the key.
func TestErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		// Options.
		{[]string{"-foo"}, "unknown option -foo"},
		{[]string{"--foo"}, "unknown option --foo"},
		{[]string{"--foo=1"}, "unknown option --foo"},
		{[]string{"-stats"}, "unknown option -stats (Mimic's own options take two dashes: --stats)"},
		{[]string{"-timeout", "3s"}, "unknown option -timeout (Mimic's own options take two dashes: --timeout)"},
		{[]string{"-kernel"}, "-kernel: requires an argument"},
		{[]string{"--drive"}, "--drive: requires an argument"},
		{[]string{"prog.elf"}, `unexpected argument "prog.elf"`},
		{[]string{"--", "-kernel", "x"}, `unexpected argument "-kernel"`},
		{[]string{"-nographic=maybe"}, "-nographic=maybe: want true or false"},
		{[]string{"--timeout", "soon"}, "--timeout soon: want a duration"},
		{[]string{"--max-insns", "-1"}, "--max-insns -1: want a number"},
		// Not supported yet.
		{[]string{"-s"}, "-s: the GDB stub is not supported yet"},
		{[]string{"-S"}, "-S: starting with the CPU stopped is not supported yet"},
		{[]string{"-gdb", "tcp::1234"}, "-gdb: the GDB stub is not supported yet"},
		{[]string{"-qmp", "stdio"}, "-qmp: QMP is not supported yet"},
		{[]string{"-loadvm", "snap"}, "-loadvm: snapshots are not supported yet"},
		{[]string{"-vga", "std"}, "-vga std: VGA cards are not supported yet"},
		{[]string{"-audiodev", "pa,id=a"}, "-audiodev pa,id=a: pa: not supported yet"},
		{[]string{"-usb"}, "-usb: USB is not supported yet"},
		{[]string{"-trace", "enable=virtio*"}, "-trace: QEMU's trace events are not supported; Mimic's --trace"},
		{[]string{"-monitor", "stdio"}, "-monitor stdio: the monitor is not supported yet"},
		{[]string{"-display", "sdl,gl=on"}, "-display sdl,gl=on: gl=on: OpenGL is not supported"},
		{[]string{"-display", "sdl,zoom=2"}, `-display sdl,zoom=2: unknown key "zoom"`},
		{[]string{"-display", "sdl", "-nographic"}, "-nographic cannot be used with -display sdl"},
		{[]string{"-display", "gtk,gl=on"}, "-display gtk,gl=on: gtk: not supported yet"},
		{[]string{"-display", "vnc=:0"}, "-display vnc=:0: vnc: VNC is not supported yet"},
		{[]string{"-display", "none,gl=on"}, `-display none,gl=on: unknown key "gl"`},
		// Machine and CPU.
		{[]string{"-M", "pc"}, `-M pc: unknown machine "pc" (supported: virt, mps2-an385, mps2-an386, lm3s6965evb)`},
		{[]string{"-machine", "virt,gic-version=3"}, "-machine virt,gic-version=3: gic-version=3: Mimic's virt board has a GICv2"},
		{[]string{"-M", "virt,secure=on"}, "secure=on: TrustZone is not modelled"},
		{[]string{"-M", "virt,virtualization=on"}, "virtualization=on: the Virtualization Extensions (Hyp mode) are not modelled"},
		{[]string{"-M", "virt,iommu=smmuv3"}, "iommu=smmuv3: the SMMUv3 is not modelled"},
		{[]string{"-M", "virt,highmem=maybe"}, "highmem=maybe: want on or off"},
		{[]string{"-M", "virt,kernel=k"}, "kernel: use -kernel"},
		{[]string{"-M", "virt,foo=1"}, `-M virt,foo=1: unknown key "foo"`},
		{[]string{"-M", "virt", "-machine", "accel=tcg", "-accel", "tcg"}, "-accel and -machine accel= cannot be used together"},
		{[]string{"-machine", "accel=kvm"}, "-machine accel=kvm: Mimic has no KVM; use tcg"},
		{[]string{"-machine", "accel=kvm:foo"}, `accel=kvm:foo: unknown accelerator "foo"`},
		{[]string{"-M", "mps2-an385", "-cpu", "cortex-m4"}, `-machine mps2-an385 has a cortex-m3: -cpu cortex-m4 is not possible`},
		{[]string{"-cpu", "cortex-m3"}, `-cpu cortex-m3 is a microcontroller core: use -machine mps2-an385 or lm3s6965evb`},
		{[]string{"-nic", "user,model=lan9118"}, `-nic model=lan9118: only the mps2-an385 and mps2-an386 boards have a LAN9118`},
		{[]string{"-M", "mps2-an385", "-nic", "user,model=virtio"}, `-machine mps2-an385: its network card is the LAN9118`},
		{[]string{"-cpu", "cortex-a9000"}, `-cpu cortex-a9000: unknown CPU "cortex-a9000" (supported: cortex-a15, cortex-m3, cortex-m4)`},
		{[]string{"-cpu", "cortex-a15,pmu=off"}, `-cpu cortex-a15,pmu=off: unknown key "pmu"`},
		{[]string{"-accel", "kvm"}, "-accel kvm: Mimic has no KVM; use tcg"},
		{[]string{"-accel", "kvm", "-accel", "hvf"}, "-accel hvf: Mimic has no HVF; use tcg"},
		{[]string{"-accel", "foo"}, `-accel foo: unknown accelerator "foo" (supported: tcg, native, interp)`},
		{[]string{"-accel", "tcg,thread=many"}, "thread=many: want single or multi"},
		{[]string{"-accel", "tcg,tb-size=64"}, `unknown key "tb-size"`},
		{[]string{"-smp", "2"}, "-smp 2: Mimic runs one CPU until SMP lands"},
		{[]string{"-smp", "cpus=4"}, "-smp cpus=4: Mimic runs one CPU until SMP lands"},
		{[]string{"-smp", "1,maxcpus=2"}, "Mimic runs one CPU until SMP lands"},
		{[]string{"-smp", "0"}, "cpus=0: want at least 1"},
		{[]string{"-smp", "x"}, "cpus=x: want a number"},
		{[]string{"-m", "lots"}, `-m lots: bad memory size "lots"`},
		{[]string{"-m", "2000T"}, "bad memory size"},
		{[]string{"-m", "512,maxmem=1G"}, "maxmem: memory hotplug is not supported"},
		{[]string{"-m", "512,foo=1"}, `unknown key "foo"`},
		// Boot.
		{[]string{"-initrd", "i"}, "-initrd needs -kernel"},
		{[]string{"--initrd", "i"}, "--initrd needs --kernel"},
		{[]string{"-append", "x"}, "-append needs -kernel"},
		// Serial, semihosting, time.
		{[]string{"-serial", "tcp:1"}, "-serial tcp:1: not supported yet (supported: stdio, mon:stdio, null, none, file:PATH)"},
		{[]string{"-serial", "pty"}, "-serial pty: not supported yet"},
		{[]string{"-serial", "unix:/tmp/s,server=on"}, "not supported yet"},
		{[]string{"-serial", "mon:vc"}, "-serial mon:vc: not supported yet"},
		{[]string{"-serial", "bogus"}, "-serial bogus: unknown serial device"},
		{[]string{"-serial", "file:"}, "-serial file:: unknown serial device"},
		{[]string{"-serial", "stdio", "-serial", "null"}, "-serial null: the virt board has one UART"},
		{[]string{"-semihosting-config", "target=gdb"}, "target=gdb: there is no GDB stub yet"},
		{[]string{"-semihosting-config", "enable=on,chardev=c0"}, "chardev: not supported yet"},
		{[]string{"-semihosting-config", "enable=on,userspace=on"}, "userspace=on: not supported yet"},
		{[]string{"-semihosting-config", "maybe"}, "enable=maybe: want on or off"},
		{[]string{"-icount", "shift=auto"}, "-icount shift=auto: shift=auto is not supported"},
		{[]string{"-icount", "11"}, `-icount 11: bad shift "11" (want shift=N with N from 0 to 10)`},
		{[]string{"-icount", "-1"}, `bad shift "-1"`},
		{[]string{"-icount", "sleep=off"}, "-icount sleep=off: shift= is required"},
		{[]string{"-icount", "3,align=on"}, "align=on: not supported yet"},
		{[]string{"-icount", "3,rr=record,rrfile=r.bin"}, "rr: record/replay is not supported yet"},
		{[]string{"-rtc", "base=yesterday"}, "-rtc base=yesterday: base=yesterday: want utc, localtime, or a date"},
		{[]string{"-rtc", "base=2006-13-40"}, "base=2006-13-40: want utc"},
		{[]string{"-rtc", "utc"}, `-rtc utc: unknown key "utc"`},
		{[]string{"-rtc", "base=utc,driftfix=slew"}, "driftfix=slew: driftfix=slew is for x86 guests"},
		{[]string{"-rtc", "clock=host", "-icount", "3"}, "-rtc clock=host: clock=host with -icount: Mimic's RTC follows virtual time (clock=vm)"},
		{[]string{"-rtc", "clock=rt", "-icount", "3"}, "clock=rt with -icount"},
		// -drive.
		{[]string{"-drive", "file=x,foo=1"}, `-drive file=x,foo=1: unknown key "foo"`},
		{[]string{"-drive", "x.img"}, `-drive x.img: unknown key "x.img"`},
		{[]string{"-drive", "file=x,if=ide"}, "-drive file=x,if=ide: if=ide: the virt board has no IDE"},
		{[]string{"-drive", "file=x,if=scsi"}, "if=scsi: the virt board has no SCSI controller; use if=virtio"},
		{[]string{"-drive", "file=x,if=sd"}, "if=sd: the virt board has no SD card slot"},
		{[]string{"-drive", "file=x,if=mtd"}, "if=mtd: the virt board has no MTD flash; use if=pflash"},
		{[]string{"-drive", "file=x,if=foo"}, "if=foo: want virtio, pflash or none"},
		{[]string{"-drive", "file=x,format=vmdk"}, "format=vmdk: want raw or qcow2"},
		{[]string{"-drive", "file=x,readonly=maybe"}, "readonly=maybe: want on or off"},
		{[]string{"-drive", "file=x,readonly=TRUE"}, "readonly=TRUE: want on or off"},
		{[]string{"-drive", "file=x,cache=fast"}, "cache=fast: want writeback, none, writethrough, directsync or unsafe"},
		{[]string{"-drive", "file=x,media=cdrom"}, "media=cdrom: the virt board has no CD-ROM drive"},
		{[]string{"-drive", "file=x,discard=trim"}, "discard=trim: want ignore, off, unmap or on"},
		{[]string{"-drive", "file=x,aio=posix"}, "aio=posix: want threads, native or io_uring"},
		{[]string{"-drive", "file=x,file.locking=maybe"}, "file.locking=maybe: want auto, on or off"},
		{[]string{"-drive", "file=x,werror=stop"}, "werror: not supported yet"},
		{[]string{"-drive", "file=x,rerror=ignore"}, "rerror: not supported yet"},
		{[]string{"-drive", "file=x,index=x"}, "index=x: want a number"},
		{[]string{"-drive", "file=x,index=1,unit=1"}, "index cannot be used with bus and unit"},
		{[]string{"-drive", "file=x,bus=1"}, "bus=1: want 0"},
		{[]string{"-drive", "file=x,id=0d"}, "id=0d: want an identifier"},
		{[]string{"-drive", "file=x,id=d0,if=none", "-drive", "file=y,id=d0,if=none"}, `-drive file=y,id=d0,if=none: duplicate drive id "d0"`},
		{[]string{"-drive", "file=x", "-drive", "file=y,if=none,id=virtio0"}, `duplicate drive id "virtio0"`},
		{[]string{"-drive", "file=x,index=0", "-drive", "file=y,index=0"}, "-drive file=y,index=0: drive with bus=0, unit=0 (index=0) exists"},
		{[]string{"-drive", "file=x,unit=1", "-drive", "file=y,index=1"}, "drive with bus=0, unit=1 (index=1) exists"},
		{[]string{"-drive", "if=virtio"}, "-drive if=virtio: a virtio disk needs file="},
		{[]string{"-drive", "file=x,if=pflash,unit=2"}, "the virt board has two flash banks (unit 0 and 1)"},
		{[]string{"-bios", "u-boot.bin", "-drive", "file=x,if=pflash,format=raw"}, "the first flash bank cannot be given by both -bios and -drive"},
		{[]string{"-drive", "file=x,readonly,cache"}, "cache needs a value"},
		// -device.
		{[]string{"-device", "foo"}, `-device foo: unknown device "foo" (supported: virtio-blk-device, virtio-net-device, virtio-rng-device, virtio-gpu-device, ramfb, virtio-keyboard-device, virtio-mouse-device, virtio-tablet-device, virtio-sound-device)`},
		{[]string{"-device", "virtio-blk-pci,drive=d0"}, "-device virtio-blk-pci,drive=d0: virtio-blk-pci: the virt board has no PCI yet; use virtio-blk-device"},
		{[]string{"-device", "virtio-net-pci,netdev=n0"}, "virtio-net-pci: the virt board has no PCI yet; use virtio-net-device"},
		{[]string{"-device", "virtio-rng-pci"}, "virtio-rng-pci: the virt board has no PCI yet; use virtio-rng-device"},
		{[]string{"-device", "virtio-gpu-pci"}, "-device virtio-gpu-pci: virtio-gpu-pci: the virt board has no PCI yet; use virtio-gpu-device"},
		{[]string{"-device", "id=x"}, "-device id=x: missing device (driver=...; supported: virtio-blk-device"},
		{[]string{"-device", "virtio-blk-device"}, "-device virtio-blk-device: drive= is required"},
		{[]string{"-device", "virtio-blk-device,drive=d0,netdev=n0"}, `unknown key "netdev"`},
		{[]string{"-device", "virtio-rng-device,drive=d0"}, `-device virtio-rng-device,drive=d0: unknown key "drive" (keys: driver, id)`},
		{[]string{"-device", "virtio-net-device,mac=52:54:00:12:34"}, "mac=52:54:00:12:34: want a MAC address"},
		{[]string{"-device", "virtio-net-device,mac=01:00:5e:00:00:01"}, "a network card cannot have a multicast address"},
		{[]string{"-device", "virtio-net-device,mac=00:00:00:00:00:00"}, "cannot have the zero address"},
		{[]string{"-device", "virtio-blk-device,drive=d0"}, "-device virtio-blk-device,drive=d0: drive=d0: no -drive has id=d0"},
		{[]string{"-drive", "file=x,id=d0", "-device", "virtio-blk-device,drive=d0"}, "drive=d0: that drive already has its own virtio device (add if=none to the -drive)"},
		{[]string{"-drive", "file=x,if=none,id=d0", "-device", "virtio-blk-device,drive=d0", "-device", "virtio-blk-device,drive=d0,id=b1"},
			"-device virtio-blk-device,drive=d0,id=b1: drive=d0: the drive is already used by another device"},
		{[]string{"-drive", "if=none,id=d0", "-device", "virtio-blk-device,drive=d0"}, "drive=d0: the drive is empty"},
		{[]string{"-device", "virtio-rng-device,id=r", "-device", "virtio-rng-device,id=r"}, `-device virtio-rng-device,id=r: duplicate device id "r"`},
		{[]string{"-device", "virtio-net-device,netdev=n0"}, "-device virtio-net-device,netdev=n0: netdev=n0: no -netdev has id=n0"},
		// -netdev, -nic, -net.
		{[]string{"-netdev", "user"}, "-netdev user: id= is required"},
		{[]string{"-netdev", "id=n0"}, "-netdev id=n0: missing netdev type (type=...; supported: user, tap, socket, stream)"},
		{[]string{"-netdev", "foo,id=n0"}, `unknown netdev type "foo"`},
		{[]string{"-netdev", "user,id=n0", "-netdev", "user,id=n0"}, `-netdev user,id=n0: duplicate netdev id "n0"`},
		{[]string{"-nic", "user,id=n0", "-netdev", "user,id=n0"}, `-netdev user,id=n0: duplicate netdev id "n0"`},
		{[]string{"-netdev", "user,id=n0", "-device", "virtio-net-device,netdev=n0", "-device", "virtio-net-device,netdev=n0"},
			"netdev=n0: the back end is already used by -device virtio-net-device"},
		{[]string{"-nic", "user,id=n0", "-device", "virtio-net-device,netdev=n0"}, "netdev=n0: the back end is already used by -nic"},
		{[]string{"-netdev", "user,id=n0,ipv6=on"}, "ipv6=on: IPv6 is not supported yet"},
		{[]string{"-netdev", "user,id=n0,ipv4=off"}, "ipv4=off: Mimic's user network is IPv4"},
		{[]string{"-netdev", "user,id=n0,tftp=/srv"}, "tftp: not supported yet"},
		{[]string{"-netdev", "user,id=n0,smb=/srv"}, "smb: not supported yet"},
		{[]string{"-netdev", "user,id=n0,net=10.0.2.0/33"}, "net=10.0.2.0/33: netmask must be in range 4-32"},
		{[]string{"-netdev", "user,id=n0,net=10.0.2.0/255.0.255.0"}, "netmask 255.0.255.0 is not contiguous"},
		{[]string{"-netdev", "user,id=n0,host=10.0.3.2"}, "host 10.0.3.2 doesn't belong to network 10.0.2.0/24"},
		{[]string{"-netdev", "user,id=n0,dns=10.0.2.2"}, "dns must be different from host"},
		{[]string{"-netdev", "user,id=n0,dhcpstart=10.0.3.9"}, "dhcpstart 10.0.3.9 doesn't belong to network 10.0.2.0/24"},
		{[]string{"-netdev", "user,id=n0,dns=fec0::3"}, "dns=fec0::3: not an IPv4 address"},
		{[]string{"-netdev", "user,id=n0,hostfwd=xyz"}, `hostfwd "xyz": missing ':' after the protocol`},
		{[]string{"-netdev", "user,id=n0,hostfwd=sctp::1-:2"}, `unknown protocol "sctp"`},
		{[]string{"-netdev", "user,id=n0,hostfwd=tcp::70000-:22"}, `host port "70000"`},
		{[]string{"-netdev", "user,id=n0,hostfwd=tcp::22-:0"}, `guest port "0"`},
		{[]string{"-netdev", "user,id=n0,hostfwd=tcp:localhost:22-:22"}, `host address "localhost"`},
		{[]string{"-netdev", "user,id=n0,restrict=maybe"}, "restrict=maybe: want on or off"},
		{[]string{"-netdev", "tap,id=t0,fd=3"}, "fd: passing a file descriptor is not supported"},
		{[]string{"-netdev", "stream,id=s0,addr.type=fd,addr.str=3"}, "addr.type=fd: passing a file descriptor is not supported"},
		{[]string{"-netdev", "vde,id=v0"}, "vde: not supported yet"},
		{[]string{"-nic", "user,model=e1000"}, "-nic user,model=e1000: model=e1000: the virt board has no PCI yet; use model=virtio"},
		{[]string{"-nic", "user,model=ne2k_isa"}, "model=ne2k_isa: want virtio-net-device, lan9118, virtio, virtio-net-pci or virtio-net"},
		{[]string{"-nic", "user,mac=xx"}, "mac=xx: want a MAC address"},
		{[]string{"-nic", "foo"}, `-nic foo: unknown network type "foo"`},
		{[]string{"-net", "nic"}, "-net nic: QEMU's legacy -net is not supported; use -nic user,model=virtio"},
		{[]string{"-net", "user"}, "QEMU's legacy -net is not supported"},
		// -global.
		{[]string{"-global", "virtio-mmio.foo=1"}, "-global virtio-mmio.foo=1: unknown property virtio-mmio.foo (supported: virtio-mmio.force-legacy)"},
		{[]string{"-global", "virtio-mmio.force-legacy=maybe"}, "force-legacy=maybe: want on or off"},
		{[]string{"-global", "virtio-mmio.force-legacy"}, "want DRIVER.PROPERTY=VALUE"},
		{[]string{"-global", "driver=virtio-mmio,value=on"}, "want DRIVER.PROPERTY=VALUE or driver=D,property=P,value=V"},
		{[]string{"-global", "driver=virtio-mmio,prop=force-legacy"}, `unknown key "prop"`},
		// Too many virtio devices for the transports.
		{append(repeat("-device", "virtio-rng-device", 30), "-nic", "user", "-nic", "user", "-nic", "user"),
			"33 virtio devices: the virt board has 32 virtio-mmio transports"},
	}
	for _, tt := range tests {
		o, err := Parse(tt.args)
		if err == nil {
			t.Errorf("Parse(%q) = %+v, want error %q", tt.args, o, tt.want)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("Parse(%q) error:\n\t%v\nwant one line containing\n\t%s", tt.args, err, tt.want)
		}
		var h *Help
		if errors.As(err, &h) {
			t.Errorf("Parse(%q) asked for help", tt.args)
		}
	}
}

func repeat(opt, val string, n int) []string {
	var args []string
	for range n {
		args = append(args, opt, val)
	}
	return args
}

func TestMachine(t *testing.T) {
	o := mustParse(t, "-M", "virt,gic-version=2,highmem=off", "-machine", "its=on,secure=no,virtualization=false,mte=off,iommu=none",
		"-machine", "highmem=on,ras=off,acpi=off,dtb-randomness=on,dump-guest-core=off,mem-merge=on,usb=off,dtb-kaslr-seed=on")
	want := []KV{{Key: "gic-version", Value: "2"}, {Key: "highmem", Value: "on"}, {Key: "its", Value: "on"},
		{Key: "secure", Value: "off"}, {Key: "virtualization", Value: "off"}, {Key: "mte", Value: "off"}, {Key: "iommu", Value: "none"},
		{Key: "ras", Value: "off"}, {Key: "acpi", Value: "off"}, {Key: "dtb-randomness", Value: "on"},
		{Key: "dump-guest-core", Value: "off"}, {Key: "mem-merge", Value: "on"}, {Key: "usb", Value: "off"}, {Key: "dtb-kaslr-seed", Value: "on"}}
	if o.Machine != "virt" {
		t.Errorf("Machine = %q", o.Machine)
	}
	if diff := cmp.Diff(want, o.MachineProps); diff != "" {
		t.Errorf("MachineProps (-want +got):\n%s", diff)
	}
}

func TestAccel(t *testing.T) {
	tests := []struct {
		args     []string
		want     string
		warnings int
	}{
		{nil, "native", 0},
		{[]string{"-accel", "tcg"}, "native", 0},
		{[]string{"-accel", "tcg,thread=single"}, "native", 0},
		{[]string{"--accel", "interp"}, "interp", 0},
		{[]string{"--accel=native"}, "native", 0},
		{[]string{"-accel", "kvm", "-accel", "tcg"}, "native", 1},
		{[]string{"-accel", "hvf", "-accel", "kvm", "-accel", "interp"}, "interp", 2},
		{[]string{"-accel", "interp", "-accel", "kvm"}, "interp", 0},
		{[]string{"-machine", "virt,accel=kvm:tcg"}, "native", 1},
		{[]string{"-machine", "accel=interp"}, "interp", 0},
	}
	for _, tt := range tests {
		o := mustParse(t, tt.args...)
		if o.Accel != tt.want || len(o.Warnings) != tt.warnings {
			t.Errorf("Parse(%q): Accel %q, warnings %q; want %q and %d warnings", tt.args, o.Accel, o.Warnings, tt.want, tt.warnings)
		}
	}
}

func TestMemory(t *testing.T) {
	tests := []struct {
		arg  string
		want uint64
	}{
		{"512", 512 << 20}, {"512M", 512 << 20}, {"1G", 1 << 30}, {"size=256M", 256 << 20},
		{"1.5G", 3 << 29}, {"0x100", 256 << 20},
		{"0", 0},                      // QEMU: the board's default
		{"100K", 104 << 10},           // rounded up to 8 KiB, as QEMU does
		{"256M,size=512M", 512 << 20}, // the last wins
		{"8192", 8 << 30},             // too much for virt: the board says so
	}
	for _, tt := range tests {
		if got := mustParse(t, "-m", tt.arg).RAM; got != tt.want {
			t.Errorf("-m %s: RAM = %d, want %d", tt.arg, got, tt.want)
		}
	}
}

func TestDrives(t *testing.T) {
	o := mustParse(t,
		"-drive", "file=root.qcow2,format=qcow2,cache=none,aio=native,discard=on,file.locking=off",
		"-drive", "file=data.img,index=3,readonly=on",
		"-drive", "file=scratch.img,snapshot=on",
		"-drive", "if=pflash,format=raw,unit=1,file=vars.fd",
		"-drive", "if=pflash,format=raw,file=code.fd,readonly",
		"-drive", "if=none,id=disk0,file=my,,disk.img,format=raw,discard=off",
		"-drive", "if=none,file=empty",
		"-device", "virtio-blk-device,drive=disk0,serial=S123,id=blk0")
	d := drive
	want := []Drive{
		{ID: "virtio0", File: "root.qcow2", Format: "qcow2", If: "virtio", Unit: 0, Cache: "none", Discard: "unmap", AIO: "native", Locking: "off"},
		func() Drive { x := d("virtio3", "data.img", "virtio", 3); x.ReadOnly = true; return x }(),
		func() Drive { x := d("virtio1", "scratch.img", "virtio", 1); x.Snapshot = true; return x }(),
		func() Drive { x := d("pflash1", "vars.fd", "pflash", 1); x.Format = "raw"; return x }(),
		func() Drive { x := d("pflash0", "code.fd", "pflash", 0); x.Format = "raw"; x.ReadOnly = true; return x }(),
		func() Drive { x := d("disk0", "my,disk.img", "none", 0); x.Format = "raw"; return x }(),
		d("none1", "empty", "none", 1),
	}
	if diff := cmp.Diff(want, o.Drives); diff != "" {
		t.Errorf("Drives (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]Device{{Driver: "virtio-blk-device", ID: "blk0", Drive: "disk0", Serial: "S123"}}, o.Devices); diff != "" {
		t.Errorf("Devices (-want +got):\n%s", diff)
	}
	// QEMU's short-form boolean is accepted with QEMU's warning.
	if len(o.Warnings) != 1 || !strings.Contains(o.Warnings[0], `"readonly"`) {
		t.Errorf("Warnings = %q, want one about readonly", o.Warnings)
	}

	// -snapshot applies to every drive, whatever its own snapshot= says,
	// wherever it stands on the line.
	o = mustParse(t, "-drive", "file=a,snapshot=off", "-drive", "if=none,id=b,file=b", "-snapshot")
	for _, dr := range o.Drives {
		if !dr.Snapshot {
			t.Errorf("-snapshot: drive %s has Snapshot false", dr.ID)
		}
	}
	// QEMU's deprecated "noX" short form is X=off.
	if o := mustParse(t, "-drive", "file=a,readonly=on,noreadonly"); o.Drives[0].ReadOnly || len(o.Warnings) != 1 {
		t.Errorf("noreadonly: ReadOnly %v, warnings %q", o.Drives[0].ReadOnly, o.Warnings)
	}
	// QEMU leaves an unused if=none drive alone.
	if o := mustParse(t, "-drive", "if=none,id=spare,file=x"); len(o.Warnings) != 0 {
		t.Errorf("unused if=none drive: warnings %q", o.Warnings)
	}
}

func TestNetwork(t *testing.T) {
	o := mustParse(t,
		"-netdev", "user,id=n0,net=192.168.76.0/24,dhcpstart=192.168.76.9,hostfwd=tcp::2222-:22,hostfwd=udp:127.0.0.1:5353-192.168.76.20:53,restrict=on,hostname=guest,domainname=example.org",
		"-device", "virtio-net-device,netdev=n0,mac=52-54-00-AB-CD-EF,id=net0",
		"-nic", "user,model=virtio-net-pci,net=10.1.0.0/16",
		"-netdev", "user,id=lonely")
	u := &usernet.Config{Net: netip.MustParsePrefix("192.168.76.0/24"), Host: netip.MustParseAddr("192.168.76.2"),
		DNS: netip.MustParseAddr("192.168.76.3"), DHCPStart: netip.MustParseAddr("192.168.76.9"),
		Restrict: true, Hostname: "guest", DomainName: "example.org", MTU: 1500,
		HostFwd: []usernet.Forward{
			{Proto: "tcp", Host: netip.MustParseAddrPort("0.0.0.0:2222"), Guest: netip.MustParseAddrPort("192.168.76.9:22")},
			{Proto: "udp", Host: netip.MustParseAddrPort("127.0.0.1:5353"), Guest: netip.MustParseAddrPort("192.168.76.20:53")},
		}}
	if diff := cmp.Diff(u, o.Netdevs[0].User, cmpAddr...); diff != "" {
		t.Errorf("user network (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(Device{Driver: "virtio-net-device", ID: "net0", Netdev: "n0", MAC: MAC{0x52, 0x54, 0, 0xab, 0xcd, 0xef}}, o.Devices[0]); diff != "" {
		t.Errorf("device (-want +got):\n%s", diff)
	}
	if got := o.Devices[0].MAC.String(); got != "52:54:00:ab:cd:ef" {
		t.Errorf("MAC.String() = %q", got)
	}
	nic := o.NICs[0]
	if nic.Model != "virtio-net-device" || nic.Netdev.ID != "__org.qemu.nic0" || nic.Netdev.User.Host != netip.MustParseAddr("10.1.2.2") {
		t.Errorf("NIC = %+v, user %+v", nic, nic.Netdev.User)
	}
	// A netdev no card uses is QEMU's "has no peer" warning.
	if len(o.Warnings) != 1 || !strings.Contains(o.Warnings[0], "netdev lonely has no network card") {
		t.Errorf("Warnings = %q", o.Warnings)
	}
	if o.DefaultNIC() {
		t.Errorf("DefaultNIC() with -nic and -netdev")
	}

	// QEMU's classful default mask when net= has none.
	for net, want := range map[string]string{
		"10.0.2.0": "10.0.0.0/8", "172.16.5.0": "172.16.0.0/12", "192.168.76.0": "192.168.0.0/16",
		"150.1.0.0": "150.1.0.0/16", "200.1.2.0": "200.1.2.0/28", "198.18.0.0": "198.18.0.0/15",
		"230.1.2.0": "230.1.2.0/24", "10.0.2.5/24": "10.0.2.0/24",
		"10.0.2.0/255.255.255.0": "10.0.2.0/24",
	} {
		o := mustParse(t, "-nic", "user,net="+net)
		if got := o.NICs[0].Netdev.User.Net.String(); got != want {
			t.Errorf("net=%s: %s, want %s", net, got, want)
		}
	}
	if o := mustParse(t, "-nodefaults"); o.DefaultNIC() {
		t.Errorf("DefaultNIC() with -nodefaults")
	}
}

func TestSemihosting(t *testing.T) {
	tests := []struct {
		args    []string
		on      bool
		cmdline string
	}{
		{[]string{"-semihosting"}, true, ""},
		{[]string{"-semihosting-config", "enable=on,target=native"}, true, ""},
		{[]string{"-semihosting-config", "target=auto"}, true, ""},
		{[]string{"-semihosting", "-semihosting-config", "enable=off"}, false, ""},
		{[]string{"-semihosting-config", "enable=off", "-semihosting"}, true, ""},
		{[]string{"-semihosting-config", "enable=on,userspace=off,arg=prog,arg=a b,arg=c,,d"}, true, "prog a b c,d"},
		{[]string{"-semihosting-config", "arg=prog", "-semihosting-config", "arg=x"}, true, "prog x"},
		{[]string{"-kernel", "k", "-append", "ignored", "-semihosting-config", "arg=prog"}, true, "prog"},
	}
	for _, tt := range tests {
		o := mustParse(t, tt.args...)
		cmd, ok := o.SemihostingCmdline()
		if o.Semihosting != tt.on || cmd != tt.cmdline || ok != (tt.cmdline != "") {
			t.Errorf("Parse(%q): Semihosting %v, cmdline %q, %v; want %v, %q", tt.args, o.Semihosting, cmd, ok, tt.on, tt.cmdline)
		}
	}
	// -append without -kernel is fine with semihosting: it is the
	// program's command line.
	mustParse(t, "-semihosting", "-append", "x")
}

func TestTime(t *testing.T) {
	o := mustParse(t, "-icount", "shift=7,sleep=on,align=off", "-rtc", "base=2020-02-29T12:00:00,clock=vm,driftfix=none")
	if diff := cmp.Diff(ICount{Shift: 7, Sleep: true}, o.ICount); diff != "" {
		t.Errorf("ICount (-want +got):\n%s", diff)
	}
	start := time.Date(2020, 2, 29, 12, 0, 0, 0, time.UTC)
	if diff := cmp.Diff(RTC{Base: "datetime", Start: start, Clock: "vm"}, o.RTC); diff != "" {
		t.Errorf("RTC (-want +got):\n%s", diff)
	}
	now := time.Date(2030, 1, 2, 3, 4, 5, 0, time.FixedZone("X", 3600))
	for _, tt := range []struct {
		rtc  RTC
		want time.Time
	}{
		{RTC{}, time.Time{}},
		{RTC{Base: "utc"}, now.UTC()},
		{RTC{Base: "localtime"}, time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)},
		{RTC{Base: "datetime", Start: start}, start},
	} {
		if got := tt.rtc.StartAt(now); !got.Equal(tt.want) {
			t.Errorf("%+v.StartAt = %v, want %v", tt.rtc, got, tt.want)
		}
	}
	// Without -icount every clock= is the same; with it, vm is.
	mustParse(t, "-rtc", "base=utc,clock=host")
	mustParse(t, "-rtc", "clock=vm", "-icount", "0")
	if o := mustParse(t, "-rtc", "base=2006-6-7"); !o.RTC.Start.Equal(time.Date(2006, 6, 7, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("base=2006-6-7: %v", o.RTC.Start)
	}
}

func TestSerial(t *testing.T) {
	tests := []struct {
		args []string
		want Serial
	}{
		{nil, Serial{Backend: "stdio"}},
		{[]string{"-nographic"}, Serial{Backend: "stdio"}},
		{[]string{"-serial", "mon:stdio"}, Serial{Backend: "stdio", Mux: true}},
		{[]string{"-serial", "file:/tmp/out,log"}, Serial{Backend: "file", Path: "/tmp/out,log"}},
		{[]string{"-serial", "null"}, Serial{Backend: "null"}},
		{[]string{"-nodefaults"}, Serial{Backend: "null"}},
		{[]string{"-nodefaults", "-serial", "stdio"}, Serial{Backend: "stdio"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, mustParse(t, tt.args...).Serial); diff != "" {
			t.Errorf("Parse(%q).Serial (-want +got):\n%s", tt.args, diff)
		}
	}
	if s := (Serial{Backend: "file", Path: "x", Mux: true}).String(); s != "mon:file:x" {
		t.Errorf("String() = %q", s)
	}
}

func TestGlobal(t *testing.T) {
	o := mustParse(t, "-global", "virtio-mmio.force-legacy=false", "-global", "driver=virtio-mmio,property=force-legacy,value=on")
	want := []Global{{Driver: "virtio-mmio", Property: "force-legacy", Value: "off"}, {Driver: "virtio-mmio", Property: "force-legacy", Value: "on"}}
	if diff := cmp.Diff(want, o.Globals); diff != "" {
		t.Errorf("Globals (-want +got):\n%s", diff)
	}
}

func TestMimicOptions(t *testing.T) {
	o := mustParse(t, "--timeout", "30s", "--max-insns=1000", "--trace", "--stats", "-v", "--cpuprofile", "cpu.prof", "--dump-dtb=virt.dtb")
	want := &Options{Machine: "virt", CPU: "cortex-a15", SMP: 1, Accel: "native", Display: "none",
		Serial: Serial{Backend: "stdio"}, ICount: ICount{Shift: -1},
		Timeout: 30 * time.Second, MaxInsns: 1000, Trace: true, Stats: true, Verbose: true, CPUProfile: "cpu.prof", DumpDTB: "virt.dtb"}
	if diff := cmp.Diff(want, o); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// Mimic's --trace and QEMU's -trace are different options.
	if !mustParse(t, "--trace").Trace {
		t.Errorf("--trace not set")
	}
}

// TestHelp: help requests print and stop, naming what is accepted.
func TestHelp(t *testing.T) {
	tests := []struct {
		args []string
		want []string // substrings of the text
	}{
		{[]string{"--help"}, []string{"Usage: mimic", "-drive", "--timeout"}},
		{[]string{"-h"}, []string{"Usage: mimic"}},
		{[]string{"-help"}, []string{"Usage: mimic"}},
		{[]string{"-device", "help"}, []string{"virtio-blk-device", "virtio-blk-pci", "no PCI yet"}},
		{[]string{"-device", "?"}, []string{"virtio-rng-device"}},
		{[]string{"-device", "virtio-blk-device,help"}, []string{"drive", "serial"}},
		{[]string{"-machine", "help"}, []string{"virt"}},
		{[]string{"-M", "virt,help"}, []string{"gic-version", "highmem"}},
		{[]string{"-cpu", "help"}, []string{"cortex-a15"}},
		{[]string{"-netdev", "help"}, []string{"user", "tap"}},
		{[]string{"-netdev", "user,help"}, []string{"hostfwd", "(repeatable)"}},
		{[]string{"-nic", "user,model=help"}, []string{"virtio-net-device", "e1000"}},
		{[]string{"-accel", "help"}, []string{"tcg", "interp"}},
		{[]string{"-display", "help"}, []string{"none"}},
		{[]string{"-drive", "help"}, []string{"file", "format", "raw|qcow2"}},
		{[]string{"-drive", "if=help"}, []string{"pflash", "ide"}},
	}
	for _, tt := range tests {
		_, err := Parse(tt.args)
		var h *Help
		if !errors.As(err, &h) {
			t.Errorf("Parse(%q) = %v, want help", tt.args, err)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(h.Text, w) {
				t.Errorf("Parse(%q) help lacks %q:\n%s", tt.args, w, h.Text)
			}
		}
	}
}

// TestTable checks the option table itself: every option has a help line
// and shows in --help, every option does something or says why not,
// and every refusal has a reason.
func TestTable(t *testing.T) {
	usage := Usage()
	for _, o := range optionTable() {
		if strings.TrimSpace(o.Help) == "" {
			t.Errorf("option %s has no help line", o.Name)
		}
		if (o.apply == nil) == (o.Unsupported == "") {
			t.Errorf("option %s: want exactly one of apply and Unsupported", o.Name)
		}
		if !strings.Contains(usage, o.names()) && !strings.Contains(usage, " -"+o.Name) {
			t.Errorf("option %s is missing from --help", o.Name)
		}
		if (o.Implied != "") && !o.keyval() {
			t.Errorf("option %s: an implied key without sub-options", o.Name)
		}
		if o.Variants != nil && o.Noun == "" {
			t.Errorf("option %s: variants without a noun for messages", o.Name)
		}
		for _, v := range o.Variants {
			if v.Alias != "" && o.variant(v.Alias) == nil {
				t.Errorf("option %s: variant %s is an alias of nothing", o.Name, v.Name)
			}
			checkKeysTable(t, o.Name+" "+v.Name, v.Keys)
		}
		checkKeysTable(t, o.Name, o.Keys)
	}
	checkKeysTable(t, "-global", globalKeys)
}

func checkKeysTable(t *testing.T, where string, keys []Key) {
	t.Helper()
	seen := map[string]bool{}
	for _, k := range keys {
		if seen[k.Name] {
			t.Errorf("%s: key %s listed twice", where, k.Name)
		}
		seen[k.Name] = true
		for _, v := range k.Values {
			if k.Kind == KindBool && v.Name != "on" && v.Name != "off" {
				t.Errorf("%s: boolean key %s lists %q (values are normalised to on/off)", where, k.Name, v.Name)
			}
		}
	}
}

// FuzzParse checks that no command line panics the parser and that every
// error is one line.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"-M virt,gic-version=2 -m 512 -kernel k -append x",
		"-drive file=a,if=none,id=d0 -device virtio-blk-device,drive=d0",
		"-netdev user,id=n0,hostfwd=tcp::2222-:22 -device virtio-net-device,netdev=n0",
		"-nic user,model=virtio,mac=52:54:00:12:34:56 -rtc base=2006-06-17 -icount 3",
		"-global virtio-mmio.force-legacy=off -serial mon:stdio -semihosting-config arg=a,arg=b",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, err := Parse(strings.Split(s, " "))
		var h *Help
		if err != nil && !errors.As(err, &h) && strings.Contains(err.Error(), "\n") && !strings.Contains(s, "\n") {
			t.Errorf("Parse(%q): multi-line error %q", s, err)
		}
	})
}
