//go:build sdl

package sdl

import (
	"errors"
	"fmt"
	"image"
	"os"
	"runtime"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/veandco/go-sdl2/sdl"

	"mimic/devices/display"
	"mimic/devices/input"
)

// Options configure a Window.
type Options struct {
	// What names what runs, for the title ("Mimic - What").
	What string
	// Consoles are the screens. The window shows one at a time, the
	// first at start; Ctrl-Alt-1..9 switch, as in QEMU. None shows a
	// black window (the machine has no display device, but keyboard and
	// mouse still work).
	Consoles []*display.Console
	// Refresh is the console whose device has no flush command (ramfb),
	// or nil: while it is shown, has a surface and the window is
	// visible, the window calls its Refresh at the display rate.
	Refresh *display.Console
	// Input receives the keyboard and mouse; nil ignores them.
	Input *input.Router
	// PowerButton presses the guest's power button (the first close);
	// Quit stops the machine at once (the second). Both may be nil.
	PowerButton, Quit func()

	// GrabOnClick grabs the pointer on a click in the window, as QEMU
	// does for a guest with a relative mouse and no tablet: absolute
	// positions converted to motion drift under the guest's pointer
	// acceleration.
	GrabOnClick bool

	FullScreen    bool   // start in full screen
	ShowCursor    bool   // never hide the host's pointer over the window
	IntegerScale  bool   // scale by whole multiples only
	NoWindowClose bool   // the close button does nothing
	GrabMod       string // hot-key modifiers: "" or "lctrl-lalt", "lshift-lctrl-lalt", "rctrl"
}

// RefreshInterval is the display rate at which a console without flush
// (ramfb) is compared with guest RAM.
const RefreshInterval = time.Second / 60

// FrameInterval is the shortest time between two uploads of what
// changed: a guest that flushes faster than the host's display rate (a
// demo run with -icount, sleep=off) has its changes gathered into one
// upload and one present per interval, so the window costs at most a
// display's worth of frames. A change after a quiet spell is shown at
// once.
const FrameInterval = time.Second / 60

// hintDelay is how long a window size must stay put before the guest is
// asked to follow it, so that dragging a window edge does not make the
// guest switch modes at every step.
const hintDelay = 250 * time.Millisecond

// InitVideo initialises SDL's video subsystem and reports why no window
// can be opened (no $DISPLAY, no Wayland socket). Call it on the main
// thread.
func InitVideo() error {
	explicit := os.Getenv("SDL_VIDEODRIVER") != ""
	if !explicit && unixDesktop() && os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		return errors.New("neither $DISPLAY nor $WAYLAND_DISPLAY is set")
	}
	sdl.SetHint(sdl.HINT_NO_SIGNAL_HANDLERS, "1") // Ctrl-C and SIGTERM stay Go's
	sdl.SetHint(sdl.HINT_QUIT_ON_LAST_WINDOW_CLOSE, "0")
	sdl.SetHint(sdl.HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0")
	if err := sdl.InitSubSystem(sdl.INIT_VIDEO); err != nil {
		return fmt.Errorf("SDL video: %w", err)
	}
	// SDL falls back to drivers that show nothing; a window there
	// would only cost time.
	if d, _ := sdl.GetCurrentVideoDriver(); !explicit && (d == "offscreen" || d == "dummy") {
		sdl.QuitSubSystem(sdl.INIT_VIDEO)
		return fmt.Errorf("SDL found no display (only its %s driver)", d)
	}
	return nil
}

// unixDesktop reports whether windows live on X11 or Wayland here.
func unixDesktop() bool {
	switch runtime.GOOS {
	case "darwin", "windows", "ios", "android":
		return false
	}
	return true
}

// Window is the desktop window. Create it with NewWindow and drive it with
// Run, both on the main thread.
type Window struct {
	o   Options
	win *sdl.Window
	ren *sdl.Renderer
	tex *sdl.Texture

	mode      display.Mode    // the console's surface, as last taken
	texMode   display.Mode    // what tex was made for
	dst       image.Rectangle // where the picture is drawn, in drawable pixels
	cursor    *sdl.Cursor     // the guest's cursor as the host's pointer, or nil
	cursorImg *image.RGBA     // what cursor was made from
	cursorHot image.Point

	wakeType uint32      // the SDL user event that wakes Run
	woken    atomic.Bool // a wake event is queued and not yet handled

	grabbed, fullScreen, visible bool
	guestCursorHidden            bool
	cur                          int  // the console shown: an index in o.Consoles
	switched                     bool // cur changed since the last update
	swallowBtn                   bool // the click that grabbed: its release stays on the host
	closes                       int
	swallow                      map[sdl.Scancode]bool // hot keys whose release the guest must not see
	hotMods                      uint16
	hotName                      string

	hintAt       time.Time // when to send hint (zero: nothing pending)
	hint         image.Point
	nextRefresh  time.Time
	lastUpdate   time.Time // when update last ran
	needsPresent bool
	renderer     string // the renderer's name and why it was chosen
}

// NewWindow opens the window (after InitVideo). Call it on the main
// thread.
func NewWindow(o Options) (*Window, error) {
	w := &Window{o: o, visible: true, swallow: map[sdl.Scancode]bool{}}
	switch o.GrabMod {
	case "", "lctrl-lalt":
		w.hotMods, w.hotName = sdl.KMOD_LCTRL|sdl.KMOD_LALT, "Ctrl-Alt"
	case "lshift-lctrl-lalt":
		w.hotMods, w.hotName = sdl.KMOD_LSHIFT|sdl.KMOD_LCTRL|sdl.KMOD_LALT, "Shift-Ctrl-Alt"
	case "rctrl":
		w.hotMods, w.hotName = sdl.KMOD_RCTRL, "Right-Ctrl"
	default:
		return nil, fmt.Errorf("grab-mod=%s: want lctrl-lalt, lshift-lctrl-lalt or rctrl", o.GrabMod)
	}
	size := image.Pt(640, 480) // QEMU's window before the guest sets a mode
	if len(o.Consoles) > 0 {
		if m := o.Consoles[0].Mode(); m.Width > 0 {
			size = image.Pt(m.Width, m.Height)
		}
	}
	flags := uint32(sdl.WINDOW_RESIZABLE | sdl.WINDOW_ALLOW_HIGHDPI)
	if o.FullScreen {
		flags |= sdl.WINDOW_FULLSCREEN_DESKTOP
		w.fullScreen = true
	}
	win, err := sdl.CreateWindow(Title(o.What, false, w.hotName), sdl.WINDOWPOS_CENTERED, sdl.WINDOWPOS_CENTERED,
		int32(size.X), int32(size.Y), flags)
	if err != nil {
		return nil, fmt.Errorf("SDL window: %w", err)
	}
	// SDL picks the best renderer it has (accelerated, else software),
	// unless OpenGL would run on the CPU (see renderer.go).
	video, _ := sdl.GetCurrentVideoDriver()
	choice := chooseRenderer(video, hostRenderEnv)
	if choice.driver != "" {
		sdl.SetHint(sdl.HINT_RENDER_DRIVER, choice.driver)
	}
	if choice.noFBAccel {
		sdl.SetHint(sdl.HINT_FRAMEBUFFER_ACCELERATION, "0")
	}
	ren, err := sdl.CreateRenderer(win, -1, 0)
	if err != nil && choice.driver != "" {
		// Back to SDL's own choice.
		sdl.SetHint(sdl.HINT_RENDER_DRIVER, "")
		sdl.SetHint(sdl.HINT_FRAMEBUFFER_ACCELERATION, "")
		choice = rendererChoice{}
		ren, err = sdl.CreateRenderer(win, -1, 0)
	}
	if err != nil {
		win.Destroy()
		return nil, fmt.Errorf("SDL renderer: %w", err)
	}
	w.win, w.ren = win, ren
	w.renderer = "?"
	if info, err := ren.GetInfo(); err == nil {
		w.renderer = info.Name
	}
	if choice.reason != "" {
		w.renderer += " (" + choice.reason + ")"
	}
	win.SetMinimumSize(64, 48)
	w.wakeType = sdl.RegisterEvents(1)
	w.needsPresent = true
	return w, nil
}

// Renderer names SDL's renderer drawing the window ("software",
// "opengl" ...) and, when Mimic chose it over SDL's default, why.
func (w *Window) Renderer() string { return w.renderer }

// wake makes Run look at the console; any goroutine.
func (w *Window) wake() {
	if w.woken.Swap(true) {
		return
	}
	if _, err := sdl.PushEvent(&sdl.UserEvent{Type: w.wakeType}); err != nil {
		// SDL's queue is full: Run wakes for those events anyway, and
		// the next change must be able to push again.
		w.woken.Store(false)
	}
}

// Run shows the machine until done is closed (the guest stopped), then
// closes the window. Main thread only; it may be called once.
func (w *Window) Run(done <-chan struct{}) {
	defer w.destroy()
	for _, c := range w.o.Consoles {
		go func() {
			for {
				select {
				case <-c.Changed():
					w.wake()
				case <-done:
					w.wake()
					return
				}
			}
		}()
	}
	if len(w.o.Consoles) == 0 {
		go func() { <-done; w.wake() }()
	}
	w.update()
	for {
		ev := sdl.WaitEventTimeout(w.timeout(time.Now()))
		for ; ev != nil; ev = sdl.PollEvent() {
			w.handle(ev)
		}
		select {
		case <-done:
			return
		default:
		}
		w.tick(time.Now())
	}
}

// tick does what is due at now after the events: the size hint, the
// refresh of a console without flush, the upload of what changed, and
// drawing.
func (w *Window) tick(now time.Time) {
	if !w.hintAt.IsZero() && !now.Before(w.hintAt) {
		w.hintAt = time.Time{}
		if c := w.console(); c != nil {
			c.SetSizeHint(w.hint.X, w.hint.Y)
		}
	}
	if w.refreshing() && !now.Before(w.nextRefresh) {
		// The device posts its copy to the machine, which wakes us
		// through Changed when rows differ.
		w.o.Refresh.Refresh()
		w.nextRefresh = now.Add(RefreshInterval)
	}
	if w.woken.Load() && !now.Before(w.lastUpdate.Add(FrameInterval)) {
		w.update()
		w.lastUpdate = now
	}
	if w.needsPresent && w.visible {
		w.present()
	}
}

// refreshing reports whether the console must be refreshed by the clock.
func (w *Window) refreshing() bool {
	return w.o.Refresh != nil && w.console() == w.o.Refresh && w.visible && w.mode.Width > 0
}

// console returns the console shown, or nil.
func (w *Window) console() *display.Console {
	if w.cur < len(w.o.Consoles) {
		return w.o.Consoles[w.cur]
	}
	return nil
}

// showConsole switches to console n, if there is one.
func (w *Window) showConsole(n int) {
	if n >= len(w.o.Consoles) || n == w.cur {
		return
	}
	w.cur, w.switched = n, true
	w.wake()
}

// timeout is how long Run may sleep in ms: until the next refresh, size
// hint or deferred upload, or for ever (-1) when the screen is idle.
func (w *Window) timeout(now time.Time) int {
	var next time.Time
	if w.refreshing() {
		next = w.nextRefresh
	}
	if w.woken.Load() {
		if due := w.lastUpdate.Add(FrameInterval); next.IsZero() || due.Before(next) {
			next = due
		}
	}
	if !w.hintAt.IsZero() && (next.IsZero() || w.hintAt.Before(next)) {
		next = w.hintAt
	}
	if next.IsZero() {
		return -1
	}
	// Rounded up: waking early would only spin until the time comes.
	return max(0, int((next.Sub(now)+time.Millisecond-1)/time.Millisecond))
}

func (w *Window) destroy() {
	if w.grabbed {
		w.setGrab(false)
	}
	if w.cursor != nil {
		sdl.SetCursor(sdl.GetDefaultCursor())
		sdl.FreeCursor(w.cursor)
	}
	if w.tex != nil {
		w.tex.Destroy()
	}
	w.ren.Destroy()
	w.win.Destroy()
	sdl.QuitSubSystem(sdl.INIT_VIDEO)
}

// sdlFormats maps DRM formats to SDL's packed formats of the same
// layout in memory. DRM's XRGB8888 is SDL's RGB888: both name a
// little-endian 32-bit word from its high bits.
var sdlFormats = map[display.Format]uint32{
	display.XRGB8888: sdl.PIXELFORMAT_RGB888,
	display.ARGB8888: sdl.PIXELFORMAT_RGB888, // a scanout is opaque: alpha ignored
	display.XBGR8888: sdl.PIXELFORMAT_BGR888,
	display.ABGR8888: sdl.PIXELFORMAT_BGR888,
	display.RGBX8888: sdl.PIXELFORMAT_RGBX8888,
	display.RGBA8888: sdl.PIXELFORMAT_RGBX8888,
	display.BGRX8888: sdl.PIXELFORMAT_BGRX8888,
	display.BGRA8888: sdl.PIXELFORMAT_BGRX8888,
	display.RGB888:   sdl.PIXELFORMAT_BGR24, // bytes B, G, R
	display.BGR888:   sdl.PIXELFORMAT_RGB24, // bytes R, G, B
	display.RGB565:   sdl.PIXELFORMAT_RGB565,
}

// update takes what changed on the console and uploads it. It answers
// any wake: a change after this one wakes Run again.
func (w *Window) update() {
	w.woken.Store(false)
	c := w.console()
	if c == nil {
		return
	}
	// After a switch the whole of the other console is new.
	switched := w.switched
	w.switched = false
	var modeChanged, cursorChanged bool
	var cur display.Cursor
	c.Take(func(f *display.Frame) {
		if f.ModeChanged || f.Mode != w.mode || switched {
			modeChanged = true
			w.mode = f.Mode
			w.makeTexture()
		}
		dirty := f.Dirty
		if switched {
			dirty = f.Mode.Bounds()
		}
		if w.tex != nil {
			if r := dirty.Intersect(f.Mode.Bounds()); !r.Empty() {
				bpp := f.Mode.Format.BytesPerPixel()
				p := unsafe.Pointer(&f.Pix[r.Min.Y*f.Stride+r.Min.X*bpp])
				w.tex.Update(&sdl.Rect{X: int32(r.Min.X), Y: int32(r.Min.Y), W: int32(r.Dx()), H: int32(r.Dy())}, p, f.Stride)
				w.needsPresent = true
			}
		}
		cursorChanged = f.CursorChanged || f.CursorMoved || switched
		cur = f.Cursor
	})
	if modeChanged {
		w.needsPresent = true
		if w.mode.Width > 0 {
			if w.o.Input != nil {
				w.o.Input.SetScreen(w.mode.Width, w.mode.Height)
			}
			w.fitWindow()
			w.nextRefresh = time.Now()
		}
	}
	if cursorChanged {
		w.setCursor(cur)
	}
}

// makeTexture replaces the texture with one for w.mode (none for no
// surface).
func (w *Window) makeTexture() {
	if w.tex != nil && w.texMode == w.mode {
		return
	}
	if w.tex != nil {
		w.tex.Destroy()
		w.tex = nil
	}
	w.texMode = w.mode
	if w.mode.Width <= 0 {
		return
	}
	f, ok := sdlFormats[w.mode.Format]
	if !ok {
		return // the display package knows no other formats
	}
	// Sharp pixels at whole multiples, smooth otherwise.
	q := "linear"
	if w.o.IntegerScale {
		q = "nearest"
	}
	sdl.SetHint(sdl.HINT_RENDER_SCALE_QUALITY, q)
	tex, err := w.ren.CreateTexture(f, sdl.TEXTUREACCESS_STREAMING, int32(w.mode.Width), int32(w.mode.Height))
	if err != nil {
		return
	}
	tex.SetBlendMode(sdl.BLENDMODE_NONE)
	w.tex = tex
}

// fitWindow makes the window the guest's size (1 guest pixel a point),
// as QEMU's zoom-to-fit=off, within the screen's usable area; a full
// screen or maximized window keeps its size and letterboxes.
func (w *Window) fitWindow() {
	if w.fullScreen || w.win.GetFlags()&sdl.WINDOW_MAXIMIZED != 0 {
		return
	}
	size := image.Pt(w.mode.Width, w.mode.Height)
	if i, err := w.win.GetDisplayIndex(); err == nil {
		if b, err := sdl.GetDisplayUsableBounds(i); err == nil && b.W > 0 && b.H > 0 {
			if size.X > int(b.W) || size.Y > int(b.H) {
				size = Fit(image.Pt(int(b.W), int(b.H)), size, false).Size()
			}
		}
	}
	if cw, ch := w.win.GetSize(); int(cw) != size.X || int(ch) != size.Y {
		w.win.SetSize(int32(size.X), int32(size.Y))
	}
}

// present draws the picture letterboxed into the drawable.
func (w *Window) present() {
	w.needsPresent = false
	ow, oh, err := w.ren.GetOutputSize() // pixels: more than points on HiDPI
	if err != nil {
		return
	}
	out := image.Rect(0, 0, int(ow), int(oh))
	w.dst = image.Rectangle{}
	if w.tex != nil {
		w.dst = Fit(out.Size(), image.Pt(w.mode.Width, w.mode.Height), w.o.IntegerScale)
	}
	if w.dst != out {
		// Black bars (the picture covering all, as it usually does,
		// needs no clearing: a pass over the screen saved).
		w.ren.SetDrawColor(0, 0, 0, 255)
		w.ren.Clear()
	}
	if w.tex != nil {
		w.ren.Copy(w.tex, nil, &sdl.Rect{X: int32(w.dst.Min.X), Y: int32(w.dst.Min.Y), W: int32(w.dst.Dx()), H: int32(w.dst.Dy())})
	}
	w.ren.Present()
}

func (w *Window) setTitle() {
	t := Title(w.o.What, w.grabbed, w.hotName)
	if w.closes > 0 {
		t += " (powering off: close again to quit)"
	}
	w.win.SetTitle(t)
}

// setGrab gives the guest the keyboard (system keys included) and a
// relative mouse, or gives them back.
func (w *Window) setGrab(on bool) {
	w.grabbed = on
	sdl.SetRelativeMouseMode(on)
	w.win.SetGrab(on)
	w.win.SetKeyboardGrab(on)
	w.setTitle()
	w.showCursor()
}

func (w *Window) setFullScreen(on bool) {
	var flags uint32
	if on {
		flags = sdl.WINDOW_FULLSCREEN_DESKTOP
	}
	if w.win.SetFullscreen(flags) == nil {
		w.fullScreen = on
	}
	if !on && w.mode.Width > 0 {
		w.fitWindow()
	}
	w.needsPresent = true
}

func (w *Window) handle(ev sdl.Event) {
	switch e := ev.(type) {
	case *sdl.UserEvent:
		// w.wakeType: Run looks at the console after the events.
	case *sdl.QuitEvent:
		w.closeRequest()
	case *sdl.WindowEvent:
		w.windowEvent(e)
	case *sdl.KeyboardEvent:
		w.key(e)
	case *sdl.MouseMotionEvent:
		if w.o.Input == nil || e.Which == sdl.TOUCH_MOUSEID {
			return
		}
		if w.grabbed {
			w.o.Input.Motion(e.XRel, e.YRel)
		} else {
			w.position(e.X, e.Y)
		}
	case *sdl.MouseButtonEvent:
		if w.o.Input == nil || e.Which == sdl.TOUCH_MOUSEID {
			return
		}
		code, ok := map[uint8]uint16{sdl.BUTTON_LEFT: input.BtnLeft, sdl.BUTTON_MIDDLE: input.BtnMiddle,
			sdl.BUTTON_RIGHT: input.BtnRight, sdl.BUTTON_X1: input.BtnSide, sdl.BUTTON_X2: input.BtnExtra}[e.Button]
		if !ok {
			return
		}
		down := e.Type == sdl.MOUSEBUTTONDOWN
		if !w.grabbed && w.o.GrabOnClick && down && code == input.BtnLeft {
			w.setGrab(true)
			w.swallowBtn = true // nor its release
			return
		}
		if !down && code == input.BtnLeft && w.swallowBtn {
			w.swallowBtn = false
			return
		}
		if !w.grabbed {
			w.position(e.X, e.Y)
		}
		w.o.Input.Button(code, down)
	case *sdl.MouseWheelEvent:
		if w.o.Input == nil {
			return
		}
		dy, dx := e.Y, e.X
		if e.Direction == sdl.MOUSEWHEEL_FLIPPED {
			dy, dx = -dy, -dx
		}
		w.o.Input.Wheel(dy, dx)
	}
}

func (w *Window) windowEvent(e *sdl.WindowEvent) {
	switch e.Event {
	case sdl.WINDOWEVENT_CLOSE:
		w.closeRequest()
	case sdl.WINDOWEVENT_EXPOSED, sdl.WINDOWEVENT_SIZE_CHANGED:
		w.needsPresent = true
	case sdl.WINDOWEVENT_RESIZED:
		w.needsPresent = true
		// The guest follows the window (zoom-to-fit off), once the
		// user stops dragging.
		w.hint = image.Pt(int(e.Data1), int(e.Data2))
		w.hintAt = time.Now().Add(hintDelay)
	case sdl.WINDOWEVENT_MINIMIZED, sdl.WINDOWEVENT_HIDDEN:
		w.visible = false
	case sdl.WINDOWEVENT_RESTORED, sdl.WINDOWEVENT_SHOWN, sdl.WINDOWEVENT_MAXIMIZED:
		w.visible, w.needsPresent = true, true
	case sdl.WINDOWEVENT_FOCUS_LOST:
		// Keys released elsewhere would stay held in the guest.
		if w.o.Input != nil {
			w.o.Input.ReleaseAll()
		}
		clear(w.swallow)
		if w.grabbed && !w.fullScreen {
			w.setGrab(false)
		}
	}
}

// closeRequest is the close button: the first presses the guest's power
// button (an orderly shutdown, as QEMU's), the second stops the machine.
func (w *Window) closeRequest() {
	if w.o.NoWindowClose {
		return
	}
	w.closes++
	if w.closes == 1 && w.o.PowerButton != nil {
		w.o.PowerButton()
		w.setTitle()
		return
	}
	if w.o.Quit != nil {
		w.o.Quit()
	}
}

// key forwards a key by its position (scancode), never its character:
// the guest applies its own layout. Host auto-repeat is dropped (the
// guest repeats keys itself). The hot keys stay on the host.
func (w *Window) key(e *sdl.KeyboardEvent) {
	sc := e.Keysym.Scancode
	down := e.Type == sdl.KEYDOWN
	if e.Repeat != 0 {
		return
	}
	if down && e.Keysym.Mod&w.hotMods == w.hotMods && w.hotKey(sc) {
		w.swallow[sc] = true
		return
	}
	if !down && w.swallow[sc] {
		delete(w.swallow, sc)
		return
	}
	if w.o.Input == nil {
		return
	}
	if code, ok := input.FromSDLScancode(uint16(sc)); ok {
		w.o.Input.Key(code, down)
	}
}

// hotKey acts on a hot key (pressed with the grab modifiers) and reports
// whether sc is one.
func (w *Window) hotKey(sc sdl.Scancode) bool {
	switch sc {
	case sdl.SCANCODE_G:
		w.setGrab(!w.grabbed)
	case sdl.SCANCODE_F:
		w.setFullScreen(!w.fullScreen)
	case sdl.SCANCODE_1, sdl.SCANCODE_2, sdl.SCANCODE_3, sdl.SCANCODE_4, sdl.SCANCODE_5,
		sdl.SCANCODE_6, sdl.SCANCODE_7, sdl.SCANCODE_8, sdl.SCANCODE_9:
		w.showConsole(int(sc - sdl.SCANCODE_1))
	case sdl.SCANCODE_U:
		// Back to one guest pixel per point.
		if w.fullScreen {
			w.setFullScreen(false)
		}
		if w.mode.Width > 0 {
			w.win.SetSize(int32(w.mode.Width), int32(w.mode.Height))
		}
	default:
		return false
	}
	return true
}

// position sends the pointer's window position (points) to the guest as
// an absolute position on its screen, through the letterbox.
func (w *Window) position(x, y int32) {
	ww, wh := w.win.GetSize()
	ow, oh, err := w.ren.GetOutputSize()
	if err != nil {
		return
	}
	p := ScalePoint(image.Pt(int(x), int(y)), image.Pt(int(ww), int(wh)), image.Pt(int(ow), int(oh)))
	if w.mode.Width <= 0 || w.dst.Empty() {
		// No picture: the whole window stands for the screen.
		w.o.Input.Position(input.Scale(p.X, int(ow)), input.Scale(p.Y, int(oh)))
		return
	}
	src := image.Pt(w.mode.Width, w.mode.Height)
	g, _ := ToGuest(p, w.dst, src)
	w.o.Input.Position(input.Scale(g.X, src.X), input.Scale(g.Y, src.Y))
}

// setCursor shows the guest's hardware cursor as the host's pointer
// while the pointer is not grabbed (the guest then draws no pointer of
// its own), and hides the host's pointer when the guest hides its.
func (w *Window) setCursor(c display.Cursor) {
	if c.Image == nil || c.Image.Rect.Empty() {
		c.Image = nil
	}
	// The console hands over a new image for every change of picture
	// (it never modifies one), so a move keeps the cursor.
	if hot := image.Pt(c.HotX, c.HotY); c.Image != w.cursorImg || hot != w.cursorHot {
		w.cursorImg, w.cursorHot = c.Image, hot
		var cur *sdl.Cursor
		if c.Image != nil {
			cur = makeCursor(c)
		}
		if cur == nil {
			sdl.SetCursor(sdl.GetDefaultCursor())
		} else {
			sdl.SetCursor(cur)
		}
		if w.cursor != nil {
			sdl.FreeCursor(w.cursor)
		}
		w.cursor = cur
	}
	w.guestCursorHidden = w.cursor != nil && !c.Visible
	w.showCursor()
}

func (w *Window) showCursor() {
	if w.grabbed {
		return // relative mode hides it
	}
	show := sdl.ENABLE
	if w.guestCursorHidden && !w.o.ShowCursor {
		show = sdl.DISABLE
	}
	sdl.ShowCursor(show)
}

// makeCursor converts a cursor image (premultiplied RGBA) to an SDL
// colour cursor (straight alpha), or nil.
func makeCursor(c display.Cursor) *sdl.Cursor {
	img := c.Image
	b := img.Rect
	s, err := sdl.CreateRGBSurfaceWithFormat(0, int32(b.Dx()), int32(b.Dy()), 32, sdl.PIXELFORMAT_ABGR8888)
	if err != nil {
		return nil
	}
	defer s.Free()
	s.Lock()
	dst, pitch := s.Pixels(), int(s.Pitch)
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			i := img.PixOffset(b.Min.X+x, b.Min.Y+y)
			r, g, bl, a := img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3]
			if a != 0 && a != 255 {
				r, g, bl = unpremul(r, a), unpremul(g, a), unpremul(bl, a)
			}
			copy(dst[y*pitch+x*4:], []byte{r, g, bl, a})
		}
	}
	s.Unlock()
	return sdl.CreateColorCursor(s, int32(c.HotX), int32(c.HotY))
}

func unpremul(c, a uint8) uint8 { return uint8(min(255, int(c)*255/int(a))) }
