package display

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// pixel encodes opaque colour (r, g, b) in format f.
func pixel(f Format, r, g, b byte) []byte {
	switch f {
	case RGB565:
		v := uint16(r>>3)<<11 | uint16(g>>2)<<5 | uint16(b>>3)
		return []byte{byte(v), byte(v >> 8)}
	}
	l := layouts[f]
	p := make([]byte, l.size)
	for i := range p {
		p[i] = 0xee // the x or A byte: ignored
	}
	p[l.r], p[l.g], p[l.b] = r, g, b
	return p
}

func TestFormats(t *testing.T) {
	for f := range layouts {
		for _, c := range []color.RGBA{{0x12, 0x34, 0x56, 0xff}, {0xff, 0, 0, 0xff}, {0, 0xff, 0, 0xff}, {0, 0, 0xff, 0xff}} {
			src := pixel(f, c.R, c.G, c.B)
			if len(src) != f.BytesPerPixel() {
				t.Fatalf("%v: pixel of %d bytes, BytesPerPixel %d", f, len(src), f.BytesPerPixel())
			}
			got := make([]byte, 4)
			toRGBA(got, src, f, 1)
			want := []byte{c.R, c.G, c.B, 0xff}
			if f == RGB565 {
				want = []byte{c.R&^7 | c.R>>5, c.G&^3 | c.G>>6, c.B&^7 | c.B>>5, 0xff}
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%v: %v -> %v, want %v", f, src, got, want)
			}
		}
	}
	if XRGB8888.String() != "XR24" || Format(1).String() != "0x00000001" || Format(1).Valid() {
		t.Errorf("String/Valid: %q %q", XRGB8888.String(), Format(1).String())
	}
}

func TestUpdateDirtyAndSnapshot(t *testing.T) {
	c := NewConsole(nil)
	select {
	case <-c.Changed():
		t.Fatal("new console reports a change")
	default:
	}
	c.SetMode(Mode{Width: 8, Height: 4, Format: XBGR8888})
	<-c.Changed()
	c.Take(func(f *Frame) {
		if !f.ModeChanged || f.Dirty != image.Rect(0, 0, 8, 4) {
			t.Errorf("after SetMode: changed=%v dirty=%v", f.ModeChanged, f.Dirty)
		}
	})
	// Nothing changed: no token, empty dirty region.
	select {
	case <-c.Changed():
		t.Fatal("idle console reports a change")
	default:
	}
	// A 2x2 red block at (1,1), from a source with a wider stride,
	// partly outside the surface on the right: (7,1)-(9,3).
	src := make([]byte, 3*4*2)
	for i := 0; i < 2; i++ {
		copy(src[i*12:], pixel(XBGR8888, 0xff, 0, 0))
		copy(src[i*12+4:], pixel(XBGR8888, 0xff, 0, 0))
	}
	c.Update(image.Rect(1, 1, 3, 3), src, 12)
	c.Update(image.Rect(7, 1, 9, 3), src, 12)
	<-c.Changed()
	c.Take(func(f *Frame) {
		if f.ModeChanged || f.Dirty != image.Rect(1, 1, 8, 3) {
			t.Errorf("dirty %v (mode changed %v), want (1,1)-(8,3)", f.Dirty, f.ModeChanged)
		}
	})
	img := c.Snapshot()
	for y := 0; y < 4; y++ {
		for x := 0; x < 8; x++ {
			want := color.RGBA{0, 0, 0, 0xff}
			if (x == 1 || x == 2 || x == 7) && (y == 1 || y == 2) {
				want = color.RGBA{0xff, 0, 0, 0xff}
			}
			if got := img.RGBAAt(x, y); got != want {
				t.Errorf("(%d,%d) = %v, want %v", x, y, got, want)
			}
		}
	}
	var buf bytes.Buffer
	if err := c.WritePNG(&buf); err != nil {
		t.Fatal(err)
	}
	dec, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if r, _, _, _ := dec.At(1, 1).RGBA(); r != 0xffff || dec.Bounds() != image.Rect(0, 0, 8, 4) {
		t.Errorf("PNG: bounds %v, red at (1,1) %#x", dec.Bounds(), r)
	}
	// Short source: only the rows it holds are copied and dirty.
	c.Update(image.Rect(0, 0, 2, 3), src[:12+8], 12)
	c.Take(func(f *Frame) {
		if f.Dirty != image.Rect(0, 0, 2, 2) {
			t.Errorf("short source: dirty %v, want (0,0)-(2,2)", f.Dirty)
		}
	})
	// Without a surface ever: ErrNoSurface. (A removed surface leaves
	// its last picture: TestSnapshotAfterSurfaceRemoved.)
	if err := NewConsole(nil).WritePNG(&buf); err != ErrNoSurface {
		t.Errorf("WritePNG without a surface: %v", err)
	}
}

func TestCursorAndHints(t *testing.T) {
	var posted []func()
	c := NewConsole(func(fn func()) { posted = append(posted, fn) })
	var hints [][2]int
	c.OnSizeHint(func(w, h int) { hints = append(hints, [2]int{w, h}) })
	refreshes := 0
	c.OnRefresh(func() { refreshes++ })
	c.SetSizeHint(1024, 768)
	c.SetSizeHint(1024, 768) // unchanged: not posted again
	c.Refresh()
	if len(hints) != 0 || refreshes != 0 || len(posted) != 2 {
		t.Fatalf("callbacks ran before being posted, or %d posted", len(posted))
	}
	for _, fn := range posted {
		fn()
	}
	if diff := cmp.Diff([][2]int{{1024, 768}}, hints); diff != "" || refreshes != 1 {
		t.Errorf("hints (-want +got):\n%s refreshes %d", diff, refreshes)
	}

	img := image.NewRGBA(image.Rect(0, 0, 2, 2))
	c.SetCursor(img, 1, 0)
	c.MoveCursor(10, 20, true)
	<-c.Changed()
	c.Take(func(f *Frame) {
		want := Cursor{Image: img, HotX: 1, X: 10, Y: 20, Visible: true}
		if f.Cursor != want || !f.CursorChanged || !f.CursorMoved || !f.Dirty.Empty() {
			t.Errorf("frame cursor %+v changed=%v moved=%v dirty=%v", f.Cursor, f.CursorChanged, f.CursorMoved, f.Dirty)
		}
	})
	c.MoveCursor(10, 20, true)
	select {
	case <-c.Changed():
		t.Error("moving the cursor to where it is reports a change")
	default:
	}
}

// TestConcurrent runs a producer and a consumer at once (go test -race).
func TestConcurrent(t *testing.T) {
	c := NewConsole(nil)
	c.SetMode(Mode{Width: 64, Height: 64, Format: XRGB8888})
	row := bytes.Repeat([]byte{1, 2, 3, 4}, 64)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		dst := image.NewRGBA(image.Rect(0, 0, 64, 64))
		for {
			select {
			case <-c.Changed():
				c.Take(func(f *Frame) { f.CopyRGBA(dst, f.Dirty) })
			case <-done:
				return
			}
		}
	}()
	for i := 0; i < 1000; i++ {
		y := i % 64
		c.Update(image.Rect(0, y, 64, y+1), row, len(row))
		if i%100 == 0 {
			c.MoveCursor(i, i, true)
			_ = c.Snapshot()
		}
	}
	close(done)
	wg.Wait()
}

// TestSnapshotAfterSurfaceRemoved: a guest that removes its surface as it
// stops (Linux 6.12 resets every virtio device at power-off, and
// virtio-gpu's reset disables its scanout) still leaves the last picture
// it showed for Snapshot, which --screenshot saves when the guest stops.
// A console that never had a surface still has none, and a new surface
// replaces the kept picture.
func TestSnapshotAfterSurfaceRemoved(t *testing.T) {
	c := NewConsole(nil)
	if img := c.Snapshot(); !img.Rect.Empty() {
		t.Fatalf("a new console's snapshot is %v, want empty", img.Rect)
	}
	m := Mode{Width: 4, Height: 2, Format: XRGB8888}
	c.SetMode(m)
	red := bytes.Repeat(pixel(XRGB8888, 0xff, 0, 0), 4*2)
	c.Update(m.Bounds(), red, m.Stride())
	c.SetMode(Mode{})
	if got := c.Mode(); got != (Mode{}) {
		t.Errorf("mode after removal %+v, want none", got)
	}
	img := c.Snapshot()
	if img.Rect != m.Bounds() {
		t.Fatalf("snapshot after removal is %v, want the last surface's %v", img.Rect, m.Bounds())
	}
	if got := img.RGBAAt(3, 1); got != (color.RGBA{0xff, 0, 0, 0xff}) {
		t.Errorf("snapshot after removal: pixel (3,1) %v, want the last picture's red", got)
	}
	var buf bytes.Buffer
	if err := c.WritePNG(&buf); err != nil {
		t.Errorf("WritePNG after removal: %v", err)
	}
	m2 := Mode{Width: 2, Height: 2, Format: XRGB8888}
	c.SetMode(m2)
	if img := c.Snapshot(); img.Rect != m2.Bounds() || img.RGBAAt(0, 0) != (color.RGBA{0, 0, 0, 0xff}) {
		t.Errorf("snapshot of a new surface: %v, pixel %v; want %v, black", img.Rect, img.RGBAAt(0, 0), m2.Bounds())
	}
}

// TestOnUpdate checks that the observer hears of changed pixels only,
// and may use the console (it runs unlocked).
func TestOnUpdate(t *testing.T) {
	c := NewConsole(nil)
	n := 0
	c.OnUpdate(func() { n++; c.Mode() })
	c.Update(image.Rect(0, 0, 2, 2), make([]byte, 16), 8) // no surface yet
	c.SetMode(Mode{Width: 8, Height: 4, Format: XRGB8888})
	if n != 0 {
		t.Fatalf("%d updates before any pixels changed", n)
	}
	c.Update(image.Rect(0, 0, 2, 2), make([]byte, 16), 8)
	c.Update(image.Rect(20, 20, 22, 22), make([]byte, 16), 8) // off the surface
	c.Invalidate(image.Rect(1, 1, 3, 3))
	c.Invalidate(image.Rectangle{})
	c.MoveCursor(3, 3, true)
	if n != 2 {
		t.Errorf("OnUpdate called %d times, want 2 (an Update and an Invalidate)", n)
	}
	c.OnUpdate(nil)
	c.Invalidate(image.Rect(1, 1, 3, 3))
	if n != 2 {
		t.Errorf("OnUpdate(nil) did not remove the observer")
	}
}

// TestSetSurface checks a lent surface: no copy while lent, and the
// console's own copy as soon as it is replaced.
func TestSetSurface(t *testing.T) {
	c := NewConsole(nil)
	m := Mode{Width: 2, Height: 1, Format: XRGB8888}
	buf := []byte{1, 2, 3, 0, 4, 5, 6, 0}
	updates := 0
	c.OnUpdate(func() { updates++ })
	c.SetSurface(m, buf)
	c.Take(func(f *Frame) {
		if !f.ModeChanged || f.Dirty != m.Bounds() || &f.Pix[0] != &buf[0] {
			t.Errorf("after SetSurface: %+v", f)
		}
	})
	c.Draw(func() { buf[0] = 9 })
	c.Invalidate(image.Rect(0, 0, 1, 1))
	if got := c.Snapshot().Pix[2]; got != 9 {
		t.Errorf("a write inside Draw not on screen: blue %d", got)
	}
	if updates != 2 {
		t.Errorf("%d OnUpdate calls, want 2", updates)
	}
	// The same mode again: the console keeps the picture in its own
	// pixels, and the device's buffer is its own again.
	c.SetMode(m)
	buf[0] = 7
	if got := c.Snapshot().Pix[2]; got != 9 {
		t.Errorf("the device's buffer still shown after SetMode: blue %d", got)
	}
	// Lent again, then taken down: the picture kept for Snapshot is a
	// copy.
	c.SetSurface(m, buf)
	c.SetMode(Mode{})
	buf[0] = 1
	if got := c.Snapshot().Pix[2]; got != 7 {
		t.Errorf("snapshot after the surface went: blue %d, want 7", got)
	}
}
