package virt

import (
	"encoding/binary"
	"testing"

	"mimic/devices/audio"
	"mimic/devices/ramfb"
	"mimic/devices/virtio/gpu"
)

// TestPowerButton presses the power button as Linux's gpio-keys would
// see it: PL061 line 3 with a rising-edge interrupt enabled raises SPI 7,
// and the line stays high for 100 ms of virtual time.
func TestPowerButton(t *testing.T) {
	m := newTestMachine(t, Config{ICountShift: 0})
	const (
		gpioData = GPIOBase + 0x3fc // all lines unmasked
		gpioIEV  = GPIOBase + 0x40c
		gpioIE   = GPIOBase + 0x410
		gpioRIS  = GPIOBase + 0x414
	)
	m.Bus.Write(gpioIEV, 1, 1<<gpioPowerLine) // rising edge
	m.Bus.Write(gpioIE, 1, 1<<gpioPowerLine)
	gicEnable(t, m, 32+IRQGPIO)

	m.PowerButton() // as from another goroutine: runs at the next advance
	if got := read32(t, m, gpioData); got != 0 {
		t.Fatalf("GPIODATA = %#x before the clock ran the press, want 0", got)
	}
	m.Clock.AdvanceTo(0)
	if got := read32(t, m, gpioData); got != 1<<gpioPowerLine {
		t.Errorf("GPIODATA = %#x while pressed, want %#x", got, 1<<gpioPowerLine)
	}
	if got := read32(t, m, gpioRIS); got != 1<<gpioPowerLine {
		t.Errorf("GPIORIS = %#x, want %#x", got, 1<<gpioPowerLine)
	}
	if got := read32(t, m, GICCBase+0x0c); got != 32+IRQGPIO {
		t.Errorf("GICC_IAR = %d, want %d (SPI 7)", got, 32+IRQGPIO)
	}
	hold := uint64(powerButtonHold)
	m.Clock.AdvanceTo(hold - 1)
	if got := read32(t, m, gpioData); got != 1<<gpioPowerLine {
		t.Errorf("GPIODATA = %#x just before 100 ms, want the button still held", got)
	}
	m.Clock.AdvanceTo(hold)
	if got := read32(t, m, gpioData); got != 0 {
		t.Errorf("GPIODATA = %#x after 100 ms, want the button released", got)
	}
}

// TestDesktopVirtioDevices plugs the desktop devices in QEMU's order
// (the first into the highest slot) and checks what the guest sees:
// the device IDs, and the version 2 transport for the modern-only ones
// even under force-legacy.
func TestDesktopVirtioDevices(t *testing.T) {
	specs := []VirtioSpec{
		{Kind: VirtioGPU, Outputs: 2, GPU: gpu.Options{XRes: 800, YRes: 600}},
		{Kind: VirtioKeyboard},
		{Kind: VirtioMouse},
		{Kind: VirtioTablet},
		{Kind: VirtioSound, Sound: &audio.Recorder{}},
		{Kind: VirtioRNG},
	}
	m := newTestMachine(t, Config{ICountShift: 0, Virtio: specs, VirtioLegacy: true})
	want := []struct {
		id      uint32
		version uint32
	}{{16, 2}, {18, 2}, {18, 2}, {18, 2}, {25, 2}, {4, 1}}
	for k, w := range want {
		base := uint64(MMIOBase + (NumMMIO-1-k)*MMIOSize)
		if got := read32(t, m, base+8); got != w.id {
			t.Errorf("%s: device ID %d, want %d", specs[k].Kind, got, w.id)
		}
		if got := read32(t, m, base+4); got != w.version {
			t.Errorf("%s: transport version %d, want %d", specs[k].Kind, got, w.version)
		}
	}
	if got := len(m.Consoles()); got != 2 {
		t.Errorf("%d consoles, want 2 (max_outputs=2)", got)
	}
	if m.Input() == nil {
		t.Error("no input router")
	}
	// The device tree is the same as without devices: virtio,mmio nodes.
	if _, err := DeviceTree(Config{ICountShift: 0, Virtio: specs}); err != nil {
		t.Fatal(err)
	}
}

// TestRAMFB writes a ramfb configuration through fw_cfg DMA, as
// firmware does, and checks that the console shows the framebuffer.
func TestRAMFB(t *testing.T) {
	m := newTestMachine(t, Config{ICountShift: 0, RAMFB: true})
	if len(m.Consoles()) != 1 || m.RAMFB == nil {
		t.Fatalf("RAMFB: %d consoles, device %v", len(m.Consoles()), m.RAMFB)
	}
	const (
		fb     = RAMBase + 0x100000
		cfgBuf = RAMBase + 0x200000
		dmaBuf = RAMBase + 0x201000
		w, h   = 16, 16
	)
	// A red pixel at (0, 0): XRGB8888 is B, G, R, x in memory.
	if err := m.Bus.WriteBytes(fb, []byte{0, 0, 0xff, 0}); err != nil {
		t.Fatal(err)
	}
	c := ramfb.Config{Addr: fb, FourCC: uint32('X') | 'R'<<8 | '2'<<16 | '4'<<24, Width: w, Height: h, Stride: w * 4}
	if err := m.Bus.WriteBytes(cfgBuf, c.Bytes()); err != nil {
		t.Fatal(err)
	}
	// Find etc/ramfb's key in the file directory (FW_CFG_FILE_DIR, 0x19)
	// through the data register.
	m.Bus.Write(FwCfgBase+8, 2, 0x1900) // big-endian selector 0x0019
	readBE := func(n int) uint64 {
		var v uint64
		for range n {
			b, _ := m.Bus.Read(FwCfgBase, 1)
			v = v<<8 | b
		}
		return v
	}
	key := -1
	for range readBE(4) {
		readBE(4) // size
		sel := int(readBE(2))
		readBE(2)
		var name []byte
		for range 56 {
			b, _ := m.Bus.Read(FwCfgBase, 1)
			if b != 0 {
				name = append(name, byte(b))
			}
		}
		if string(name) == ramfb.FileName {
			key = sel
		}
	}
	if key < 0 {
		t.Fatalf("no %s in fw_cfg's directory", ramfb.FileName)
	}
	// FWCfgDmaAccess: control = key<<16 | SELECT (8) | WRITE (16).
	var dma [16]byte
	binary.BigEndian.PutUint32(dma[0:], uint32(key)<<16|8|16)
	binary.BigEndian.PutUint32(dma[4:], ramfb.CfgSize)
	binary.BigEndian.PutUint64(dma[8:], cfgBuf)
	if err := m.Bus.WriteBytes(dmaBuf, dma[:]); err != nil {
		t.Fatal(err)
	}
	// The DMA address register is big-endian: the guest stores the
	// address byte-swapped; writing the low half starts the transfer.
	var addr [4]byte
	binary.BigEndian.PutUint32(addr[:], dmaBuf)
	m.Bus.Write(FwCfgBase+0x10, 4, 0)
	m.Bus.Write(FwCfgBase+0x14, 4, uint64(binary.LittleEndian.Uint32(addr[:])))
	var ctl [4]byte
	m.Bus.ReadBytes(dmaBuf, ctl[:])
	if got := binary.BigEndian.Uint32(ctl[:]); got != 0 {
		t.Fatalf("DMA control after the transfer = %#x, want 0", got)
	}
	if _, ok := m.RAMFB.Config(); !ok {
		t.Fatal("ramfb not configured after the guest's write")
	}
	m.RefreshDisplays()
	img := m.Consoles()[0].Snapshot()
	if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
		t.Fatalf("screen %v, want %dx%d", b, w, h)
	}
	if r, g, b, _ := img.At(0, 0).RGBA(); r>>8 != 0xff || g != 0 || b != 0 {
		t.Errorf("pixel (0,0) = %v, want red", img.At(0, 0))
	}
}
