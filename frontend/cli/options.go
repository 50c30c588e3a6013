package cli

import (
	"fmt"
	"strings"
	"time"

	"mimic/devices/usernet"
)

// Options is a parsed and validated command line. Zero values mean "not
// given"; Parse fills in the defaults that are QEMU's (or Mimic's where
// Mimic has its own) and says so field by field.
type Options struct {
	// The machine.
	Machine      string // -machine type: "virt"
	MachineProps []KV   // -machine sub-options after the type, normalised; all no-ops (see machineKeys)
	CPU          string // -cpu: "cortex-a15"
	RAM          uint64 // -m, in bytes, rounded up to 8 KiB as QEMU does; 0: the board's default
	SMP          int    // -smp cpus: 1
	// Accel is the execution engine: "native" (QEMU's -accel tcg, the
	// default) or "interp".
	Accel string

	// What runs.
	Kernel string // -kernel
	Initrd string // -initrd
	Append string // -append
	DTB    string // -dtb
	Bios   string // -bios

	NoReboot    bool           // -no-reboot
	Snapshot    bool           // -snapshot; already applied to every Drive.Snapshot
	NoGraphic   bool           // -nographic
	NoDefaults  bool           // -nodefaults; already applied to Serial and DefaultNIC
	Display     string         // -display: "none" or "sdl"
	DisplayOpts DisplayOptions // -display's keys
	Serial      Serial
	Monitor     string // -monitor: "" (none given) or "none"

	// Semihosting is on after -semihosting or -semihosting-config
	// enable=on (the implied key; on by default), whichever came last.
	Semihosting bool
	// SemihostingArgs are the arg= values of -semihosting-config in
	// order; see SemihostingCmdline.
	SemihostingArgs []string
	ICount          ICount
	RTC             RTC

	Drives  []Drive
	Devices []Device
	Netdevs []Netdev // -netdev only; a -nic's back end is in its NIC
	NICs    []NIC    // -nic, except -nic none
	NoNIC   bool     // -nic none or -net none
	Globals []Global
	// Audiodevs are the -audiodev back ends, in order.
	Audiodevs []Audiodev

	// Mimic's own options (two dashes only).
	Timeout    time.Duration // --timeout
	MaxInsns   uint64        // --max-insns
	Trace      bool          // --trace
	Stats      bool          // --stats
	Verbose    bool          // --verbose, -v
	CPUProfile string        // --cpuprofile
	DumpDTB    string        // --dump-dtb
	// Headless outputs and input.
	Screenshot  string // --screenshot: a PNG of the first display when the guest stops
	AudioOut    string // --audio-out: a WAV recording of the sound device
	InputScript string // --input-script: scripted keyboard and pointer input
	ITM         string // --itm: where ITM stimulus port 0 goes (Cortex-M), "-" for stdout

	// Warnings are what QEMU would warn about and go on (a netdev with
	// no device, a deprecated short-form boolean); the caller prints them.
	Warnings []string
}

// Serial is where the board's UART goes (-serial).
type Serial struct {
	// Backend is "stdio", "file" or "null". QEMU's -serial none and
	// -nodefaults give "null": the virt board's PL011 is always there,
	// so QEMU's "no device" is its "device discarding output" here.
	Backend string
	Path    string // Backend "file": the file to create
	// Mux is set for mon:stdio: QEMU multiplexes its monitor there with
	// the Ctrl-A escapes. Mimic's console has the Ctrl-A escapes on
	// stdio either way, and no monitor yet.
	Mux bool
}

func (s Serial) String() string {
	v := s.Backend
	if s.Backend == "file" {
		v = "file:" + s.Path
	}
	if s.Mux {
		v = "mon:" + v
	}
	return v
}

// ICount is -icount: deterministic time.
type ICount struct {
	// Shift: each instruction takes 2^Shift ns of virtual time; -1 is
	// realtime (no -icount).
	Shift int
	// Sleep is QEMU's sleep= (default on). Mimic always behaves as
	// sleep=off: an idle CPU jumps to the next timer deadline, so runs
	// stay deterministic; sleep=on is accepted and means the same, since
	// letting host time into virtual time would defeat -icount.
	Sleep bool
}

// RTC is -rtc: where the real-time clock starts.
type RTC struct {
	// Base is "" (no -rtc base: the board's default, host time in
	// realtime mode and a fixed epoch with -icount), "utc", "localtime",
	// or "datetime" with the time in Start.
	Base  string
	Start time.Time // Base "datetime": the UTC time the RTC starts at
	// Clock is QEMU's clock=: "" (not given), "host", "rt" or "vm". The
	// RTC always follows the virtual clock, which in realtime mode
	// follows the host's; Parse refuses host and rt with -icount.
	Clock string
}

// StartAt is the time the RTC reads at virtual time zero for machine
// config RTCStart, now being the host's wall-clock time: zero when no
// base was given, so the board's default applies.
func (r RTC) StartAt(now time.Time) time.Time {
	switch r.Base {
	case "utc":
		return now.UTC()
	case "localtime":
		// The RTC counts local time as if it were UTC (QEMU's
		// localtime: for guests that keep the RTC in local time).
		_, off := now.Zone()
		return now.UTC().Add(time.Duration(off) * time.Second)
	case "datetime":
		return r.Start
	}
	return time.Time{}
}

// Drive is a -drive: a disk image and, unless If is "none", the device
// QEMU creates for it.
type Drive struct {
	// ID is id=, or QEMU's automatic name when none was given: the
	// interface and unit ("virtio0", "pflash1", "none0").
	ID   string
	File string // "": an empty drive (allowed only with if=none)
	// Format is "raw" or "qcow2", or "" to be probed from the file as
	// QEMU does without format=.
	Format string
	// If is the interface: "virtio" (the virt board's default: QEMU
	// would make a virtio-blk-pci; Mimic a virtio-blk on virtio-mmio),
	// "pflash" (flash bank Unit) or "none" (for a -device drive=ID).
	If string
	// Unit is the position on the interface: from unit= or index=, or
	// else the first free one, as QEMU counts (-drive file=a -drive
	// file=b are virtio0 and virtio1).
	Unit     int
	ReadOnly bool
	Snapshot bool   // snapshot=on or -snapshot: writes go to a temporary overlay
	Cache    string // writeback (default), none, writethrough, directsync, unsafe
	Discard  string // ignore (default) or unmap
	AIO      string // threads (default), native, io_uring: a host detail
	Locking  string // file.locking: auto (default), on, off
}

// Device is a -device. Which fields apply depends on Driver.
type Device struct {
	// Driver is one of "virtio-blk-device", "virtio-net-device",
	// "virtio-rng-device", "virtio-gpu-device", "ramfb",
	// "virtio-keyboard-device", "virtio-mouse-device",
	// "virtio-tablet-device", "virtio-sound-device" (QEMU's aliases
	// virtio-blk, virtio-net ... are mapped to these).
	Driver string
	ID     string
	Drive  string // virtio-blk-device: the ID of an if=none Drive
	Serial string // virtio-blk-device: the disk's serial number
	Netdev string // virtio-net-device: the ID of a Netdev; "" for none
	MAC    MAC    // virtio-net-device: zero for the default

	// virtio-gpu-device: xres= and yres= (0: the device's default,
	// 1280x800), edid= (NoEDID for edid=off), max_outputs= (1 when not
	// given) and max_hostmem= (0: the default).
	XRes, YRes int
	NoEDID     bool
	MaxOutputs int
	MaxHostMem uint64

	Audiodev string // virtio-sound-device: the ID of an Audiodev; "" for none
}

// DisplayOptions are -display sdl's keys (QEMU's DisplayOptions); the
// zero value is QEMU's defaults.
type DisplayOptions struct {
	FullScreen    bool   // full-screen=on
	NoWindowClose bool   // window-close=off: the close button does nothing
	ShowCursor    bool   // show-cursor=on
	GrabMod       string // grab-mod: "" or "lctrl-lalt" (Ctrl-Alt), "lshift-lctrl-lalt", "rctrl"
	IntegerScale  bool   // integer-scale=on (Mimic's)
}

// Audiodev is an -audiodev: where a sound card's output goes.
type Audiodev struct {
	Driver string // "none", "wav" or "sdl"
	ID     string
	Path   string // wav: the file, "qemu.wav" when not given (QEMU's default)
}

// MAC is a network card's address. The zero MAC means "not given": the
// board picks one, as QEMU gives 52:54:00:12:34:56 and up.
type MAC [6]byte

func (m MAC) String() string {
	return fmt.Sprintf("%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5])
}

// Netdev is a network back end (-netdev, or the back end of a -nic).
type Netdev struct {
	// Type is "user", "tap", "socket" or "stream". Parse accepts tap,
	// socket and stream with their QEMU keys in Props; the caller decides
	// which it implements.
	Type string
	ID   string
	// Props are the sub-options other than type and id, normalised
	// (booleans read "on"/"off"), in order; hostfwd may repeat.
	Props []KV
	// User is the user-mode network, for Type "user": Props read, with
	// QEMU's defaults filled in.
	User *usernet.Config
}

// NIC is a -nic: a network device and its back end in one option.
type NIC struct {
	// Model is "virtio-net-device" (QEMU's virt default, virtio-net-pci,
	// and model=virtio are put on virtio-mmio), or "lan9118" when asked
	// for (the MPS2 boards' Ethernet). ModelGiven says model= was given.
	Model      string
	ModelGiven bool
	MAC        MAC    // zero for the default
	Netdev     Netdev // ID is id= or QEMU's automatic "__org.qemu.nicN"
}

// Global is a -global DRIVER.PROPERTY=VALUE.
type Global struct {
	Driver   string // "virtio-mmio"
	Property string // "force-legacy"
	Value    string // normalised: booleans read "on"/"off"
}

// SemihostingCmdline is what SYS_GET_CMDLINE answers, and whether
// -semihosting-config arg= decided it: QEMU joins the args with spaces,
// and they take precedence over the kernel name and -append.
func (o *Options) SemihostingCmdline() (string, bool) {
	if len(o.SemihostingArgs) == 0 {
		return "", false
	}
	return strings.Join(o.SemihostingArgs, " "), true
}

// FlashFirmware reports whether a -drive if=pflash fills the first flash
// bank: with neither -kernel nor -bios, the board then runs the firmware
// in it, as QEMU does.
func (o *Options) FlashFirmware() bool {
	for _, d := range o.Drives {
		if d.If == "pflash" && d.Unit == 0 && d.File != "" {
			return true
		}
	}
	return false
}

// DefaultNIC reports whether QEMU would create its default network card
// (a user-mode back end on the board's default NIC): only when no -nic,
// -net or -netdev was given and not -nodefaults.
func (o *Options) DefaultNIC() bool {
	return !o.NoDefaults && !o.NoNIC && len(o.NICs) == 0 && len(o.Netdevs) == 0
}
