package ramfb

import (
	"encoding/binary"
	"image"
	"image/color"
	"io"
	"log/slog"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"mimic/devices/bus"
	"mimic/devices/display"
	"mimic/devices/fwcfg"
)

func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	os.Exit(m.Run())
}

const (
	fwBase  = 0x09020000
	ramBase = 0x40000000
	ramSize = 4 << 20
	accAddr = ramBase + 0x100
	cfgAddr = ramBase + 0x200
	fbAddr  = ramBase + 0x10000
)

type rig struct {
	t   *testing.T
	b   *bus.Bus
	ram []byte
	fw  *fwcfg.Device
	con *display.Console
	dev *Device
}

func newRig(t *testing.T) *rig {
	t.Helper()
	r := &rig{t: t, b: bus.New(), ram: make([]byte, ramSize), fw: fwcfg.New(ramSize, 1), con: display.NewConsole(nil)}
	if err := r.b.MapRAM("ram", ramBase, r.ram); err != nil {
		t.Fatal(err)
	}
	if err := r.b.MapDevice("fw_cfg", fwBase, fwcfg.WindowSize, r.fw); err != nil {
		t.Fatal(err)
	}
	r.fw.EnableDMA(r.b)
	r.dev = New(r.fw, r.b, r.con)
	return r
}

// fileKey finds FileName in the fw_cfg directory, through the data
// register as firmware does.
func (r *rig) fileKey() uint16 {
	r.t.Helper()
	r.b.Write(fwBase+8, 2, uint64(fwcfg.KeyFileDir>>8|fwcfg.KeyFileDir<<8&0xff00))
	read := func(n int) []byte {
		out := make([]byte, n)
		for i := range out {
			v, _ := r.b.Read(fwBase, 1)
			out[i] = byte(v)
		}
		return out
	}
	count := binary.BigEndian.Uint32(read(4))
	for i := uint32(0); i < count; i++ {
		e := read(64)
		if name := string(e[8 : 8+len(FileName)]); name == FileName && e[8+len(FileName)] == 0 {
			return binary.BigEndian.Uint16(e[4:])
		}
	}
	r.t.Fatal("etc/ramfb not in the directory")
	return 0
}

// writeCfg writes c to etc/ramfb by fw_cfg DMA and returns the status.
func (r *rig) writeCfg(c Config) uint32 {
	r.t.Helper()
	copy(r.ram[cfgAddr-ramBase:], c.Bytes())
	acc := r.ram[accAddr-ramBase:]
	binary.BigEndian.PutUint32(acc, uint32(r.fileKey())<<16|fwcfg.DMASelect|fwcfg.DMAWrite)
	binary.BigEndian.PutUint32(acc[4:], CfgSize)
	binary.BigEndian.PutUint64(acc[8:], cfgAddr)
	var raw [8]byte
	binary.BigEndian.PutUint64(raw[:], accAddr)
	r.b.Write(fwBase+0x10, 8, binary.LittleEndian.Uint64(raw[:]))
	return binary.BigEndian.Uint32(acc)
}

// paint fills a w x h XRGB8888 framebuffer with stride bytes per row.
func (r *rig) paint(w, h, stride int, gen byte) {
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := colour(x, y, gen)
			copy(r.ram[fbAddr-ramBase+y*stride+4*x:], []byte{c.B, c.G, c.R, 0})
		}
	}
}

func colour(x, y int, gen byte) color.RGBA { return color.RGBA{byte(x * 5), byte(y * 3), gen, 0xff} }

func (r *rig) checkScreen(want func(x, y int) color.RGBA) {
	r.t.Helper()
	img := r.con.Snapshot()
	bad := 0
	for y := 0; y < img.Rect.Dy(); y++ {
		for x := 0; x < img.Rect.Dx(); x++ {
			if got, w := img.RGBAAt(x, y), want(x, y); got != w && bad < 5 {
				bad++
				r.t.Errorf("pixel (%d,%d) = %v, want %v", x, y, got, w)
			}
		}
	}
}

func TestFramebuffer(t *testing.T) {
	r := newRig(t)
	const w, h, stride = 40, 30, 40*4 + 16
	r.paint(w, h, stride, 1)
	cfg := Config{Addr: fbAddr, FourCC: uint32(display.XRGB8888), Width: w, Height: h, Stride: stride}
	if st := r.writeCfg(cfg); st != 0 {
		t.Fatalf("DMA status %#x", st)
	}
	if got, ok := r.dev.Config(); !ok || got != cfg {
		t.Fatalf("config %+v %v", got, ok)
	}
	if m := r.con.Mode(); m != (display.Mode{Width: w, Height: h, Format: display.XRGB8888}) {
		t.Fatalf("mode %+v", m)
	}
	r.checkScreen(func(x, y int) color.RGBA { return colour(x, y, 1) })
	r.con.Take(func(*display.Frame) {})

	// Nothing changed: a refresh reports nothing.
	r.con.Refresh()
	select {
	case <-r.con.Changed():
		t.Fatal("refresh of a still screen reports a change")
	default:
	}
	// The guest draws two pixels on rows 5 and 9: those rows are dirty.
	r.ram[fbAddr-ramBase+5*stride+4*3] = 0xaa
	r.ram[fbAddr-ramBase+9*stride+4*30+2] = 0xbb
	r.con.Refresh()
	<-r.con.Changed()
	r.con.Take(func(f *display.Frame) {
		if f.Dirty != image.Rect(0, 5, w, 10) {
			t.Errorf("dirty %v, want rows 5..9", f.Dirty)
		}
	})
	img := r.con.Snapshot()
	if got := img.RGBAAt(3, 5); got.B != 0xaa {
		t.Errorf("pixel (3,5) = %v", got)
	}
	if got := img.RGBAAt(30, 9); got.R != 0xbb {
		t.Errorf("pixel (30,9) = %v", got)
	}
	if r.dev.GuestErrors() != 0 {
		t.Errorf("guest errors %d", r.dev.GuestErrors())
	}
}

func TestBadConfigs(t *testing.T) {
	r := newRig(t)
	good := Config{Addr: fbAddr, FourCC: uint32(display.XRGB8888), Width: 64, Height: 32}
	if st := r.writeCfg(good); st != 0 {
		t.Fatal(st)
	}
	for _, c := range []struct {
		name string
		mod  func(c *Config)
	}{
		{"unknown format", func(c *Config) { c.FourCC = 0x12345678 }},
		{"RGB565 (not in QEMU's ramfb)", func(c *Config) { c.FourCC = uint32(display.RGB565) }},
		{"too narrow", func(c *Config) { c.Width = 15 }},
		{"too wide", func(c *Config) { c.Width = 16001 }},
		{"too tall", func(c *Config) { c.Height = 12001 }},
		{"zero", func(c *Config) { *c = Config{} }},
		{"short stride", func(c *Config) { c.Stride = 64*4 - 1 }},
		{"outside RAM", func(c *Config) { c.Addr = 0x1000 }},
		{"past the end of RAM", func(c *Config) { c.Addr = ramBase + ramSize - 64*4*16 }},
		{"huge stride", func(c *Config) { c.Stride = 0xffffffff }},
	} {
		cfg := good
		c.mod(&cfg)
		before := r.dev.GuestErrors()
		r.writeCfg(cfg)
		if n := r.dev.GuestErrors() - before; n != 1 {
			t.Errorf("%s: %d guest errors, want 1", c.name, n)
		}
		if got, ok := r.dev.Config(); !ok || got != good {
			t.Errorf("%s: config became %+v", c.name, got)
		}
	}
	if m := r.con.Mode(); m.Width != 64 || m.Height != 32 {
		t.Errorf("mode %+v after bad configs", m)
	}
	// The other formats QEMU accepts.
	for _, f := range []display.Format{display.ARGB8888, display.XBGR8888, display.ABGR8888, display.RGB888} {
		cfg := good
		cfg.FourCC = uint32(f)
		if r.writeCfg(cfg); r.con.Mode().Format != f {
			t.Errorf("format %v refused", f)
		}
	}
}

func TestStateAndReset(t *testing.T) {
	r := newRig(t)
	r.paint(32, 16, 32*4, 7)
	cfg := Config{Addr: fbAddr, FourCC: uint32(display.XRGB8888), Width: 32, Height: 16}
	r.writeCfg(cfg)
	s := r.dev.State()
	if diff := cmp.Diff(State{Version: StateVersion, Enabled: true, Config: cfg}, s); diff != "" {
		t.Errorf("state (-want +got):\n%s", diff)
	}

	// Restore into a new machine sharing the same RAM contents.
	r2 := newRig(t)
	copy(r2.ram, r.ram)
	if err := r2.dev.Restore(s); err != nil {
		t.Fatal(err)
	}
	r2.checkScreen(func(x, y int) color.RGBA { return colour(x, y, 7) })
	// The file holds the configuration again, as the guest wrote it.
	r2.b.Write(fwBase+8, 2, uint64(r2.fileKey()>>8|r2.fileKey()<<8&0xff00))
	var got []byte
	for i := 0; i < CfgSize; i++ {
		v, _ := r2.b.Read(fwBase, 1)
		got = append(got, byte(v))
	}
	if ParseConfig(got) != cfg {
		t.Errorf("etc/ramfb after restore: %+v", ParseConfig(got))
	}
	for _, bad := range []State{
		{Version: 2},
		{Version: StateVersion, Enabled: true, Config: Config{Addr: fbAddr, FourCC: 1, Width: 32, Height: 16}},
		{Version: StateVersion, Enabled: true, Config: Config{Addr: 0, FourCC: uint32(display.XRGB8888), Width: 32, Height: 16}},
		{Version: StateVersion, Enabled: false, Config: cfg},
	} {
		if r2.dev.Restore(bad) == nil {
			t.Errorf("restore accepted %+v", bad)
		}
	}
	if got, ok := r2.dev.Config(); !ok || got != cfg {
		t.Errorf("a rejected restore changed the config to %+v", got)
	}

	r2.dev.Reset()
	if _, ok := r2.dev.Config(); ok || r2.con.Mode() != (display.Mode{}) {
		t.Error("reset kept the display")
	}
}
