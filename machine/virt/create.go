package virt

import (
	"cmp"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	mrand "math/rand/v2"
	"time"

	"mimic/bios/boot"
	"mimic/bios/fdt"
	"mimic/bios/psci"
	"mimic/cpu/arm"
	"mimic/devices/armtimer"
	"mimic/devices/bus"
	"mimic/devices/display"
	"mimic/devices/fwcfg"
	"mimic/devices/gicv2"
	"mimic/devices/pflash"
	"mimic/devices/pl011"
	"mimic/devices/pl031"
	"mimic/devices/pl061"
	"mimic/devices/ramfb"
	"mimic/devices/virtio"
	"mimic/devices/virtio/blk"
	"mimic/devices/virtio/gpu"
	vinput "mimic/devices/virtio/input"
	"mimic/devices/virtio/mmio"
	vnet "mimic/devices/virtio/net"
	"mimic/devices/virtio/rng"
	"mimic/devices/virtio/sound"
)

// Phandles, numbered as QEMU 7.2 numbers them (qemu_fdt_alloc_phandle
// starts at 0x8000), so a DT diff against QEMU's stays quiet. QEMU's
// 0x8003 (GICv2m) is unused: Mimic lacks it.
const (
	phandleClock = 0x8000
	phandleCPU0  = 0x8001
	phandleGIC   = 0x8002
	phandleGPIO  = 0x8004
)

// The power button: PL061 line 3, reported as KEY_POWER, held for 100 ms
// of virtual time per press (QEMU's gpio-key device).
const (
	gpioPowerLine   = 3
	keyPower        = 116 // KEY_POWER, Linux input-event-codes.h
	powerButtonHold = 100 * time.Millisecond
)

// Device-tree interrupt specifier cells for the GIC (the binding's
// #interrupt-cells = 3: type, number, flags).
const (
	dtSPI       = 0
	dtPPI       = 1
	dtEdgeRise  = 1
	dtLevelHigh = 4
	// dtPPICPUMask is the PPI flags' CPU mask for one CPU (bits 15:8).
	dtPPICPUMask = (1<<1 - 1) << 8
)

// apbClockHz is the fixed 24 MHz APB clock QEMU's virt describes.
const apbClockHz = 24000000

func nodeName(name string, addr uint64) string { return fmt.Sprintf("%s@%x", name, addr) }

// reg64 is a reg entry with the root's two address and two size cells.
func reg64(pairs ...uint64) []uint32 {
	var c []uint32
	for _, v := range pairs {
		c = append(c, uint32(v>>32), uint32(v))
	}
	return c
}

// createFDT starts the tree: the root's properties and /chosen with its
// random seeds (QEMU's create_fdt and create_randomness). The seeds come
// from the host in realtime mode and from a fixed generator in
// deterministic mode, so an --icount run is reproducible.
func (m *Machine) createFDT() {
	root := fdt.NewNode("")
	m.dt = root
	root.SetString("compatible", "linux,dummy-virt")
	root.SetU32("#address-cells", 2)
	root.SetU32("#size-cells", 2)
	root.SetString("model", "linux,dummy-virt")

	chosen := root.AddChild("chosen")
	seed := func(n int) []uint32 {
		b := make([]byte, 4*n)
		if m.cfg.ICountShift >= 0 {
			r := mrand.NewChaCha8([32]byte{'m', 'i', 'm', 'i', 'c'})
			r.Read(b)
		} else {
			rand.Read(b)
		}
		c := make([]uint32, n)
		for i := range c {
			c[i] = binary.BigEndian.Uint32(b[4*i:])
		}
		return c
	}
	chosen.SetCells("kaslr-seed", seed(2)...)
	chosen.SetCells("rng-seed", seed(8)...)
}

// createClock describes the fixed APB clock the PrimeCells name.
func (m *Machine) createClock() error {
	n := m.dt.AddChild("apb-pclk")
	n.SetString("compatible", "fixed-clock")
	n.SetU32("#clock-cells", 0)
	n.SetU32("clock-frequency", apbClockHz)
	n.SetString("clock-output-names", "clk24mhz")
	n.SetPhandle(phandleClock)
	return nil
}

// createTimer makes the CPU's generic timer, wires its outputs to the
// GIC's timer PPIs (in createGIC, which exists later) and describes it.
// The DT lists the four timer PPIs in the binding's order: secure
// physical, non-secure physical, virtual, hypervisor.
func (m *Machine) createTimer() error {
	n := m.dt.AddChild("timer")
	n.SetString("compatible", "arm,armv7-timer")
	n.SetEmpty("always-on")
	flags := uint32(dtPPICPUMask | dtLevelHigh)
	n.SetCells("interrupts",
		dtPPI, PPITimerSecPhys-16, flags,
		dtPPI, PPITimerPhys-16, flags,
		dtPPI, PPITimerVirt-16, flags,
		dtPPI, PPITimerHyp-16, flags)
	return nil
}

// createCPUs describes the one Cortex-A15 and its topology.
func (m *Machine) createCPUs() error {
	cpus := m.dt.AddChild("cpus")
	cpus.SetU32("#address-cells", 1)
	cpus.SetU32("#size-cells", 0)
	cpu := cpus.AddChild("cpu@0")
	cpu.SetString("device_type", "cpu")
	cpu.SetString("compatible", "arm,cortex-a15")
	cpu.SetU32("reg", 0)
	cpu.SetPhandle(phandleCPU0)
	core := cpus.AddChild("cpu-map").AddChild("socket0").AddChild("cluster0").AddChild("core0")
	core.SetU32("cpu", phandleCPU0)
	return nil
}

// createFlash maps the two 64 MiB CFI flash banks (QEMU's cfi.pflash01,
// devices/pflash) and describes them. Each bank's contents come from
// Config.PFlash[unit] when given (-drive if=pflash; writes go back to the
// image) and are blank otherwise, writable in memory only, as on QEMU. A
// --bios image goes into the first bank at every reset (loadFirmware).
// In read-array mode the CPU reads a bank straight from its contents, as
// QEMU's ROM-device mode; a flash command switches reads to the device.
func (m *Machine) createFlash() error {
	if m.cfg.Bios != "" && m.cfg.PFlash[0] != nil {
		return configErr("the first flash bank holds either --bios or -drive if=pflash,unit=0, not both (as QEMU)")
	}
	for unit := range m.Flash {
		base := uint64(FlashBase + unit*FlashBankSize)
		array, err := bus.NewRAM(m.Bus, FlashBankSize)
		if err != nil {
			return configErr("cannot allocate flash bank %d: %v", unit, err)
		}
		var backing pflash.Backing
		readOnly := false
		if img := m.cfg.PFlash[unit]; img != nil {
			if img.Size() < FlashBankSize {
				return configErr("-drive if=pflash,unit=%d: the image has %d bytes; the virt board's flash bank needs %d", unit, img.Size(), FlashBankSize)
			}
			if err := readFlashImage(img, array); err != nil {
				return configErr("-drive if=pflash,unit=%d: %v", unit, err)
			}
			backing, readOnly = img, img.ReadOnly()
		}
		f, err := pflash.New(pflash.Config{Name: fmt.Sprintf("pflash%d", unit), Array: array, Backing: backing, ReadOnly: readOnly})
		if err != nil {
			return err
		}
		f.OnArrayMode = func(readArray bool) { m.Bus.SetROMDevice(base, readArray) }
		f.OnArrayWrite = func(off uint64, n int) { m.Bus.Changed(base+off, n) }
		m.Flash[unit] = f
		if err := m.Bus.MapROMDevice(fmt.Sprintf("flash%d", unit), base, array, f); err != nil {
			return err
		}
	}
	n := m.dt.AddChild(nodeName("flash", FlashBase))
	n.SetString("compatible", "cfi-flash")
	n.SetCells("reg", reg64(FlashBase, FlashBankSize, FlashBase+FlashBankSize, FlashBankSize)...)
	n.SetU32("bank-width", 4)
	return nil
}

// readFlashImage copies the first len(array) bytes of img into array,
// leaving all-zero pages untouched so that they cost no memory.
func readFlashImage(img FlashImage, array []byte) error {
	buf := make([]byte, 1<<20)
	for off := 0; off < len(array); off += len(buf) {
		if _, err := img.ReadAt(buf, int64(off)); err != nil {
			return err
		}
		for p := 0; p < len(buf); p += bus.PageSize {
			page := buf[p : p+bus.PageSize]
			if !allZero(page) {
				copy(array[off+p:], page)
			}
		}
	}
	return nil
}

func allZero(b []byte) bool {
	for _, v := range b {
		if v != 0 {
			return false
		}
	}
	return true
}

// createGIC makes the GICv2, connects it to the CPU and the timer to it,
// maps its distributor and CPU interface and describes it
// ("arm,cortex-a15-gic" is the GICv2 binding's name).
func (m *Machine) createGIC() error {
	m.GIC = gicv2.New(1, NumIRQs)
	m.GIC.ConnectCPU(0, m.CPU.IRQ(), m.CPU.FIQ())
	if err := m.Bus.MapDevice("gic-dist", GICDBase, gicv2.DistributorSize, m.GIC.Distributor()); err != nil {
		return err
	}
	if err := m.Bus.MapDevice("gic-cpu", GICCBase, gicv2.CPUInterfaceSize, m.GIC.CurrentCPUInterface()); err != nil {
		return err
	}
	m.Timer = armtimer.New(m.Clock, armtimer.CortexA15Freq, m.GIC.PPI(0, PPITimerPhys), m.GIC.PPI(0, PPITimerVirt))
	m.attachTimer()

	m.dt.SetU32("interrupt-parent", phandleGIC)
	n := m.dt.AddChild(nodeName("intc", GICDBase))
	n.SetU32("#interrupt-cells", 3)
	n.SetEmpty("interrupt-controller")
	n.SetU32("#address-cells", 2)
	n.SetU32("#size-cells", 2)
	n.SetEmpty("ranges")
	n.SetString("compatible", "arm,cortex-a15-gic")
	n.SetCells("reg", reg64(GICDBase, GICDSize, GICCBase, GICCSize)...)
	n.SetPhandle(phandleGIC)
	return nil
}

// attachTimer installs the CPU's system control coprocessor (CP15, with
// the MMU) and gives it the generic timer (CNTFRQ, CNTPCT, CNTP_*,
// CNTV_*). CBAR names the GIC's base, as on QEMU's virt.
func (m *Machine) attachTimer() {
	m.CPU.EnableCP15(arm.CP15Config{
		Timer:      arm.ArmTimer(m.Timer),
		CPUIndex:   0,
		NumCPUs:    1,
		PeriphBase: GICDBase,
	})
}

// createPMU writes the empty /pmu node QEMU writes for an ARMv7 CPU with
// a PMU (only ARMv8 CPUs get properties there); nothing binds to it.
func (m *Machine) createPMU() error {
	m.dt.AddChild("pmu")
	return nil
}

// createUART maps the PL011, wires it to SPI 1 and describes it; it is the
// console (/chosen stdout-path).
func (m *Machine) createUART() error {
	m.UART = pl011.New(m.cfg.Serial, m.GIC.SPI(IRQUART))
	if err := m.Bus.MapDevice("pl011", UARTBase, UARTSize, m.UART); err != nil {
		return err
	}
	if m.cfg.Input != nil {
		m.Loop.Input = m.cfg.Input
		m.Loop.Deliver = m.UART.Receive
	}
	name := nodeName("pl011", UARTBase)
	n := m.dt.AddChild(name)
	n.SetStrings("compatible", "arm,pl011", "arm,primecell")
	n.SetCells("reg", reg64(UARTBase, UARTSize)...)
	n.SetCells("interrupts", dtSPI, IRQUART, dtLevelHigh)
	n.SetCells("clocks", phandleClock, phandleClock)
	n.SetStrings("clock-names", "uartclk", "apb_pclk")
	m.dt.Child("chosen").SetString("stdout-path", "/"+name)
	return nil
}

// createRTC maps the PL031, wires it to SPI 2 and describes it. It starts
// at the host's wall-clock time in realtime mode and at
// DeterministicEpoch in deterministic mode (Config.RTCStart overrides).
func (m *Machine) createRTC() error {
	start := m.cfg.RTCStart
	if start.IsZero() {
		start = time.Now()
		if m.cfg.ICountShift >= 0 {
			start = DeterministicEpoch
		}
	}
	m.rtcStart = start
	m.RTC = pl031.New(m.Clock, start, m.GIC.SPI(IRQRTC))
	if err := m.Bus.MapDevice("pl031", RTCBase, RTCSize, m.RTC); err != nil {
		return err
	}
	n := m.dt.AddChild(nodeName("pl031", RTCBase))
	n.SetStrings("compatible", "arm,pl031", "arm,primecell")
	n.SetCells("reg", reg64(RTCBase, RTCSize)...)
	n.SetCells("interrupts", dtSPI, IRQRTC, dtLevelHigh)
	n.SetU32("clocks", phandleClock)
	n.SetString("clock-names", "apb_pclk")
	return nil
}

// createGPIO maps the PL061 GPIO controller, wires it to SPI 7 and
// describes it with the gpio-keys node whose one key, on line 3, is the
// power button (QEMU's create_gpio_devices). Every line is pulled down, as
// on QEMU.
func (m *Machine) createGPIO() error {
	m.GPIO = pl061.New(m.GIC.SPI(IRQGPIO), pl061.Options{})
	if err := m.Bus.MapDevice("pl061", GPIOBase, GPIOSize, m.GPIO); err != nil {
		return err
	}
	n := m.dt.AddChild(nodeName("pl061", GPIOBase))
	n.SetCells("reg", reg64(GPIOBase, GPIOSize)...)
	n.SetStrings("compatible", "arm,pl061", "arm,primecell")
	n.SetU32("#gpio-cells", 2)
	n.SetEmpty("gpio-controller")
	n.SetCells("interrupts", dtSPI, IRQGPIO, dtLevelHigh)
	n.SetU32("clocks", phandleClock)
	n.SetString("clock-names", "apb_pclk")
	n.SetPhandle(phandleGPIO)

	keys := m.dt.AddChild("gpio-keys")
	keys.SetString("compatible", "gpio-keys")
	key := keys.AddChild("poweroff")
	key.SetString("label", "GPIO Key Poweroff")
	key.SetU32("linux,code", keyPower)
	key.SetCells("gpios", phandleGPIO, gpioPowerLine, 0)
	return nil
}

// PowerButton presses the board's power button: GPIO line 3 goes high
// for 100 ms of virtual time, which Linux's gpio-keys reports as
// KEY_POWER (systemd then shuts down), as QEMU's system_powerdown on
// this board. It may be called from any goroutine: the press is posted
// to the machine's clock. A press while the button is held extends the
// hold.
func (m *Machine) PowerButton() { m.Clock.Post(m.pressPowerButton) }

// pressPowerButton is PowerButton on the machine's goroutine.
func (m *Machine) pressPowerButton() {
	m.GPIO.SetInput(gpioPowerLine, true)
	m.Clock.Cancel(m.powerRelease)
	m.powerRelease = m.Clock.After(uint64(powerButtonHold), func() {
		m.GPIO.SetInput(gpioPowerLine, false)
	})
}

// resetGPIO is a machine reset of the PL061; a held power button is
// released (QEMU's gpio-key resets its timer and line).
func (m *Machine) resetGPIO() {
	m.Clock.Cancel(m.powerRelease)
	m.powerRelease = nil
	m.GPIO.SetInput(gpioPowerLine, false)
	m.GPIO.Reset()
}

// createVirtioMMIO maps the 32 virtio-mmio transports on SPIs 16..47 and
// describes them. QEMU creates them from the top down so that they appear
// in ascending order in its blob; so does this. The devices of
// Config.Virtio are plugged as QEMU plugs -device options: the first into
// the highest slot (0x0a003e00), the next below it, so a guest numbers its
// disks and interfaces as under QEMU (which probes the lowest address
// first: on both, the last disk given is /dev/vda). Empty slots read as
// QEMU's empty transport.
func (m *Machine) createVirtioMMIO() error {
	if len(m.cfg.Virtio) > NumMMIO {
		return configErr("%d virtio devices; the virt board has %d virtio-mmio slots", len(m.cfg.Virtio), NumMMIO)
	}
	m.Virtio = make([]*mmio.Transport, NumMMIO)
	for i := NumMMIO - 1; i >= 0; i-- {
		base := uint64(MMIOBase + i*MMIOSize)
		var dev virtio.Device
		legacy := m.cfg.VirtioLegacy
		if k := NumMMIO - 1 - i; k < len(m.cfg.Virtio) {
			var err error
			if dev, err = m.newVirtioDevice(m.cfg.Virtio[k]); err != nil {
				return err
			}
			legacy = legacy && !modernOnly(m.cfg.Virtio[k].Kind)
		}
		name := fmt.Sprintf("virtio-mmio@%08x", base)
		t := mmio.New(name, m.Bus, dev, m.GIC.SPI(IRQMMIO+i), legacy)
		m.Virtio[i] = t
		if err := m.Bus.MapDevice(name, base, MMIOSize, t); err != nil {
			return err
		}
		n := m.dt.AddChild(nodeName("virtio_mmio", base))
		n.SetString("compatible", "virtio,mmio")
		n.SetCells("reg", reg64(base, MMIOSize)...)
		n.SetCells("interrupts", dtSPI, uint32(IRQMMIO+i), dtEdgeRise)
		n.SetEmpty("dma-coherent")
	}
	return nil
}

// newVirtioDevice makes the device a VirtioSpec describes.
func (m *Machine) newVirtioDevice(s VirtioSpec) (virtio.Device, error) {
	switch s.Kind {
	case VirtioBlock:
		if s.Disk == nil {
			return nil, configErr("virtio-blk-device without a drive")
		}
		return blk.New(s.Disk, s.Serial), nil
	case VirtioNet:
		if s.Net == nil {
			return nil, configErr("virtio-net-device without a netdev")
		}
		// Frames from the host arrive on the back end's goroutines
		// and enter the machine through the clock.
		m.Clock.AddSource()
		return vnet.New(s.MAC, s.Net, m.Clock.Post), nil
	case VirtioRNG:
		src := s.Entropy
		if src == nil && m.cfg.ICountShift >= 0 {
			// Deterministic runs get the same "random" bytes every
			// time.
			src = mrand.NewChaCha8([32]byte{'m', 'i', 'm', 'i', 'c'})
		}
		return rng.New(src), nil
	case VirtioGPU:
		n := max(s.Outputs, 1)
		if n > gpu.MaxOutputs {
			return nil, configErr("virtio-gpu-device: max_outputs=%d is more than %d", n, gpu.MaxOutputs)
		}
		cons := make([]*display.Console, n)
		for i := range cons {
			cons[i] = display.NewConsole(m.Clock.Post)
		}
		if len(m.consoles) == 0 {
			// Pointer motion converts between relative and absolute
			// over the first screen's size (the device's default
			// 1280x800 unless xres and yres say otherwise).
			m.input.SetScreen(cmp.Or(s.GPU.XRes, 1280), cmp.Or(s.GPU.YRes, 800))
		}
		m.consoles = append(m.consoles, cons...)
		return gpu.New(m.Bus, cons, s.GPU), nil
	case VirtioKeyboard:
		d := vinput.New(vinput.Keyboard, vinput.Options{LED: m.input.SetLED})
		m.input.AddKeyboard(d)
		return d, nil
	case VirtioMouse:
		d := vinput.New(vinput.Mouse, vinput.Options{LED: m.input.SetLED})
		m.input.AddMouse(d)
		return d, nil
	case VirtioTablet:
		d := vinput.New(vinput.Tablet, vinput.Options{LED: m.input.SetLED})
		m.input.AddTablet(d)
		return d, nil
	case VirtioSound:
		return sound.New(m.Clock, sound.Options{Sink: s.Sound}), nil
	}
	return nil, configErr("unknown virtio device kind %q", s.Kind)
}

// modernOnly reports whether a virtio device kind exists only in virtio
// 1.0 and later: its drivers refuse a device without VIRTIO_F_VERSION_1
// (Linux's virtio-gpu, virtio_input and virtio_snd), so it keeps the
// version 2 transport under VirtioLegacy. (Mimic) QEMU would present it
// on a legacy transport that no driver accepts.
func modernOnly(kind string) bool {
	switch kind {
	case VirtioGPU, VirtioKeyboard, VirtioMouse, VirtioTablet, VirtioSound:
		return true
	}
	return false
}

// createFwCfg maps the minimal fw_cfg device and describes it.
func (m *Machine) createFwCfg() error {
	m.FwCfg = fwcfg.New(m.cfg.RAMSize, 1)
	if err := m.Bus.MapDevice("fw_cfg", FwCfgBase, fwcfg.WindowSize, m.FwCfg); err != nil {
		return err
	}
	n := m.dt.AddChild(nodeName("fw-cfg", FwCfgBase))
	n.SetString("compatible", "qemu,fw-cfg-mmio")
	n.SetCells("reg", reg64(FwCfgBase, fwcfg.WindowSize)...)
	n.SetEmpty("dma-coherent")
	return nil
}

// createRAMFB adds QEMU's ramfb when Config.RAMFB asks: the fw_cfg file
// "etc/ramfb" and a console. It has no MMIO window, interrupt or
// device-tree node (firmware finds it through fw_cfg), and needs fw_cfg's
// DMA interface, which QEMU's virt always offers and Mimic turns on with
// ramfb only.
func (m *Machine) createRAMFB() error {
	if !m.cfg.RAMFB {
		return nil
	}
	m.FwCfg.EnableDMA(m.Bus)
	con := display.NewConsole(m.Clock.Post)
	m.RAMFB = ramfb.New(m.FwCfg, m.Bus, con)
	m.consoles = append(m.consoles, con)
	return nil
}

// createPlatformBus describes QEMU's platform bus, the window where QEMU
// plugs dynamic sysbus devices. It is empty here as it is on QEMU unless
// such devices are added; the node keeps the trees alike.
func (m *Machine) createPlatformBus() error {
	n := m.dt.AddChild(nodeName("platform-bus", PlatformBase))
	n.SetStrings("compatible", "qemu,platform", "simple-bus")
	n.SetU32("#size-cells", 1)
	n.SetU32("#address-cells", 1)
	n.SetCells("ranges", 0, 0, PlatformBase, PlatformSize)
	n.SetU32("interrupt-parent", phandleGIC)
	return nil
}

// createPSCI makes the emulated firmware's PSCI the target of HVC, the
// conduit QEMU's virt uses for a CPU without EL2/EL3. Its /psci node is
// written with the boot information (finishDeviceTree), as QEMU's
// arm_load_dtb writes it, so a user's --dtb gets it too.
func (m *Machine) createPSCI() {
	m.PSCI = psci.New(platform{m})
	m.CPU.HVCHook = func(c *arm.CPU, imm uint32) bool {
		c.SetReg(0, m.PSCI.Call(c.Reg(0), c.Reg(1), c.Reg(2), c.Reg(3)))
		return true
	}
}

// platform is the board as PSCI sees it.
type platform struct{ m *Machine }

func (p platform) PowerOff() { p.m.Loop.Exit(0) }
func (p platform) Reset()    { p.m.Loop.Reset() }
func (p platform) CPUOff() {
	p.m.stopErr = fmt.Errorf("the guest turned off its only CPU (PSCI CPU_OFF)")
	p.m.Loop.Exit(1)
}

// finishDeviceTree completes and encodes the guest's device tree: the
// board's own, or the user's --dtb, with /memory, /chosen and /psci filled
// in as QEMU's arm_load_dtb does. The board's tree is first put in libfdt
// order: QEMU builds its tree with libfdt, which inserts every new node
// before its older siblings and every new property before the older ones,
// so its blob lists both in reverse creation order. Mimic creates them in
// QEMU's order and reverses once; the boot patches then insert first as
// libfdt does, so the two blobs line up node for node.
func (m *Machine) finishDeviceTree() error {
	tree := &fdt.Tree{Root: m.dt}
	user := m.cfg.DTB != ""
	if user {
		blob, err := readFile("device tree", m.cfg.DTB)
		if err != nil {
			return err
		}
		t, err := boot.ParseDTB(m.cfg.DTB, blob)
		if err != nil {
			return wrapConfig(err)
		}
		tree = t
	} else {
		libfdtOrder(tree.Root)
	}
	if !m.boot.HaveDTB {
		return nil
	}
	if err := m.boot.PatchDT(tree.Root, m.cfg.Append); err != nil {
		return wrapConfig(err)
	}
	psci.AddNode(tree.Root, "hvc")
	blob, err := tree.Marshal()
	if err != nil {
		return configErr("device tree: %v", err)
	}
	placed, err := m.boot.PlaceDTB(blob)
	if err != nil {
		return wrapConfig(err)
	}
	if placed {
		m.dtb = blob
	}
	return nil
}

// libfdtOrder reverses the order of every node's properties and children,
// recursively.
func libfdtOrder(n *fdt.Node) {
	for i, j := 0, len(n.Props)-1; i < j; i, j = i+1, j-1 {
		n.Props[i], n.Props[j] = n.Props[j], n.Props[i]
	}
	for i, j := 0, len(n.Children)-1; i < j; i, j = i+1, j-1 {
		n.Children[i], n.Children[j] = n.Children[j], n.Children[i]
	}
	for _, c := range n.Children {
		libfdtOrder(c)
	}
}
