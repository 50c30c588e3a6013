package mcu

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"reflect"
	"slices"
	"time"

	"mimic/bios/image"
	"mimic/bios/semihost"
	"mimic/cpu/arm"
	"mimic/devices/bus"
	"mimic/devices/clock"
	"mimic/devices/irq"
	"mimic/devices/lan9118"
	"mimic/machine"
)

// Config describes one run of a board.
type Config struct {
	Board  string // a key of Boards
	CPU    string // -cpu: empty or the board's own model
	Kernel string // the firmware: ELF, Intel HEX or raw binary
	Append string // semihosting's command line after the image's name

	Semihosting        bool
	SemihostingCmdline string
	ICountShift        int // >= 0: deterministic time; < 0: realtime

	Serial io.Writer     // UART 0's output; nil discards
	ITM    io.Writer     // ITM stimulus port 0's output; nil discards
	Input  <-chan []byte // UART 0's input; nil for none
	Stdin  io.Reader     // semihosting console input
	Stderr io.Writer     // semihosting stderr

	// NIC is the network behind the board's Ethernet controller
	// (Board.NIC); nil for none: the controller is there all the same,
	// as in QEMU, and what the guest sends is dropped. MAC is the
	// controller's address (in its EEPROM); zero for QEMUMAC.
	NIC lan9118.Backend
	MAC [6]byte

	Timeout  time.Duration
	MaxInsns uint64
	NoReboot bool
	Log      *slog.Logger
	Trace    func(pc uint32, thumb bool, insn uint32, size int)
}

// Machine is a running microcontroller board.
type Machine struct {
	Board *Board
	CPU   *arm.CPU
	Bus   *bus.Bus
	Clock *clock.Clock
	Loop  *machine.Loop

	cfg      Config
	log      *slog.Logger
	mem      map[string][]byte
	firmware *Firmware
	serial   interface{ Receive([]byte) int }
	semi     *semihost.Host
	nic      *lan9118.Device
}

// ErrConfig marks errors in the user's configuration or image (exit
// status 2).
var ErrConfig = errors.New("configuration error")

func configErr(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrConfig}, args...)...)
}

// IsBoard reports whether name is a microcontroller board.
func IsBoard(name string) bool { _, ok := Boards[name]; return ok }

// New builds the board cfg names and loads its firmware.
func New(cfg Config) (*Machine, error) {
	b, ok := Boards[cfg.Board]
	if !ok {
		return nil, configErr("unknown board %q", cfg.Board)
	}
	if cfg.CPU != "" && cfg.CPU != b.Model.String() {
		return nil, configErr("-M %s has a %s; -cpu %s is not possible (QEMU: \"This board can only be used with CPU %s\")",
			b.Name, b.Model, cfg.CPU, b.Model)
	}
	if cfg.NIC != nil && b.NIC == "" {
		return nil, configErr("-M %s has no network controller Mimic models", b.Name)
	}
	if cfg.Kernel == "" {
		return nil, configErr("no firmware given: -kernel FILE (an ELF, Intel HEX or raw binary image for %s)", b.Name)
	}
	data, err := os.ReadFile(cfg.Kernel)
	if err != nil {
		return nil, configErr("kernel: %v", err)
	}
	log := cmp.Or(cfg.Log, slog.Default())
	m := &Machine{Board: b, cfg: cfg, log: log, Bus: bus.New(), Clock: clock.New(), mem: map[string][]byte{}}

	var code, ram []Range
	for _, r := range b.Mem {
		mem := m.mem[r.Alias]
		if r.Alias == "" {
			mem = make([]byte, r.Size)
			m.mem[r.Name] = mem
		}
		if r.ROM {
			err = m.Bus.MapROM(r.Name, r.Base, mem)
		} else {
			err = m.Bus.MapRAM(r.Name, r.Base, mem)
			ram = append(ram, Range{r.Name, r.Base, r.Size})
		}
		if err != nil {
			return nil, fmt.Errorf("BUG: %s: %w", b.Name, err)
		}
		code = append(code, Range{r.Name, r.Base, r.Size})
	}
	m.firmware, err = ParseFirmware(data, b.LoadBase, 0, code, ram)
	if err != nil {
		return nil, fmt.Errorf("%w: kernel %s: %w", ErrConfig, cfg.Kernel, err)
	}

	m.CPU = arm.New(m.Bus, arm.Config{Profile: arm.ProfileM, M: arm.MConfig{
		Model: b.Model, NumIRQ: b.NumIRQ, PrioBits: b.PrioBits, Clock: m.Clock, CPUClockHz: b.CPUHz, SysTickRefHz: b.RefHz, SysTickCalib: b.Calib,
	}}, log)
	m.CPU.Trace = cfg.Trace
	m.CPU.OnSystemReset = func() { m.Loop.Reset() }
	if err := m.Bus.MapDevice("scs", arm.SCSBase, arm.SCSSize, m.CPU.SCS()); err != nil {
		return nil, fmt.Errorf("BUG: %w", err)
	}
	// Bit-banding (QEMU enables it on the MPS2 and Stellaris boards), and
	// the ITM and DWT in the Private Peripheral Bus (QEMU has neither).
	for _, d := range []struct {
		name       string
		base, size uint64
		dev        bus.Device
	}{
		{"bitband-sram", arm.BitBandSRAMAlias, arm.BitBandAliasSize, m.CPU.BitBand(arm.BitBandSRAMTarget)},
		{"bitband-periph", arm.BitBandPeriphAlias, arm.BitBandAliasSize, m.CPU.BitBand(arm.BitBandPeriphTarget)},
		{"itm", arm.ITMBase, arm.ITMSize, m.CPU.ITM(cfg.ITM)},
		{"dwt", arm.DWTBase, arm.DWTSize, m.CPU.DWT()},
	} {
		if err := m.Bus.MapDevice(d.name, d.base, d.size, d.dev); err != nil {
			return nil, fmt.Errorf("BUG: %w", err)
		}
	}
	if err := b.devices(m); err != nil {
		return nil, fmt.Errorf("BUG: %s: %w", b.Name, err)
	}
	// QEMU's dummy devices lie under the real ones: they fill what
	// the real devices leave free.
	for _, s := range b.Unimplemented {
		m.mapAround(s.Name, s.Base, s.Size)
	}
	if b.IgnoreBusErrors {
		m.mapAround("unassigned", 0, 0xe0000000)
	}
	m.Loop = &machine.Loop{CPU: m.CPU, Clock: m.Clock, ICountShift: cfg.ICountShift,
		Timeout: cfg.Timeout, MaxInsns: cfg.MaxInsns, Describe: m.Describe}
	if cfg.Input != nil && m.serial != nil {
		m.Loop.Input = cfg.Input
		m.Loop.Deliver = m.serial.Receive
	}
	if cfg.Semihosting {
		m.createSemihosting()
	}
	if err := m.load(); err != nil {
		return nil, err
	}
	return m, nil
}

// pc is the address of the instruction running, for guest-error logs.
func (m *Machine) pc() uint32 {
	if m.CPU == nil {
		return 0
	}
	return m.CPU.Reg(15)
}

// mapAround maps a dummy device named name over the parts of [base,
// base+size) that no region of the bus covers yet.
func (m *Machine) mapAround(name string, base, size uint64) {
	regions := m.Bus.Regions()
	slices.SortFunc(regions, func(a, b bus.Region) int { return cmp.Compare(a.Base, b.Base) })
	at, end := base, base+size
	// One log (and its once-per-offset memory) for the whole span.
	dev := newUnimplemented(name, m.pc, m.log)
	for _, r := range append(regions, bus.Region{Base: end}) {
		if r.Base+r.Size <= at && r.Size > 0 {
			continue
		}
		if r.Base > at {
			stop := min(r.Base, end)
			piece := *dev
			piece.skew = at - base
			if err := m.Bus.MapDevice(name, at, stop-at, &piece); err != nil {
				panic("BUG: mcu: " + err.Error())
			}
		}
		at = max(at, r.Base+r.Size)
		if at >= end {
			return
		}
	}
}

// load writes the firmware into memory and resets the CPU, which reads
// its vector table (ARMv7-M ARM B1.5.5).
func (m *Machine) load() error {
	if err := image.Load(m.Bus, m.firmware.Segments...); err != nil {
		return fmt.Errorf("%w: kernel %s: %w", ErrConfig, m.cfg.Kernel, err)
	}
	m.CPU.Reset()
	return nil
}

// acceptInput is called when the guest has read from UART 0, which may
// take more host input now.
func (m *Machine) acceptInput() {}

// resetLine returns a line that resets the board on its rising edge (a
// watchdog's reset output).
func (m *Machine) resetLine() irq.Line {
	var level bool
	return irq.Func(func(l bool) {
		if l && !level {
			m.Loop.Reset()
		}
		level = l
	})
}

// createSemihosting routes BKPT 0xAB, the M-profile semihosting trap, to
// the host.
func (m *Machine) createSemihosting() {
	stdout, stderr, stdin := machine.SemihostStreams(m.cfg.Serial, m.cfg.Stderr, m.cfg.Stdin)
	// SYS_HEAPINFO: as QEMU's M profile, the heap from the end of the
	// image's RAM data to the top of the first RAM, the stack at its top.
	var ramBase, ramTop uint64
	for _, r := range m.Board.Mem {
		if !r.ROM && r.Alias == "" && r.Base >= 0x20000000 {
			ramBase, ramTop = r.Base, r.Base+r.Size
			break
		}
	}
	heap := ramBase
	for _, s := range m.firmware.Segments {
		if s.Addr >= ramBase && s.End() <= ramTop {
			heap = max(heap, s.End())
		}
	}
	cmdline := m.cfg.Kernel
	if m.cfg.Append != "" {
		cmdline += " " + m.cfg.Append
	}
	m.semi = &semihost.Host{
		Stdout: stdout, Stderr: stderr, Stdin: stdin,
		Cmdline:  cmp.Or(m.cfg.SemihostingCmdline, cmdline),
		Elapsed:  func() uint64 { return m.Clock.Now() },
		Now:      func() time.Time { return machine.DeterministicEpoch.Add(time.Duration(m.Clock.Now())) },
		HeapBase: uint32(heap), HeapLimit: uint32(ramTop),
		StackBase: uint32(ramTop), StackLimit: uint32(heap),
	}
	m.CPU.BKPTHook = func(c *arm.CPU, imm uint32) bool {
		if imm != 0xab {
			return false
		}
		m.Loop.Semihost(m.semi, c)
		return true
	}
}

// Run runs the firmware until it exits (semihosting), a limit is hit, or
// the user quits. A system reset (SYSRESETREQ, a watchdog) reloads the
// image and starts again, or ends the run with -no-reboot.
func (m *Machine) Run() (int, error) {
	for {
		res, err := m.Loop.Run()
		if err != nil {
			return 1, err
		}
		if !res.Reset {
			return res.ExitCode, nil
		}
		if m.cfg.NoReboot {
			return 0, nil
		}
		if err := m.reset(); err != nil {
			return 1, err
		}
	}
}

// reset puts the board back in its power-on state: the devices, the
// image reloaded (as QEMU's ROM reset does), the CPU from the vector
// table.
func (m *Machine) reset() error {
	m.log.Debug("system reset")
	// Once per device, however many windows it has (devices are
	// pointers; a value type could not be a map key, so it is not
	// deduplicated).
	done := map[bus.Device]bool{}
	for _, r := range m.Bus.Regions() {
		d, ok := r.Dev.(interface{ Reset() })
		if !ok {
			continue
		}
		if reflect.TypeOf(r.Dev).Comparable() {
			if done[r.Dev] {
				continue
			}
			done[r.Dev] = true
		}
		d.Reset()
	}
	return m.load()
}

// Retired returns the instructions the CPU has retired.
func (m *Machine) Retired() uint64 { return m.CPU.Retired() }

// NIC returns the board's Ethernet controller, nil if it has none.
func (m *Machine) NIC() *lan9118.Device { return m.nic }

// Describe writes the machine's state for someone debugging a hang.
func (m *Machine) Describe(w io.Writer) {
	fmt.Fprintf(w, "%s: pc %#08x xpsr %#08x msp %#08x psp %#08x control %#x ipsr %d\n",
		m.Board.Name, m.CPU.Reg(15), m.CPU.XPSR(), m.CPU.MSP(), m.CPU.PSP(), m.CPU.CONTROL(), m.CPU.IPSR())
}

// Close releases the machine's resources.
func (m *Machine) Close() error { return nil }
