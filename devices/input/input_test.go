package input

import (
	"go/ast"
	"go/constant"
	"go/parser"
	"go/token"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestHIDKnownPairs checks usages against the HID Usage Tables (Keyboard/
// Keypad page) and the key codes of input-event-codes.h.
func TestHIDKnownPairs(t *testing.T) {
	for _, tc := range []struct {
		usage uint16
		key   uint16
	}{
		{0x04, 30},  // a and A -> KEY_A
		{0x1d, 44},  // z and Z -> KEY_Z
		{0x1e, 2},   // 1 and ! -> KEY_1
		{0x27, 11},  // 0 and ) -> KEY_0
		{0x28, 28},  // Return -> KEY_ENTER
		{0x29, 1},   // Escape -> KEY_ESC
		{0x2a, 14},  // Delete (Backspace) -> KEY_BACKSPACE
		{0x2c, 57},  // Spacebar -> KEY_SPACE
		{0x39, 58},  // Caps Lock
		{0x3a, 59},  // F1
		{0x45, 88},  // F12
		{0x46, 99},  // PrintScreen -> KEY_SYSRQ
		{0x4c, 111}, // Delete Forward -> KEY_DELETE
		{0x4f, 106}, // RightArrow
		{0x50, 105}, // LeftArrow
		{0x51, 108}, // DownArrow
		{0x52, 103}, // UpArrow
		{0x53, 69},  // Num Lock
		{0x58, 96},  // Keypad ENTER
		{0x62, 82},  // Keypad 0
		{0x64, 86},  // Non-US \ -> KEY_102ND
		{0x65, 127}, // Application -> KEY_COMPOSE
		{0x68, 183}, // F13
		{0x87, 89},  // International1 -> KEY_RO
		{0xe0, 29},  // LeftControl
		{0xe2, 56},  // LeftAlt
		{0xe3, 125}, // Left GUI -> KEY_LEFTMETA
		{0xe6, 100}, // RightAlt
		{0xe7, 126}, // Right GUI
	} {
		got, ok := FromHID(tc.usage)
		if !ok || got != tc.key {
			t.Errorf("FromHID(%#x) = %d, %v; want %d (%s)", tc.usage, got, ok, tc.key, Name(EvKey, tc.key))
		}
	}
	for _, u := range []uint16{0, 1, 2, 3, 0x82, 0xe8, 0xff, 0x100, 0xffff} {
		if c, ok := FromHID(u); ok {
			t.Errorf("FromHID(%#x) = %d, want no key", u, c)
		}
	}
}

// TestHIDComplete checks that every key of a 105-key keyboard (usages
// 0x04..0x65 and the eight modifiers) has a code, with a name, and that
// no two keys share one except the two backslash positions.
func TestHIDComplete(t *testing.T) {
	seen := map[uint16]uint16{}
	check := func(u uint16) {
		c, ok := FromHID(u)
		if !ok {
			t.Errorf("usage %#x has no key", u)
			return
		}
		if Name(EvKey, c) == "" {
			t.Errorf("usage %#x -> key %d has no name", u, c)
		}
		if prev, dup := seen[c]; dup && !(prev == 0x31 && u == 0x32) {
			t.Errorf("usages %#x and %#x both give %s", prev, u, Name(EvKey, c))
		}
		seen[c] = u
	}
	for u := uint16(0x04); u <= 0x65; u++ {
		check(u)
	}
	for u := uint16(0xe0); u <= 0xe7; u++ {
		check(u)
	}
	if len(seen) != 105 {
		t.Errorf("%d distinct keys, want 105", len(seen))
	}
}

func TestSDLScancodes(t *testing.T) {
	for _, tc := range []struct{ sc, key uint16 }{{4, KeyA}, {41, KeyEsc}, {224, KeyLeftCtrl}, {261, KeyPlayPause}, {262, KeyMute}} {
		if got, ok := FromSDLScancode(tc.sc); !ok || got != tc.key {
			t.Errorf("FromSDLScancode(%d) = %d, %v; want %d", tc.sc, got, ok, tc.key)
		}
	}
	if _, ok := FromSDLScancode(257); ok {
		t.Error("SDL_SCANCODE_MODE mapped")
	}
}

// TestConstantNames parses codes.go and checks that every named constant
// has the Linux name its Go name spells (KeyLeftCtrl is KEY_LEFTCTRL),
// so the two lists cannot drift.
func TestConstantNames(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "codes.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	prefixes := []struct {
		goPrefix, linux string
		typ             uint16
	}{
		{"Key", "KEY_", EvKey}, {"Btn", "BTN_", EvKey}, {"Rel", "REL_", EvRel}, {"Abs", "ABS_", EvAbs},
		{"Led", "LED_", EvLed}, {"Syn", "SYN_", EvSyn}, {"Msc", "MSC_", EvMsc}, {"Ev", "EV_", 0xffff},
	}
	n := 0
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			for i, id := range vs.Names {
				lit, ok := vs.Values[i].(*ast.BasicLit)
				if !ok {
					continue
				}
				v, _ := constant.Uint64Val(constant.MakeFromLiteral(lit.Value, lit.Kind, 0))
				if strings.HasSuffix(id.Name, "Max") {
					continue
				}
				for _, p := range prefixes {
					if !strings.HasPrefix(id.Name, p.goPrefix) {
						continue
					}
					rest := strings.ToUpper(strings.TrimPrefix(id.Name, p.goPrefix))
					var got string
					if p.typ == 0xffff {
						got = TypeName(uint16(v))
					} else {
						got = Name(p.typ, uint16(v))
					}
					if strings.ReplaceAll(got, "_", "") != strings.ReplaceAll(p.linux+rest, "_", "") {
						t.Errorf("%s = %d is named %q", id.Name, v, got)
					}
					n++
					break
				}
			}
		}
	}
	if n < 200 {
		t.Errorf("checked only %d constants", n)
	}
}

func TestLookup(t *testing.T) {
	for _, tc := range []struct {
		s         string
		typ, code uint16
	}{
		{"KEY_A", EvKey, 30}, {"key_enter", EvKey, 28}, {"BTN_LEFT", EvKey, 0x110},
		{"REL_WHEEL", EvRel, 8}, {"ABS_Y", EvAbs, 1}, {"LED_CAPSL", EvLed, 1}, {"SYN_REPORT", EvSyn, 0},
	} {
		typ, code, ok := Lookup(tc.s)
		if !ok || typ != tc.typ || code != tc.code {
			t.Errorf("Lookup(%q) = %d, %d, %v", tc.s, typ, code, ok)
		}
		if n := Name(typ, code); n != strings.ToUpper(tc.s) {
			t.Errorf("Name(%d, %d) = %q", typ, code, n)
		}
	}
	for _, s := range []string{"EV_KEY", "KEY_NOPE", "", "a"} {
		if _, _, ok := Lookup(s); ok {
			t.Errorf("Lookup(%q) succeeded", s)
		}
	}
	keys := map[string]uint16{
		"a": KeyA, "A": KeyA, "KEY_A": KeyA, "enter": KeyEnter, "Return": KeyEnter, "esc": KeyEsc,
		"left": KeyLeft, "leftctrl": KeyLeftCtrl, "ctrl": KeyLeftCtrl, "f12": KeyF12, "kp0": KeyKP0,
		"1": Key1, "/": KeySlash, "space": KeySpace, "102nd": Key102nd, "power": KeyPower, "BTN_LEFT": BtnLeft,
	}
	for s, want := range keys {
		if got, ok := KeyByName(s); !ok || got != want {
			t.Errorf("KeyByName(%q) = %d, %v; want %d", s, got, ok, want)
		}
	}
	for _, s := range []string{"", "nope", "REL_X", "EV_KEY"} {
		if _, ok := KeyByName(s); ok {
			t.Errorf("KeyByName(%q) succeeded", s)
		}
	}
	buttons := map[string]uint16{"left": BtnLeft, "RIGHT": BtnRight, "middle": BtnMiddle, "side": BtnSide, "extra": BtnExtra, "BTN_EXTRA": BtnExtra}
	for s, want := range buttons {
		if got, ok := ButtonByName(s); !ok || got != want {
			t.Errorf("ButtonByName(%q) = %d, %v; want %d", s, got, ok, want)
		}
	}
	if _, ok := ButtonByName("a"); ok {
		t.Error(`ButtonByName("a") succeeded`)
	}
}

func TestUSKey(t *testing.T) {
	for _, tc := range []struct {
		r     rune
		code  uint16
		shift bool
	}{
		{'a', KeyA, false}, {'Z', KeyZ, true}, {'0', Key0, false}, {'9', Key9, false}, {'!', Key1, true},
		{'\n', KeyEnter, false}, {' ', KeySpace, false}, {'?', KeySlash, true}, {'/', KeySlash, false},
		{'"', KeyApostrophe, true}, {'_', KeyMinus, true}, {'\t', KeyTab, false},
	} {
		c, s, ok := USKey(tc.r)
		if !ok || c != tc.code || s != tc.shift {
			t.Errorf("USKey(%q) = %d, %v, %v", tc.r, c, s, ok)
		}
	}
	if _, _, ok := USKey('é'); ok {
		t.Error("USKey('é') succeeded")
	}
}

func TestScale(t *testing.T) {
	for _, tc := range []struct {
		v, size int
		want    int32
	}{{0, 800, 0}, {799, 800, PositionMax}, {-5, 800, 0}, {900, 800, PositionMax}, {400, 801, PositionMax / 2}, {3, 0, 0}} {
		if got := Scale(tc.v, tc.size); got != tc.want {
			t.Errorf("Scale(%d, %d) = %d, want %d", tc.v, tc.size, got, tc.want)
		}
	}
}

// recorder is a Sink that records reports.
type recorder struct{ reports [][]Event }

func (r *recorder) Send(evs []Event) { r.reports = append(r.reports, append([]Event(nil), evs...)) }

func (r *recorder) take() [][]Event {
	out := r.reports
	r.reports = nil
	return out
}

func TestRouterKeys(t *testing.T) {
	r := NewRouter(nil)
	kbd, kbd2 := &recorder{}, &recorder{}
	r.AddKeyboard(kbd)
	r.AddKeyboard(kbd2)
	r.Key(KeyA, true)
	r.Key(KeyA, true) // host auto-repeat: dropped
	r.Key(KeyA, false)
	r.Key(KeyB, false) // never pressed: dropped
	r.Key(KeyReserved, true)
	r.Key(0xffff, true)
	want := [][]Event{{{EvKey, KeyA, 1}}, {{EvKey, KeyA, 0}}}
	if d := cmp.Diff(want, kbd.take()); d != "" {
		t.Errorf("keyboard (-want +got):\n%s", d)
	}
	if d := cmp.Diff(want, kbd2.take()); d != "" {
		t.Errorf("second keyboard (-want +got):\n%s", d)
	}
	r.Key(KeyLeftShift, true)
	r.Button(BtnLeft, true) // no pointer: goes nowhere, but is held
	r.ReleaseAll()
	want = [][]Event{{{EvKey, KeyLeftShift, 1}}, {{EvKey, KeyLeftShift, 0}}}
	if d := cmp.Diff(want, kbd.take()); d != "" {
		t.Errorf("after ReleaseAll (-want +got):\n%s", d)
	}
}

func TestRouterTablet(t *testing.T) {
	r := NewRouter(nil)
	tab, kbd := &recorder{}, &recorder{}
	r.AddKeyboard(kbd)
	r.AddTablet(tab)
	r.Position(100, 200)
	r.Key(BtnLeft, true) // a button through Key
	r.Button(BtnLeft, false)
	r.Wheel(-1, 0)
	r.Position(-5, 99999)
	r.Motion(0, 0)
	want := [][]Event{
		{{EvAbs, AbsX, 100}, {EvAbs, AbsY, 200}},
		{{EvKey, BtnLeft, 1}},
		{{EvKey, BtnLeft, 0}},
		{{EvRel, RelWheel, -1}},
		{{EvAbs, AbsX, 0}, {EvAbs, AbsY, PositionMax}},
	}
	if d := cmp.Diff(want, tab.take()); d != "" {
		t.Errorf("tablet (-want +got):\n%s", d)
	}
	if got := kbd.take(); got != nil {
		t.Errorf("keyboard got %v", got)
	}
	// Relative motion with only a tablet moves the remembered position.
	r.SetScreen(100, 100)
	r.Position(0, 0)
	r.Motion(99, 50)
	want = [][]Event{{{EvAbs, AbsX, 0}, {EvAbs, AbsY, 0}}, {{EvAbs, AbsX, PositionMax}, {EvAbs, AbsY, Scale(50, 100)}}}
	if d := cmp.Diff(want, tab.take()); d != "" {
		t.Errorf("tablet motion (-want +got):\n%s", d)
	}
}

func TestRouterMouse(t *testing.T) {
	r := NewRouter(nil)
	m := &recorder{}
	r.AddMouse(m)
	r.Motion(5, -3)
	r.Motion(0, 7)
	r.Button(BtnRight, true)
	r.Wheel(1, -2)
	// Absolute positions become relative motion in screen pixels.
	r.SetScreen(101, 11)
	r.Position(0, 0) // first position: nothing to move by
	r.Position(PositionMax, PositionMax/2)
	want := [][]Event{
		{{EvRel, RelX, 5}, {EvRel, RelY, -3}},
		{{EvRel, RelY, 7}},
		{{EvKey, BtnRight, 1}},
		{{EvRel, RelWheel, 1}, {EvRel, RelHWheel, -2}},
		{{EvRel, RelX, 100}, {EvRel, RelY, 4}},
	}
	if d := cmp.Diff(want, m.take()); d != "" {
		t.Errorf("mouse (-want +got):\n%s", d)
	}
}

func TestRouterMouseAndTablet(t *testing.T) {
	r := NewRouter(nil)
	m, tab := &recorder{}, &recorder{}
	r.AddMouse(m)
	r.AddTablet(tab)
	r.Button(BtnLeft, true) // tablet by default
	r.Motion(1, 1)          // relative: the mouse, which now takes buttons
	r.Button(BtnLeft, false)
	r.Position(7, 8)
	r.Wheel(1, 0)
	if d := cmp.Diff([][]Event{{{EvKey, BtnLeft, 1}}, {{EvAbs, AbsX, 7}, {EvAbs, AbsY, 8}}, {{EvRel, RelWheel, 1}}}, tab.take()); d != "" {
		t.Errorf("tablet (-want +got):\n%s", d)
	}
	if d := cmp.Diff([][]Event{{{EvRel, RelX, 1}, {EvRel, RelY, 1}}, {{EvKey, BtnLeft, 0}}}, m.take()); d != "" {
		t.Errorf("mouse (-want +got):\n%s", d)
	}
}

// TestRouterPosts checks that host-side calls only run through post, and
// that calls from many goroutines are race-free (run with -race).
func TestRouterPosts(t *testing.T) {
	var mu sync.Mutex
	var posted []func()
	r := NewRouter(func(fn func()) {
		mu.Lock()
		posted = append(posted, fn)
		mu.Unlock()
	})
	kbd := &recorder{}
	r.AddKeyboard(kbd)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			code := uint16(KeyA + i)
			r.Key(code, true)
			r.Key(code, false)
			_ = r.LEDs()
		}()
	}
	wg.Wait()
	if len(kbd.reports) != 0 {
		t.Fatal("delivered before the machine ran the posts")
	}
	mu.Lock()
	for _, fn := range posted {
		fn()
	}
	mu.Unlock()
	if len(kbd.reports) != 16 {
		t.Errorf("%d reports, want 16", len(kbd.reports))
	}
	// Direct acts at once.
	r.Direct().Key(KeyZ, true)
	if len(kbd.reports) != 17 {
		t.Errorf("Direct did not deliver")
	}
}

func TestRouterLEDs(t *testing.T) {
	r := NewRouter(nil)
	var seen []LEDs
	r.OnLEDs(func(l LEDs) { seen = append(seen, l) })
	r.SetLED(LedCapsL, true)
	r.SetLED(LedCapsL, true) // no change
	r.SetLED(LedNumL, true)
	r.SetLED(LedCapsL, false)
	r.SetLED(200, true) // ignored
	want := []LEDs{1 << LedCapsL, 1<<LedCapsL | 1<<LedNumL, 1 << LedNumL}
	if d := cmp.Diff(want, seen); d != "" {
		t.Errorf("LED callbacks (-want +got):\n%s", d)
	}
	if l := r.LEDs(); !l.Has(LedNumL) || l.Has(LedCapsL) || l.Has(99) {
		t.Errorf("LEDs() = %#x", l)
	}
}
