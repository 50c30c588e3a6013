package main

import (
	"fmt"
	"io"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"mimic/devices/display"
	"mimic/devices/input"
)

// Input-to-screen latency (--stats): the host time from a key press
// reaching the guest's keyboard to the next change of the guest's
// screen, the figure a user feels when typing. The input side is a
// keyboard of the input router that only takes the time (the router
// hands it every key, right after the guest's own keyboards); the
// display side is each console's OnUpdate, which hears of every flush
// that changed pixels. Neither device knows of the other: they meet
// here.
//
// A press starts a wait unless one is running (keys typed faster than
// the screen follows are timed from the first); the first screen change
// after it ends the wait. Releases and modifier keys (Shift, Ctrl, Alt,
// Meta, Caps Lock) start none: they draw nothing. A press whose wait
// reaches maxLatencyWait without a change (the guest ignored it) is
// counted as unanswered, so that it is not paired with some unrelated
// later change such as a blinking cursor. Pointer events are not timed.

// maxLatencyWait is how long a key press may wait for the screen before
// it counts as unanswered.
const maxLatencyWait = time.Second

// maxLatencySamples bounds the latencies kept for the median; later
// presses still count towards n and the maximum.
const maxLatencySamples = 1 << 16

// latencyProbe pairs key presses with the screen changes that follow.
// Its methods are called on the machine's goroutine (Send, updated) and,
// after the machine stopped, by the command (write); the mutex makes
// any other order safe too.
type latencyProbe struct {
	now     func() time.Time
	waiting atomic.Bool // pending is set: the screen's path looks only at this

	mu         sync.Mutex
	pending    time.Time // when the unanswered press came; zero: none
	samples    []time.Duration
	n          int
	max        time.Duration
	unanswered int
}

var _ input.Sink = (*latencyProbe)(nil)

func newLatencyProbe(now func() time.Time) *latencyProbe { return &latencyProbe{now: now} }

// watchLatency times key presses on m's keyboards to the changes of its
// screens, for --stats.
func watchLatency(r *input.Router, consoles []*display.Console) *latencyProbe {
	p := newLatencyProbe(time.Now)
	r.AddKeyboard(p)
	for _, c := range consoles {
		c.OnUpdate(p.updated)
	}
	return p
}

// Send implements input.Sink: the router delivered a report to the
// keyboards.
func (p *latencyProbe) Send(events []input.Event) {
	for _, e := range events {
		if e.Type != input.EvKey || e.Value != 1 || isModifier(e.Code) {
			continue
		}
		now := p.now()
		p.mu.Lock()
		if !p.pending.IsZero() && now.Sub(p.pending) >= maxLatencyWait {
			p.unanswered++
			p.pending = time.Time{} // restarted just below
		}
		if p.pending.IsZero() {
			p.pending = now
			p.waiting.Store(true)
		}
		p.mu.Unlock()
		return
	}
}

// updated is a console's OnUpdate: pixels changed on a screen.
func (p *latencyProbe) updated() {
	if !p.waiting.Load() {
		return // no key waits: the common case costs a load
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.pending.IsZero() {
		return
	}
	d := p.now().Sub(p.pending)
	p.pending = time.Time{}
	p.waiting.Store(false)
	if d >= maxLatencyWait {
		p.unanswered++
		return
	}
	p.n++
	p.max = max(p.max, d)
	if len(p.samples) < maxLatencySamples {
		p.samples = append(p.samples, d)
	}
}

// latencyStats are a probe's figures.
type latencyStats struct {
	N           int           // presses the screen answered
	Median, Max time.Duration // of their latencies
	Unanswered  int           // presses no change followed within maxLatencyWait
}

func (p *latencyProbe) stats() latencyStats {
	p.mu.Lock()
	defer p.mu.Unlock()
	st := latencyStats{N: p.n, Max: p.max, Unanswered: p.unanswered}
	if !p.pending.IsZero() {
		st.Unanswered++ // the machine stopped before the screen changed
	}
	if len(p.samples) > 0 {
		s := slices.Clone(p.samples)
		slices.Sort(s)
		if len(s)%2 == 1 {
			st.Median = s[len(s)/2]
		} else {
			st.Median = (s[len(s)/2-1] + s[len(s)/2]) / 2
		}
	}
	return st
}

// write prints the figures (--stats), nothing when no key was pressed.
func (p *latencyProbe) write(w io.Writer) {
	st := p.stats()
	if st.N == 0 && st.Unanswered == 0 {
		return
	}
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	fmt.Fprintf(w, "mimic: input-to-screen latency: n=%d median %.1f ms max %.1f ms (key press to the next screen change; %d presses without one within %v)\n",
		st.N, ms(st.Median), ms(st.Max), st.Unanswered, maxLatencyWait)
}

// isModifier reports whether key code is a modifier, which changes
// nothing on the screen by itself.
func isModifier(code uint16) bool {
	switch code {
	case input.KeyLeftShift, input.KeyRightShift, input.KeyLeftCtrl, input.KeyRightCtrl,
		input.KeyLeftAlt, input.KeyRightAlt, input.KeyLeftMeta, input.KeyRightMeta, input.KeyCapsLock:
		return true
	}
	return false
}
