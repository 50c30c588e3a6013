//go:build sdl

package sdl

import (
	"image"
	"os"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/google/go-cmp/cmp"
	"github.com/veandco/go-sdl2/sdl"

	"mimic/devices/display"
	"mimic/devices/input"
)

// SDL's video calls must come from the main thread: TestMain serves
// onMain there while the tests run on their goroutines.
var mainCalls = make(chan func())

func TestMain(m *testing.M) {
	code := make(chan int)
	go func() { code <- m.Run() }()
	for {
		select {
		case fn := <-mainCalls:
			fn()
		case c := <-code:
			os.Exit(c)
		}
	}
}

// onMain runs fn on the main thread. fn must not call t.Fatal (it would
// end the main goroutine); t.Error is fine.
func onMain(fn func()) {
	done := make(chan struct{})
	mainCalls <- func() { defer close(done); fn() }
	<-done
}

// recorder is a guest input device that keeps what it is sent.
type recorder struct{ evs []input.Event }

func (r *recorder) Send(evs []input.Event) { r.evs = append(r.evs, evs...) }

func (r *recorder) take() []input.Event {
	evs := r.evs
	r.evs = nil
	return evs
}

// TestWindowInput drives the window's event handling with synthetic SDL
// events on the X server of $DISPLAY (Xvfb will do) and checks what
// reaches the guest's keyboard and tablet, the console and the machine.
func TestWindowInput(t *testing.T) {
	if os.Getenv("DISPLAY") == "" {
		t.Skip("no $DISPLAY (run under Xvfb)")
	}
	var skip error
	onMain(func() { skip = testWindowInput(t) })
	if skip != nil {
		// $DISPLAY is set: SDL failing to open it is a broken setup.
		t.Fatalf("cannot open a window on $DISPLAY=%s: %v", os.Getenv("DISPLAY"), skip)
	}
}

// testWindowInput is TestWindowInput on the main thread; it returns
// why it could not run.
func testWindowInput(t *testing.T) error {
	if err := InitVideo(); err != nil {
		return err
	}
	con := display.NewConsole(nil)
	con.SetMode(display.Mode{Width: 320, Height: 240, Format: display.XRGB8888})
	var hint image.Point
	con.OnSizeHint(func(w, h int) { hint = image.Pt(w, h) })
	refreshes := 0
	con.OnRefresh(func() { refreshes++ })
	kbd, tab := &recorder{}, &recorder{}
	r := input.NewRouter(nil)
	r.AddKeyboard(kbd)
	r.AddTablet(tab)
	presses, quits := 0, 0
	con2 := display.NewConsole(nil)
	w, err := NewWindow(Options{What: "test", Consoles: []*display.Console{con, con2}, Refresh: con, Input: r,
		PowerButton: func() { presses++ }, Quit: func() { quits++ }})
	if err != nil {
		t.Errorf("NewWindow: %v", err)
		return nil
	}
	defer w.destroy()
	w.update()
	w.present()
	if w.mode.Width != 320 || w.tex == nil {
		t.Errorf("after update: mode %+v, texture %v", w.mode, w.tex)
	}

	key := func(sc sdl.Scancode, down bool, mod uint16, repeat uint8) {
		typ := uint32(sdl.KEYUP)
		if down {
			typ = sdl.KEYDOWN
		}
		w.handle(&sdl.KeyboardEvent{Type: typ, Repeat: repeat, Keysym: sdl.Keysym{Scancode: sc, Mod: mod}})
	}
	check := func(what string, rec *recorder, want ...input.Event) {
		t.Helper()
		if diff := cmp.Diff(want, rec.take()); diff != "" {
			t.Errorf("%s (-want +got):\n%s", what, diff)
		}
	}

	// Keys go by position; host auto-repeat is dropped.
	key(sdl.SCANCODE_A, true, 0, 0)
	key(sdl.SCANCODE_A, true, 0, 1)
	key(sdl.SCANCODE_A, false, 0, 0)
	check("key A", kbd, input.Event{Type: input.EvKey, Code: input.KeyA, Value: 1}, input.Event{Type: input.EvKey, Code: input.KeyA, Value: 0})

	// Ctrl-Alt-G grabs and ungrabs; the G never reaches the guest.
	hot := uint16(sdl.KMOD_LCTRL | sdl.KMOD_LALT)
	key(sdl.SCANCODE_G, true, hot, 0)
	key(sdl.SCANCODE_G, false, hot, 0)
	if !w.grabbed || !strings.Contains(w.win.GetTitle(), "(Press Ctrl-Alt-G to release grab)") {
		t.Errorf("after Ctrl-Alt-G: grabbed %v, title %q", w.grabbed, w.win.GetTitle())
	}
	key(sdl.SCANCODE_G, true, hot, 0)
	key(sdl.SCANCODE_G, false, 0, 0)
	if w.grabbed || w.win.GetTitle() != "Mimic - test" {
		t.Errorf("after the second Ctrl-Alt-G: grabbed %v, title %q", w.grabbed, w.win.GetTitle())
	}
	check("the hot key", kbd)

	// Losing the focus releases what is held.
	key(sdl.SCANCODE_B, true, 0, 0)
	w.handle(&sdl.WindowEvent{Type: sdl.WINDOWEVENT, Event: sdl.WINDOWEVENT_FOCUS_LOST})
	check("focus lost", kbd, input.Event{Type: input.EvKey, Code: input.KeyB, Value: 1}, input.Event{Type: input.EvKey, Code: input.KeyB, Value: 0})

	// The pointer in the middle of the window is the middle of the
	// guest's screen, wherever the letterbox puts it.
	ww, wh := w.win.GetSize()
	w.present()
	w.handle(&sdl.MouseMotionEvent{Type: sdl.MOUSEMOTION, X: ww / 2, Y: wh / 2})
	evs := tab.take()
	if len(evs) != 2 || evs[0].Code != input.AbsX || evs[1].Code != input.AbsY ||
		abs(evs[0].Value-input.PositionMax/2) > input.PositionMax/50 || abs(evs[1].Value-input.PositionMax/2) > input.PositionMax/50 {
		t.Errorf("pointer at the window's centre: %+v", evs)
	}
	w.handle(&sdl.MouseMotionEvent{Type: sdl.MOUSEMOTION, X: 0, Y: 0})
	check("pointer at the top left", tab, input.Event{Type: input.EvAbs, Code: input.AbsX}, input.Event{Type: input.EvAbs, Code: input.AbsY})
	w.handle(&sdl.MouseButtonEvent{Type: sdl.MOUSEBUTTONDOWN, Button: sdl.BUTTON_RIGHT})
	w.handle(&sdl.MouseWheelEvent{Type: sdl.MOUSEWHEEL, Y: -1})
	check("button and wheel", tab,
		input.Event{Type: input.EvAbs, Code: input.AbsX}, input.Event{Type: input.EvAbs, Code: input.AbsY},
		input.Event{Type: input.EvKey, Code: input.BtnRight, Value: 1},
		input.Event{Type: input.EvRel, Code: input.RelWheel, Value: -1})

	// With only a relative mouse, a click grabs (and stays on the host).
	w.o.GrabOnClick = true
	w.handle(&sdl.MouseButtonEvent{Type: sdl.MOUSEBUTTONDOWN, Button: sdl.BUTTON_LEFT})
	w.handle(&sdl.MouseButtonEvent{Type: sdl.MOUSEBUTTONUP, Button: sdl.BUTTON_LEFT})
	if !w.grabbed {
		t.Errorf("a click with GrabOnClick did not grab")
	}
	w.handle(&sdl.MouseMotionEvent{Type: sdl.MOUSEMOTION, XRel: 3, YRel: -2})
	w.handle(&sdl.MouseButtonEvent{Type: sdl.MOUSEBUTTONDOWN, Button: sdl.BUTTON_LEFT})
	key(sdl.SCANCODE_G, true, hot, 0)
	key(sdl.SCANCODE_G, false, hot, 0)
	w.o.GrabOnClick = false
	// The tablet-only guest gets the relative motion as a move of the
	// remembered position (the router converts), then the click.
	if evs := tab.take(); len(evs) != 3 || evs[0].Type != input.EvAbs || evs[2] != (input.Event{Type: input.EvKey, Code: input.BtnLeft, Value: 1}) {
		t.Errorf("grabbed motion and click: %+v", evs)
	}
	w.handle(&sdl.MouseButtonEvent{Type: sdl.MOUSEBUTTONUP, Button: sdl.BUTTON_LEFT, X: 0, Y: 0})
	tab.take()

	// A resized window becomes the guest's size hint once it settles.
	w.handle(&sdl.WindowEvent{Type: sdl.WINDOWEVENT, Event: sdl.WINDOWEVENT_RESIZED, Data1: 800, Data2: 600})
	now := time.Now()
	w.tick(now)
	if hint != (image.Point{}) {
		t.Errorf("size hint %v sent while the user may still be dragging", hint)
	}
	w.tick(now.Add(time.Second))
	if hint != image.Pt(800, 600) {
		t.Errorf("size hint %v, want 800x600", hint)
	}

	// A console without flush is refreshed at the display rate, and
	// only then; without one the window sleeps until an event.
	refreshes = 0
	w.nextRefresh = time.Time{}
	w.tick(now)
	w.tick(now.Add(time.Millisecond))
	w.tick(now.Add(RefreshInterval + time.Millisecond))
	if refreshes != 2 {
		t.Errorf("%d refreshes, want 2", refreshes)
	}
	if to := w.timeout(w.nextRefresh.Add(-5 * time.Millisecond)); to != 5 {
		t.Errorf("timeout 5 ms before the next refresh = %d ms", to)
	}
	// Ctrl-Alt-2 shows the second console (no surface yet: black, no
	// refreshes), Ctrl-Alt-1 the first again.
	key(sdl.SCANCODE_2, true, hot, 0)
	key(sdl.SCANCODE_2, false, hot, 0)
	w.update()
	if w.cur != 1 || w.mode.Width != 0 || w.tex != nil {
		t.Errorf("Ctrl-Alt-2: console %d, mode %+v", w.cur, w.mode)
	}
	if to := w.timeout(now); to != -1 {
		t.Errorf("idle timeout = %d, want -1 (wait for events)", to)
	}
	key(sdl.SCANCODE_1, true, hot, 0)
	key(sdl.SCANCODE_1, false, hot, 0)
	w.update()
	if w.cur != 0 || w.mode.Width != 320 || w.tex == nil {
		t.Errorf("Ctrl-Alt-1: console %d, mode %+v", w.cur, w.mode)
	}
	check("console switches", kbd)

	// What the guest draws reaches the window, letterboxed.
	px := make([]byte, 320*240*4)
	for i := 0; i < len(px); i += 4 {
		px[i], px[i+1], px[i+2] = 0x66, 0xcc, 0x33 // B, G, R
	}
	con.Update(image.Rect(0, 0, 320, 240), px, 320*4)
	w.update()
	w.present()
	ow, oh, _ := w.ren.GetOutputSize()
	got := make([]byte, 4)
	mid := w.dst.Min.Add(w.dst.Size().Div(2))
	w.ren.ReadPixels(&sdl.Rect{X: int32(mid.X), Y: int32(mid.Y), W: 1, H: 1}, sdl.PIXELFORMAT_RGB888, unsafe.Pointer(&got[0]), 4)
	if got[0] != 0x66 || got[1] != 0xcc || got[2] != 0x33 {
		t.Errorf("pixel at the picture's centre %v in a %dx%d window: %x, want 66cc33", mid, ow, oh, got[:3])
	}
	if want := Fit(image.Pt(int(ow), int(oh)), image.Pt(320, 240), false); w.dst != want {
		t.Errorf("picture at %v, want %v", w.dst, want)
	}

	// Changes faster than the display rate are gathered into one upload
	// per FrameInterval; the first after a quiet spell goes at once.
	t0 := time.Now()
	w.lastUpdate = time.Time{}
	con.Update(image.Rect(0, 0, 1, 1), px, 320*4)
	w.wake()
	w.tick(t0)
	if w.woken.Load() {
		t.Errorf("a change after a quiet spell waits")
	}
	con.Update(image.Rect(0, 0, 1, 1), px, 320*4)
	w.wake()
	w.tick(t0.Add(time.Millisecond))
	if !w.woken.Load() {
		t.Errorf("a change 1 ms after the last upload was uploaded at once")
	}
	if to, want := w.timeout(t0.Add(time.Millisecond)), int((FrameInterval-time.Millisecond+time.Millisecond-1)/time.Millisecond); to != want {
		t.Errorf("timeout with a change waiting = %d ms, want %d", to, want)
	}
	w.tick(t0.Add(FrameInterval))
	if w.woken.Load() {
		t.Errorf("a waiting change not uploaded after FrameInterval")
	}
	if !strings.HasPrefix(w.Renderer(), "software") && os.Getenv("SDL_RENDER_DRIVER") == "" && softwareGL(hostRenderEnv) != "" {
		t.Errorf("renderer %q on a host without a GPU, want software", w.Renderer())
	}

	// A guest hardware cursor becomes the host's pointer; hidden by the
	// guest, the host's pointer hides too.
	ci := image.NewRGBA(image.Rect(0, 0, 16, 16))
	for i := range ci.Pix {
		ci.Pix[i] = 0x80 // half-transparent grey, premultiplied
	}
	w.setCursor(display.Cursor{Image: ci, HotX: 1, HotY: 2, Visible: true})
	if shown, _ := sdl.ShowCursor(sdl.QUERY); w.cursor == nil || shown != sdl.ENABLE {
		t.Errorf("guest cursor: SDL cursor %v, shown %d", w.cursor, shown)
	}
	w.setCursor(display.Cursor{Image: ci, Visible: false})
	if shown, _ := sdl.ShowCursor(sdl.QUERY); shown != sdl.DISABLE {
		t.Errorf("guest cursor hidden: host pointer shown %d", shown)
	}
	w.setCursor(display.Cursor{Visible: true})

	// The first close presses the power button, the second quits.
	w.handle(&sdl.WindowEvent{Type: sdl.WINDOWEVENT, Event: sdl.WINDOWEVENT_CLOSE})
	if presses != 1 || quits != 0 || !strings.Contains(w.win.GetTitle(), "close again to quit") {
		t.Errorf("first close: %d presses, %d quits, title %q", presses, quits, w.win.GetTitle())
	}
	w.handle(&sdl.QuitEvent{Type: sdl.QUIT})
	if presses != 1 || quits != 1 {
		t.Errorf("second close: %d presses, %d quits", presses, quits)
	}
	return nil
}

func abs(v int32) int32 {
	if v < 0 {
		return -v
	}
	return v
}
