// Package ramfb is QEMU's ramfb: the simplest display there is. The
// guest (firmware: EDK2's QemuRamfbDxe, U-Boot, SeaBIOS's vgabios)
// reserves a framebuffer in its RAM and describes it by writing the
// fw_cfg file "etc/ramfb" through fw_cfg's DMA interface; from then on
// whatever it stores in that RAM is the screen.
//
// Interface: no MMIO window and no interrupt; one writable fw_cfg file,
// "etc/ramfb", holding a RAMFBCfg (28 bytes, big-endian):
//
//	addr u64, fourcc u32, flags u32, width u32, height u32, stride u32
//
// Validation, as QEMU's: the fourcc must be one QEMU maps (XRGB8888,
// ARGB8888, XBGR8888, ABGR8888, RGB888), the size between 16x16 and
// 16000x12000, the stride 0 (meaning width times the pixel size) or at
// least a row, and stride*height bytes at addr must lie in RAM. A
// configuration that fails is ignored (the previous screen stays) and
// logged as one guest error.
//
// There is no flush: the guest never says what changed. A frontend calls
// display.Console.Refresh at its display rate; the device then compares
// the framebuffer in guest RAM with the copy it made last time, row by
// row, and hands the changed rows to the console. A still screen costs
// one memory comparison per refresh and no conversion or upload.
//
// Deliberate deviation from QEMU: a machine reset forgets the
// configuration (the firmware writes it again on boot).
package ramfb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"log/slog"

	"mimic/devices/display"
	"mimic/devices/fwcfg"
)

// FileName is the fw_cfg file the guest writes.
const FileName = "etc/ramfb"

// CfgSize is the size of a RAMFBCfg.
const CfgSize = 28

// Limits QEMU applies (VBE_DISPI_MAX_XRES/YRES, and its minimum).
const (
	minSize = 16
	maxXRes = 16000
	maxYRes = 12000
)

// Memory is guest physical memory (a bus.Bus satisfies it).
type Memory interface {
	DMA(addr uint64, n int, write bool) ([]byte, error)
}

// formats are the fourccs QEMU's ramfb accepts.
var formats = map[display.Format]bool{
	display.XRGB8888: true,
	display.ARGB8888: true,
	display.XBGR8888: true,
	display.ABGR8888: true,
	display.RGB888:   true,
}

// Config is a RAMFBCfg as the guest wrote it.
type Config struct {
	Addr                  uint64
	FourCC, Flags         uint32
	Width, Height, Stride uint32
}

// ParseConfig decodes a RAMFBCfg.
func ParseConfig(b []byte) Config {
	be := binary.BigEndian
	return Config{Addr: be.Uint64(b), FourCC: be.Uint32(b[8:]), Flags: be.Uint32(b[12:]),
		Width: be.Uint32(b[16:]), Height: be.Uint32(b[20:]), Stride: be.Uint32(b[24:])}
}

// Bytes encodes c as a RAMFBCfg.
func (c Config) Bytes() []byte {
	be := binary.BigEndian
	b := be.AppendUint64(nil, c.Addr)
	for _, v := range []uint32{c.FourCC, c.Flags, c.Width, c.Height, c.Stride} {
		b = be.AppendUint32(b, v)
	}
	return b
}

// check validates c against guest memory and returns the display mode
// and the stride in bytes.
func check(c Config, mem Memory) (display.Mode, int, error) {
	f := display.Format(c.FourCC)
	if !formats[f] {
		return display.Mode{}, 0, fmt.Errorf("unsupported format %v", f)
	}
	if c.Width < minSize || c.Width > maxXRes || c.Height < minSize || c.Height > maxYRes {
		return display.Mode{}, 0, fmt.Errorf("size %dx%d", c.Width, c.Height)
	}
	row := int(c.Width) * f.BytesPerPixel()
	stride := int(c.Stride)
	if stride == 0 {
		stride = row
	}
	if stride < row {
		return display.Mode{}, 0, fmt.Errorf("stride %d shorter than a row of %d bytes", stride, row)
	}
	size := uint64(stride) * uint64(c.Height)
	if size > display.MaxSurfaceBytes {
		return display.Mode{}, 0, fmt.Errorf("framebuffer of %d bytes", size)
	}
	if _, err := mem.DMA(c.Addr, int(size), false); err != nil {
		return display.Mode{}, 0, fmt.Errorf("framebuffer [%#x,+%#x) outside RAM", c.Addr, size)
	}
	return display.Mode{Width: int(c.Width), Height: int(c.Height), Format: f}, stride, nil
}

// Device is one ramfb. Create it with New.
type Device struct {
	fw  *fwcfg.Device
	mem Memory
	con *display.Console

	cfg     Config
	enabled bool
	mode    display.Mode
	stride  int
	shadow  []byte // the framebuffer as last handed to the console, rows packed
	stale   bool   // shadow does not match the console: copy everything

	guestErrors uint64
}

// New adds "etc/ramfb" to fw (whose DMA interface the board must
// enable) and shows the framebuffer on con.
func New(fw *fwcfg.Device, mem Memory, con *display.Console) *Device {
	d := &Device{fw: fw, mem: mem, con: con}
	fw.AddWritableFile(FileName, make([]byte, CfgSize), d.written)
	con.OnRefresh(d.Refresh)
	return d
}

// GuestErrors returns how many guest errors the device has seen.
func (d *Device) GuestErrors() uint64 { return d.guestErrors }

// Config returns the active configuration, if any.
func (d *Device) Config() (Config, bool) { return d.cfg, d.enabled }

// written is fw_cfg's callback after the guest wrote the file.
func (d *Device) written(contents []byte, _, _ int) {
	c := ParseConfig(contents)
	mode, stride, err := check(c, d.mem)
	if err != nil {
		d.guestErrors++
		slog.Warn("guest error: ramfb: configuration ignored: "+err.Error(),
			"addr", fmt.Sprintf("%#x", c.Addr), "fourcc", fmt.Sprintf("%#x", c.FourCC),
			"width", c.Width, "height", c.Height, "stride", c.Stride)
		return
	}
	d.apply(c, mode, stride)
}

func (d *Device) apply(c Config, mode display.Mode, stride int) {
	d.cfg, d.enabled, d.mode, d.stride = c, true, mode, stride
	row := mode.Stride()
	if len(d.shadow) != row*mode.Height {
		d.shadow = make([]byte, row*mode.Height)
	}
	d.stale = true
	d.con.SetMode(mode)
	d.Refresh()
}

// Refresh copies the rows of the framebuffer that changed since the last
// refresh to the console. The console calls it (through the board's
// post function) when a frontend asks; the board may also call it
// directly before a screenshot. Machine goroutine only.
func (d *Device) Refresh() {
	if !d.enabled {
		return
	}
	row := d.mode.Stride()
	fb, err := d.mem.DMA(d.cfg.Addr, d.stride*(d.mode.Height-1)+row, false)
	if err != nil {
		// The memory map changed under the framebuffer: nothing to show.
		return
	}
	first, last := -1, -1
	for y := 0; y < d.mode.Height; y++ {
		src := fb[y*d.stride : y*d.stride+row]
		dst := d.shadow[y*row : (y+1)*row]
		if !d.stale && bytes.Equal(src, dst) {
			continue
		}
		copy(dst, src)
		if first < 0 {
			first = y
		}
		last = y
	}
	d.stale = false
	if first >= 0 {
		d.con.Update(image.Rect(0, first, d.mode.Width, last+1), d.shadow[first*row:], row)
	}
}

// Reset forgets the configuration and blanks the screen.
func (d *Device) Reset() {
	d.cfg, d.enabled, d.mode, d.stride, d.shadow = Config{}, false, display.Mode{}, 0, nil
	d.con.SetMode(display.Mode{})
	if err := d.fw.SetFile(FileName, make([]byte, CfgSize)); err != nil {
		panic("BUG: ramfb: " + err.Error())
	}
}

// StateVersion is the version of State this package writes.
const StateVersion = 1

// State is the device's state: the configuration in effect. The pixels
// live in guest RAM.
type State struct {
	Version int
	Enabled bool
	Config  Config
}

// State returns a snapshot of the device.
func (d *Device) State() State {
	return State{Version: StateVersion, Enabled: d.enabled, Config: d.cfg}
}

// ErrBadState is wrapped by every error Restore returns.
var ErrBadState = errors.New("ramfb: bad state")

// Restore replaces the device's state with s after checking it as a
// guest write would be (restore guest RAM first), and puts the
// configuration back in the fw_cfg file. On error nothing changes.
func (d *Device) Restore(s State) error {
	if s.Version != StateVersion {
		return fmt.Errorf("%w: version %d, want %d", ErrBadState, s.Version, StateVersion)
	}
	if !s.Enabled {
		if s.Config != (Config{}) {
			return fmt.Errorf("%w: configuration without a display", ErrBadState)
		}
		d.Reset()
		return nil
	}
	mode, stride, err := check(s.Config, d.mem)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrBadState, err)
	}
	if err := d.fw.SetFile(FileName, s.Config.Bytes()); err != nil {
		panic("BUG: ramfb: " + err.Error())
	}
	d.apply(s.Config, mode, stride)
	return nil
}
