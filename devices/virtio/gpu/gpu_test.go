package gpu

import (
	"encoding/binary"
	"image"
	"image/color"
	"io"
	"log/slog"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"mimic/devices/display"
	"mimic/devices/virtio"
	"mimic/devices/virtio/virtiotest"
)

func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	os.Exit(m.Run())
}

// lateMem is guest memory known only once the test driver built its bus.
type lateMem struct{ m virtio.Memory }

func (l *lateMem) DMA(addr uint64, n int, write bool) ([]byte, error) { return l.m.DMA(addr, n, write) }

type rig struct {
	t   testing.TB
	mem *lateMem
	con *display.Console
	dev *Device
	drv *virtiotest.Driver
}

func newRig(t testing.TB, o Options, unready ...int) *rig {
	t.Helper()
	r := &rig{t: t, mem: &lateMem{}, con: display.NewConsole(nil)}
	r.dev = New(r.mem, []*display.Console{r.con}, o)
	r.drv = virtiotest.New(t, r.dev, virtiotest.Options{Unready: unready})
	r.mem.m = r.drv.Bus
	return r
}

// backingBase is where tests put resource backing, far from the
// driver's rings and buffers.
const backingBase = virtiotest.RAMBase + 12<<20

func le32(vs ...uint32) []byte {
	var b []byte
	for _, v := range vs {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	return b
}

func header(typ, flags uint32, fence uint64, ctx uint32) []byte {
	b := le32(typ, flags)
	b = binary.LittleEndian.AppendUint64(b, fence)
	return append(b, le32(ctx, 0)...)
}

// cmd sends a control request and returns the response.
func (r *rig) cmd(typ uint32, body ...[]byte) []byte {
	r.t.Helper()
	return r.fenced(typ, 0, 0, body...)
}

func (r *rig) fenced(typ uint32, fence uint64, ctx uint32, body ...[]byte) []byte {
	r.t.Helper()
	var flags uint32
	if fence != 0 {
		flags = flagFence
	}
	req := header(typ, flags, fence, ctx)
	for _, b := range body {
		req = append(req, b...)
	}
	_, addrs := r.drv.Submit(0, false, virtiotest.Buf{Data: req}, virtiotest.Buf{Write: true, Len: 1056})
	u := r.drv.TakeUsed(0)
	if len(u) != 1 {
		r.t.Fatalf("command %#x: %d used entries", typ, len(u))
	}
	return append([]byte(nil), r.drv.Mem(addrs[1], int(u[0].Len))...)
}

func respType(b []byte) uint32 {
	if len(b) < 4 {
		return 0
	}
	return binary.LittleEndian.Uint32(b)
}

// ok sends a command that must succeed with OK_NODATA.
func (r *rig) ok(typ uint32, body ...[]byte) {
	r.t.Helper()
	if got := respType(r.cmd(typ, body...)); got != respOKNoData {
		r.t.Fatalf("command %#x: response %#x", typ, got)
	}
}

func rectB(x, y, w, h uint32) []byte { return le32(x, y, w, h) }

// colour of pixel (x, y) in the test pattern.
func colour(x, y int, gen byte) color.RGBA {
	return color.RGBA{byte(x * 7), byte(y * 11), gen, 0xff}
}

// fillGuest writes a width x height B8G8R8X8 pattern to guest RAM at
// backingBase.
func (r *rig) fillGuest(width, height int, gen byte) {
	m := r.drv.Mem(backingBase, width*height*4)
	for y := 0; y < height; y++ {
		for x := 0; x < width; x++ {
			c := colour(x, y, gen)
			copy(m[(y*width+x)*4:], []byte{c.B, c.G, c.R, 0})
		}
	}
}

// setup creates resource 1 (width x height, B8G8R8X8) backed by two
// entries at backingBase (split at an odd offset), transfers it and
// shows it on scanout 0.
func (r *rig) setup(width, height uint32) {
	r.t.Helper()
	r.fillGuest(int(width), int(height), 1)
	size := width * height * 4
	split := size/2 + 3
	r.ok(cmdResourceCreate2D, le32(1, FormatB8G8R8X8, width, height))
	// Two entries: the second half first in memory order of the
	// list is irrelevant; entries are in resource order.
	r.ok(cmdResourceAttachBacking, le32(1, 2),
		binary.LittleEndian.AppendUint64(nil, backingBase), le32(split, 0),
		binary.LittleEndian.AppendUint64(nil, backingBase+uint64(split)), le32(size-split, 0))
	r.ok(cmdTransferToHost2D, rectB(0, 0, width, height), make([]byte, 8), le32(1, 0))
	r.ok(cmdSetScanout, rectB(0, 0, width, height), le32(0, 1))
	r.ok(cmdResourceFlush, rectB(0, 0, width, height), le32(1, 0))
}

func (r *rig) checkScreen(want func(x, y int) color.RGBA) {
	r.t.Helper()
	img := r.con.Snapshot()
	bad := 0
	for y := img.Rect.Min.Y; y < img.Rect.Max.Y; y++ {
		for x := img.Rect.Min.X; x < img.Rect.Max.X; x++ {
			if got, w := img.RGBAAt(x, y), want(x, y); got != w && bad < 5 {
				bad++
				r.t.Errorf("pixel (%d,%d) = %v, want %v", x, y, got, w)
			}
		}
	}
}

func TestConfigAndDisplayInfo(t *testing.T) {
	r := newRig(t, Options{})
	if r.drv.Features&FEDID == 0 {
		t.Errorf("features %#x lack VIRTIO_GPU_F_EDID", r.drv.Features)
	}
	got := []uint64{r.drv.ReadConfig(0, 4), r.drv.ReadConfig(4, 4), r.drv.ReadConfig(8, 4), r.drv.ReadConfig(12, 4)}
	if diff := cmp.Diff([]uint64{0, 0, 1, 0}, got); diff != "" {
		t.Errorf("config (-want +got):\n%s", diff)
	}
	resp := r.cmd(cmdGetDisplayInfo)
	if respType(resp) != respOKDisplayInfo || len(resp) != 24+16*24 {
		t.Fatalf("display info: type %#x, %d bytes", respType(resp), len(resp))
	}
	pm := resp[24:]
	if got := [4]uint32{binary.LittleEndian.Uint32(pm[8:]), binary.LittleEndian.Uint32(pm[12:]),
		binary.LittleEndian.Uint32(pm[16:]), binary.LittleEndian.Uint32(pm[24+16:])}; got != [4]uint32{1280, 800, 1, 0} {
		t.Errorf("pmodes: %v, want 1280x800 enabled, output 1 disabled", got)
	}
	if r.dev.GuestErrors() != 0 {
		t.Errorf("guest errors: %d", r.dev.GuestErrors())
	}
}

func TestDrawTransferFlush(t *testing.T) {
	r := newRig(t, Options{})
	r.setup(40, 24)
	if m := r.con.Mode(); m != (display.Mode{Width: 40, Height: 24, Format: display.XRGB8888}) {
		t.Fatalf("mode %+v", m)
	}
	r.checkScreen(func(x, y int) color.RGBA { return colour(x, y, 1) })
	r.con.Take(func(*display.Frame) {})

	// The guest redraws everything, but transfers and flushes only a
	// 5x2 rectangle at (4,3): only that part changes on screen.
	r.fillGuest(40, 24, 2)
	stride := uint64(40 * 4)
	r.ok(cmdTransferToHost2D, rectB(4, 3, 5, 2), binary.LittleEndian.AppendUint64(nil, 3*stride+4*4), le32(1, 0))
	// Not flushed yet: the frontend is not told. (The resource shown
	// whole is the console's surface, as in QEMU, so a snapshot would
	// already show the new pixels.)
	r.con.Take(func(f *display.Frame) {
		if !f.Dirty.Empty() {
			t.Errorf("dirty %v after a transfer without flush", f.Dirty)
		}
	})
	r.ok(cmdResourceFlush, rectB(4, 3, 5, 2), le32(1, 0))
	in := func(x, y int) bool { return x >= 4 && x < 9 && y >= 3 && y < 5 }
	r.checkScreen(func(x, y int) color.RGBA {
		if in(x, y) {
			return colour(x, y, 2)
		}
		return colour(x, y, 1)
	})
	r.con.Take(func(f *display.Frame) {
		if f.Dirty != image.Rect(4, 3, 9, 5) {
			t.Errorf("dirty %v, want the flushed rectangle", f.Dirty)
		}
	})
	if r.dev.GuestErrors() != 0 {
		t.Errorf("guest errors: %d", r.dev.GuestErrors())
	}
}

func TestScanoutWindow(t *testing.T) {
	r := newRig(t, Options{})
	r.setup(64, 48)
	// Show the 32x16 part at (8,4) of the resource.
	r.ok(cmdSetScanout, rectB(8, 4, 32, 16), le32(0, 1))
	if m := r.con.Mode(); m.Width != 32 || m.Height != 16 {
		t.Fatalf("mode %+v", m)
	}
	r.checkScreen(func(x, y int) color.RGBA { return colour(x+8, y+4, 1) })
	r.con.Take(func(*display.Frame) {})
	// A flush partly outside the window dirties only its inside,
	// in screen coordinates.
	r.ok(cmdResourceFlush, rectB(0, 0, 10, 6), le32(1, 0))
	r.con.Take(func(f *display.Frame) {
		if f.Dirty != image.Rect(0, 0, 2, 2) {
			t.Errorf("dirty %v, want (0,0)-(2,2)", f.Dirty)
		}
	})
	// Freeing the shown resource disables the scanout.
	r.ok(cmdResourceUnref, le32(1, 0))
	if m := r.con.Mode(); m != (display.Mode{}) {
		t.Errorf("mode after unref %+v", m)
	}
	// Resource 0 disables a scanout.
	r.setup(16, 16)
	r.ok(cmdSetScanout, rectB(0, 0, 0, 0), le32(0, 0))
	if m := r.con.Mode(); m != (display.Mode{}) {
		t.Errorf("mode after disable %+v", m)
	}
}

func TestFence(t *testing.T) {
	r := newRig(t, Options{})
	for _, typ := range []uint32{cmdGetDisplayInfo, cmdResourceUnref /* fails: unknown resource */} {
		resp := r.fenced(typ, 0x1122334455, 7, le32(99, 0))
		if got := [3]uint64{uint64(binary.LittleEndian.Uint32(resp[4:])), binary.LittleEndian.Uint64(resp[8:]),
			uint64(binary.LittleEndian.Uint32(resp[16:]))}; got != [3]uint64{flagFence, 0x1122334455, 7} {
			t.Errorf("command %#x: flags, fence, ctx = %#x", typ, got)
		}
	}
}

func TestGuestErrors(t *testing.T) {
	r := newRig(t, Options{MaxHostMem: 1 << 20})
	r.setup(32, 32) // resource 1, with backing, on scanout 0
	r.ok(cmdResourceCreate2D, le32(2, FormatB8G8R8A8, 16, 16))
	outside := binary.LittleEndian.AppendUint64(nil, 0x1000) // not RAM
	for _, c := range []struct {
		name string
		typ  uint32
		body [][]byte
		want uint32
	}{
		{"unknown command", 0x0999, nil, respErrUnspec},
		{"3D command", 0x0200, nil, respErrUnspec},
		{"short command", cmdResourceCreate2D, [][]byte{le32(3)}, respErrUnspec},
		{"create ID 0", cmdResourceCreate2D, [][]byte{le32(0, FormatB8G8R8X8, 16, 16)}, respErrInvalidResource},
		{"create used ID", cmdResourceCreate2D, [][]byte{le32(1, FormatB8G8R8X8, 16, 16)}, respErrInvalidResource},
		{"create bad format", cmdResourceCreate2D, [][]byte{le32(3, 999, 16, 16)}, respErrInvalidParam},
		{"create width 0", cmdResourceCreate2D, [][]byte{le32(3, FormatB8G8R8X8, 0, 16)}, respErrInvalidParam},
		{"create over the cap", cmdResourceCreate2D, [][]byte{le32(3, FormatB8G8R8X8, 1024, 1024)}, respErrOutOfMemory},
		{"create absurd", cmdResourceCreate2D, [][]byte{le32(3, FormatB8G8R8X8, 0xffffffff, 0xffffffff)}, respErrOutOfMemory},
		{"unref unknown", cmdResourceUnref, [][]byte{le32(9, 0)}, respErrInvalidResource},
		{"attach unknown", cmdResourceAttachBacking, [][]byte{le32(9, 0)}, respErrInvalidResource},
		{"attach twice", cmdResourceAttachBacking, [][]byte{le32(1, 0)}, respErrUnspec},
		{"attach outside RAM", cmdResourceAttachBacking, [][]byte{le32(2, 1), outside, le32(4096, 0)}, respErrUnspec},
		{"attach too many", cmdResourceAttachBacking, [][]byte{le32(2, maxEntries+1)}, respErrUnspec},
		{"attach short list", cmdResourceAttachBacking, [][]byte{le32(2, 3)}, respErrUnspec},
		{"detach without backing", cmdResourceDetachBacking, [][]byte{le32(2, 0)}, respErrUnspec},
		{"scanout missing", cmdSetScanout, [][]byte{rectB(0, 0, 16, 16), le32(1, 1)}, respErrInvalidScanout},
		{"scanout unknown resource", cmdSetScanout, [][]byte{rectB(0, 0, 16, 16), le32(0, 9)}, respErrInvalidResource},
		{"scanout without backing", cmdSetScanout, [][]byte{rectB(0, 0, 16, 16), le32(0, 2)}, respErrUnspec},
		{"scanout outside", cmdSetScanout, [][]byte{rectB(20, 0, 16, 16), le32(0, 1)}, respErrInvalidParam},
		{"scanout too small", cmdSetScanout, [][]byte{rectB(0, 0, 8, 8), le32(0, 1)}, respErrInvalidParam},
		{"scanout overflow", cmdSetScanout, [][]byte{rectB(0xfffffff0, 0, 0x20, 16), le32(0, 1)}, respErrInvalidParam},
		{"transfer outside", cmdTransferToHost2D, [][]byte{rectB(0, 30, 32, 4), make([]byte, 8), le32(1, 0)}, respErrInvalidParam},
		{"transfer without backing", cmdTransferToHost2D, [][]byte{rectB(0, 0, 4, 4), make([]byte, 8), le32(2, 0)}, respErrUnspec},
		{"flush outside", cmdResourceFlush, [][]byte{rectB(1, 0, 32, 32), le32(1, 0)}, respErrInvalidParam},
		{"flush unknown", cmdResourceFlush, [][]byte{rectB(0, 0, 1, 1), le32(9, 0)}, respErrInvalidResource},
		{"EDID of a missing scanout", cmdGetEDID, [][]byte{le32(1, 0)}, respErrInvalidParam},
	} {
		before := r.dev.GuestErrors()
		if got := respType(r.cmd(c.typ, c.body...)); got != c.want {
			t.Errorf("%s: response %#x, want %#x", c.name, got, c.want)
		}
		if n := r.dev.GuestErrors() - before; n != 1 {
			t.Errorf("%s: %d guest errors logged, want 1", c.name, n)
		}
	}
	// A transfer reaching past the backing copies what there is; an
	// offset beyond everything copies nothing. Both succeed, as QEMU's.
	r.ok(cmdTransferToHost2D, rectB(0, 0, 32, 32), binary.LittleEndian.AppendUint64(nil, 1<<62), le32(1, 0))
	r.ok(cmdTransferToHost2D, rectB(0, 0, 4, 4), binary.LittleEndian.AppendUint64(nil, ^uint64(0)-8), le32(1, 0))
	// The device still works, and still shows resource 1.
	r.checkScreen(func(x, y int) color.RGBA { return colour(x, y, 1) })
	if tr := r.drv.Transport; tr.Status()&virtio.StatusDeviceNeedsReset != 0 {
		t.Error("device needs reset after guest errors")
	}
	// A chain too short for a header gets an error response.
	r.drv.Submit(0, false, virtiotest.Buf{Data: []byte{1, 2}}, virtiotest.Buf{Write: true, Len: 24})
	if u := r.drv.TakeUsed(0); len(u) != 1 || u[0].Len != 24 {
		t.Errorf("short header: used %v", u)
	}
	// No writable buffer at all: completed with nothing written.
	r.drv.Submit(0, false, virtiotest.Buf{Data: header(cmdGetDisplayInfo, 0, 0, 0)})
	if u := r.drv.TakeUsed(0); len(u) != 1 || u[0].Len != 0 {
		t.Errorf("no response buffer: used %v", u)
	}
}

func TestHostMemAccounting(t *testing.T) {
	r := newRig(t, Options{MaxHostMem: 64 << 10})
	r.ok(cmdResourceCreate2D, le32(1, FormatB8G8R8X8, 64, 64)) // 16 KiB
	r.ok(cmdResourceCreate2D, le32(2, FormatB8G8R8X8, 64, 128))
	r.ok(cmdResourceCreate2D, le32(3, FormatB8G8R8X8, 64, 64))
	if got := respType(r.cmd(cmdResourceCreate2D, le32(4, FormatB8G8R8X8, 64, 64))); got != respErrOutOfMemory {
		t.Fatalf("over the cap: %#x", got)
	}
	r.ok(cmdResourceUnref, le32(2, 0))
	r.ok(cmdResourceCreate2D, le32(4, FormatB8G8R8X8, 64, 64))
	if r.dev.hostmem != 48<<10 {
		t.Errorf("hostmem %d", r.dev.hostmem)
	}
}

func TestEDID(t *testing.T) {
	r := newRig(t, Options{XRes: 1024, YRes: 768})
	check := func(w, h int) {
		t.Helper()
		resp := r.cmd(cmdGetEDID, le32(0, 0))
		if respType(resp) != respOKEDID || len(resp) != 24+8+1024 {
			t.Fatalf("GET_EDID: type %#x, %d bytes", respType(resp), len(resp))
		}
		if n := binary.LittleEndian.Uint32(resp[24:]); n != 128 {
			t.Fatalf("EDID size %d", n)
		}
		e := resp[32 : 32+128]
		var sum byte
		for _, b := range e {
			sum += b
		}
		if sum != 0 {
			t.Errorf("EDID checksum: sum %#x", sum)
		}
		if !cmp.Equal(e[:8], []byte{0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0}) || e[18] != 1 || e[19] != 4 {
			t.Errorf("EDID header %x version %d.%d", e[:8], e[18], e[19])
		}
		dt := e[54:72]
		gw := int(dt[2]) | int(dt[4]>>4)<<8
		gh := int(dt[5]) | int(dt[7]>>4)<<8
		if gw != w || gh != h || dt[0]|dt[1] == 0 {
			t.Errorf("preferred timing %dx%d (clock %x), want %dx%d", gw, gh, dt[:2], w, h)
		}
		if string(e[90+5:90+5+13]) != "Mimic Monitor" || e[90+3] != 0xfc {
			t.Errorf("name descriptor %q", e[90:108])
		}
	}
	check(1024, 768)
	r.con.SetSizeHint(1920, 1080)
	check(1920, 1080)

	r = newRig(t, Options{NoEDID: true})
	if r.drv.Features&FEDID != 0 {
		t.Error("EDID offered with NoEDID")
	}
}

func TestSizeHintEvent(t *testing.T) {
	r := newRig(t, Options{})
	r.drv.Ack()
	r.con.SetSizeHint(800, 600)
	if got := r.drv.ReadConfig(0, 4); got != EventDisplay {
		t.Fatalf("events_read %#x", got)
	}
	if isr := r.drv.Ack(); isr&2 == 0 {
		t.Errorf("interrupt status %#x: no configuration change", isr)
	}
	resp := r.cmd(cmdGetDisplayInfo)
	if w, h := binary.LittleEndian.Uint32(resp[24+8:]), binary.LittleEndian.Uint32(resp[24+12:]); w != 800 || h != 600 {
		t.Errorf("display info %dx%d after the hint", w, h)
	}
	r.drv.Bus.Write(virtiotest.MMIOBase+0x100+4, 4, EventDisplay) // events_clear
	if got := r.drv.ReadConfig(0, 4); got != 0 {
		t.Errorf("events_read %#x after events_clear", got)
	}
	r.drv.Bus.Write(virtiotest.MMIOBase+0x100+8, 4, 5) // num_scanouts is read-only
	if got := r.drv.ReadConfig(8, 4); got != 1 {
		t.Errorf("num_scanouts %d after a write", got)
	}
	// A closed window disables the output.
	r.con.SetSizeHint(0, 0)
	resp = r.cmd(cmdGetDisplayInfo)
	if en := binary.LittleEndian.Uint32(resp[24+16:]); en != 0 {
		t.Errorf("output enabled after a 0x0 hint")
	}
}

// cursorCmd sends a cursor request (no response).
func (r *rig) cursorCmd(typ, scanout, x, y, res, hotX, hotY uint32) {
	r.t.Helper()
	req := append(header(typ, 0, 0, 0), le32(scanout, x, y, 0, res, hotX, hotY, 0)...)
	r.drv.Submit(1, false, virtiotest.Buf{Data: req})
	if u := r.drv.TakeUsed(1); len(u) != 1 || u[0].Len != 0 {
		r.t.Fatalf("cursor command: used %v", u)
	}
}

func TestCursor(t *testing.T) {
	r := newRig(t, Options{})
	r.setup(64, 64) // B8G8R8X8
	// A 64x64 B8G8R8A8 cursor whose pixel (x,y) has alpha x.
	m := r.drv.Mem(backingBase, 64*64*4)
	for i := 0; i < 64*64; i++ {
		copy(m[4*i:], []byte{0x10, 0x20, 0x30, byte(i % 64)})
	}
	r.ok(cmdResourceCreate2D, le32(2, FormatB8G8R8A8, 64, 64))
	r.ok(cmdResourceAttachBacking, le32(2, 1), binary.LittleEndian.AppendUint64(nil, backingBase), le32(64*64*4, 0))
	r.ok(cmdTransferToHost2D, rectB(0, 0, 64, 64), make([]byte, 8), le32(2, 0))
	r.cursorCmd(cmdUpdateCursor, 0, 100, 50, 2, 3, 4)
	c := r.con.Cursor()
	if c.Image == nil || c.HotX != 3 || c.HotY != 4 || c.X != 100 || c.Y != 50 || !c.Visible {
		t.Fatalf("cursor %+v", c)
	}
	if got := c.Image.RGBAAt(5, 9); got != (color.RGBA{0x30, 0x20, 0x10, 5}) {
		t.Errorf("cursor pixel %v", got)
	}
	r.cursorCmd(cmdMoveCursor, 0, 7, 8, 2, 0, 0)
	if c2 := r.con.Cursor(); c2.X != 7 || c2.Y != 8 || c2.Image != c.Image || c2.HotX != 3 {
		t.Errorf("after move: %+v", c2)
	}
	r.cursorCmd(cmdUpdateCursor, 0, 7, 8, 0, 0, 0) // hide
	if c3 := r.con.Cursor(); c3.Visible || c3.Image != nil {
		t.Errorf("after hide: %+v", c3)
	}
	before := r.dev.GuestErrors()
	r.cursorCmd(cmdUpdateCursor, 3, 0, 0, 2, 0, 0) // missing scanout
	r.cursorCmd(0x0377, 0, 0, 0, 2, 0, 0)          // unknown
	if n := r.dev.GuestErrors() - before; n != 2 {
		t.Errorf("%d guest errors, want 2", n)
	}
}

func TestStateRoundTrip(t *testing.T) {
	r := newRig(t, Options{})
	r.setup(32, 32)
	r.ok(cmdSetScanout, rectB(4, 4, 20, 20), le32(0, 1))
	r.ok(cmdResourceCreate2D, le32(5, FormatB8G8R8A8, 64, 64))
	r.cursorCmd(cmdUpdateCursor, 0, 10, 11, 5, 1, 2)
	r.con.SetSizeHint(640, 480)
	s := r.dev.State()

	// A fresh device on the same memory shows the same screen.
	con2 := display.NewConsole(nil)
	d2 := New(r.mem, []*display.Console{con2}, Options{MaxHostMem: 1 << 20})
	if err := d2.Restore(s); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(s, d2.State(), cmp.AllowUnexported()); diff != "" {
		t.Errorf("state after restore (-want +got):\n%s", diff)
	}
	if !cmp.Equal(r.con.Snapshot().Pix, con2.Snapshot().Pix) || con2.Mode() != r.con.Mode() {
		t.Error("restored screen differs")
	}
	if c := con2.Cursor(); c.X != 10 || c.Y != 11 || c.Image == nil || c.HotY != 2 {
		t.Errorf("restored cursor %+v", c)
	}

	for _, c := range []struct {
		name string
		mod  func(s *State)
	}{
		{"version", func(s *State) { s.Version = 99 }},
		{"outputs", func(s *State) { s.Outputs = nil }},
		{"events", func(s *State) { s.EventsRead = 0x80 }},
		{"resource ID 0", func(s *State) { s.Resources[0].ID = 0 }},
		{"repeated ID", func(s *State) { s.Resources[1].ID = s.Resources[0].ID }},
		{"format", func(s *State) { s.Resources[0].Format = 5 }},
		{"pixels", func(s *State) { s.Resources[0].Pix = s.Resources[0].Pix[:10] }},
		{"backing outside RAM", func(s *State) { s.Resources[0].Backing[0].Addr = 0x1000 }},
		{"scanout unknown resource", func(s *State) { s.Outputs[0].ResourceID = 77 }},
		{"scanout outside", func(s *State) { s.Outputs[0].X = 30 }},
		{"cursor scanout", func(s *State) { s.Cursor.Scanout = 4 }},
		{"cursor resource", func(s *State) { s.Cursor.ResourceID = 77 }},
		{"over the cap", func(s *State) {
			s.Resources[0].Width, s.Resources[0].Height = 1024, 1024
			s.Resources[0].Pix = make([]byte, 1024*1024*4)
		}},
	} {
		bad := r.dev.State()
		c.mod(&bad)
		if err := d2.Restore(bad); err == nil {
			t.Errorf("%s: restore accepted a bad state", c.name)
		}
	}
	if diff := cmp.Diff(s, d2.State(), cmp.AllowUnexported()); diff != "" {
		t.Errorf("a rejected restore changed the device (-want +got):\n%s", diff)
	}
}

func TestReset(t *testing.T) {
	r := newRig(t, Options{})
	r.setup(16, 16)
	r.drv.Write(0x070, 0) // status 0: reset
	if m := r.con.Mode(); m != (display.Mode{}) || len(r.dev.resources) != 0 || r.dev.hostmem != 0 {
		t.Errorf("after reset: mode %+v, %d resources, hostmem %d", m, len(r.dev.resources), r.dev.hostmem)
	}
	// Linux 6.12 resets the device as it powers off: a screenshot taken
	// then still shows the last picture.
	if img := r.con.Snapshot(); img.Rect != image.Rect(0, 0, 16, 16) {
		t.Fatalf("snapshot after reset: %v, want the last 16x16 picture", img.Rect)
	}
	r.checkScreen(func(x, y int) color.RGBA { return colour(x, y, 1) })
}

func TestHintBeforeNew(t *testing.T) {
	con := display.NewConsole(nil)
	con.SetSizeHint(1600, 900)
	d := New(&lateMem{}, []*display.Console{con}, Options{})
	if o := d.outputs[0]; o.reqW != 1600 || o.reqH != 900 || !o.enabled {
		t.Errorf("output 0 %+v, want the earlier hint", o)
	}
}

// FuzzCommand feeds arbitrary requests, after a valid setup, to both
// queues: the device must never panic, and always complete the request.
func FuzzCommand(f *testing.F) {
	f.Add(append(header(cmdTransferToHost2D, 0, 0, 0), append(rectB(0, 0, 16, 16), make([]byte, 16)...)...), false)
	f.Add(append(header(cmdResourceAttachBacking, 0, 0, 0), le32(1, 1000)...), false)
	f.Add(append(header(cmdUpdateCursor, 0, 0, 0), le32(0, 5, 5, 0, 1, 99, 99, 0)...), true)
	f.Fuzz(func(t *testing.T, req []byte, cursor bool) {
		r := newRig(t, Options{MaxHostMem: 1 << 20})
		r.setup(16, 16)
		q := 0
		if cursor {
			q = 1
		}
		if len(req) == 0 {
			req = []byte{0}
		}
		r.drv.Submit(q, false, virtiotest.Buf{Data: req}, virtiotest.Buf{Write: true, Len: 1056})
		if u := r.drv.TakeUsed(q); len(u) != 1 {
			t.Fatalf("used %v", u)
		}
	})
}

// A driver that never sets up the cursor queue (a bare-metal one needs
// none) must still get a working device.
func TestUnusedCursorQueue(t *testing.T) {
	r := newRig(t, Options{}, 1)
	if got := respType(r.cmd(cmdGetDisplayInfo)); got != respOKDisplayInfo {
		t.Fatalf("GET_DISPLAY_INFO: response %#x", got)
	}
	if st := r.drv.Read(0x070); st&virtio.StatusDeviceNeedsReset != 0 {
		t.Errorf("status %#x: the device failed over the unused cursor queue", st)
	}
}

// BenchmarkFullScreenUpdate is a full-screen 1280x800 frame as a guest
// sends it and a frontend takes it: TRANSFER_TO_HOST_2D and RESOURCE_FLUSH
// of the whole resource, then the console's Take with a copy of the dirty
// pixels (what the SDL window uploads). The desktop's target: under 2 ms.
func BenchmarkFullScreenUpdate(b *testing.B) {
	const w, h = 1280, 800
	r := newRig(b, Options{})
	r.setup(w, h)
	dst := make([]byte, w*h*4)
	b.SetBytes(w * h * 4)
	for b.Loop() {
		r.ok(cmdTransferToHost2D, rectB(0, 0, w, h), make([]byte, 8), le32(1, 0))
		r.ok(cmdResourceFlush, rectB(0, 0, w, h), le32(1, 0))
		r.con.Take(func(f *display.Frame) { copy(dst, f.Pix) })
	}
}

// TestLentSurface follows a resource shown whole, which is its
// console's surface without a copy, as the guest moves the scanout to
// another resource and back and takes the screen down: each console
// shows what its scanout shows, and the picture kept for a screenshot
// after the surface went does not change with the resource.
func TestLentSurface(t *testing.T) {
	r := newRig(t, Options{})
	r.setup(40, 24) // resource 1, generation 1, shown whole
	gen := func(g byte) func(x, y int) color.RGBA { return func(x, y int) color.RGBA { return colour(x, y, g) } }
	r.checkScreen(gen(1))

	// Resource 2, shown whole, takes the surface over.
	r.fillGuest(40, 24, 2)
	r.ok(cmdResourceCreate2D, le32(2, FormatB8G8R8X8, 40, 24))
	r.ok(cmdResourceAttachBacking, le32(2, 1), binary.LittleEndian.AppendUint64(nil, backingBase), le32(40*24*4, 0))
	r.ok(cmdTransferToHost2D, rectB(0, 0, 40, 24), make([]byte, 8), le32(2, 0))
	r.ok(cmdSetScanout, rectB(0, 0, 40, 24), le32(0, 2))
	r.checkScreen(gen(2))
	// Resource 1 changes off screen: the screen does not.
	r.fillGuest(40, 24, 3)
	r.ok(cmdTransferToHost2D, rectB(0, 0, 40, 24), make([]byte, 8), le32(1, 0))
	r.ok(cmdResourceFlush, rectB(0, 0, 40, 24), le32(1, 0))
	r.checkScreen(gen(2))
	// Back to resource 1 (now generation 3).
	r.ok(cmdSetScanout, rectB(0, 0, 40, 24), le32(0, 1))
	r.checkScreen(gen(3))
	// A part of resource 1: a surface of the console's own, fed by
	// flushes.
	r.ok(cmdSetScanout, rectB(0, 0, 20, 24), le32(0, 1))
	r.fillGuest(40, 24, 4)
	r.ok(cmdTransferToHost2D, rectB(0, 0, 40, 24), make([]byte, 8), le32(1, 0))
	r.checkScreen(gen(3))
	r.ok(cmdResourceFlush, rectB(0, 0, 40, 24), le32(1, 0))
	r.checkScreen(gen(4))
	// Whole again, then the guest frees it: the last picture stays for
	// a screenshot, whatever the guest writes to resource 2 later.
	r.ok(cmdSetScanout, rectB(0, 0, 40, 24), le32(0, 2))
	r.ok(cmdResourceUnref, le32(2, 0))
	if m := r.con.Mode(); m != (display.Mode{}) {
		t.Errorf("mode %+v after the shown resource was freed", m)
	}
	r.checkScreen(gen(2))
	if r.dev.GuestErrors() != 0 {
		t.Errorf("guest errors: %d", r.dev.GuestErrors())
	}
}

// TestLentSurfaceRace has the frontend take frames while the guest
// transfers and flushes into the lent surface (run with -race).
func TestLentSurfaceRace(t *testing.T) {
	r := newRig(t, Options{})
	r.setup(64, 48)
	done := make(chan struct{})
	go func() {
		defer close(done)
		sum := 0
		for range 200 {
			r.con.Take(func(f *display.Frame) {
				for _, b := range f.Pix {
					sum += int(b)
				}
			})
			r.con.Snapshot()
		}
		_ = sum
	}()
	for range 200 {
		r.ok(cmdTransferToHost2D, rectB(0, 0, 64, 48), make([]byte, 8), le32(1, 0))
		r.ok(cmdResourceFlush, rectB(0, 0, 64, 48), le32(1, 0))
	}
	<-done
}
