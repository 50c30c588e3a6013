// Package virt is the QEMU-compatible `virt` board for 32-bit ARM: the same
// memory map, interrupt numbers and device-tree shape as QEMU's hw/arm/virt,
// so kernels and firmware built for QEMU run unmodified.
//
// The board is tables (memory map, interrupt map) plus one create function
// per device that maps it, wires its interrupt and describes it.
package virt

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"mimic/bios/image"
	"mimic/bios/semihost"
	"mimic/cpu/arm"
	"mimic/devices/bus"
	"mimic/devices/clock"
	"mimic/devices/irq"
	"mimic/devices/pl011"
	"mimic/machine"
)

// Memory map, as QEMU's virt (hw/arm/virt.c base_memmap).
const (
	FlashBase = 0x00000000
	FlashSize = 0x08000000
	GICDBase  = 0x08000000
	GICCBase  = 0x08010000
	UARTBase  = 0x09000000
	RTCBase   = 0x09010000
	FwCfgBase = 0x09020000
	MMIOBase  = 0x0a000000 // 32 virtio-mmio transports, 0x200 apart
	MMIOSize  = 0x200
	NumMMIO   = 32
	RAMBase   = 0x40000000
)

// Interrupt map: SPI numbers (GIC INTID = 32 + SPI), as QEMU's a15irqmap.
const (
	IRQUART = 1
	IRQRTC  = 2
	IRQMMIO = 16 // first of 32
)

// RAM limits: without highmem the 32-bit virt board has RAM up to 4 GiB
// minus its base (QEMU refuses more for a 32-bit CPU without LPAE highmem).
const (
	MaxRAM     = 0x100000000 - RAMBase
	DefaultRAM = 128 << 20
)

// Config describes one virt machine.
type Config struct {
	RAMSize uint64 // bytes; DefaultRAM when zero
	Kernel  string // path of the kernel or bare-metal program
	Append  string // kernel command line (also semihosting's GET_CMDLINE)

	Semihosting bool
	// ICountShift selects deterministic time (>= 0: 2^shift ns per
	// instruction); negative means realtime.
	ICountShift int

	Serial io.Writer     // PL011 output; nil discards
	Input  <-chan []byte // PL011 input; nil for none
	Stdin  io.Reader     // semihosting console input
	Stderr io.Writer     // semihosting stderr

	NoReboot bool // a guest reset request ends the run instead

	Timeout  time.Duration
	MaxInsns uint64
	Trace    func(pc uint32, thumb bool, insn uint32, size int)
	Log      *slog.Logger
}

// Machine is a virt board.
type Machine struct {
	cfg   Config
	Bus   *bus.Bus
	CPU   *arm.CPU
	Clock *clock.Clock
	UART  *pl011.UART
	Loop  *machine.Loop
	ram   []byte
	semi  *semihost.Host
	entry entry
}

type entry struct {
	pc    uint32
	thumb bool
	regs  [4]uint32
}

// ErrConfig marks errors in the user's configuration or images:
// errors.Is(err, ErrConfig) tells them from failures while running.
var ErrConfig = errors.New("configuration error")

type configError struct{ err error }

func (e configError) Error() string        { return e.err.Error() }
func (e configError) Unwrap() error        { return e.err }
func (e configError) Is(target error) bool { return target == ErrConfig }

func configErr(format string, args ...any) error {
	return configError{fmt.Errorf(format, args...)}
}

// New builds the machine and loads the kernel file cfg.Kernel.
func New(cfg Config) (*Machine, error) {
	if cfg.Kernel == "" {
		return nil, configErr("no kernel given (--kernel FILE)")
	}
	data, err := os.ReadFile(cfg.Kernel)
	if err != nil {
		return nil, configErr("kernel: %v", err)
	}
	return NewFromImage(cfg, cfg.Kernel, data)
}

// NewFromImage is New with the kernel given as bytes (the bundled demo).
func NewFromImage(cfg Config, name string, data []byte) (*Machine, error) {
	m, err := build(cfg)
	if err != nil {
		return nil, err
	}
	if err := m.loadKernel(name, data); err != nil {
		return nil, err
	}
	m.reset()
	return m, nil
}

// build creates the board's memory, CPU and devices.
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
	// Go's large allocations are lazily backed by the OS, so untouched
	// guest RAM costs no resident memory.
	m.ram = make([]byte, cfg.RAMSize)
	if err := m.Bus.MapRAM("ram", RAMBase, m.ram); err != nil {
		return nil, err
	}
	m.CPU = arm.New(m.Bus, arm.Config{MIDR: midrCortexA15}, cfg.Log)
	m.Loop = &machine.Loop{CPU: m.CPU, Clock: m.Clock, ICountShift: cfg.ICountShift,
		Timeout: cfg.Timeout, MaxInsns: cfg.MaxInsns}
	if err := m.createUART(); err != nil {
		return nil, err
	}
	if cfg.Semihosting {
		m.createSemihosting()
	}
	m.CPU.Trace = cfg.Trace
	return m, nil
}

// midrCortexA15 is the MIDR QEMU's cortex-a15 reports (r2p1).
const midrCortexA15 = 0x412fc0f1

func (m *Machine) createUART() error {
	// The interrupt controller comes with the Linux work; until then the
	// UART's interrupt line is unwired.
	m.UART = pl011.New(m.cfg.Serial, irq.None)
	if err := m.Bus.MapDevice("pl011", UARTBase, 0x1000, m.UART); err != nil {
		return err
	}
	if m.cfg.Input != nil {
		m.Loop.Input = m.cfg.Input
		m.Loop.Deliver = m.UART.Receive
	}
	return nil
}

// createSemihosting routes SVC 0x123456 (ARM), SVC 0xAB and BKPT 0xAB
// (Thumb) to the host, as the ARM semihosting spec defines for AArch32.
func (m *Machine) createSemihosting() {
	stdout := m.cfg.Serial
	stderr := m.cfg.Stderr
	if stderr == nil {
		stderr = stdout
	}
	stdin := m.cfg.Stdin
	if stdin == nil {
		stdin = eofReader{}
	}
	top := uint32(RAMBase + m.cfg.RAMSize)
	m.semi = &semihost.Host{
		Stdout: stdout, Stderr: stderr, Stdin: stdin,
		Cmdline: m.cfg.Append,
		Elapsed: func() uint64 { return m.Clock.Now() },
		Now:     time.Now,
		// As QEMU does without a heap description: heap from the end of
		// the loaded image is unknown, so offer the top half of RAM.
		HeapBase: RAMBase + uint32(m.cfg.RAMSize/2), HeapLimit: top,
		StackBase: top, StackLimit: top - uint32(m.cfg.RAMSize/4),
	}
	call := func(c *arm.CPU) {
		ret, exit := m.semi.Call(c.Reg(0), c.Reg(1), c)
		c.SetReg(0, ret)
		if exit != nil {
			m.Loop.Exit(exit.Code)
		}
	}
	m.CPU.SVCHook = func(c *arm.CPU, imm uint32) bool {
		if (!c.T && imm == 0x123456) || (c.T && imm == 0xab) {
			call(c)
			return true
		}
		return false
	}
	m.CPU.BKPTHook = func(c *arm.CPU, imm uint32) bool {
		if imm == 0xab {
			call(c)
			return true
		}
		return false
	}
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }

// loadKernel places the image as QEMU's -kernel does for a bare-metal
// program: an ELF at its physical addresses, entered at its entry point;
// anything else as a raw image at RAM base + 0x8000... (see bootRaw).
func (m *Machine) loadKernel(name string, data []byte) error {
	kind, err := image.Detect(data)
	if err != nil {
		return configErr("kernel %s: %v", name, err)
	}
	switch kind {
	case image.KindELF:
		e, err := image.ParseELF(data)
		if err != nil {
			return configErr("kernel %s: %v", name, err)
		}
		if err := image.Load(m.Bus, e.Segments...); err != nil {
			return configErr("kernel %s: %v", name, err)
		}
		m.entry = entry{pc: uint32(e.Entry), thumb: e.Thumb}
	case image.KindRaw:
		seg := image.Segment{Addr: RAMBase + rawOffset, Data: data, MemSize: uint64(len(data))}
		if err := image.Load(m.Bus, seg); err != nil {
			return configErr("kernel %s: %v", name, err)
		}
		m.entry = entry{pc: RAMBase + rawOffset}
	default:
		return configErr("kernel %s: %s images are not supported yet", name, kind)
	}
	return nil
}

// rawOffset is where a raw image goes, relative to RAM base.
const rawOffset = 0x8000

// reset puts the CPU at the entry point.
func (m *Machine) reset() {
	m.CPU.Reset()
	for i, v := range m.entry.regs {
		m.CPU.SetReg(i, v)
	}
	m.CPU.SetReg(15, m.entry.pc)
	m.CPU.SetThumb(m.entry.thumb)
}

// Run runs the machine until the guest exits. It returns the guest's exit
// code (semihosting); a reset request restarts the guest.
func (m *Machine) Run() (int, error) {
	for {
		res, err := m.Loop.Run()
		if err != nil {
			return 1, err
		}
		if res.Reset && !m.cfg.NoReboot {
			m.reset()
			continue
		}
		return res.ExitCode, nil
	}
}

// Retired returns the instructions retired so far.
func (m *Machine) Retired() uint64 { return m.CPU.Retired() }
