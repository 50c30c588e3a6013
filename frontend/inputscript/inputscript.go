// Package inputscript reads the text format of --input-script FILE: key
// presses, typed text and pointer actions at virtual times, for headless
// and deterministic runs (a CI job that logs in on the guest's console,
// a screenshot test that clicks a button).
//
// # Format
//
// One action per line; '#' starts a comment (outside a quoted string);
// blank lines are ignored. A line may begin with a time:
//
//	100ms key a          # absolute: 100 ms of virtual time after start
//	+50ms type "root\n"  # relative: 50 ms after the previous line ended
//	key enter            # no time: when the previous line ended
//
// Times are Go durations (ns, us, ms, s, m, h; "1.5s"). An absolute time
// may not lie before the previous line's start. Commands:
//
//	key NAME...          press the keys in order, release them in reverse
//	press NAME...        press keys (held until released)
//	release NAME...      release keys
//	type "TEXT"          type TEXT (a Go string: \n, \t, \", \\) on a US layout
//	mouse X Y            put the pointer at (X, Y): pixels of the screen
//	                     (see `screen`), or percentages ("50% 25%")
//	move DX DY           move the pointer by (DX, DY) pixels
//	click [BUTTON]       press and release a button (default left)
//	mousedown [BUTTON]   press a button
//	mouseup [BUTTON]     release a button
//	wheel DY [DX]        turn the wheel DY notches up (negative: down),
//	                     and DX right
//	wait DURATION        let DURATION pass
//	screen W H           the screen size `mouse` pixels refer to
//	                     (default 1024 768)
//
// Key names are Linux KEY_* names or their lower-case suffixes ("a",
// "enter", "leftctrl", "f1", "kp0"), or aliases ("ctrl", "shift", "alt",
// "esc", "del", "pgup", "-", "/"); see input.KeyByName. Buttons are
// "left", "right", "middle", "side", "extra" or BTN_* names.
//
// A key stroke (key, type, click) holds each key for Hold and takes
// Stroke in all, so a line's end is its start plus its strokes.
package inputscript

import (
	"bufio"
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"mimic/devices/input"
)

// Op is what an Action does.
type Op int

// The operations, one per input.Input method and direction.
const (
	KeyDown Op = iota + 1
	KeyUp
	ButtonDown
	ButtonUp
	Motion   // X, Y: relative pixels
	Position // X, Y: 0..input.PositionMax
	Wheel    // Y: vertical notches, X: horizontal
)

func (o Op) String() string {
	switch o {
	case KeyDown:
		return "key-down"
	case KeyUp:
		return "key-up"
	case ButtonDown:
		return "button-down"
	case ButtonUp:
		return "button-up"
	case Motion:
		return "motion"
	case Position:
		return "position"
	case Wheel:
		return "wheel"
	}
	return fmt.Sprintf("Op(%d)", int(o))
}

// Action is one input call at a virtual time.
type Action struct {
	At   uint64 // virtual nanoseconds since machine start
	Line int    // the script line it comes from
	Op   Op
	Code uint16 // key or button code
	X, Y int32
}

// Apply makes the action's call on in.
func (a Action) Apply(in input.Input) {
	switch a.Op {
	case KeyDown, KeyUp:
		in.Key(a.Code, a.Op == KeyDown)
	case ButtonDown, ButtonUp:
		in.Button(a.Code, a.Op == ButtonDown)
	case Motion:
		in.Motion(a.X, a.Y)
	case Position:
		in.Position(a.X, a.Y)
	case Wheel:
		in.Wheel(a.Y, a.X)
	}
}

// Script is a parsed input script: its actions in time order (actions at
// the same time in script order).
type Script struct {
	Actions []Action
}

// Options set the timing and screen defaults.
type Options struct {
	// Stroke is the time one key stroke or click takes; Hold is how long
	// its key or button stays down. Defaults 20ms and 10ms.
	Stroke, Hold time.Duration
	// ScreenW, ScreenH is the screen that `mouse` pixels refer to until a
	// `screen` line; default 1024x768.
	ScreenW, ScreenH int
}

// Error is a bad line.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// maxTime bounds a script's times (about 146 years), so that sums of
// durations cannot wrap.
const maxTime = 1 << 62

// maxErrors bounds how many bad lines one error reports.
const maxErrors = 10

// ParseFile reads the script at path.
func ParseFile(path string, o Options) (*Script, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("input script: %w", err)
	}
	defer f.Close()
	return Parse(f, path, o)
}

// parser holds the state between lines.
type parser struct {
	o                Options
	name             string
	line             int
	start, cursor    uint64 // the previous line's start and end
	screenW, screenH int
	actions          []Action
}

// Parse reads a script from r; name labels its errors. It returns every
// bad line (up to ten) joined in one error, each an *Error.
func Parse(r io.Reader, name string, o Options) (*Script, error) {
	if o.Stroke <= 0 {
		o.Stroke = 20 * time.Millisecond
	}
	if o.Hold <= 0 || o.Hold > o.Stroke {
		o.Hold = min(10*time.Millisecond, o.Stroke)
	}
	if o.ScreenW <= 0 || o.ScreenH <= 0 {
		o.ScreenW, o.ScreenH = 1024, 768
	}
	p := &parser{o: o, name: name, screenW: o.ScreenW, screenH: o.ScreenH}
	var errs []error
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		p.line++
		if err := p.parseLine(sc.Text()); err != nil {
			errs = append(errs, &Error{File: name, Line: p.line, Msg: err.Error()})
			if len(errs) == maxErrors {
				errs = append(errs, fmt.Errorf("%s: too many errors", name))
				break
			}
		}
	}
	if err := sc.Err(); err != nil {
		errs = append(errs, fmt.Errorf("%s: %w", name, err))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	s := &Script{Actions: p.actions}
	s.sort()
	return s, nil
}

// sort orders actions by time, keeping script order among equal times.
func (s *Script) sort() {
	slices.SortStableFunc(s.Actions, func(a, b Action) int { return cmp.Compare(a.At, b.At) })
}

// Schedule hands every action to schedule at its time. The callbacks run
// on the machine's goroutine (schedule is the clock's Schedule), so in
// should be the Router's Direct view, which keeps a run deterministic.
func (s *Script) Schedule(schedule func(at uint64, fn func()), in input.Input) {
	for _, a := range s.Actions {
		schedule(a.At, func() { a.Apply(in) })
	}
}

// End returns the time of the last action (0 for an empty script).
func (s *Script) End() uint64 {
	if len(s.Actions) == 0 {
		return 0
	}
	return s.Actions[len(s.Actions)-1].At
}

// tokenize splits a line into fields, a double-quoted Go string being one
// field (returned unquoted, flagged), and drops a '#' comment.
func tokenize(line string) (fields []string, quoted []bool, err error) {
	for i := 0; i < len(line); {
		c := line[i]
		switch {
		case c == '#':
			return fields, quoted, nil
		case c == ' ' || c == '\t' || c == '\r':
			i++
		case c == '"':
			q, err := strconv.QuotedPrefix(line[i:])
			if err != nil {
				return nil, nil, fmt.Errorf("bad quoted string %s", line[i:])
			}
			s, _ := strconv.Unquote(q)
			fields, quoted = append(fields, s), append(quoted, true)
			i += len(q)
		default:
			j := i
			for j < len(line) && line[j] != ' ' && line[j] != '\t' && line[j] != '\r' && line[j] != '#' && line[j] != '"' {
				j++
			}
			fields, quoted = append(fields, line[i:j]), append(quoted, false)
			i = j
		}
	}
	return fields, quoted, nil
}

func (p *parser) parseLine(line string) error {
	f, quoted, err := tokenize(line)
	if err != nil {
		return err
	}
	if len(f) == 0 {
		return nil
	}
	at := p.cursor
	if t := f[0]; !quoted[0] && (strings.HasPrefix(t, "+") || t[0] >= '0' && t[0] <= '9') {
		rel := strings.HasPrefix(t, "+")
		d, err := time.ParseDuration(strings.TrimPrefix(t, "+"))
		if err != nil || d < 0 {
			return fmt.Errorf("bad time %q (want a duration such as 100ms, 2s or +50ms)", t)
		}
		if rel {
			at = p.cursor + uint64(d)
		} else {
			at = uint64(d)
			if at < p.start {
				return fmt.Errorf("time %v is before the previous line's (%v)", d, time.Duration(p.start))
			}
		}
		f, quoted = f[1:], quoted[1:]
		if len(f) == 0 {
			return fmt.Errorf("a time with no command")
		}
	}
	cmd, args, argQuoted := strings.ToLower(f[0]), f[1:], quoted[1:]
	if quoted[0] {
		return fmt.Errorf("expected a command, got a string")
	}
	end, err := p.command(cmd, args, argQuoted, at)
	if err != nil {
		return err
	}
	if at > maxTime || end > maxTime {
		return fmt.Errorf("time beyond %v", time.Duration(maxTime))
	}
	p.start, p.cursor = at, end
	return nil
}

func (p *parser) add(at uint64, op Op, code uint16, x, y int32) {
	p.actions = append(p.actions, Action{At: at, Line: p.line, Op: op, Code: code, X: x, Y: y})
}

func nargs(cmd string, args []string, lo, hi int) error {
	switch {
	case len(args) < lo && lo == hi:
		return fmt.Errorf("%s takes %d argument(s)", cmd, lo)
	case len(args) < lo:
		return fmt.Errorf("%s takes at least %d argument(s)", cmd, lo)
	case hi >= 0 && len(args) > hi:
		return fmt.Errorf("%s takes at most %d argument(s), got %d", cmd, hi, len(args))
	}
	return nil
}

// command adds the actions of one command starting at at and returns
// when it ends.
func (p *parser) command(cmd string, args []string, quoted []bool, at uint64) (uint64, error) {
	stroke, hold := uint64(p.o.Stroke), uint64(p.o.Hold)
	if cmd != "type" {
		for i, q := range quoted {
			if q {
				return 0, fmt.Errorf("%s: argument %d is a string", cmd, i+1)
			}
		}
	}
	switch cmd {
	case "key", "press", "release":
		if err := nargs(cmd, args, 1, -1); err != nil {
			return 0, err
		}
		codes := make([]uint16, len(args))
		for i, a := range args {
			c, ok := input.KeyByName(a)
			if !ok {
				return 0, fmt.Errorf("unknown key %q", a)
			}
			codes[i] = c
		}
		switch cmd {
		case "press":
			for _, c := range codes {
				p.add(at, KeyDown, c, 0, 0)
			}
			return at, nil
		case "release":
			for _, c := range codes {
				p.add(at, KeyUp, c, 0, 0)
			}
			return at, nil
		}
		for _, c := range codes {
			p.add(at, KeyDown, c, 0, 0)
		}
		for i := len(codes) - 1; i >= 0; i-- {
			p.add(at+hold, KeyUp, codes[i], 0, 0)
		}
		return at + stroke, nil

	case "type":
		if len(args) != 1 || !quoted[0] {
			return 0, fmt.Errorf(`type takes one quoted string, as in type "root\n"`)
		}
		for _, r := range args[0] {
			c, shift, ok := input.USKey(r)
			if !ok {
				return 0, fmt.Errorf("type: no key types %q on a US layout", r)
			}
			if shift {
				p.add(at, KeyDown, input.KeyLeftShift, 0, 0)
			}
			p.add(at, KeyDown, c, 0, 0)
			p.add(at+hold, KeyUp, c, 0, 0)
			if shift {
				p.add(at+hold, KeyUp, input.KeyLeftShift, 0, 0)
			}
			at += stroke
		}
		return at, nil

	case "mouse":
		if err := nargs(cmd, args, 2, 2); err != nil {
			return 0, err
		}
		x, err := p.coord(args[0], p.screenW)
		if err != nil {
			return 0, err
		}
		y, err := p.coord(args[1], p.screenH)
		if err != nil {
			return 0, err
		}
		p.add(at, Position, 0, x, y)
		return at, nil

	case "move":
		if err := nargs(cmd, args, 2, 2); err != nil {
			return 0, err
		}
		dx, err1 := parseInt(args[0])
		dy, err2 := parseInt(args[1])
		if err := errors.Join(err1, err2); err != nil {
			return 0, err
		}
		p.add(at, Motion, 0, dx, dy)
		return at, nil

	case "click", "mousedown", "mouseup":
		if err := nargs(cmd, args, 0, 1); err != nil {
			return 0, err
		}
		b := uint16(input.BtnLeft)
		if len(args) == 1 {
			var ok bool
			if b, ok = input.ButtonByName(args[0]); !ok {
				return 0, fmt.Errorf("unknown button %q (left, right, middle, side, extra)", args[0])
			}
		}
		switch cmd {
		case "mousedown":
			p.add(at, ButtonDown, b, 0, 0)
			return at, nil
		case "mouseup":
			p.add(at, ButtonUp, b, 0, 0)
			return at, nil
		}
		p.add(at, ButtonDown, b, 0, 0)
		p.add(at+hold, ButtonUp, b, 0, 0)
		return at + stroke, nil

	case "wheel":
		if err := nargs(cmd, args, 1, 2); err != nil {
			return 0, err
		}
		dy, err := parseInt(args[0])
		if err != nil {
			return 0, err
		}
		var dx int32
		if len(args) == 2 {
			if dx, err = parseInt(args[1]); err != nil {
				return 0, err
			}
		}
		p.add(at, Wheel, 0, dx, dy)
		return at, nil

	case "wait":
		if err := nargs(cmd, args, 1, 1); err != nil {
			return 0, err
		}
		d, err := time.ParseDuration(args[0])
		if err != nil || d < 0 {
			return 0, fmt.Errorf("bad duration %q", args[0])
		}
		return at + uint64(d), nil

	case "screen":
		if err := nargs(cmd, args, 2, 2); err != nil {
			return 0, err
		}
		w, err1 := parseInt(args[0])
		h, err2 := parseInt(args[1])
		if err := errors.Join(err1, err2); err != nil {
			return 0, err
		}
		if w <= 0 || h <= 0 {
			return 0, fmt.Errorf("screen size %dx%d", w, h)
		}
		p.screenW, p.screenH = int(w), int(h)
		return at, nil
	}
	return 0, fmt.Errorf("unknown command %q (key, press, release, type, mouse, move, click, mousedown, mouseup, wheel, wait, screen)", cmd)
}

// coord converts a `mouse` coordinate, pixels or a percentage, to the
// 0..input.PositionMax range.
func (p *parser) coord(s string, size int) (int32, error) {
	if pct, ok := strings.CutSuffix(s, "%"); ok {
		v, err := strconv.ParseFloat(pct, 64)
		if err != nil || v < 0 || v > 100 {
			return 0, fmt.Errorf("bad percentage %q", s)
		}
		return int32(v / 100 * input.PositionMax), nil
	}
	v, err := parseInt(s)
	if err != nil {
		return 0, err
	}
	if v < 0 || int(v) >= size {
		return 0, fmt.Errorf("coordinate %d outside the %d-pixel screen", v, size)
	}
	return input.Scale(int(v), size), nil
}

func parseInt(s string) (int32, error) {
	v, err := strconv.ParseInt(s, 10, 32)
	if err != nil || strings.IndexFunc(s, unicode.IsSpace) >= 0 {
		return 0, fmt.Errorf("bad number %q", s)
	}
	return int32(v), nil
}
