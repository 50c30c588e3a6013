// Package virt is the QEMU-compatible `virt` board for 32-bit ARM: the same
// memory map, interrupt numbers and device-tree shape as QEMU 7.2's
// hw/arm/virt with -cpu cortex-a15, so kernels and firmware built for QEMU
// run unmodified.
//
// The board is tables (memory map, interrupt map) plus one create function
// per device that maps it, wires its interrupt and writes its device-tree
// node (create.go), so the description cannot drift from the wiring.
//
// Devices: GICv2 (288 interrupts), the CPU's generic timer, PL011 UART,
// PL031 RTC, PL061 GPIO with its gpio-keys power button (PowerButton),
// fw_cfg (minimal, see devices/fwcfg), 32 virtio-mmio transports, two
// 64 MiB flash banks and RAM from 0x40000000. What QEMU's board has and
// Mimic's lacks: PCIe (and the GICv2m MSI frame that serves it). The
// device tree says so by omitting those nodes (see testdata/README).
//
// On the transports go the devices of Config.Virtio: block, network,
// entropy, and for the desktop virtio-gpu, virtio keyboard, mouse and
// tablet and virtio-sound. Config.RAMFB adds QEMU's ramfb. The screens
// are display consoles (Consoles), the input devices hang off one
// input.Router (Input).
package virt

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"mimic/bios/boot"
	"mimic/bios/fdt"
	"mimic/bios/image"
	"mimic/bios/psci"
	"mimic/bios/semihost"
	"mimic/cpu/arm"
	"mimic/devices/armtimer"
	"mimic/devices/audio"
	"mimic/devices/bus"
	"mimic/devices/clock"
	"mimic/devices/display"
	"mimic/devices/fwcfg"
	"mimic/devices/gicv2"
	"mimic/devices/input"
	"mimic/devices/pflash"
	"mimic/devices/pl011"
	"mimic/devices/pl031"
	"mimic/devices/pl061"
	"mimic/devices/ramfb"
	"mimic/devices/virtio/blk"
	"mimic/devices/virtio/gpu"
	"mimic/devices/virtio/mmio"
	vnet "mimic/devices/virtio/net"
	"mimic/machine"
)

// Memory map, as QEMU's virt (hw/arm/virt.c base_memmap).
const (
	FlashBase     = 0x00000000
	FlashSize     = 0x08000000 // two banks
	FlashBankSize = FlashSize / 2
	GICDBase      = 0x08000000
	GICDSize      = 0x00010000 // the DT's window; the registers use 4 KiB
	GICCBase      = 0x08010000
	GICCSize      = 0x00010000 // the DT's window; the registers use 8 KiB
	UARTBase      = 0x09000000
	UARTSize      = 0x00001000
	RTCBase       = 0x09010000
	RTCSize       = 0x00001000
	FwCfgBase     = 0x09020000
	GPIOBase      = 0x09030000
	GPIOSize      = 0x00001000
	MMIOBase      = 0x0a000000 // 32 virtio-mmio transports, 0x200 apart
	MMIOSize      = 0x200
	NumMMIO       = 32
	PlatformBase  = 0x0c000000 // QEMU's dynamic sysbus window: empty here
	PlatformSize  = 0x02000000
	RAMBase       = 0x40000000
)

// Interrupt map: SPI numbers (GIC INTID = 32 + SPI), as QEMU's a15irqmap.
const (
	IRQUART     = 1
	IRQRTC      = 2
	IRQGPIO     = 7
	IRQMMIO     = 16 // first of 32
	IRQPlatform = 64 // first SPI of the platform bus (QEMU: 64..95)
)

// Generic timer PPIs (INTIDs), as QEMU's virt wires a Cortex-A15's timer.
const (
	PPITimerSecPhys = 29 // secure physical timer (not modelled)
	PPITimerPhys    = 30 // non-secure physical timer
	PPITimerVirt    = 27 // virtual timer
	PPITimerHyp     = 26 // hypervisor timer (not modelled)
)

// NumIRQs is the GIC's interrupt count on QEMU's virt: 32 private + 256 SPIs.
const NumIRQs = 288

// RAM limits: without highmem the 32-bit virt board has RAM up to 4 GiB
// minus its base (QEMU refuses more for a 32-bit CPU without LPAE highmem).
const (
	MaxRAM     = 0x100000000 - RAMBase
	DefaultRAM = 128 << 20
)

// DeterministicEpoch is what the RTC reads at virtual time zero in
// deterministic (--icount) mode, so that runs are reproducible:
// 2025-01-01 00:00:00 UTC. In realtime mode the RTC starts at the host's
// wall-clock time, as QEMU's default -rtc base=utc does.
var DeterministicEpoch = machine.DeterministicEpoch

// Config describes one virt machine.
type Config struct {
	RAMSize uint64 // bytes; DefaultRAM when zero
	Kernel  string // path of the kernel or bare-metal program
	Initrd  string // path of the initial ramdisk (Linux kernels only)
	Append  string // kernel command line (also semihosting's GET_CMDLINE)
	DTB     string // path of a device tree blob to use instead of the board's
	Bios    string // path of a firmware image for the first flash bank

	Semihosting bool
	// SemihostingCmdline, when set, is what SYS_GET_CMDLINE answers
	// instead of Append (-semihosting-config arg=...).
	SemihostingCmdline string
	// ICountShift selects deterministic time (>= 0: 2^shift ns per
	// instruction); negative means realtime.
	ICountShift int
	// RTCStart, when not zero, is what the RTC reads at virtual time
	// zero, overriding the mode's default (see DeterministicEpoch).
	RTCStart time.Time

	Serial io.Writer     // PL011 output; nil discards
	Input  <-chan []byte // PL011 input; nil for none
	Stdin  io.Reader     // semihosting console input
	Stderr io.Writer     // semihosting stderr

	NoReboot bool // a guest reset request ends the run instead

	// Virtio lists the devices on the virtio-mmio transports, in the
	// order QEMU would plug them (see createVirtioMMIO). The caller owns
	// their back ends (disk images, networks) and closes them after Run.
	Virtio []VirtioSpec
	// PFlash are the images behind the two flash banks (-drive
	// if=pflash,unit=0 and 1), nil for a blank bank; the caller owns
	// them. Each must hold at least FlashBankSize bytes.
	PFlash [2]FlashImage

	// VirtioLegacy presents the version 1 (legacy) virtio-mmio interface,
	// QEMU's -global virtio-mmio.force-legacy=true; the default is
	// version 2. Devices that exist only in virtio 1.0 and later (gpu,
	// input, sound: drivers refuse them without VIRTIO_F_VERSION_1) keep
	// the version 2 interface.
	VirtioLegacy bool

	// RAMFB adds QEMU's ramfb display (-device ramfb): a framebuffer in
	// guest RAM that the firmware describes through the fw_cfg file
	// "etc/ramfb". It turns on fw_cfg's DMA interface, which ramfb
	// needs. Its console comes after the virtio-gpu ones (Consoles).
	RAMFB bool

	Timeout  time.Duration
	MaxInsns uint64
	Trace    func(pc uint32, thumb bool, insn uint32, size int)
	Log      *slog.Logger
}

// FlashImage is a disk image behind a flash bank (devices/disk.Image
// satisfies it).
type FlashImage interface {
	ReadAt(p []byte, off int64) (int, error)
	WriteAt(p []byte, off int64) (int, error)
	Size() int64
	Flush() error
	ReadOnly() bool
}

// Kinds of virtio device.
const (
	VirtioBlock = "virtio-blk-device"
	VirtioNet   = "virtio-net-device"
	VirtioRNG   = "virtio-rng-device"

	VirtioGPU      = "virtio-gpu-device"
	VirtioKeyboard = "virtio-keyboard-device"
	VirtioMouse    = "virtio-mouse-device"
	VirtioTablet   = "virtio-tablet-device"
	VirtioSound    = "virtio-sound-device"
)

// VirtioSpec describes one virtio device to plug into the board.
type VirtioSpec struct {
	Kind string // VirtioBlock, VirtioNet or VirtioRNG

	Disk   blk.Backend // VirtioBlock: the image
	Serial string      // VirtioBlock: what GET_ID reports

	MAC [6]byte      // VirtioNet
	Net vnet.Backend // VirtioNet

	Entropy io.Reader // VirtioRNG: nil for the host's (or, with --icount, a fixed stream)

	// VirtioGPU: the device's options (xres, yres, edid) and its number
	// of scanouts (max_outputs; 0 means 1), each a display console.
	GPU     gpu.Options
	Outputs int

	// VirtioSound: where played frames go (nil discards them); the
	// caller closes it after Run.
	Sound audio.Sink
}

// Machine is a virt board.
type Machine struct {
	cfg   Config
	Bus   *bus.Bus
	CPU   *arm.CPU
	Clock *clock.Clock
	GIC   *gicv2.GIC
	Timer *armtimer.Timer
	UART  *pl011.UART
	RTC   *pl031.RTC
	FwCfg *fwcfg.Device
	GPIO  *pl061.GPIO
	RAMFB *ramfb.Device // nil without Config.RAMFB
	// Virtio holds the 32 virtio-mmio transports by slot (0 at
	// 0x0a000000).
	Virtio []*mmio.Transport
	PSCI   *psci.Handler
	Loop   *machine.Loop

	// Flash holds the two CFI flash banks.
	Flash [2]*pflash.Flash

	ram []byte
	// consoles are the screens: the virtio-gpu scanouts in device order,
	// then ramfb's.
	consoles []*display.Console
	input    *input.Router
	// powerRelease releases the power button PowerButton pressed.
	powerRelease *clock.Event

	// rtcStart is the wall-clock time at virtual time zero (the RTC's
	// and semihosting's SYS_TIME).
	rtcStart time.Time
	semi     *semihost.Host

	dt      *fdt.Node // the board's device tree while it is built
	dtb     []byte    // the blob handed to the guest
	boot    *boot.Boot
	stopErr error // why the machine stopped, when not a guest exit
}

// ErrConfig marks errors in the user's configuration or images.
var ErrConfig = errors.New("configuration error")

func configErr(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrConfig}, args...)...)
}

// wrapConfig marks an error from the boot loader as a configuration error.
func wrapConfig(err error) error {
	if err == nil || errors.Is(err, ErrConfig) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrConfig, err)
}

// New builds the machine and loads cfg.Kernel (or cfg.Bios). With
// neither, the CPU starts in the first flash bank when an image fills it
// (Config.PFlash[0]), as QEMU runs the firmware there.
func New(cfg Config) (*Machine, error) {
	switch {
	case cfg.Kernel == "" && cfg.Bios == "" && cfg.PFlash[0] != nil:
		return newMachine(cfg, func(m *Machine) error {
			m.boot = boot.Flash(RAMBase, m.cfg.RAMSize, FlashBase)
			return nil
		})
	case cfg.Kernel == "" && cfg.Bios == "":
		return nil, configErr("no kernel given (--kernel FILE, --bios FILE or -drive if=pflash,unit=0,file=FILE for firmware)")
	case cfg.Kernel != "" && cfg.Bios != "":
		return nil, configErr("--kernel with --bios is not supported yet (QEMU hands the kernel to the firmware through fw_cfg)")
	}
	if cfg.Bios != "" {
		data, err := os.ReadFile(cfg.Bios)
		if err != nil {
			return nil, configErr("firmware: %v", err)
		}
		return newMachine(cfg, func(m *Machine) error { return m.loadFirmware(cfg.Bios, data) })
	}
	data, err := os.ReadFile(cfg.Kernel)
	if err != nil {
		return nil, configErr("kernel: %v", err)
	}
	return NewFromImage(cfg, cfg.Kernel, data)
}

// NewFromImage is New with the kernel given as bytes (the bundled demo).
func NewFromImage(cfg Config, name string, data []byte) (*Machine, error) {
	return newMachine(cfg, func(m *Machine) error { return m.loadKernel(name, data) })
}

// DeviceTree builds the machine cfg describes, without starting it, and
// returns the device tree blob the guest would be given (--dump-dtb). With
// neither a kernel nor firmware it is the board's tree with /memory and
// /psci filled in, as QEMU's dumpdtb gives without -kernel.
func DeviceTree(cfg Config) ([]byte, error) {
	var m *Machine
	var err error
	if cfg.Kernel == "" && cfg.Bios == "" {
		m, err = newMachine(cfg, func(m *Machine) error {
			m.boot = boot.NoKernel(RAMBase, m.cfg.RAMSize)
			return nil
		})
	} else {
		m, err = New(cfg)
	}
	if err != nil {
		return nil, err
	}
	if m.dtb == nil {
		return nil, configErr("this guest gets no device tree: the bare-metal program covers the start of RAM, where the tree would go")
	}
	return m.dtb, nil
}

func newMachine(cfg Config, load func(*Machine) error) (*Machine, error) {
	if cfg.Initrd != "" && cfg.Kernel == "" {
		return nil, configErr("--initrd needs --kernel")
	}
	m, err := build(cfg)
	if err != nil {
		return nil, err
	}
	if err := load(m); err != nil {
		return nil, err
	}
	if err := m.finishDeviceTree(); err != nil {
		return nil, err
	}
	if err := m.reset(); err != nil {
		return nil, err
	}
	return m, nil
}

// build creates the board's memory, CPU and devices and its device tree.
func build(cfg Config) (*Machine, error) {
	if cfg.RAMSize == 0 {
		cfg.RAMSize = DefaultRAM
	}
	if cfg.RAMSize > MaxRAM {
		return nil, configErr("-m %d MiB is more than the virt board's %d MiB of RAM space", cfg.RAMSize>>20, uint64(MaxRAM)>>20)
	}
	if cfg.RAMSize < 1<<20 {
		return nil, configErr("-m %d bytes is too little RAM (at least 1 MiB)", cfg.RAMSize)
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Serial == nil {
		cfg.Serial = io.Discard
	}
	m := &Machine{cfg: cfg, Bus: bus.New(), Clock: clock.New()}
	// Untouched guest RAM costs no resident memory.
	ram, err := bus.NewRAM(m.Bus, cfg.RAMSize)
	if err != nil {
		return nil, configErr("cannot allocate %d MiB of guest RAM: %v", cfg.RAMSize>>20, err)
	}
	m.ram = ram
	if err := m.Bus.MapRAM("ram", RAMBase, m.ram); err != nil {
		return nil, err
	}
	m.CPU = arm.New(m.Bus, arm.Config{MIDR: midrCortexA15}, cfg.Log)
	m.input = input.NewRouter(m.Clock.Post)
	m.Loop = &machine.Loop{CPU: m.CPU, Clock: m.Clock, ICountShift: cfg.ICountShift,
		Timeout: cfg.Timeout, MaxInsns: cfg.MaxInsns, Describe: m.Describe}

	// The creation order is QEMU's (machvirt_init and arm_load_dtb), which
	// with libfdt's habit of inserting each new node and property first
	// gives the same blob layout (see finishDeviceTree).
	m.createFDT()
	steps := []func() error{
		m.createClock,
		m.createTimer,
		m.createCPUs,
		m.createFlash,
		m.createGIC,
		m.createPMU,
		m.createUART,
		m.createRTC,
		m.createGPIO,
		m.createVirtioMMIO,
		m.createFwCfg,
		m.createRAMFB,
		m.createPlatformBus,
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
	}
	m.createPSCI()
	if cfg.Semihosting {
		m.createSemihosting()
	}
	m.CPU.Trace = cfg.Trace
	return m, nil
}

// Describe writes the state a person needs to debug a hung guest: the
// CPU, its generic timer and the GIC. The run loop calls it between slices
// (Loop.RequestDump); call it directly only when the loop is not running.
func (m *Machine) Describe(w io.Writer) {
	m.CPU.Describe(w)
	m.Timer.Describe(w)
	m.GIC.Describe(w)
}

// midrCortexA15 is the MIDR QEMU 7.2's cortex-a15 reports: r4p0 (Linux
// on qemu-system-arm -M virt -cpu cortex-a15 shows CPU variant 0x4, CPU
// revision 0 in /proc/cpuinfo).
const midrCortexA15 = 0x414fc0f0

// createSemihosting routes SVC 0x123456 (ARM) and SVC 0xAB (Thumb) to the
// host, as the ARM semihosting spec defines for AArch32 A-profile. BKPT
// 0xAB is the M-profile trap: on this A-profile board it stays a
// breakpoint (a Prefetch Abort), as on QEMU's virt (the conformance
// program exc_bkpt checks it).
func (m *Machine) createSemihosting() {
	stdout, stderr, stdin := machine.SemihostStreams(m.cfg.Serial, m.cfg.Stderr, m.cfg.Stdin)
	top := uint32(RAMBase + m.cfg.RAMSize)
	m.semi = &semihost.Host{
		Stdout: stdout, Stderr: stderr, Stdin: stdin,
		Cmdline: cmp.Or(m.cfg.SemihostingCmdline, m.cfg.Append),
		Elapsed: func() uint64 { return m.Clock.Now() },
		// Wall-clock time follows the virtual clock from the RTC's
		// start, so deterministic runs see the same time (QEMU reads
		// the host's).
		Now: func() time.Time { return m.rtcStart.Add(time.Duration(m.Clock.Now())) },
		// As QEMU does without a heap description: heap from the end of
		// the loaded image is unknown, so offer the top half of RAM.
		HeapBase: RAMBase + uint32(m.cfg.RAMSize/2), HeapLimit: top,
		StackBase: top, StackLimit: top - uint32(m.cfg.RAMSize/4),
	}
	m.CPU.SVCHook = func(c *arm.CPU, imm uint32) bool {
		// As QEMU (without userspace=on), User-mode code cannot make
		// semihosting calls: its SVC is an ordinary SVC exception.
		if c.Mode() == arm.ModeUSR {
			return false
		}
		if (!c.T && imm == 0x123456) || (c.T && imm == 0xab) {
			m.Loop.Semihost(m.semi, c)
			return true
		}
		return false
	}
}

// semihostImage tells semihosting about the loaded program as QEMU does:
// SYS_GET_CMDLINE answers the kernel file name followed by --append, and
// SYS_HEAPINFO puts the heap from the end of the image to the top of RAM,
// with the stack growing down from the top of RAM to the image's end.
func (m *Machine) semihostImage(name string, segs []image.Segment) {
	if m.semi == nil {
		return
	}
	m.semi.Cmdline = name
	if m.cfg.Append != "" {
		m.semi.Cmdline += " " + m.cfg.Append
	}
	var end uint64
	for _, s := range segs {
		end = max(end, s.End())
	}
	top := uint32(RAMBase + m.cfg.RAMSize)
	m.semi.HeapBase, m.semi.HeapLimit = uint32(end), top
	m.semi.StackBase, m.semi.StackLimit = top, uint32(end)
}

// loadKernel plans the kernel's boot (bios/boot: placement, registers,
// initrd) as QEMU's -kernel does.
func (m *Machine) loadKernel(name string, data []byte) error {
	cfg := boot.Config{
		RAMBase: RAMBase, RAMSize: m.cfg.RAMSize, BoardID: boot.MachineDT,
		KernelName: name, Kernel: data, Cmdline: m.cfg.Append,
	}
	if m.cfg.Initrd != "" {
		initrd, err := os.ReadFile(m.cfg.Initrd)
		if err != nil {
			return configErr("initrd: %v", err)
		}
		cfg.InitrdName, cfg.Initrd = m.cfg.Initrd, initrd
	}
	b, err := boot.Load(cfg)
	if err != nil {
		return wrapConfig(err)
	}
	// Check now that every image lands in memory, so that reset cannot
	// fail later.
	if err := image.Load(m.Bus, b.Segments...); err != nil {
		return configErr("kernel %s: %v", name, err)
	}
	m.semihostImage(name, b.Segments)
	m.boot = b
	return nil
}

// loadFirmware puts a firmware image in the first flash bank (--bios).
func (m *Machine) loadFirmware(name string, data []byte) error {
	b, err := boot.Firmware(RAMBase, m.cfg.RAMSize, name, data, FlashBase, FlashBankSize)
	if err != nil {
		return wrapConfig(err)
	}
	if err := image.Load(m.Bus, b.Segments...); err != nil {
		return configErr("firmware %s: %v", name, err)
	}
	m.boot = b
	return nil
}

// reset puts the machine in its power-on state and the boot images back
// in memory (QEMU keeps them as ROM blobs and copies them again on every
// reset, so a rebooted guest starts from the same kernel, initrd and DTB).
// RAM outside the images keeps its contents, as on QEMU.
func (m *Machine) reset() error {
	m.CPU.Reset()
	m.GIC.Reset()
	m.Timer.Reset()
	m.UART.Reset()
	m.RTC.Reset()
	m.FwCfg.Reset()
	m.resetGPIO()
	if m.RAMFB != nil {
		m.RAMFB.Reset()
	}
	for _, f := range m.Flash {
		f.Reset()
	}
	for _, t := range m.Virtio {
		t.Reset()
	}
	if err := image.Load(m.Bus, m.boot.Segments...); err != nil {
		return fmt.Errorf("reset: %w", err)
	}
	// CPU.Reset leaves SVC mode with IRQs, FIQs and aborts masked and
	// the MMU off, which is what both the Linux boot protocol and a
	// bare-metal entry want.
	for i, v := range m.boot.Regs {
		m.CPU.SetReg(i, v)
	}
	m.CPU.SetReg(15, m.boot.Entry)
	m.CPU.SetThumb(m.boot.Thumb)
	return nil
}

// Boot returns the boot plan: where the kernel, initrd and DTB went and
// the entry state.
func (m *Machine) Boot() *boot.Boot { return m.boot }

// DTB returns the device tree blob given to the guest (nil for none).
func (m *Machine) DTB() []byte { return m.dtb }

// Consoles returns the machine's screens: one per virtio-gpu scanout, in
// device order, then ramfb's; none without a display device. A frontend
// shows them (package display says which goroutine may call what).
func (m *Machine) Consoles() []*display.Console { return m.consoles }

// Input returns the router through which a frontend's keyboard and
// pointer reach the guest's virtio keyboards, mice and tablets. Its
// methods may be called from any goroutine; code running on the
// machine's clock (a scheduled input script) uses its Direct view.
func (m *Machine) Input() *input.Router { return m.input }

// RefreshDisplays brings the screens of devices without a flush command
// (ramfb) up to date from guest RAM, as a frontend's Console.Refresh
// does, but at once. Call it only while the machine is not running
// (after Run returned, before a screenshot).
func (m *Machine) RefreshDisplays() {
	if m.RAMFB != nil {
		m.RAMFB.Refresh()
	}
}

// RAM returns the guest RAM (for tests and debugging); it is valid while
// the machine is reachable.
func (m *Machine) RAM() []byte { return m.ram }

// Run runs the machine until the guest exits. It returns the guest's exit
// code (semihosting, or 0 for PSCI SYSTEM_OFF); a reset request restarts
// the guest unless NoReboot is set.
func (m *Machine) Run() (int, error) {
	for {
		res, err := m.Loop.Run()
		if err != nil {
			return 1, err
		}
		if m.stopErr != nil {
			return 1, m.stopErr
		}
		if res.Reset && !m.cfg.NoReboot {
			if err := m.reset(); err != nil {
				return 1, err
			}
			continue
		}
		return res.ExitCode, nil
	}
}

// Close writes what the guest programmed into the flash banks through to
// their images' stable storage. The caller closes the images themselves.
func (m *Machine) Close() error {
	var errs []error
	for _, f := range m.Flash {
		if f != nil {
			errs = append(errs, f.Flush(), f.Err())
		}
	}
	return errors.Join(errs...)
}

// Retired returns the instructions retired so far.
func (m *Machine) Retired() uint64 { return m.CPU.Retired() }
