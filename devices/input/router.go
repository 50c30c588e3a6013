// Package input is host-independent input: Linux evdev event types and
// codes (the vocabulary virtio-input speaks, and gpio-keys names), the
// map from USB HID keyboard usages (SDL's scancodes) to key codes, the
// US-layout characters a script can type, and the Router through which a
// frontend's keyboard and pointer reach the guest's input devices.
//
// # Goroutines
//
// Guest devices run on the machine's goroutine; a frontend (the SDL
// window) runs on another. The Router's Input methods may be called from
// any goroutine: each one is handed to the post function the board gives
// NewRouter (the clock's Post), and does its work — state, routing and
// the devices' Send — later, on the machine's goroutine. Code that
// already runs there (a scheduled input script) uses Direct, which acts
// at once and so stays deterministic. LED state flows back the other way:
// a device calls SetLED on the machine's goroutine, and LEDs may be read
// from any goroutine.
package input

import (
	"math/bits"
	"sync/atomic"
)

// Event is one input event: an evdev type, code and value (struct
// input_event without its time, the layout of virtio_input_event).
type Event struct {
	Type  uint16
	Code  uint16
	Value int32
}

// Sink is a guest input device as the Router sees it.
type Sink interface {
	// Send delivers one report: events that happened together, without
	// the closing SYN_REPORT, which the device adds. It is called on the
	// machine's goroutine; events is valid only during the call. A
	// device drops codes it does not advertise.
	Send(events []Event)
}

// Input is what feeds guest input: keys, relative motion, absolute
// positions, buttons and the wheel.
type Input interface {
	// Key presses (down) or releases a key; a button code (BTN_LEFT ...)
	// acts as Button.
	Key(code uint16, down bool)
	// Motion moves the pointer by (dx, dy) pixels.
	Motion(dx, dy int32)
	// Position puts the pointer at (x, y) in 0..PositionMax on each axis
	// (see Scale).
	Position(x, y int32)
	// Button presses or releases a pointer button (BTN_LEFT ...).
	Button(code uint16, down bool)
	// Wheel turns the vertical wheel by dy notches (positive: away from
	// the user, "up") and the horizontal one by dx (positive: right).
	Wheel(dy, dx int32)
}

// PositionMax is the largest absolute coordinate: QEMU's
// INPUT_EVENT_ABS_MAX, the range its virtio tablet advertises.
const PositionMax = 0x7fff

// Scale converts a coordinate v in a window of size pixels to the
// 0..PositionMax range of Position, clamping it to the window.
func Scale(v, size int) int32 {
	if size <= 1 || v <= 0 {
		return 0
	}
	if v >= size-1 {
		return PositionMax
	}
	return int32(int64(v) * PositionMax / int64(size-1))
}

// LEDs is a set of keyboard LEDs: bit n is LED code n (LedNumL,
// LedCapsL, LedScrollL ...).
type LEDs uint32

// Has reports whether LED code is on.
func (l LEDs) Has(code uint16) bool { return code < 32 && l&(1<<code) != 0 }

// Default screen size for converting between relative and absolute
// pointer motion when the guest lacks the matching device (SetScreen).
const (
	defaultScreenW = 1024
	defaultScreenH = 768
)

// Router delivers host input to the guest's keyboards, mice and tablets.
// Register devices (AddKeyboard ...) and the LED callback before the
// machine runs; after that see the package comment for which goroutine
// may call what.
type Router struct {
	post func(func())

	keyboards, mice, tablets []Sink
	onLEDs                   func(LEDs)
	leds                     atomic.Uint32

	// Machine-side state, touched on the machine's goroutine only.
	down             [(KeyMax + 1) / 64]uint64 // keys and buttons held
	absolute         bool                      // the last pointer event went to the tablets
	px, py           int32                     // pointer position in screen pixels
	havePos          bool
	screenW, screenH int32
	buf              []Event
}

var _ Input = (*Router)(nil)

// NewRouter returns a Router that runs host-side calls through post (the
// clock's Post). With post nil, calls act at once: the caller guarantees
// a single goroutine.
func NewRouter(post func(func())) *Router {
	return &Router{post: post, screenW: defaultScreenW, screenH: defaultScreenH}
}

// AddKeyboard registers a keyboard: it receives every key.
func (r *Router) AddKeyboard(s Sink) { r.keyboards = append(r.keyboards, s) }

// AddMouse registers a relative pointer.
func (r *Router) AddMouse(s Sink) { r.mice = append(r.mice, s) }

// AddTablet registers an absolute pointer. With a tablet, pointer buttons
// and the wheel go to it, unless the last motion was relative and a mouse
// took it.
func (r *Router) AddTablet(s Sink) {
	r.tablets = append(r.tablets, s)
	r.absolute = true
}

// OnLEDs sets the function called, on the machine's goroutine, whenever
// the guest changes its keyboard LEDs. A frontend hands the value to its
// own goroutine (or just polls LEDs).
func (r *Router) OnLEDs(fn func(LEDs)) { r.onLEDs = fn }

// SetLED records that the guest turned LED code on or off (a keyboard's
// status queue calls it on the machine's goroutine).
func (r *Router) SetLED(code uint16, on bool) {
	if code >= 32 {
		return
	}
	old := LEDs(r.leds.Load())
	l := old &^ (1 << code)
	if on {
		l |= 1 << code
	}
	if l == old {
		return
	}
	r.leds.Store(uint32(l))
	if r.onLEDs != nil {
		r.onLEDs(l)
	}
}

// LEDs returns the keyboard LEDs the guest set last; any goroutine.
func (r *Router) LEDs() LEDs { return LEDs(r.leds.Load()) }

func (r *Router) run(fn func()) {
	if r.post == nil {
		fn()
		return
	}
	r.post(fn)
}

// Key implements Input; any goroutine.
func (r *Router) Key(code uint16, down bool) { r.run(func() { r.key(code, down) }) }

// Motion implements Input; any goroutine.
func (r *Router) Motion(dx, dy int32) { r.run(func() { r.motion(dx, dy) }) }

// Position implements Input; any goroutine.
func (r *Router) Position(x, y int32) { r.run(func() { r.position(x, y) }) }

// Button implements Input; any goroutine.
func (r *Router) Button(code uint16, down bool) { r.run(func() { r.button(code, down) }) }

// Wheel implements Input; any goroutine.
func (r *Router) Wheel(dy, dx int32) { r.run(func() { r.wheel(dy, dx) }) }

// ReleaseAll releases every key and button the guest believes held (the
// window lost focus, so their releases will never come); any goroutine.
func (r *Router) ReleaseAll() { r.run(r.releaseAll) }

// SetScreen sets the guest screen size in pixels that converts absolute
// positions to relative motion for a guest with only a mouse, and back
// for one with only a tablet (default 1024x768); any goroutine.
func (r *Router) SetScreen(w, h int) {
	if w <= 0 || h <= 0 {
		return
	}
	r.run(func() { r.screenW, r.screenH = int32(w), int32(h) })
}

// Direct returns an Input that acts at once; call it only on the
// machine's goroutine (from an event scheduled on the clock).
func (r *Router) Direct() Input { return direct{r} }

type direct struct{ r *Router }

func (d direct) Key(code uint16, down bool)    { d.r.key(code, down) }
func (d direct) Motion(dx, dy int32)           { d.r.motion(dx, dy) }
func (d direct) Position(x, y int32)           { d.r.position(x, y) }
func (d direct) Button(code uint16, down bool) { d.r.button(code, down) }
func (d direct) Wheel(dy, dx int32)            { d.r.wheel(dy, dx) }

// held reports and sets whether key code is down; it returns false when
// the state does not change (a host auto-repeat, or a release of a key
// pressed before the guest could see it), so the event is dropped: the
// guest repeats keys itself (EV_REP).
func (r *Router) held(code uint16, down bool) bool {
	if code > KeyMax {
		return false
	}
	w, bit := &r.down[code/64], uint64(1)<<(code%64)
	if (*w&bit != 0) == down {
		return false
	}
	*w ^= bit
	return true
}

func (r *Router) send(sinks []Sink, evs ...Event) {
	for _, s := range sinks {
		s.Send(evs)
	}
}

func (r *Router) key(code uint16, down bool) {
	if IsButton(code) {
		r.button(code, down)
		return
	}
	if code == KeyReserved || !r.held(code, down) {
		return
	}
	r.send(r.keyboards, Event{EvKey, code, b2i(down)})
}

func (r *Router) button(code uint16, down bool) {
	if !r.held(code, down) {
		return
	}
	r.send(r.pointers(), Event{EvKey, code, b2i(down)})
}

// pointers returns where buttons and the wheel go.
func (r *Router) pointers() []Sink {
	if r.absolute && len(r.tablets) > 0 || len(r.mice) == 0 {
		return r.tablets
	}
	return r.mice
}

func (r *Router) motion(dx, dy int32) {
	if dx == 0 && dy == 0 {
		return
	}
	if len(r.mice) > 0 {
		r.absolute = false
		r.buf = r.buf[:0]
		if dx != 0 {
			r.buf = append(r.buf, Event{EvRel, RelX, dx})
		}
		if dy != 0 {
			r.buf = append(r.buf, Event{EvRel, RelY, dy})
		}
		r.send(r.mice, r.buf...)
		return
	}
	// Only a tablet: move the remembered position.
	r.px = clamp(r.px+dx, r.screenW-1)
	r.py = clamp(r.py+dy, r.screenH-1)
	r.havePos = true
	r.absolute = true
	r.send(r.tablets, Event{EvAbs, AbsX, Scale(int(r.px), int(r.screenW))}, Event{EvAbs, AbsY, Scale(int(r.py), int(r.screenH))})
}

func (r *Router) position(x, y int32) {
	x, y = clamp(x, PositionMax), clamp(y, PositionMax)
	if len(r.tablets) > 0 {
		r.absolute = true
		r.px = int32(int64(x) * int64(r.screenW-1) / PositionMax)
		r.py = int32(int64(y) * int64(r.screenH-1) / PositionMax)
		r.havePos = true
		r.send(r.tablets, Event{EvAbs, AbsX, x}, Event{EvAbs, AbsY, y})
		return
	}
	// Only a mouse: move by the difference in screen pixels.
	px := int32(int64(x) * int64(r.screenW-1) / PositionMax)
	py := int32(int64(y) * int64(r.screenH-1) / PositionMax)
	had := r.havePos
	dx, dy := px-r.px, py-r.py
	r.px, r.py, r.havePos = px, py, true
	if had {
		r.motion(dx, dy)
	}
}

func (r *Router) wheel(dy, dx int32) {
	r.buf = r.buf[:0]
	if dy != 0 {
		r.buf = append(r.buf, Event{EvRel, RelWheel, dy})
	}
	if dx != 0 {
		r.buf = append(r.buf, Event{EvRel, RelHWheel, dx})
	}
	if len(r.buf) > 0 {
		r.send(r.pointers(), r.buf...)
	}
}

func (r *Router) releaseAll() {
	for i, w := range r.down {
		for w != 0 {
			b := bits.TrailingZeros64(w)
			w &^= 1 << b
			code := uint16(i*64 + b)
			if IsButton(code) {
				r.button(code, false)
			} else {
				r.key(code, false)
			}
		}
	}
}

func clamp(v, max int32) int32 {
	if v < 0 {
		return 0
	}
	if v > max {
		return max
	}
	return v
}

func b2i(b bool) int32 {
	if b {
		return 1
	}
	return 0
}
