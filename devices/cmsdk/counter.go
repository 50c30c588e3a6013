package cmsdk

import (
	"fmt"
	"math/bits"

	"mimic/devices/clock"
)

const nsPerSecond = 1_000_000_000

// counter is the down-counter inside the CMSDK timers and the watchdog.
// It counts at hz/div ticks per second of virtual time and follows QEMU's
// ptimer with the policies those devices select (wrap after one period,
// trigger only on decrement, no immediate reload, no round-down of the
// count):
//
//   - Started (or written) with count N > 0, it reads N, N-1, ... one tick
//     apart and expires when it decrements from 1 to 0: fire is called.
//   - A periodic counter then holds 0 for one tick and reloads from limit,
//     so it expires every limit+1 ticks; a one-shot counter stops at 0.
//   - Reaching 0 by a write, or starting at 0, is not an expiry: a
//     periodic counter started at 0 waits one tick, reloads and counts.
//   - A periodic counter whose limit is 0 does not fire on reaching 0 and
//     stops there (QEMU disables such a ptimer).
//
// Times are exact: tick k of a run begins at base + ceil(k*10^9*div/hz)
// virtual ns, computed from the start of the run, so periodic expiries do
// not drift. Every operation reads the clock once (see package clock).
// QEMU limits periodic ptimers to one expiry per 10 us outside icount
// mode; Mimic does not.
type counter struct {
	clk  *clock.Clock
	hz   uint64
	div  uint64
	fire func()

	limit   uint64
	running bool
	oneshot bool
	count   uint64 // stopped: the count

	// Running: the run began at virtual time base with count start; the
	// pending expiry is at tick next (counted from base).
	base, start, next uint64
	event             *clock.Event
	onEvent           func()
}

func newCounter(clk *clock.Clock, hz, div uint64, fire func()) *counter {
	c := &counter{clk: clk, fire: fire}
	c.onEvent = c.eventFired
	c.setRateLocked(hz, div)
	return c
}

// setRateLocked checks and stores the rate.
func (c *counter) setRateLocked(hz, div uint64) {
	if hz == 0 || hz > nsPerSecond || div == 0 || div > 1<<20 {
		panic(fmt.Sprintf("BUG: cmsdk: counter rate %d/%d Hz out of range", hz, div))
	}
	c.hz, c.div = hz, div
}

// ticks returns the whole ticks elapsed since base at time now.
func (c *counter) ticks(now uint64) uint64 {
	if now <= c.base {
		return 0
	}
	den := nsPerSecond * c.div
	hi, lo := bits.Mul64(now-c.base, c.hz)
	q, _ := bits.Div64(hi%den, lo, den)
	return q
}

// tickTime returns the virtual time at which tick k begins, and false if
// that lies beyond the clock's range.
func (c *counter) tickTime(k uint64) (uint64, bool) {
	hi, lo := bits.Mul64(k, nsPerSecond*c.div)
	var carry uint64
	lo, carry = bits.Add64(lo, c.hz-1, 0)
	hi += carry
	if hi >= c.hz {
		return 0, false
	}
	q, _ := bits.Div64(hi, lo, c.hz)
	t := c.base + q
	if t < c.base {
		return 0, false
	}
	return t, true
}

// valueAt returns the count of the current run at tick k.
func (c *counter) valueAt(k uint64) uint64 {
	if k < c.start {
		return c.start - k
	}
	if c.oneshot || c.limit == 0 {
		return 0
	}
	j := (k - c.start) % (c.limit + 1)
	if j == 0 {
		return 0
	}
	return c.limit + 1 - j
}

// nextExpiry returns the first tick at or after from at which the current
// run expires.
func (c *counter) nextExpiry(from uint64) (uint64, bool) {
	periodic := !c.oneshot && c.limit > 0
	if c.start > 0 && from <= c.start {
		return c.start, c.oneshot || periodic
	}
	if !periodic {
		return 0, false
	}
	p := c.limit + 1
	m := uint64(1)
	if from > c.start {
		m = max(1, (from-c.start+p-1)/p)
	}
	hi, e := bits.Mul64(m, p)
	e, carry := bits.Add64(e, c.start, 0)
	return e, hi == 0 && carry == 0
}

// schedule arms the clock event for the first expiry at or after tick
// from, if there is one.
func (c *counter) schedule(from uint64) {
	c.clk.Cancel(c.event)
	c.event = nil
	e, ok := c.nextExpiry(from)
	if !ok {
		return
	}
	at, ok := c.tickTime(e)
	if !ok {
		return
	}
	c.next = e
	c.event = c.clk.Schedule(at, c.onEvent)
}

func (c *counter) eventFired() {
	c.event = nil
	c.expire(c.ticks(c.clk.Now()))
}

// expire handles the expiry at tick c.next, when the current tick is k,
// and then tells the device. The counter's state is final before fire
// runs, so fire may call back into the counter.
func (c *counter) expire(k uint64) {
	if c.oneshot || c.limit == 0 {
		c.running = false
		c.count = 0
	} else {
		c.schedule(max(c.next, k) + 1)
	}
	c.fire()
}

// sync brings the counter up to date at time now: an expiry already due
// whose event has not run yet (between two clock advances the clock is
// read live) is handled now rather than lost, and a one-shot counter that
// has reached zero stops.
func (c *counter) sync(now uint64) {
	if !c.running {
		return
	}
	k := c.ticks(now)
	if c.event != nil && c.next <= k {
		c.clk.Cancel(c.event)
		c.event = nil
		c.expire(k)
	}
	if c.running && k >= c.start && (c.oneshot || c.limit == 0) {
		c.halt(0)
	}
}

func (c *counter) halt(count uint64) {
	c.clk.Cancel(c.event)
	c.event = nil
	c.running = false
	c.count = count
}

// restart begins a new run at now from count v.
func (c *counter) restart(now, v uint64) {
	c.base, c.start = now, v
	c.schedule(1)
	c.sync(now)
}

// rebase makes the current tick tick 0 of a new run starting from the
// current count, so that the limit, mode or rate can change without losing
// the phase of the count. The caller then changes them and calls resume.
func (c *counter) rebase(now uint64) {
	k := c.ticks(now)
	v := c.valueAt(k)
	if t, ok := c.tickTime(k); ok {
		c.base = t
	} else {
		c.base = now
	}
	c.start = v
}

func (c *counter) resume(now uint64) {
	c.schedule(1)
	c.sync(now)
}

// value returns the current count.
func (c *counter) value() uint64 {
	now := c.clk.Now()
	c.sync(now)
	if !c.running {
		return c.count
	}
	return c.valueAt(c.ticks(now))
}

// setCount sets the count; a running counter restarts its tick from now.
func (c *counter) setCount(v uint64) {
	now := c.clk.Now()
	c.sync(now)
	if c.running {
		c.restart(now, v)
	} else {
		c.count = v
	}
}

// setLimit sets the reload value, and with reload the count too.
func (c *counter) setLimit(v uint64, reload bool) {
	now := c.clk.Now()
	c.sync(now)
	switch {
	case reload && c.running:
		c.limit = v
		c.restart(now, v)
	case reload:
		c.limit, c.count = v, v
	case c.running:
		c.rebase(now)
		c.limit = v
		c.resume(now)
	default:
		c.limit = v
	}
}

// run starts the counter, or switches a running one between periodic and
// one-shot without touching its count.
func (c *counter) run(oneshot bool) {
	now := c.clk.Now()
	c.sync(now)
	switch {
	case !c.running:
		c.running, c.oneshot = true, oneshot
		c.restart(now, c.count)
	case c.oneshot != oneshot:
		c.rebase(now)
		c.oneshot = oneshot
		c.resume(now)
	}
}

// stop freezes the count.
func (c *counter) stop() {
	now := c.clk.Now()
	c.sync(now)
	if c.running {
		c.halt(c.valueAt(c.ticks(now)))
	}
}

// setRate changes the tick rate to hz/div without losing the count.
func (c *counter) setRate(hz, div uint64) {
	now := c.clk.Now()
	c.sync(now)
	if !c.running {
		c.setRateLocked(hz, div)
		return
	}
	c.rebase(now)
	c.setRateLocked(hz, div)
	c.resume(now)
}

// counterState is the saved form of a counter: the count at the moment of
// the snapshot. A restored counter starts a fresh tick at the restore time.
type counterState struct {
	Running bool
	Oneshot bool
	Limit   uint64
	Count   uint64
}

func (c *counter) state() counterState {
	v := c.value() // catches up first, so a due expiry is not lost
	return counterState{Running: c.running, Oneshot: c.oneshot, Limit: c.limit, Count: v}
}

func (c *counter) restore(s counterState) {
	c.halt(s.Count)
	c.limit, c.oneshot = s.Limit, s.Oneshot
	if s.Running {
		c.running = true
		c.restart(c.clk.Now(), s.Count)
	}
}
