package main

import (
	"bytes"
	"image"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"mimic/devices/display"
	"mimic/devices/input"
)

// fakeClock is a manual clock for the probe.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }
func press(code uint16) []input.Event {
	return []input.Event{{Type: input.EvKey, Code: code, Value: 1}}
}
func release(code uint16) []input.Event {
	return []input.Event{{Type: input.EvKey, Code: code, Value: 0}}
}
func ms(n float64) time.Duration { return time.Duration(n * float64(time.Millisecond)) }
func newTestProbe() (*latencyProbe, *fakeClock) {
	c := &fakeClock{t: time.Unix(1000, 0)}
	return newLatencyProbe(c.now), c
}

func TestLatencyPairing(t *testing.T) {
	p, clk := newTestProbe()

	// No input: screen changes cost nothing and count nothing.
	p.updated()
	clk.advance(ms(5))
	p.updated()

	// A press answered after 10 ms; its release and the next change
	// (a cursor blink) are not paired.
	p.Send(press(input.KeyA))
	clk.advance(ms(10))
	p.updated()
	clk.advance(ms(1))
	p.Send(release(input.KeyA))
	clk.advance(ms(3))
	p.updated()

	// Shift starts no wait; the letter after it does.
	p.Send(press(input.KeyLeftShift))
	clk.advance(ms(50))
	p.Send(press(input.KeyB))
	clk.advance(ms(20))
	p.updated()
	p.Send(release(input.KeyB))
	p.Send(release(input.KeyLeftShift))

	// Two presses before the screen follows: timed from the first.
	p.Send(press(input.KeyC))
	clk.advance(ms(4))
	p.Send(press(input.KeyD))
	clk.advance(ms(26))
	p.updated()

	// A press the guest ignores, then one it answers: the first counts
	// as unanswered, and the second is timed from its own press.
	p.Send(press(input.KeyF1))
	clk.advance(2 * maxLatencyWait)
	p.Send(press(input.KeyE))
	clk.advance(ms(40))
	p.updated()

	// A press answered only after the wait ran out.
	p.Send(press(input.KeyF2))
	clk.advance(maxLatencyWait)
	p.updated()

	// Pointer reports are not timed.
	p.Send([]input.Event{{Type: input.EvAbs, Code: input.AbsX, Value: 5}})
	p.updated()

	// The machine stops with a press unanswered.
	p.Send(press(input.KeyG))

	want := latencyStats{N: 4, Median: ms(25), Max: ms(40), Unanswered: 3}
	if diff := cmp.Diff(want, p.stats()); diff != "" {
		t.Errorf("stats (-want +got):\n%s", diff)
	}
	var b bytes.Buffer
	p.write(&b)
	if got := b.String(); !strings.Contains(got, "input-to-screen latency: n=4 median 25.0 ms max 40.0 ms") ||
		!strings.Contains(got, "3 presses without one") {
		t.Errorf("write: %q", got)
	}
}

func TestLatencyQuietWithoutKeys(t *testing.T) {
	p, _ := newTestProbe()
	p.updated()
	var b bytes.Buffer
	p.write(&b)
	if b.Len() != 0 {
		t.Errorf("write without key presses: %q", b.String())
	}
	if st := p.stats(); st != (latencyStats{}) {
		t.Errorf("stats %+v", st)
	}
}

// TestWatchLatency wires the probe to a router and a console as the
// command does: a key typed through the router, then a flush.
func TestWatchLatency(t *testing.T) {
	r := input.NewRouter(nil)
	c := display.NewConsole(nil)
	c.SetMode(display.Mode{Width: 4, Height: 4, Format: display.XRGB8888})
	p := watchLatency(r, []*display.Console{c})
	r.Key(input.KeyA, true)
	c.Update(image.Rect(0, 0, 1, 1), make([]byte, 4), 4)
	r.Key(input.KeyA, false)
	if st := p.stats(); st.N != 1 || st.Unanswered != 0 {
		t.Errorf("stats %+v, want one press answered", st)
	}
}
