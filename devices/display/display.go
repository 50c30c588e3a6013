// Package display is what video devices draw into and frontends show: a
// Console per screen (a scanout) holding the current surface, the dirty
// region since the frontend last looked, a hardware cursor, and the size
// the user interface would like.
//
// # Who calls what, on which goroutine
//
// Producer side (a video device: virtio-gpu, ramfb), called on the
// machine's goroutine only: SetMode, SetSurface, Update, Invalidate,
// Draw, SetCursor, MoveCursor, OnSizeHint, OnRefresh.
//
// Observer side (the machine or the command, before the machine runs):
// OnUpdate, to time what reaches the screen.
//
// Consumer side (a frontend: the SDL window, the headless screenshot
// writer), safe from any goroutine: Changed, Take, Snapshot, WritePNG,
// Mode, Refresh, SetSizeHint.
//
// The console owns its pixels: a device copies what the guest shows into
// them (Update) instead of lending its own buffer or guest RAM, so that a
// frontend never reads memory the guest or the device is writing at the
// same time. Every access to the pixels holds the console's mutex, which
// makes the contract race-free without asking anything of the device. The
// copy costs one pass over the changed rectangle, which the frontend must
// convert and upload anyway.
//
// A device whose own copy of the picture is exactly the surface (a
// virtio-gpu resource shown whole) may instead lend that buffer with
// SetSurface and save the copy: it then writes the buffer only inside
// Draw, which holds the same mutex, and reports changes with Invalidate.
// The console gives the buffer back (copying what Snapshot may still
// need) as soon as another surface replaces it. This is how QEMU's
// virtio-gpu shows a resource; the contract stays race-free.
//
// Callbacks a device registers (OnSizeHint, OnRefresh) are handed to the
// post function given to NewConsole, which runs them on the machine's
// goroutine (the clock's Post), so that the device sees them like any
// other event of its own.
//
// # An idle screen costs nothing
//
// Update records the changed rectangle and wakes the Changed channel; a
// frontend waits on that channel and, when woken, calls Take to get the
// accumulated dirty rectangle (the union of every update since its last
// Take) and converts only that. Nothing polls. The one exception is a
// device with no flush command (ramfb): its pixels change in guest RAM
// without telling anyone, so the frontend calls Refresh at its display
// rate and the device compares and copies what changed.
package display

import (
	"errors"
	"image"
	"image/png"
	"io"
	"slices"
	"sync"
)

// Mode is the geometry of a surface. The console's pixels have stride
// Width*Format.BytesPerPixel(). The zero Mode means no surface (the guest
// disabled the scanout or has not set one up).
type Mode struct {
	Width, Height int
	Format        Format
}

// Stride returns the bytes per row of a surface of mode m.
func (m Mode) Stride() int { return m.Width * m.Format.BytesPerPixel() }

// Bounds returns the surface's rectangle, origin at the top left.
func (m Mode) Bounds() image.Rectangle { return image.Rect(0, 0, m.Width, m.Height) }

// MaxSurfaceBytes bounds one surface, so that a buggy device cannot make
// the console allocate without limit (16384x16384 XRGB8888).
const MaxSurfaceBytes = 1 << 30

// Cursor is a hardware cursor: an image, its hotspot (the pixel of the
// image at the pointer's position) and where the pointer is.
type Cursor struct {
	// Image is the cursor's picture, alpha premultiplied (DRM's default
	// blend mode). nil means no cursor. The device never modifies an
	// Image once given to SetCursor, so a frontend may keep it.
	Image      *image.RGBA
	HotX, HotY int
	// X and Y are the pointer's position on the surface; Visible is
	// false while the guest hides the cursor.
	X, Y    int
	Visible bool
}

// Frame is what Take hands to a frontend: the surface and what changed.
type Frame struct {
	Mode Mode
	// Pix holds the surface's pixels, Stride bytes per row. It is valid
	// only during the Take callback.
	Pix    []byte
	Stride int
	// Dirty is the part of the surface changed since the previous Take
	// (empty when only the cursor moved).
	Dirty image.Rectangle
	// ModeChanged is set when the surface was replaced since the
	// previous Take (Dirty is then the whole surface).
	ModeChanged bool
	Cursor      Cursor
	// CursorChanged is set when the cursor's image or hotspot changed;
	// CursorMoved when its position or visibility did.
	CursorChanged, CursorMoved bool
}

// CopyRGBA converts the pixels of r (clipped to the surface) into dst at
// the same coordinates, as opaque RGBA.
func (f *Frame) CopyRGBA(dst *image.RGBA, r image.Rectangle) {
	r = r.Intersect(f.Mode.Bounds()).Intersect(dst.Rect)
	if r.Empty() {
		return
	}
	bpp := f.Mode.Format.BytesPerPixel()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		src := f.Pix[y*f.Stride+r.Min.X*bpp:]
		toRGBA(dst.Pix[dst.PixOffset(r.Min.X, y):], src, f.Mode.Format, r.Dx())
	}
}

// Console is one screen. Create it with NewConsole.
type Console struct {
	post func(func())

	mu   sync.Mutex
	mode Mode
	pix  []byte
	// lastMode and lastPix are the surface most recently removed, kept
	// for Snapshot until a new one is set.
	lastMode    Mode
	lastPix     []byte
	lent        bool // pix is a device's buffer (SetSurface)
	dirty       image.Rectangle
	modeChanged bool
	cursor      Cursor
	curChanged  bool
	curMoved    bool
	hintW       int
	hintH       int
	onHint      func(w, h int)
	onRefresh   func()
	onUpdate    func()

	changed chan struct{}
}

// NewConsole returns a console with no surface. post runs a function on
// the machine's goroutine (the clock's Post); nil runs it at once on the
// caller's goroutine, for tests.
func NewConsole(post func(func())) *Console {
	if post == nil {
		post = func(fn func()) { fn() }
	}
	return &Console{post: post, changed: make(chan struct{}, 1)}
}

// wake tells a waiting frontend that something changed. c.mu is held.
func (c *Console) wake() {
	select {
	case c.changed <- struct{}{}:
	default:
	}
}

// SetMode replaces the surface with a black one of mode m, or removes it
// when m is the zero Mode. Setting the current mode again keeps the
// pixels. It panics on an unknown format or a size beyond
// MaxSurfaceBytes: the device checks what the guest asks first.
// Machine goroutine only.
func (c *Console) SetMode(m Mode) {
	if m == (Mode{}) {
		c.mu.Lock()
		if c.mode != (Mode{}) {
			c.lastMode, c.lastPix = c.mode, c.pix
			if c.lent {
				c.lastPix = slices.Clone(c.pix)
			}
		}
		c.mode, c.pix, c.dirty, c.modeChanged, c.lent = m, nil, image.Rectangle{}, true, false
		c.wake()
		c.mu.Unlock()
		return
	}
	checkMode(m)
	c.mu.Lock()
	defer c.mu.Unlock()
	if m == c.mode {
		if c.lent {
			// Keep the picture, in pixels of our own.
			c.pix, c.lent = slices.Clone(c.pix), false
		}
		return
	}
	c.mode, c.lent = m, false
	c.pix = make([]byte, m.Stride()*m.Height)
	c.lastMode, c.lastPix = Mode{}, nil
	c.dirty, c.modeChanged = m.Bounds(), true
	c.wake()
}

// checkMode panics on a mode SetMode and SetSurface refuse.
func checkMode(m Mode) {
	if !m.Format.Valid() || m.Width <= 0 || m.Height <= 0 ||
		uint64(m.Stride())*uint64(m.Height) > MaxSurfaceBytes {
		panic("BUG: display: bad mode")
	}
}

// SetSurface makes pix, a buffer of the device's holding m.Height rows
// of m.Stride() bytes, the surface of mode m, without copying it, and
// marks it all dirty. Until the surface is replaced (SetMode,
// SetSurface, or SetMode of the zero Mode) the device writes pix only
// inside Draw and reports what it changed with Invalidate; reading it on
// the machine's goroutine needs no lock. It panics where SetMode does,
// and on a short pix. Machine goroutine only.
func (c *Console) SetSurface(m Mode, pix []byte) {
	checkMode(m)
	n := m.Stride() * m.Height
	if len(pix) < n {
		panic("BUG: display: SetSurface buffer too short")
	}
	c.mu.Lock()
	c.modeChanged = c.modeChanged || m != c.mode
	c.mode, c.pix, c.lent = m, pix[:n:n], true
	c.lastMode, c.lastPix = Mode{}, nil
	fn := c.markDirty(m.Bounds())
	c.mu.Unlock()
	if fn != nil {
		fn()
	}
}

// Draw runs fn with the console locked, for a device writing the buffer
// it lent with SetSurface. fn must not call the console's methods.
// Machine goroutine only.
func (c *Console) Draw(fn func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fn()
}

// Update copies the pixels of rectangle r (surface coordinates, in the
// surface's format) from src, whose first byte is pixel r.Min and whose
// rows are stride bytes apart, and marks r dirty. The parts of r outside
// the surface, and rows src is too short to hold, are skipped.
// Machine goroutine only.
func (c *Console) Update(r image.Rectangle, src []byte, stride int) {
	c.mu.Lock()
	cr := r.Intersect(c.mode.Bounds())
	if cr.Empty() || stride < 0 {
		c.mu.Unlock()
		return
	}
	bpp := c.mode.Format.BytesPerPixel()
	dstStride := c.mode.Stride()
	n := cr.Dx() * bpp
	base := (cr.Min.Y-r.Min.Y)*stride + (cr.Min.X-r.Min.X)*bpp
	for y := cr.Min.Y; y < cr.Max.Y; y++ {
		off := base + (y-cr.Min.Y)*stride
		if off+n > len(src) {
			cr.Max.Y = y
			break
		}
		copy(c.pix[y*dstStride+cr.Min.X*bpp:][:n], src[off:off+n])
	}
	fn := c.markDirty(cr)
	c.mu.Unlock()
	if fn != nil {
		fn()
	}
}

// Invalidate marks r dirty without changing pixels (the device redrew
// them through Update with a larger rectangle, or wants a repaint).
// Machine goroutine only.
func (c *Console) Invalidate(r image.Rectangle) {
	c.mu.Lock()
	fn := c.markDirty(r.Intersect(c.mode.Bounds()))
	c.mu.Unlock()
	if fn != nil {
		fn()
	}
}

// markDirty adds r to the dirty region and returns the OnUpdate
// function to call once c.mu is released (nil when r is empty or there
// is none). c.mu is held.
func (c *Console) markDirty(r image.Rectangle) func() {
	if r.Empty() {
		return nil
	}
	c.dirty = c.dirty.Union(r)
	c.wake()
	return c.onUpdate
}

// SetCursor sets the cursor's image and hotspot (img nil: no cursor).
// The console keeps img: the caller must not modify it afterwards.
// Machine goroutine only.
func (c *Console) SetCursor(img *image.RGBA, hotX, hotY int) {
	c.mu.Lock()
	c.cursor.Image, c.cursor.HotX, c.cursor.HotY = img, hotX, hotY
	c.curChanged = true
	c.wake()
	c.mu.Unlock()
}

// MoveCursor moves the pointer to (x, y) and shows or hides the cursor.
// Machine goroutine only.
func (c *Console) MoveCursor(x, y int, visible bool) {
	c.mu.Lock()
	if c.cursor.X != x || c.cursor.Y != y || c.cursor.Visible != visible {
		c.cursor.X, c.cursor.Y, c.cursor.Visible = x, y, visible
		c.curMoved = true
		c.wake()
	}
	c.mu.Unlock()
}

// OnSizeHint registers fn to be told, on the machine's goroutine, the
// size the user interface would like (a window was resized); 0x0 means
// the screen was closed. A device registers it once, before the machine
// runs.
func (c *Console) OnSizeHint(fn func(w, h int)) {
	c.mu.Lock()
	c.onHint = fn
	c.mu.Unlock()
}

// OnRefresh registers fn to be run, on the machine's goroutine, when a
// frontend calls Refresh: a device whose pixels change without a flush
// (ramfb) copies what changed then.
func (c *Console) OnRefresh(fn func()) {
	c.mu.Lock()
	c.onRefresh = fn
	c.mu.Unlock()
}

// OnUpdate registers fn to be called, on the machine's goroutine, after
// every Update or Invalidate that changed a non-empty part of the
// surface (the guest flushed pixels to the screen); a later call
// replaces it, nil removes it. fn runs with the console unlocked but on
// the device's path, so it must be cheap (a timestamp). It is for
// measurements, such as the time from a key press to the screen
// showing its effect; register it before the machine runs.
func (c *Console) OnUpdate(fn func()) {
	c.mu.Lock()
	c.onUpdate = fn
	c.mu.Unlock()
}

// Changed returns a channel that receives when something changed since
// the last Take: pixels, the surface, or the cursor. Any goroutine.
func (c *Console) Changed() <-chan struct{} { return c.changed }

// Take calls fn with the current frame and what changed since the last
// Take, then clears the dirty state. fn runs with the console locked: it
// must not call the console's methods, and must not keep Frame.Pix.
// Any goroutine.
func (c *Console) Take(fn func(f *Frame)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f := Frame{
		Mode: c.mode, Pix: c.pix, Stride: c.mode.Stride(), Dirty: c.dirty,
		ModeChanged: c.modeChanged, Cursor: c.cursor,
		CursorChanged: c.curChanged, CursorMoved: c.curMoved,
	}
	c.dirty, c.modeChanged, c.curChanged, c.curMoved = image.Rectangle{}, false, false, false
	// A token posted after the frontend woke but before this Take is
	// now stale; drop it so that an idle screen does not wake it again.
	select {
	case <-c.changed:
	default:
	}
	fn(&f)
}

// Mode returns the current surface's mode. Any goroutine.
func (c *Console) Mode() Mode {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.mode
}

// Cursor returns the cursor. Any goroutine.
func (c *Console) Cursor() Cursor {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cursor
}

// Refresh asks the device to bring the surface up to date, for devices
// without a flush command; it returns at once, and Changed receives when
// the device found changes. Any goroutine.
func (c *Console) Refresh() {
	c.mu.Lock()
	fn := c.onRefresh
	c.mu.Unlock()
	if fn != nil {
		c.post(fn)
	}
}

// SetSizeHint tells the device which size the user interface would like
// (0x0: none). Any goroutine.
func (c *Console) SetSizeHint(w, h int) {
	if w < 0 || h < 0 {
		w, h = 0, 0
	}
	c.mu.Lock()
	changed := w != c.hintW || h != c.hintH
	c.hintW, c.hintH = w, h
	fn := c.onHint
	c.mu.Unlock()
	if changed && fn != nil {
		c.post(func() { fn(w, h) })
	}
}

// SizeHint returns the last size hint.
func (c *Console) SizeHint() (w, h int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hintW, c.hintH
}

// Snapshot returns the screen as opaque RGBA. When the guest has removed
// its surface, it returns the last picture the surface held: a guest that
// stops often takes its screen down first (Linux 6.12 resets every
// virtio device at power-off, and virtio-gpu's reset disables its
// scanout), and a screenshot taken as it stops should show what it
// showed, not nothing. (QEMU's screendump shows its "Display output is
// not active" placeholder then.) It is a 0x0 image when the console never
// had a surface. The cursor is not drawn. It leaves the dirty state
// alone. Any goroutine.
func (c *Console) Snapshot() *image.RGBA {
	c.mu.Lock()
	defer c.mu.Unlock()
	mode, pix := c.mode, c.pix
	if mode == (Mode{}) {
		mode, pix = c.lastMode, c.lastPix
	}
	img := image.NewRGBA(mode.Bounds())
	f := Frame{Mode: mode, Pix: pix, Stride: mode.Stride()}
	f.CopyRGBA(img, img.Rect)
	return img
}

// ErrNoSurface is returned by WritePNG when the screen has no surface.
var ErrNoSurface = errors.New("display: no surface to capture (the guest has not set up the screen)")

// WritePNG writes the screen to w as a PNG image. Any goroutine.
func (c *Console) WritePNG(w io.Writer) error { return WritePNG(w, c.Snapshot()) }

// WritePNG encodes img to w as a PNG, failing with ErrNoSurface for an
// empty image.
func WritePNG(w io.Writer, img image.Image) error {
	if img.Bounds().Empty() {
		return ErrNoSurface
	}
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	return enc.Encode(w, img)
}
