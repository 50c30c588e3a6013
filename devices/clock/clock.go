// Package clock is the one virtual clock that drives every device.
//
// Time is virtual nanoseconds since machine start. Devices schedule events
// on the clock; nothing in the emulator reads the host clock except the code
// that advances this one (the machine's run loop), which makes the whole
// machine deterministic when that code advances time by instructions retired.
//
// # One reading per decision
//
// Between two advances, Now reads a live source (SetLive): host time in
// realtime mode, so two calls to Now a few instructions apart differ. A
// device (or the CPU, or the run loop) that decides something from the
// time — is the compare value reached, when must the alarm fire, how long
// may the CPU run — must read the clock once and work from that value:
//
//	now := clk.Now()
//	if due(now) { raise() } else { clk.Schedule(when(now), fire) }
//
// Reading it twice (once to ask "is it due?", once to compute the
// deadline) opens a window in which the answer changes between the reads;
// the generic timer once lost its interrupt that way and the guest slept
// forever. And a deadline found already past is scheduled anyway (or acted
// on at once), never dropped: Schedule accepts a time behind Now and fires
// it at the next AdvanceTo.
package clock

import (
	"container/heap"
	"sync"
	"sync/atomic"
)

// Clock holds the current virtual time and the pending events.
// It is not safe for concurrent use: the machine's run loop owns it. The
// exception is Post, the way in for host events (network input, finished
// host I/O) from other goroutines.
type Clock struct {
	// OnSchedule, when set, hears of every event scheduled (its time),
	// so that the run loop can end a slice of instructions when a device
	// schedules an event inside it. Machine goroutine only.
	OnSchedule func(at uint64)

	now    uint64
	seq    uint64
	events eventHeap

	posted  atomic.Bool // postq is not empty
	postMu  sync.Mutex
	postq   []func()
	postRun []func()
	wake    chan struct{}
	sources atomic.Int32
	// live, when set, tells how far time has moved since the last
	// AdvanceTo while the CPU runs a slice, so devices read (but do not
	// fire events at) the precise current time.
	live func() uint64
}

// Event is a scheduled callback. Its zero value is not scheduled.
type Event struct {
	at  uint64
	seq uint64 // tie-break: events due at the same time fire in schedule order
	idx int    // position in the heap, -1 when not scheduled
	fn  func()
}

// New returns a clock at time zero with no events.
func New() *Clock { return &Clock{wake: make(chan struct{}, 1)} }

// Post arranges for fn to run on the clock's goroutine at the next
// AdvanceTo, at that moment's time. It is safe to call from any goroutine
// and never blocks; it is how host-side work (a frame from the network, a
// finished disk request) enters the machine. Posted functions run in the
// order they were posted. Their virtual time depends on when the host
// delivered them, so they are not deterministic: a device that must be
// deterministic in --icount mode schedules an event instead.
func (c *Clock) Post(fn func()) {
	c.postMu.Lock()
	c.postq = append(c.postq, fn)
	c.posted.Store(true)
	c.postMu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// Posted returns a channel that receives after Post, so an idle run loop
// can sleep until host work arrives.
func (c *Clock) Posted() <-chan struct{} { return c.wake }

// AddSource records that a host-side source may Post later (a network
// back end), so an idle machine with no events waits for it rather than
// concluding that nothing can ever wake the guest. RemoveSource undoes it.
func (c *Clock) AddSource()    { c.sources.Add(1) }
func (c *Clock) RemoveSource() { c.sources.Add(-1) }

// HasSources reports whether any host-side source may still Post.
func (c *Clock) HasSources() bool { return c.sources.Load() > 0 }

// runPosted runs what Post queued; it reports whether there was any.
func (c *Clock) runPosted() bool {
	if !c.posted.Load() {
		return false
	}
	c.postMu.Lock()
	c.postq, c.postRun = c.postRun[:0], c.postq
	c.posted.Store(false)
	c.postMu.Unlock()
	for i, fn := range c.postRun {
		fn()
		c.postRun[i] = nil
	}
	return true
}

// Now returns the current virtual time in nanoseconds.
func (c *Clock) Now() uint64 {
	if c.live != nil {
		if t := c.live(); t > c.now {
			return t
		}
	}
	return c.now
}

// SetLive installs the source of the time between AdvanceTo calls (the
// run loop's instruction count or host time); nil removes it. Events
// still fire only in AdvanceTo.
func (c *Clock) SetLive(fn func() uint64) { c.live = fn }

// Schedule arranges for fn to run when the clock reaches at (virtual ns).
// A time in the past fires at the next AdvanceTo. The returned event can be
// passed to Cancel.
func (c *Clock) Schedule(at uint64, fn func()) *Event {
	c.seq++
	e := &Event{at: at, seq: c.seq, fn: fn, idx: -1}
	heap.Push(&c.events, e)
	if c.OnSchedule != nil {
		c.OnSchedule(at)
	}
	return e
}

// After schedules fn to run d nanoseconds after Now.
func (c *Clock) After(d uint64, fn func()) *Event { return c.Schedule(c.Now()+d, fn) }

// Cancel removes e if it is still pending. Cancelling nil, a fired or an
// already cancelled event does nothing.
func (c *Clock) Cancel(e *Event) {
	if e == nil || e.idx < 0 {
		return
	}
	heap.Remove(&c.events, e.idx)
}

// At returns the time e is (or was) due.
func (e *Event) At() uint64 { return e.at }

// Pending reports whether e is scheduled and has not fired.
func (e *Event) Pending() bool { return e != nil && e.idx >= 0 }

// Deadline returns the time of the earliest pending event.
func (c *Clock) Deadline() (at uint64, ok bool) {
	if len(c.events) == 0 {
		return 0, false
	}
	return c.events[0].at, true
}

// AdvanceTo moves the clock forward to t, running every event due at or
// before t in time order, with Now() equal to each event's own time while it
// runs. Time never goes backwards: a t before Now() only runs due events.
//
// Then it runs what Post queued, at time t, and any event those schedule
// at or before t.
func (c *Clock) AdvanceTo(t uint64) {
	for {
		for len(c.events) > 0 && c.events[0].at <= t {
			e := heap.Pop(&c.events).(*Event)
			if e.at > c.now {
				c.now = e.at
			}
			e.fn()
		}
		if t > c.now {
			c.now = t
		}
		if !c.runPosted() {
			return
		}
	}
}

type eventHeap []*Event

func (h eventHeap) Len() int { return len(h) }
func (h eventHeap) Less(i, j int) bool {
	if h[i].at != h[j].at {
		return h[i].at < h[j].at
	}
	return h[i].seq < h[j].seq
}
func (h eventHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].idx = i
	h[j].idx = j
}
func (h *eventHeap) Push(x any) {
	e := x.(*Event)
	e.idx = len(*h)
	*h = append(*h, e)
}
func (h *eventHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	e.idx = -1
	return e
}
