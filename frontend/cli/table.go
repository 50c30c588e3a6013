package cli

import "sync"

// The option table: every option Mimic knows, QEMU's first, in the order
// of QEMU's documentation (qemu-options.hx, rendered as
// docs/system/invocation and the qemu-system(1) man page), then Mimic's
// own. Adding an option is adding an entry here (and its apply function
// when Mimic implements it).

var (
	tableOnce sync.Once
	tableVal  *table
)

func theTable() *table {
	tableOnce.Do(func() { tableVal = newTable(optionTable()) })
	return tableVal
}

func optionTable() []*Option {
	notYet := "not supported yet"
	return []*Option{
		// Standard options.
		{Name: "help", Aliases: []string{"h"}, Help: "print this help and exit", apply: applyHelp},
		{Name: "machine", Aliases: []string{"M"}, Arg: "TYPE[,PROP=VALUE...]", Implied: "type", Noun: "machine",
			Keys: machineKeys, Variants: machineTypes, VariantOptional: true, apply: applyMachine,
			Help: "the board: virt (QEMU's 32-bit Arm virt), mps2-an385, mps2-an386, lm3s6965evb; -machine help, -machine virt,help"},
		{Name: "cpu", Arg: "MODEL", Implied: "model", Noun: "CPU", Variants: cpuModels, apply: applyCPU,
			Help: "the CPU model: cortex-a15 (virt), cortex-m3, cortex-m4 (each microcontroller board has its own)"},
		{Name: "accel", Arg: "NAME[,thread=single|multi]", Implied: "accel", Noun: "accelerator",
			Keys: accelKeys, Variants: accelerators, Fallback: true, apply: applyAccel,
			Help: "execution engine: tcg or native (hot code compiled to host code where the host allows; the default), interp; repeat to fall back as QEMU does"},
		{Name: "smp", Arg: "[cpus=]N", Implied: "cpus", Keys: smpKeys, apply: applySMP,
			Help: "number of CPUs: 1 (SMP is not supported yet)"},
		{Name: "m", LongAliases: []string{"memory"}, Arg: "[size=]SIZE", Implied: "size", Keys: memKeys, apply: applyMem,
			Help: "guest RAM: 512 (MiB), 512M, 1G, size=512M (default 128M)"},
		{Name: "global", Arg: "DRIVER.PROP=VALUE", apply: applyGlobal,
			Help: "set a device default: virtio-mmio.force-legacy=on|off"},

		// Block devices.
		{Name: "drive", Arg: "file=FILE[,if=virtio|pflash|none][,id=ID][,format=raw|qcow2][,...]", Keys: driveKeys, apply: applyDrive,
			Help: "a disk image; without if=none it gets a device (virtio-blk on virtio-mmio, or flash); -drive help"},
		{Name: "snapshot", Help: "write to temporary overlays, never to the disk images", apply: applyFlag(func(o *Options) *bool { return &o.Snapshot })},

		// Devices.
		{Name: "device", Arg: "DRIVER[,PROP=VALUE...]", Implied: "driver", Noun: "device",
			Keys: []Key{{Name: "id", Kind: KindID, Doc: "the device's name"}}, Variants: deviceDrivers, apply: applyDevice,
			Help: "add a device: virtio-blk-device, virtio-net-device, virtio-rng-device, virtio-gpu-device, ramfb, virtio-keyboard-device, virtio-mouse-device, virtio-tablet-device, virtio-sound-device; -device help"},
		{Name: "nodefaults", Help: "no default devices: no serial console unless -serial is given, no default NIC",
			apply: applyFlag(func(o *Options) *bool { return &o.NoDefaults })},

		// Display.
		{Name: "display", Arg: "none|sdl[,full-screen=on][,...]", Implied: "type", Noun: "display",
			Keys: []Key{{Name: "vnc", Reject: "VNC is not supported yet"}}, Variants: displays, apply: applyDisplay,
			Help: "display back end: none, or sdl (a window; needs a build with SDL: make build-sdl)"},
		{Name: "nographic", Help: "no window: the serial port on the terminal",
			apply: applyFlag(func(o *Options) *bool { return &o.NoGraphic })},
		{Name: "vga", Arg: "none", apply: applyVGA, Help: "none only: the virt board has no VGA card (others are not supported yet)"},
		{Name: "audiodev", Arg: "none|wav|sdl,id=ID[,path=FILE]", Implied: "driver", Noun: "audio driver",
			Keys:     []Key{{Name: "id", Kind: KindID, Doc: "the back end's name, for -device virtio-sound-device,audiodev=ID"}},
			Variants: audioDrivers, apply: applyAudiodev,
			Help: "an audio back end for virtio-sound-device: none (discard), wav (record to path=, default qemu.wav) or sdl (the host's speakers; needs make build-sdl)"},

		// Network.
		{Name: "nic", Arg: "TYPE[,model=virtio][,mac=MAC][,NETDEV OPTIONS]", Implied: "type", Noun: "network type",
			Keys: nicKeys, Variants: nicTypes, apply: applyNIC,
			Help: "a virtio-net card and its back end in one: -nic user,hostfwd=tcp::2222-:22; -nic none for no card"},
		{Name: "netdev", Arg: "TYPE,id=ID[,...]", Implied: "type", Noun: "netdev type",
			Keys: []Key{{Name: "id", Kind: KindID, Doc: "the back end's name, for -device ...,netdev=ID"}}, Variants: netdevTypes, apply: applyNetdev,
			Help: "a network back end: user (keys: net, host, dns, dhcpstart, restrict, hostfwd, ...); tap, socket, stream"},
		{Name: "net", Arg: "none", apply: applyNet,
			Help: "none: no network card (for QEMU's legacy -net nic and -net user, use -nic or -netdev)"},

		// Boot.
		{Name: "bios", Arg: "FILE", apply: applyString(func(o *Options) *string { return &o.Bios }),
			Help: "firmware image for the first flash bank (e.g. U-Boot); the CPU starts at address 0"},
		{Name: "kernel", Arg: "FILE", apply: applyString(func(o *Options) *string { return &o.Kernel }),
			Help: "kernel or bare-metal program: Linux zImage, uImage, ELF or raw binary"},
		{Name: "append", Arg: "CMDLINE", apply: applyString(func(o *Options) *string { return &o.Append }),
			Help: "kernel command line (semihosting: the program's command line)"},
		{Name: "initrd", Arg: "FILE", apply: applyString(func(o *Options) *string { return &o.Initrd }),
			Help: "initial ramdisk"},
		{Name: "dtb", Arg: "FILE", apply: applyString(func(o *Options) *string { return &o.DTB }),
			Help: "device tree blob to pass instead of the board's (/memory, /chosen, /psci are filled in)"},

		// Character devices and debugging.
		{Name: "serial", Arg: "stdio|mon:stdio|null|none|file:PATH", apply: applySerial,
			Help: "where the UART goes: stdio (the default; Ctrl-A x quits), mon:stdio, null, none, file:PATH"},
		{Name: "monitor", Arg: "none", apply: applyMonitor, Help: "none only: the monitor is not supported yet"},
		{Name: "semihosting", apply: applyFlag(func(o *Options) *bool { return &o.Semihosting }),
			Help: "enable Arm semihosting (console, files, exit code)"},
		{Name: "semihosting-config", Arg: "[enable=]on|off[,target=native|auto][,arg=ARG...]", Implied: "enable",
			Keys: semihostingKeys, apply: applySemihostingConfig,
			Help: "configure semihosting; arg= (repeatable) replaces the program's command line"},
		{Name: "no-reboot", apply: applyFlag(func(o *Options) *bool { return &o.NoReboot }),
			Help: "exit instead of rebooting when the guest resets"},
		{Name: "rtc", Arg: "[base=utc|localtime|DATE][,clock=host|rt|vm]", Keys: rtcKeys, apply: applyRTC,
			Help: "where the RTC starts: base=utc, localtime, or 2006-06-17T16:01:21 (UTC)"},
		{Name: "icount", Arg: "[shift=]N[,sleep=on|off]", Implied: "shift", Keys: icountKeys, apply: applyICount,
			Help: "deterministic time: each instruction takes 2^N ns (N from 0 to 10)"},

		// QEMU options Mimic does not support yet: each is an error that
		// says so, and supporting one is replacing Unsupported by apply.
		{Name: "s", Unsupported: "the GDB stub is " + notYet, Help: "(-gdb tcp::1234)"},
		{Name: "S", Unsupported: "starting with the CPU stopped is " + notYet, Help: "(start paused)"},
		{Name: "gdb", Arg: "DEV", Unsupported: "the GDB stub is " + notYet, Help: "(wait for GDB)"},
		{Name: "qmp", Arg: "DEV", Unsupported: "QMP is " + notYet, Help: "(QMP monitor)"},
		{Name: "loadvm", Arg: "NAME", Unsupported: "snapshots are " + notYet, Help: "(restore a snapshot)"},
		{Name: "usb", Unsupported: "USB is " + notYet + " (the virt board has no USB controller)", Help: "(USB)"},
		{Name: "trace", Arg: "PATTERN", Unsupported: "QEMU's trace events are not supported; Mimic's --trace (two dashes) prints every instruction",
			Help: "(QEMU trace events)"},

		// Mimic's own options.
		{Name: "timeout", Mimic: true, Arg: "DURATION", apply: applyTimeout,
			Help: "stop the guest after this much host time (e.g. 30s)"},
		{Name: "max-insns", Mimic: true, Arg: "N", apply: applyMaxInsns,
			Help: "stop the guest after this many instructions"},
		{Name: "trace", Mimic: true, apply: applyFlag(func(o *Options) *bool { return &o.Trace }),
			Help: "print every executed instruction to stderr"},
		{Name: "stats", Mimic: true, apply: applyFlag(func(o *Options) *bool { return &o.Stats }),
			Help: "print instructions, time, MIPS and peak memory to stderr at exit"},
		{Name: "verbose", Mimic: true, Short: "v", apply: applyFlag(func(o *Options) *bool { return &o.Verbose }),
			Help: "log emulator events in detail (guest errors are always logged)"},
		{Name: "cpuprofile", Mimic: true, Arg: "FILE", apply: applyString(func(o *Options) *string { return &o.CPUProfile }),
			Help: "write a Go CPU profile of the emulator to FILE (for PGO and tuning)"},
		{Name: "dump-dtb", Mimic: true, Arg: "FILE", apply: applyString(func(o *Options) *string { return &o.DumpDTB }),
			Help: "write the device tree the guest would get to FILE and exit"},
		{Name: "screenshot", Mimic: true, Arg: "FILE.png", apply: applyString(func(o *Options) *string { return &o.Screenshot }),
			Help: "when the guest stops, write the first display's screen to FILE.png (needs -device virtio-gpu-device or ramfb)"},
		{Name: "audio-out", Mimic: true, Arg: "FILE.wav", apply: applyString(func(o *Options) *string { return &o.AudioOut }),
			Help: "record what the guest plays on virtio-sound-device to FILE.wav (48 kHz, 16-bit stereo)"},
		{Name: "input-script", Mimic: true, Arg: "FILE", apply: applyString(func(o *Options) *string { return &o.InputScript }),
			Help: "type keys and move the pointer at given virtual times (format: package frontend/inputscript); needs virtio input devices"},
		{Name: "itm", Mimic: true, Arg: "FILE", apply: applyString(func(o *Options) *string { return &o.ITM }),
			Help: "Cortex-M boards: write what the firmware sends to ITM stimulus port 0 (SWO) to FILE, - for stdout"},
	}
}

// machineTypes are the boards.
var machineTypes = []Variant{
	{Name: "virt", Doc: "QEMU's virt board for 32-bit Arm: Cortex-A15, GICv2, PL011, PL031, fw_cfg, 32 virtio-mmio, flash"},
	{Name: "mps2-an385", Doc: "ARM MPS2 with the AN385 FPGA image: Cortex-M3, CMSDK UARTs and timers (QEMU's map)"},
	{Name: "mps2-an386", Doc: "ARM MPS2 with the AN386 FPGA image: Cortex-M4 with FPU, CMSDK UARTs and timers"},
	{Name: "lm3s6965evb", Doc: "Stellaris LM3S6965EVB: Cortex-M3, 256 KiB flash, 64 KiB SRAM, Stellaris UARTs and timers"},
}

// mcuCPU is the CPU of each microcontroller board (QEMU accepts no other).
var mcuCPU = map[string]string{"mps2-an385": "cortex-m3", "mps2-an386": "cortex-m4", "lm3s6965evb": "cortex-m3"}

// machineKeys are the virt board's properties Mimic accepts. Each is
// accepted only where it changes nothing on Mimic's Cortex-A15 virt
// board, which has a GICv2, no PCI, no TrustZone, no Hyp mode and
// nothing above 4 GiB:
var machineKeys = []Key{
	{Name: "gic-version", Values: []Value{{Name: "2"},
		{Name: "3", Reject: "Mimic's virt board has a GICv2"}, {Name: "4", Reject: "Mimic's virt board has a GICv2"},
		{Name: "host", Reject: "Mimic's virt board has a GICv2"}, {Name: "max", Reject: "Mimic's virt board has a GICv2"}},
		Doc: "2 only: the board's GIC is a GICv2"},
	{Name: "highmem", Kind: KindBool, Values: onOff,
		Doc: "on or off: no-op, nothing of the board (no PCIe window, RAM below 3 GiB) lies above 4 GiB"},
	{Name: "its", Kind: KindBool, Values: onOff, Doc: "on or off: no-op, an ITS exists only with a GICv3"},
	{Name: "secure", Kind: KindBool, Values: onlyOff("TrustZone is not modelled"), Doc: "off: no TrustZone (QEMU's default)"},
	{Name: "virtualization", Kind: KindBool, Values: onlyOff("the Virtualization Extensions (Hyp mode) are not modelled"),
		Doc: "off: no Hyp mode (QEMU's default)"},
	{Name: "mte", Kind: KindBool, Values: onlyOff("MTE is an AArch64 feature"), Doc: "off: no MTE (QEMU's default)"},
	{Name: "iommu", Values: []Value{{Name: "none"}, {Name: "smmuv3", Reject: "the SMMUv3 is not modelled"}},
		Doc: "none: no IOMMU (QEMU's default)"},
	{Name: "ras", Kind: KindBool, Values: onlyOff("RAS reporting needs KVM"), Doc: "off (QEMU's default)"},
	{Name: "acpi", Values: []Value{{Name: "off"}, {Name: "on", Reject: "Mimic provides no ACPI tables"},
		{Name: "auto", Reject: "Mimic provides no ACPI tables; use acpi=off"}},
		Doc: "off: no ACPI tables (32-bit Linux does not use them)"},
	{Name: "dtb-randomness", Kind: KindBool, Values: []Value{{Name: "on"}, {Name: "off", Reject: notYetMsg}},
		Doc: "on: /chosen has kaslr-seed and rng-seed (QEMU's default; fixed seeds with -icount)"},
	{Name: "dtb-kaslr-seed", Kind: KindBool, Values: []Value{{Name: "on"}, {Name: "off", Reject: notYetMsg}},
		Doc: "QEMU's older name of dtb-randomness"},
	{Name: "dump-guest-core", Kind: KindBool, Values: onOff, Doc: "on or off: no-op, a host-side core dump setting"},
	{Name: "mem-merge", Kind: KindBool, Values: onOff, Doc: "on or off: no-op, a host-side page merging hint"},
	{Name: "usb", Kind: KindBool, Values: onlyOff("the virt board has no USB controller"), Doc: "off (QEMU's default)"},
	{Name: "accel", Doc: "QEMU's older -accel: a list such as kvm:tcg, tried in turn"},
	{Name: "kernel", Reject: "use -kernel"}, {Name: "initrd", Reject: "use -initrd"},
	{Name: "append", Reject: "use -append"}, {Name: "dtb", Reject: "use -dtb"},
	{Name: "firmware", Reject: "use -bios"}, {Name: "dumpdtb", Reject: "use --dump-dtb"},
}

const notYetMsg = "not supported yet"

var cpuModels = []Variant{
	{Name: "cortex-a15", Doc: "ARMv7-A with VFPv4, Advanced SIMD, LPAE, generic timer (QEMU's virt default)"},
	{Name: "cortex-m3", Doc: "ARMv7-M (mps2-an385, lm3s6965evb)"},
	{Name: "cortex-m4", Doc: "ARMv7E-M with the DSP instructions and FPv4-SP (mps2-an386)"},
}

// accelerators are QEMU's -accel names. Mimic runs the guest on its own
// engine: tcg (QEMU's software engine) means Mimic's default, native.
var accelerators = []Variant{
	{Name: "tcg", Doc: "QEMU's name for software emulation: Mimic's default engine (native)"},
	{Name: "native", Doc: "translated blocks, hot ones compiled to host code where the host allows"},
	{Name: "interp", Doc: "translated blocks, interpreted only (the reference engine)"},
	{Name: "kvm", Reject: "Mimic has no KVM; use tcg"},
	{Name: "hvf", Reject: "Mimic has no HVF; use tcg"},
	{Name: "whpx", Reject: "Mimic has no WHPX; use tcg"},
	{Name: "nvmm", Reject: "Mimic has no NVMM; use tcg"},
	{Name: "xen", Reject: "Mimic has no Xen; use tcg"},
	{Name: "hax", Reject: "Mimic has no HAX; use tcg"},
}

var accelKeys = []Key{
	{Name: "thread", Values: []Value{{Name: "single"}, {Name: "multi"}},
		Doc: "single or multi: no-op with one CPU, which runs on one host thread either way"},
}

var smpKeys = []Key{
	{Name: "cpus", Kind: KindUint}, {Name: "maxcpus", Kind: KindUint}, {Name: "sockets", Kind: KindUint},
	{Name: "dies", Kind: KindUint}, {Name: "clusters", Kind: KindUint}, {Name: "cores", Kind: KindUint},
	{Name: "threads", Kind: KindUint},
}

var memKeys = []Key{
	{Name: "size", Doc: "RAM size; a plain number is MiB"},
	{Name: "slots", Reject: "memory hotplug is not supported"},
	{Name: "maxmem", Reject: "memory hotplug is not supported"},
}

// driveKeys are -drive's keys. QEMU's other interfaces exist on other
// boards; on virt they are errors that say why.
var driveKeys = []Key{
	{Name: "file", Doc: "the image; double a comma in the name (my,,disk.img)"},
	{Name: "format", Values: []Value{{Name: "raw"}, {Name: "qcow2"}}, Doc: "raw or qcow2; probed from the file when absent"},
	{Name: "if", Values: []Value{
		{Name: "virtio", Doc: "a virtio-blk device on virtio-mmio (the virt board's default)"},
		{Name: "pflash", Doc: "flash bank unit (0 or 1)"},
		{Name: "none", Doc: "no device: for -device virtio-blk-device,drive=ID"},
		{Name: "ide", Reject: "the virt board has no IDE"},
		{Name: "scsi", Reject: "the virt board has no SCSI controller; use if=virtio"},
		{Name: "sd", Reject: "the virt board has no SD card slot"},
		{Name: "mtd", Reject: "the virt board has no MTD flash; use if=pflash"},
		{Name: "floppy", Reject: "the virt board has no floppy controller"},
		{Name: "xen", Reject: "the virt board has no Xen block devices"},
	}, Doc: "the interface"},
	{Name: "index", Kind: KindUint, Doc: "position on the interface (the unit: the virt interfaces have one bus)"},
	{Name: "unit", Kind: KindUint, Doc: "position on the bus"},
	{Name: "bus", Kind: KindUint, Values: []Value{{Name: "0"}}, Doc: "0: the virt interfaces have one bus"},
	{Name: "id", Kind: KindID, Doc: "the drive's name, for -device ...,drive=ID"},
	{Name: "readonly", Kind: KindBool},
	{Name: "snapshot", Kind: KindBool, Doc: "write to a temporary overlay"},
	{Name: "cache", Values: []Value{{Name: "writeback"}, {Name: "none"}, {Name: "writethrough"}, {Name: "directsync"}, {Name: "unsafe"}},
		Doc: "host page-cache policy"},
	{Name: "media", Values: []Value{{Name: "disk"},
		{Name: "cdrom", Reject: "the virt board has no CD-ROM drive; use readonly=on for a read-only disk"}}},
	{Name: "discard", Values: []Value{{Name: "ignore"}, {Name: "off"}, {Name: "unmap"}, {Name: "on"}}, Doc: "ignore (off) or unmap (on)"},
	{Name: "aio", Values: []Value{{Name: "threads"}, {Name: "native"}, {Name: "io_uring"}}, Doc: "a host I/O detail"},
	{Name: "file.locking", Values: []Value{{Name: "auto"}, {Name: "on"}, {Name: "off"}}, Doc: "lock the image file"},
	{Name: "werror", Reject: notYetMsg},
	{Name: "rerror", Reject: notYetMsg},
}

// deviceDrivers are -device's drivers. The virt board has no PCI yet:
// the -pci spellings are errors, while QEMU's transport-neutral aliases
// (virtio-net) mean the virtio-mmio device.
var deviceDrivers = []Variant{
	{Name: "virtio-blk-device", Doc: "virtio block device on virtio-mmio", Keys: []Key{
		{Name: "drive", Doc: "the ID of a -drive if=none"},
		{Name: "serial", Doc: "the disk's serial number"},
	}},
	{Name: "virtio-net-device", Doc: "virtio network card on virtio-mmio", Keys: []Key{
		{Name: "netdev", Doc: "the ID of a -netdev"},
		{Name: "mac", Doc: "MAC address, 52:54:00:12:34:56 form"},
	}},
	{Name: "virtio-rng-device", Doc: "virtio entropy source on virtio-mmio"},
	{Name: "virtio-gpu-device", Doc: "virtio GPU (2D) on virtio-mmio: a display", Keys: []Key{
		{Name: "xres", Kind: KindUint, Doc: "preferred width of the first output (default 1280)"},
		{Name: "yres", Kind: KindUint, Doc: "preferred height of the first output (default 800)"},
		{Name: "edid", Kind: KindBool, Values: onOff, Doc: "offer EDID to the driver (default on)"},
		{Name: "max_outputs", Kind: KindUint, Doc: "number of scanouts, 1 to 16 (default 1)"},
		{Name: "max_hostmem", Doc: "bytes all resources may take (default 256M)"},
	}},
	{Name: "ramfb", Doc: "QEMU's RAM framebuffer, set up by firmware through fw_cfg: a display"},
	{Name: "virtio-keyboard-device", Doc: "virtio keyboard on virtio-mmio"},
	{Name: "virtio-mouse-device", Doc: "virtio mouse (relative pointer) on virtio-mmio"},
	{Name: "virtio-tablet-device", Doc: "virtio tablet (absolute pointer) on virtio-mmio"},
	{Name: "virtio-sound-device", Doc: "virtio sound card on virtio-mmio (one output and one input stream)", Keys: []Key{
		{Name: "audiodev", Kind: KindID, Doc: "the ID of an -audiodev (default: --audio-out, or discard)"},
	}},
	{Name: "virtio-blk", Alias: "virtio-blk-device"},
	{Name: "virtio-net", Alias: "virtio-net-device"},
	{Name: "virtio-rng", Alias: "virtio-rng-device"},
	{Name: "virtio-gpu", Alias: "virtio-gpu-device"},
	{Name: "virtio-keyboard", Alias: "virtio-keyboard-device"},
	{Name: "virtio-mouse", Alias: "virtio-mouse-device"},
	{Name: "virtio-tablet", Alias: "virtio-tablet-device"},
	{Name: "virtio-sound", Alias: "virtio-sound-device"},
	{Name: "virtio-blk-pci", Reject: noPCI("virtio-blk-device")},
	{Name: "virtio-net-pci", Reject: noPCI("virtio-net-device")},
	{Name: "virtio-rng-pci", Reject: noPCI("virtio-rng-device")},
	{Name: "virtio-gpu-pci", Reject: noPCI("virtio-gpu-device")},
	{Name: "virtio-vga", Reject: noPCI("virtio-gpu-device")},
	{Name: "virtio-keyboard-pci", Reject: noPCI("virtio-keyboard-device")},
	{Name: "virtio-mouse-pci", Reject: noPCI("virtio-mouse-device")},
	{Name: "virtio-tablet-pci", Reject: noPCI("virtio-tablet-device")},
	{Name: "virtio-sound-pci", Reject: noPCI("virtio-sound-device")},
	{Name: "virtio-gpu-gl-device", Reject: "3D (virgl) is not supported; use virtio-gpu-device"},
	{Name: "virtio-gpu-gl-pci", Reject: "3D (virgl) is not supported, and the virt board has no PCI yet; use virtio-gpu-device"},
	{Name: "virtio-serial-device", Reject: notYetMsg},
}

// noPCI is the reason a -device *-pci driver is refused.
func noPCI(use string) string { return "the virt board has no PCI yet; use " + use }

// audioDrivers are -audiodev's drivers: the headless ones and SDL's (in
// a build with SDL: make build-sdl).
var audioDrivers = []Variant{
	{Name: "none", Doc: "discard what the guest plays"},
	{Name: "wav", Doc: "record what the guest plays to a WAV file", Keys: []Key{
		{Name: "path", Doc: "the file (default qemu.wav, as QEMU)"},
	}},
	{Name: "sdl", Doc: "play through SDL on the host's sound card (needs a build with SDL)"}, {Name: "alsa", Reject: notYetMsg}, {Name: "pa", Reject: notYetMsg},
	{Name: "pipewire", Reject: notYetMsg}, {Name: "oss", Reject: notYetMsg}, {Name: "jack", Reject: notYetMsg},
	{Name: "coreaudio", Reject: notYetMsg}, {Name: "dsound", Reject: notYetMsg}, {Name: "sndio", Reject: notYetMsg},
	{Name: "spice", Reject: notYetMsg}, {Name: "dbus", Reject: notYetMsg},
}

var displays = []Variant{
	{Name: "none", Doc: "no display"},
	{Name: "sdl", Doc: "a window (SDL2): screen, keyboard, mouse; Ctrl-Alt-G grabs, Ctrl-Alt-F full screen", Keys: []Key{
		{Name: "full-screen", Kind: KindBool, Doc: "start in full screen"},
		{Name: "window-close", Kind: KindBool, Doc: "off: the close button does nothing (default on: the first close presses the power button, the second quits)"},
		{Name: "show-cursor", Kind: KindBool, Doc: "keep the host's pointer visible over the window"},
		{Name: "gl", Doc: "OpenGL: off only", Values: []Value{{Name: "off"}, {Name: "on", Reject: "OpenGL is not supported; the window draws with SDL's 2D renderer"},
			{Name: "core", Reject: "OpenGL is not supported"}, {Name: "es", Reject: "OpenGL is not supported"}}},
		{Name: "grab-mod", Values: []Value{{Name: "lctrl-lalt", Doc: "the default hot-key modifiers, Ctrl-Alt"},
			{Name: "lshift-lctrl-lalt", Doc: "Shift-Ctrl-Alt"}, {Name: "rctrl", Doc: "right Ctrl"}}},
		{Name: "integer-scale", Kind: KindBool, Doc: "Mimic's: scale the screen by whole multiples only (sharp pixels)"},
	}},
	{Name: "gtk", Reject: notYetMsg}, {Name: "curses", Reject: notYetMsg},
	{Name: "cocoa", Reject: notYetMsg}, {Name: "egl-headless", Reject: notYetMsg},
	{Name: "spice-app", Reject: notYetMsg}, {Name: "dbus", Reject: notYetMsg},
}

// userNetKeys are -netdev user's keys (QEMU's slirp).
var userNetKeys = []Key{
	{Name: "net", Doc: "guest network, addr[/mask]; default 10.0.2.0/24"},
	{Name: "host", Doc: "the host's address as the guest sees it; default x.x.x.2"},
	{Name: "dns", Doc: "the DNS server's address; default x.x.x.3"},
	{Name: "dhcpstart", Doc: "the first of 16 DHCP addresses; default x.x.x.15"},
	{Name: "restrict", Kind: KindBool, Doc: "isolate the guest: no route out, only hostfwd"},
	{Name: "hostfwd", Repeat: true, Doc: "[tcp|udp]:[hostaddr]:hostport-[guestaddr]:guestport"},
	{Name: "hostname", Doc: "the client hostname DHCP reports"},
	{Name: "domainname", Doc: "the domain name DHCP reports"},
	{Name: "ipv4", Kind: KindBool, Values: []Value{{Name: "on"}, {Name: "off", Reject: "Mimic's user network is IPv4"}}},
	{Name: "ipv6", Kind: KindBool, Values: []Value{{Name: "off"}, {Name: "on", Reject: "IPv6 is " + notYetMsg}}},
	{Name: "ipv6-net", Reject: "IPv6 is " + notYetMsg}, {Name: "ipv6-host", Reject: "IPv6 is " + notYetMsg},
	{Name: "ipv6-dns", Reject: "IPv6 is " + notYetMsg},
	{Name: "tftp", Reject: notYetMsg}, {Name: "bootfile", Reject: notYetMsg}, {Name: "tftp-server-name", Reject: notYetMsg},
	{Name: "dnssearch", Reject: notYetMsg}, {Name: "smb", Reject: notYetMsg}, {Name: "guestfwd", Reject: notYetMsg},
}

// netdevTypes are QEMU's network back ends. tap, socket and stream are
// parsed with their keys for the caller to accept or refuse.
var netdevTypes = []Variant{
	{Name: "user", Doc: "user-mode network: no privileges, NAT to the host's network", Keys: userNetKeys},
	{Name: "tap", Doc: "a host TAP interface", Keys: []Key{
		{Name: "ifname"}, {Name: "script", Doc: "no, or the script to configure the interface"},
		{Name: "downscript"}, {Name: "br"}, {Name: "helper"},
		{Name: "fd", Reject: "passing a file descriptor is not supported"},
		{Name: "fds", Reject: "passing a file descriptor is not supported"},
		{Name: "vhost", Reject: "vhost needs KVM"},
	}},
	{Name: "socket", Doc: "Ethernet over a TCP or UDP socket", Keys: []Key{
		{Name: "listen"}, {Name: "connect"}, {Name: "mcast"}, {Name: "udp"}, {Name: "localaddr"},
		{Name: "fd", Reject: "passing a file descriptor is not supported"},
	}},
	{Name: "stream", Doc: "Ethernet over a stream socket (QEMU 7.2)", Keys: []Key{
		{Name: "server", Kind: KindBool}, {Name: "addr.type", Values: []Value{{Name: "inet"}, {Name: "unix"},
			{Name: "fd", Reject: "passing a file descriptor is not supported"}}},
		{Name: "addr.host"}, {Name: "addr.port"}, {Name: "addr.path"}, {Name: "addr.to", Kind: KindUint},
		{Name: "addr.numeric", Kind: KindBool}, {Name: "addr.keep-alive", Kind: KindBool},
		{Name: "addr.ipv4", Kind: KindBool}, {Name: "addr.ipv6", Kind: KindBool},
		{Name: "addr.abstract", Kind: KindBool}, {Name: "addr.tight", Kind: KindBool},
		{Name: "reconnect", Kind: KindUint}, {Name: "reconnect-ms", Kind: KindUint},
	}},
	{Name: "bridge", Reject: notYetMsg}, {Name: "l2tpv3", Reject: notYetMsg}, {Name: "vde", Reject: notYetMsg},
	{Name: "dgram", Reject: notYetMsg}, {Name: "hubport", Reject: notYetMsg},
	{Name: "vhost-user", Reject: "vhost needs KVM"}, {Name: "vhost-vdpa", Reject: "vhost needs KVM"},
}

// nicTypes are -nic's: the netdev types, and none.
var nicTypes = append([]Variant{{Name: "none", Doc: "no network card (not even QEMU's default one)"}}, netdevTypes...)

// nicKeys are -nic's own keys, besides its back end's.
var nicKeys = []Key{
	{Name: "id", Kind: KindID, Doc: "the back end's name"},
	{Name: "mac", Doc: "MAC address, 52:54:00:12:34:56 form"},
	{Name: "model", Values: []Value{
		{Name: "virtio-net-device", Doc: "virtio-net on virtio-mmio"},
		{Name: "lan9118", Doc: "the SMSC LAN9118 of the mps2-an385/an386 boards (their only card)"},
		{Name: "virtio", Doc: "QEMU's virtio-net-pci; Mimic puts it on virtio-mmio"},
		{Name: "virtio-net-pci", Doc: "as virtio: Mimic puts it on virtio-mmio"},
		{Name: "virtio-net", Doc: "as virtio"},
		{Name: "e1000", Reject: "the virt board has no PCI yet; use model=virtio"},
		{Name: "e1000e", Reject: "the virt board has no PCI yet; use model=virtio"},
		{Name: "rtl8139", Reject: "the virt board has no PCI yet; use model=virtio"},
		{Name: "i82559er", Reject: "the virt board has no PCI yet; use model=virtio"},
		{Name: "pcnet", Reject: "the virt board has no PCI yet; use model=virtio"},
		{Name: "ne2k_pci", Reject: "the virt board has no PCI yet; use model=virtio"},
		{Name: "vmxnet3", Reject: "the virt board has no PCI yet; use model=virtio"},
	}, Doc: "the card: virtio (the default)"},
}

// globalKeys are the -global DRIVER.PROPERTY settings Mimic accepts.
var globalKeys = []Key{
	{Name: "virtio-mmio.force-legacy", Kind: KindBool,
		Doc: "on: the virtio-mmio transports are legacy ones (version 1); off: virtio 1.0 (version 2)"},
}

var semihostingKeys = []Key{
	{Name: "enable", Kind: KindBool, Doc: "on (the default when the option is given) or off"},
	{Name: "target", Values: []Value{{Name: "native"}, {Name: "auto"}, {Name: "gdb", Reject: "there is no GDB stub yet"}},
		Doc: "native or auto: calls are served by Mimic"},
	{Name: "arg", Repeat: true, Doc: "one word of the program's command line; repeat for more"},
	{Name: "userspace", Kind: KindBool, Values: onlyOff(notYetMsg + ": only privileged code may make semihosting calls"),
		Doc: "off: User-mode code cannot make semihosting calls (QEMU's default)"},
	{Name: "chardev", Reject: notYetMsg + ": semihosting writes to stdout and stderr"},
}

var rtcKeys = []Key{
	{Name: "base", Doc: "utc, localtime, or a date: 2006-06-17T16:01:21 or 2006-06-17 (UTC)"},
	{Name: "clock", Values: []Value{{Name: "host"}, {Name: "rt"}, {Name: "vm"}},
		Doc: "vm: the RTC follows virtual time, as it always does in Mimic; host and rt are the same in realtime mode and refused with -icount"},
	{Name: "driftfix", Values: []Value{{Name: "none"}, {Name: "slew", Reject: "driftfix=slew is for x86 guests"}}},
}

var icountKeys = []Key{
	{Name: "shift", Doc: "N from 0 to 10: each instruction takes 2^N ns of virtual time"},
	{Name: "sleep", Kind: KindBool, Values: onOff,
		Doc: "either: an idle CPU always jumps to the next timer deadline (QEMU's sleep=off), so runs stay deterministic"},
	{Name: "align", Kind: KindBool, Values: onlyOff(notYetMsg)},
	{Name: "rr", Reject: "record/replay is " + notYetMsg}, {Name: "rrfile", Reject: "record/replay is " + notYetMsg},
	{Name: "rrsnapshot", Reject: "record/replay is " + notYetMsg},
}
