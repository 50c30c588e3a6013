package mcu

import (
	"cmp"
	"io"

	"mimic/cpu/arm"
	"mimic/devices/cmsdk"
	"mimic/devices/irq"
	"mimic/devices/lan9118"
	"mimic/devices/mps2"
	"mimic/devices/pl011"
	"mimic/devices/pl061"
	"mimic/devices/stellaris"
)

// Board is one microcontroller board: its CPU, memories and devices, as
// QEMU 7.2 builds it (hw/arm/mps2.c, hw/arm/stellaris.c), so that images
// built for QEMU run unchanged.
type Board struct {
	Name, Desc string
	Model      arm.MModel
	NumIRQ     int
	// PrioBits is the number of implemented priority bits. The ARM ARM
	// allows 3 to 8 (B1.5.4); the real LM3S6965 and the MPS2 FPGA images
	// have 3, QEMU 7.2 implements 8 on these boards, and so does Mimic,
	// so that a value firmware built for QEMU reads back is QEMU's.
	PrioBits int
	// CPUHz is the processor clock (SysTick's CLKSOURCE=1), RefHz the
	// SysTick reference clock (0: none), Calib SYST_CALIB.
	CPUHz, RefHz uint64
	Calib        uint32
	// Mem is the memory map: RAM, flash (ROM) and their aliases.
	Mem []Mem
	// LoadBase is where a raw binary goes (QEMU's armv7m_load_kernel: 0).
	LoadBase uint64
	// Unimplemented are the regions QEMU fills with dummy devices.
	Unimplemented []Span
	// IgnoreBusErrors makes an access to no device at all read as zero
	// and ignore the write instead of a BusFault, as QEMU's
	// ignore_memory_transaction_failures does for the Stellaris boards.
	IgnoreBusErrors bool
	// NIC names the board's network controller ("lan9118"), "" for none
	// that Mimic models.
	NIC string
	// devices maps and wires the board's peripherals.
	devices func(m *Machine) error
}

// Mem is a memory of the board. Alias, when set, names an earlier Mem
// whose contents this one shows (a mirror).
type Mem struct {
	Name       string
	Base, Size uint64
	ROM        bool // flash: the CPU cannot write it
	Alias      string
	// Code marks where firmware may be loaded and the vector table lie
	// (all memories are, unless the board says otherwise).
}

// Span is a named range of the address space.
type Span struct {
	Name       string
	Base, Size uint64
}

// Boards are the boards Mimic models, by their QEMU names.
var Boards = map[string]*Board{
	"mps2-an385":  mps2Board("mps2-an385", "ARM MPS2 with AN385 FPGA image for Cortex-M3", arm.CortexM3, 0x41043850),
	"mps2-an386":  mps2Board("mps2-an386", "ARM MPS2 with AN386 FPGA image for Cortex-M4", arm.CortexM4, 0x41043860),
	"lm3s6965evb": lm3s6965evb,
}

// MPS2 clocks (QEMU's mps2.c): SYSCLK 25 MHz feeds the CPU and the APB
// peripherals; SysTick's reference clock is 1 MHz.
const (
	mps2SysClk = 25_000_000
	mps2RefClk = 1_000_000
	// mps2Calib is SYST_CALIB as QEMU reports it: TENMS = 10 ms of the
	// 1 MHz reference clock, minus one.
	mps2Calib = 0x270f
)

func mps2Board(name, desc string, model arm.MModel, sccID uint32) *Board {
	return &Board{
		Name: name, Desc: desc, Model: model, NumIRQ: 32, PrioBits: 8,
		CPUHz: mps2SysClk, RefHz: mps2RefClk, Calib: mps2Calib,
		Mem: []Mem{
			{Name: "ssram1", Base: 0x00000000, Size: 4 << 20},
			{Name: "ssram1-mirror", Base: 0x00400000, Size: 4 << 20, Alias: "ssram1"},
			{Name: "blockram", Base: 0x01000000, Size: 16 << 10},
			{Name: "blockram-mirror1", Base: 0x01004000, Size: 16 << 10, Alias: "blockram"},
			{Name: "blockram-mirror2", Base: 0x01008000, Size: 16 << 10, Alias: "blockram"},
			{Name: "blockram-mirror3", Base: 0x0100c000, Size: 16 << 10, Alias: "blockram"},
			{Name: "ssram23", Base: 0x20000000, Size: 4 << 20},
			{Name: "ssram23-mirror", Base: 0x20400000, Size: 4 << 20, Alias: "ssram23"},
			{Name: "psram", Base: 0x21000000, Size: 16 << 20},
		},
		Unimplemented: []Span{
			{"RESERVED 1", 0x00800000, 0x00800000},
			{"RESERVED 2", 0x01010000, 0x1eff0000},
			{"RESERVED 3", 0x20800000, 0x00800000},
			{"CMSDK APB peripheral region @0x40000000", 0x40000000, 0x00010000},
			{"CMSDK peripheral region @0x40010000", 0x40010000, 0x00010000},
			{"Extra peripheral region @0x40020000", 0x40020000, 0x00010000},
			{"RESERVED 4", 0x40030000, 0x001d0000},
			{"VGA", 0x41000000, 0x00200000},
		},
		NIC:     "lan9118",
		devices: func(m *Machine) error { return m.mps2Devices(sccID) },
	}
}

// mps2Devices wires the AN385/AN386 peripherals (QEMU's mps2.c).
func (m *Machine) mps2Devices(sccID uint32) error {
	// The five CMSDK UARTs: RX on uartIRQ[i], TX on the next line; the
	// overflow lines of UARTs 0-2 are ORed onto IRQ 12, those of 3 and 4
	// go nowhere.
	overflow := newOrGate(m.CPU.IRQLine(12))
	uartBase := []uint64{0x40004000, 0x40005000, 0x40006000, 0x40007000, 0x40009000}
	uartIRQ := []int{0, 2, 4, 18, 20}
	for i, base := range uartBase {
		irqs := cmsdk.UARTIRQs{TX: m.CPU.IRQLine(uartIRQ[i] + 1), RX: m.CPU.IRQLine(uartIRQ[i])}
		if i < 3 {
			irqs.TXOverrun, irqs.RXOverrun = overflow.input(), overflow.input()
		}
		var out io.Writer
		if i == 0 {
			out = m.cfg.Serial
		}
		u := cmsdk.NewUART(out, mps2SysClk, irqs)
		if err := m.Bus.MapDevice(uartName(i), base, cmsdk.WindowSize, u); err != nil {
			return err
		}
		if i == 0 {
			m.serial = u
			u.SetAcceptInput(m.acceptInput)
		}
	}
	for i, base := range []uint64{0x40000000, 0x40001000} {
		t := cmsdk.NewTimer(m.Clock, mps2SysClk, m.CPU.IRQLine(8+i))
		if err := m.Bus.MapDevice([]string{"cmsdk-timer0", "cmsdk-timer1"}[i], base, cmsdk.WindowSize, t); err != nil {
			return err
		}
	}
	dt := cmsdk.NewDualTimer(m.Clock, mps2SysClk, cmsdk.DualTimerIRQs{Combined: m.CPU.IRQLine(10)})
	if err := m.Bus.MapDevice("cmsdk-dualtimer", 0x40002000, cmsdk.WindowSize, dt); err != nil {
		return err
	}
	// The watchdog's interrupt is the NMI; its reset output resets the
	// board.
	wd := cmsdk.NewWatchdog(m.Clock, mps2SysClk, 1, irq.Func(func(l bool) {
		if l {
			m.CPU.SetPendingNMI()
		}
	}), m.resetLine(), cmsdk.WatchdogOptions{})
	if err := m.Bus.MapDevice("cmsdk-watchdog", 0x40008000, cmsdk.WindowSize, wd); err != nil {
		return err
	}
	fpga := mps2.NewFPGAIO(m.Clock, mps2.FPGAIOConfig{PrescaleClk: mps2SysClk, NumLEDs: 2})
	if err := m.Bus.MapDevice("mps2-fpgaio", 0x40028000, mps2.WindowSize, fpga); err != nil {
		return err
	}
	scc := mps2.NewSCC(mps2.SCCConfig{ID: sccID, AID: 0x00200008, CFG4: 0x2}, nil)
	if err := m.Bus.MapDevice("mps2-scc", 0x4002f000, mps2.WindowSize, scc); err != nil {
		return err
	}
	return m.createLAN9118()
}

// QEMUMAC is the MAC address QEMU gives the first network card, and
// Mimic the board's when Config.MAC is zero.
var QEMUMAC = [6]byte{0x52, 0x54, 0x00, 0x12, 0x34, 0x56}

// createLAN9118 maps the MPS2's Ethernet controller at 0x40200000 on IRQ
// 13. As in QEMU, the controller is there with or without a network
// behind it (Config.NIC); its 256-byte window is all QEMU maps of the
// 64 KiB the FPGA reserves, the rest faults.
func (m *Machine) createLAN9118() error {
	cfg := lan9118.Config{MAC: cmp.Or(m.cfg.MAC, QEMUMAC)}
	if m.cfg.NIC != nil {
		// Frames from the host arrive on the back end's goroutines
		// and enter the machine through the clock.
		m.Clock.AddSource()
		cfg.Backend, cfg.Post = m.cfg.NIC, m.Clock.Post
	}
	m.nic = lan9118.New(m.Clock, m.CPU.IRQLine(13), cfg)
	return m.Bus.MapDevice("lan9118", 0x40200000, lan9118.WindowSize, m.nic)
}

func uartName(i int) string { return "cmsdk-uart" + string(rune('0'+i)) }

// lm3s6965evb is the Stellaris LM3S6965 evaluation board (QEMU's
// stellaris.c): 256 KiB of flash at 0, 64 KiB of SRAM, 64 interrupts.
var lm3s6965evb = &Board{
	Name: "lm3s6965evb", Desc: "Stellaris LM3S6965EVB (Cortex-M3)", Model: arm.CortexM3, NumIRQ: 64, PrioBits: 8,
	// The CPU clock at reset (QEMU: 200 MHz / (SYSDIV+1) = 12.5 MHz).
	// SysTick has no reference clock on QEMU's Stellaris boards.
	CPUHz: 12_500_000,
	Mem: []Mem{
		{Name: "flash", Base: 0, Size: 256 << 10, ROM: true},
		{Name: "sram", Base: 0x20000000, Size: 64 << 10},
	},
	Unimplemented: []Span{
		{"i2c-0", 0x40002000, 0x1000},
		{"ssi", 0x40008000, 0x1000},
		{"i2c", 0x40020000, 0x1000},
		{"i2c-2", 0x40021000, 0x1000},
		{"PWM", 0x40028000, 0x1000},
		{"QEI-0", 0x4002c000, 0x1000},
		{"QEI-1", 0x4002d000, 0x1000},
		{"adc", 0x40038000, 0x1000},
		{"analogue-comparator", 0x4003c000, 0x1000},
		{"ethernet", 0x40048000, 0x1000},
		{"hibernation", 0x400fc000, 0x1000},
		{"flash-control", 0x400fd000, 0x1000},
	},
	IgnoreBusErrors: true,
	devices:         (*Machine).stellarisDevices,
}

// stellarisDevices wires the LM3S6965's peripherals.
func (m *Machine) stellarisDevices() error {
	sys, err := stellaris.NewSysCtl(stellaris.LM3S6965, m.CPU.IRQLine(28))
	if err != nil {
		return err
	}
	if err := m.Bus.MapDevice("stellaris-sysctl", 0x400fe000, stellaris.WindowSize, sys); err != nil {
		return err
	}
	// Three PL011 UARTs with Luminary's IDs, on IRQs 5, 6 and 33.
	for i, irqn := range []int{5, 6, 33} {
		var out io.Writer
		if i == 0 {
			out = m.cfg.Serial
		}
		u := pl011.NewLuminary(out, m.CPU.IRQLine(irqn))
		if err := m.Bus.MapDevice("stellaris-uart"+string(rune('0'+i)), 0x4000c000+uint64(i)*0x1000, pl011.WindowSize, u); err != nil {
			return err
		}
		if i == 0 {
			m.serial = u
			u.SetAcceptInput(m.acceptInput)
		}
	}
	for i, irqn := range []int{19, 21, 23, 35} {
		g := stellaris.NewGPTM(m.Clock, sys.Clock, m.CPU.IRQLine(irqn), nil)
		if err := m.Bus.MapDevice("stellaris-gptm"+string(rune('0'+i)), 0x40030000+uint64(i)*0x1000, stellaris.WindowSize, g); err != nil {
			return err
		}
	}
	// GPIO ports A-G: PL061s with Luminary's registers (QEMU's
	// pl061_luminary); no pin is wired to anything.
	gpioBase := []uint64{0x40004000, 0x40005000, 0x40006000, 0x40007000, 0x40024000, 0x40025000, 0x40026000}
	for i, irqn := range []int{0, 1, 2, 3, 4, 30, 31} {
		g := pl061.New(m.CPU.IRQLine(irqn), pl061.Options{Luminary: true})
		if err := m.Bus.MapDevice("stellaris-gpio-"+string(rune('a'+i)), gpioBase[i], pl061.WindowSize, g); err != nil {
			return err
		}
	}
	r := sys.Clock()
	// SysTick's processor clock follows the system clock (RCC/PLL).
	m.CPU.SetCPUClock(r.Hz, r.Div)
	sys.AddClockListener(func(r stellaris.Rate) { m.CPU.SetCPUClock(r.Hz, r.Div) })
	wd := cmsdk.NewWatchdog(m.Clock, r.Hz, r.Div, m.CPU.IRQLine(18), m.resetLine(), cmsdk.WatchdogOptions{Luminary: true})
	sys.AddClockListener(func(r stellaris.Rate) { wd.SetClock(r.Hz, r.Div) })
	return m.Bus.MapDevice("luminary-watchdog", 0x40000000, cmsdk.WindowSize, wd)
}

// orGate drives out high while any of its inputs is high (QEMU's or-irq).
type orGate struct {
	out    irq.Line
	levels []bool
}

func newOrGate(out irq.Line) *orGate { return &orGate{out: out} }

func (g *orGate) input() irq.Line {
	n := len(g.levels)
	g.levels = append(g.levels, false)
	return irq.Func(func(l bool) {
		g.levels[n] = l
		any := false
		for _, v := range g.levels {
			any = any || v
		}
		g.out.Set(any)
	})
}
