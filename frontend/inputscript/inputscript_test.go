package inputscript

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"mimic/devices/clock"
	"mimic/devices/input"
)

const ms = uint64(time.Millisecond)

func parse(t *testing.T, src string) *Script {
	t.Helper()
	s, err := Parse(strings.NewReader(src), "test.script", Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestParse(t *testing.T) {
	s := parse(t, `
# log in
100ms key a        # a stroke: 20ms, held 10ms
+50ms type "rO\n"
2s press KEY_LEFTCTRL
release ctrl
key ctrl alt delete
mouse 512 384
move 5 -3
click right
wheel -1
wheel 2 -1
wait 1s
mousedown
mouseup middle
screen 100 100
mouse 99 50%
`)
	a := func(at uint64, line int, op Op, code uint16, x, y int32) Action {
		return Action{At: at, Line: line, Op: op, Code: code, X: x, Y: y}
	}
	want := []Action{
		a(100*ms, 3, KeyDown, input.KeyA, 0, 0),
		a(110*ms, 3, KeyUp, input.KeyA, 0, 0),
		// type starts at 120ms + 50ms
		a(170*ms, 4, KeyDown, input.KeyR, 0, 0),
		a(180*ms, 4, KeyUp, input.KeyR, 0, 0),
		a(190*ms, 4, KeyDown, input.KeyLeftShift, 0, 0),
		a(190*ms, 4, KeyDown, input.KeyO, 0, 0),
		a(200*ms, 4, KeyUp, input.KeyO, 0, 0),
		a(200*ms, 4, KeyUp, input.KeyLeftShift, 0, 0),
		a(210*ms, 4, KeyDown, input.KeyEnter, 0, 0),
		a(220*ms, 4, KeyUp, input.KeyEnter, 0, 0),
		a(2000*ms, 5, KeyDown, input.KeyLeftCtrl, 0, 0),
		a(2000*ms, 6, KeyUp, input.KeyLeftCtrl, 0, 0),
		a(2000*ms, 7, KeyDown, input.KeyLeftCtrl, 0, 0),
		a(2000*ms, 7, KeyDown, input.KeyLeftAlt, 0, 0),
		a(2000*ms, 7, KeyDown, input.KeyDelete, 0, 0),
		a(2010*ms, 7, KeyUp, input.KeyDelete, 0, 0),
		a(2010*ms, 7, KeyUp, input.KeyLeftAlt, 0, 0),
		a(2010*ms, 7, KeyUp, input.KeyLeftCtrl, 0, 0),
		a(2020*ms, 8, Position, 0, input.Scale(512, 1024), input.Scale(384, 768)),
		a(2020*ms, 9, Motion, 0, 5, -3),
		a(2020*ms, 10, ButtonDown, input.BtnRight, 0, 0),
		a(2030*ms, 10, ButtonUp, input.BtnRight, 0, 0),
		a(2040*ms, 11, Wheel, 0, 0, -1),
		a(2040*ms, 12, Wheel, 0, -1, 2),
		a(3040*ms, 14, ButtonDown, input.BtnLeft, 0, 0),
		a(3040*ms, 15, ButtonUp, input.BtnMiddle, 0, 0),
		a(3040*ms, 17, Position, 0, input.PositionMax, input.PositionMax/2),
	}
	if d := cmp.Diff(want, s.Actions); d != "" {
		t.Errorf("actions (-want +got):\n%s", d)
	}
	if s.End() != 3040*ms {
		t.Errorf("End = %d", s.End())
	}
}

// TestOverlapSorted checks that an absolute time inside the previous
// line's strokes interleaves its actions in time order.
func TestOverlapSorted(t *testing.T) {
	s := parse(t, "100ms key a\n105ms key b\n")
	var got []string
	for _, a := range s.Actions {
		got = append(got, a.Op.String()+" "+input.Name(input.EvKey, a.Code))
	}
	want := []string{"key-down KEY_A", "key-down KEY_B", "key-up KEY_A", "key-up KEY_B"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("order (-want +got):\n%s", d)
	}
}

func TestErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"key nosuchkey", `test.script:1: unknown key "nosuchkey"`},
		{"\n\n100 key a", `test.script:3: bad time "100"`},
		{"-5ms key a", `unknown command "-5ms"`},
		{"1s key a\n500ms key b", "test.script:2: time 500ms is before the previous line's (1s)"},
		{"1s", "a time with no command"},
		{"frobnicate", `unknown command "frobnicate"`},
		{"type root", "type takes one quoted string"},
		{`type "é"`, "no key types"},
		{`type "abc`, "bad quoted string"},
		{"mouse 1", "mouse takes 2 argument(s)"},
		{"mouse 2000 5", "outside the 1024-pixel screen"},
		{"mouse 50% 101%", `bad percentage "101%"`},
		{"move 1 x", `bad number "x"`},
		{"click nose", `unknown button "nose"`},
		{"wheel", "wheel takes at least 1 argument(s)"},
		{"wheel 1 2 3", "at most 2"},
		{"wait soon", `bad duration "soon"`},
		{"screen 0 5", "screen size 0x5"},
		{`key "a"`, "argument 1 is a string"},
		{`"key" a`, "expected a command"},
	} {
		_, err := Parse(strings.NewReader(tc.src), "test.script", Options{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.src, err, tc.want)
		}
	}
	// Every bad line is reported, each as an *Error.
	_, err := Parse(strings.NewReader("key a\nbad\nkey b\nworse\n"), "x", Options{})
	var e *Error
	if !errors.As(err, &e) || e.Line != 2 || !strings.Contains(err.Error(), "x:4:") {
		t.Errorf("error %v", err)
	}
}

func TestParseFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "in.script")
	if err := os.WriteFile(path, []byte("1s key enter\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := ParseFile(path, Options{})
	if err != nil || len(s.Actions) != 2 || s.Actions[0].At != 1000*ms {
		t.Errorf("ParseFile = %v, %v", s, err)
	}
	if _, err := ParseFile(filepath.Join(t.TempDir(), "missing"), Options{}); err == nil {
		t.Error("no error for a missing file")
	}
}

type recorder struct{ reports [][]input.Event }

func (r *recorder) Send(evs []input.Event) {
	r.reports = append(r.reports, append([]input.Event(nil), evs...))
}

// TestSchedule runs a script on a real clock into a Router.
func TestSchedule(t *testing.T) {
	s := parse(t, "10ms key a\nmouse 0 0\nclick\n")
	clk := clock.New()
	r := input.NewRouter(clk.Post)
	kbd, tab := &recorder{}, &recorder{}
	r.AddKeyboard(kbd)
	r.AddTablet(tab)
	s.Schedule(func(at uint64, fn func()) { clk.Schedule(at, fn) }, r.Direct())
	clk.AdvanceTo(15 * ms)
	if d := cmp.Diff([][]input.Event{{{Type: input.EvKey, Code: input.KeyA, Value: 1}}}, kbd.reports); d != "" {
		t.Errorf("at 15ms (-want +got):\n%s", d)
	}
	clk.AdvanceTo(uint64(time.Second))
	if len(kbd.reports) != 2 {
		t.Errorf("keyboard reports %v", kbd.reports)
	}
	want := [][]input.Event{
		{{Type: input.EvAbs, Code: input.AbsX}, {Type: input.EvAbs, Code: input.AbsY}},
		{{Type: input.EvKey, Code: input.BtnLeft, Value: 1}},
		{{Type: input.EvKey, Code: input.BtnLeft, Value: 0}},
	}
	if d := cmp.Diff(want, tab.reports); d != "" {
		t.Errorf("tablet (-want +got):\n%s", d)
	}
}

// FuzzParse checks that no script panics the parser and that what it
// accepts is in time order.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"100ms key a\n+5ms type \"x\\n\"", "mouse 50% 1", "wheel -1 2 # c", "\"", "+1h wait 1s", "key ctrl alt del"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		s, err := Parse(strings.NewReader(src), "fuzz", Options{})
		if err != nil {
			return
		}
		for i := 1; i < len(s.Actions); i++ {
			if s.Actions[i].At < s.Actions[i-1].At {
				t.Fatalf("actions out of order: %v", s.Actions)
			}
		}
	})
}
