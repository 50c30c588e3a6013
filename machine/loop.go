// Package machine holds what every board shares: the run loop that drives
// a CPU and the one virtual clock in realtime or deterministic (icount)
// mode, host input delivery, and instruction tracing.
package machine

import (
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"mimic/cpu/arm"
	"mimic/devices/clock"
)

// Loop runs a CPU against the virtual clock.
//
// In realtime mode (ICountShift < 0) virtual time follows host time. In
// deterministic mode each retired instruction advances virtual time by
// 2^ICountShift ns and an idle CPU (WFI) jumps straight to the next event,
// so two runs of the same image retire the same instructions and produce the
// same output, like QEMU's -icount shift=N,sleep=off.
type Loop struct {
	CPU         *arm.CPU
	Clock       *clock.Clock
	ICountShift int

	// Timeout bounds the run in host time; MaxInsns in retired
	// instructions. Zero means no limit.
	Timeout  time.Duration
	MaxInsns uint64

	// Input, when set, delivers host input (serial bytes). Deliver is given
	// the pending bytes and returns how many the guest accepted.
	Input   <-chan []byte
	Deliver func([]byte) int

	// Describe, when set, writes the machine's state for a person
	// debugging a hang (CPU, timers, interrupt controller); the loop
	// calls it on its own goroutine when RequestDump asks.
	Describe func(w io.Writer)

	pending  []byte
	inputEOF bool
	exited   bool
	code     int
	reset    bool
	vtime    uint64 // deterministic mode: virtual ns
	quit     atomic.Bool
	dumpReq  atomic.Pointer[dumpRequest]
	// sliceStart is the retired count when the current slice began.
	sliceStart uint64
}

// Quit makes Run return soon; it may be called from any goroutine (the
// console's Ctrl-A x).
func (l *Loop) Quit() {
	l.quit.Store(true)
	l.Clock.Post(func() {}) // wake an idle loop
}

type dumpRequest struct {
	w    io.Writer
	done chan struct{}
}

// RequestDump asks the loop to write the machine's state (Describe) to w
// after the current slice, and returns a channel closed once it has. It may be
// called from any goroutine (a signal handler, the console). A loop that
// does not answer within a slice or an idle wait is itself stuck; the
// caller then decides whether to read the state unsynchronised.
func (l *Loop) RequestDump(w io.Writer) <-chan struct{} {
	r := &dumpRequest{w: w, done: make(chan struct{})}
	if old := l.dumpReq.Swap(r); old != nil {
		close(old.done) // superseded
	}
	l.Clock.Post(func() {}) // wake an idle loop
	return r.done
}

// serveDump answers a pending RequestDump.
func (l *Loop) serveDump() {
	r := l.dumpReq.Swap(nil)
	if r == nil {
		return
	}
	defer close(r.done)
	if l.Describe == nil {
		fmt.Fprintln(r.w, "mimic: no machine state to describe")
		return
	}
	next := "none"
	if at, ok := l.Clock.Deadline(); ok {
		next = fmt.Sprintf("at %d ns", at)
	}
	fmt.Fprintf(r.w, "mimic: machine state at %d ns virtual; next clock event %s; %d bytes of host input waiting for the guest\n",
		l.Clock.Now(), next, len(l.pending))
	l.Describe(r.w)
}

// ErrTimeout and ErrInsnLimit report that a limit ended the run;
// ErrLockup that an M-profile CPU locked up (a fault it cannot take).
var (
	ErrTimeout   = errors.New("timeout: the guest did not finish in time")
	ErrInsnLimit = errors.New("instruction limit reached")
	ErrLockup    = errors.New("the CPU locked up")
)

// Exit ends the run with the guest's exit code (semihosting, PSCI).
func (l *Loop) Exit(code int) {
	l.exited, l.code = true, code
	l.CPU.RequestStop()
}

// Reset asks the board to reset the machine (PSCI SYSTEM_RESET); Run
// returns with reset set so the caller can reset and run again.
func (l *Loop) Reset() {
	l.reset = true
	l.CPU.RequestStop()
}

const (
	sliceRealtime = 1 << 15 // instructions between host-time syncs
	sliceMax      = 1 << 20 // longest slice in deterministic mode
)

// Result says how a run ended.
type Result struct {
	ExitCode int
	Reset    bool // the guest asked for a reset
	Quit     bool // the user quit (Quit was called)
}

// Run executes until the guest exits or resets, or a limit is hit.
func (l *Loop) Run() (Result, error) {
	start := time.Now()
	l.exited, l.reset = false, false
	l.sliceStart = l.CPU.Retired()
	if l.ICountShift < 0 {
		l.Clock.SetLive(func() uint64 { return uint64(time.Since(start)) })
	} else {
		l.Clock.SetLive(func() uint64 { return l.vtime + (l.CPU.Retired()-l.sliceStart)<<l.ICountShift })
		// A device that schedules an event inside a slice (a timer
		// started by the guest) ends the slice when it falls due, as
		// QEMU's icount does, instead of at the end of the slice's
		// budget (up to sliceMax instructions late).
		l.Clock.OnSchedule = func(at uint64) {
			n := l.sliceStart
			if at > l.vtime {
				n += (at - l.vtime + 1<<l.ICountShift - 1) >> l.ICountShift
			}
			l.CPU.LimitRun(n)
		}
		defer func() { l.Clock.OnSchedule = nil }()
	}
	defer l.Clock.SetLive(nil)
	for {
		budget := l.budget()
		if l.MaxInsns > 0 {
			left := l.MaxInsns - min(l.MaxInsns, l.CPU.Retired())
			if left == 0 {
				return Result{}, ErrInsnLimit
			}
			budget = min(budget, left)
		}
		n, why := l.CPU.Run(budget)
		l.advance(n, start)
		if l.exited {
			return Result{ExitCode: l.code}, nil
		}
		if why == arm.StopLockup {
			return Result{}, fmt.Errorf("%w: %s", ErrLockup, l.CPU.LockupMessage())
		}
		if l.reset {
			return Result{Reset: true}, nil
		}
		if l.quit.Load() {
			return Result{Quit: true}, nil
		}
		if l.Timeout > 0 && time.Since(start) > l.Timeout {
			return Result{}, fmt.Errorf("%w (%v)", ErrTimeout, l.Timeout)
		}
		l.pollInput(false)
		if l.dumpReq.Load() != nil {
			l.serveDump()
		}
		if why == arm.StopHalt {
			if err := l.idle(start); err != nil {
				return Result{}, err
			}
		}
	}
}

// budget is how many instructions to run before the clock must be looked at.
func (l *Loop) budget() uint64 {
	if l.ICountShift < 0 {
		return sliceRealtime
	}
	at, ok := l.Clock.Deadline()
	if !ok {
		return sliceMax
	}
	if at <= l.vtime {
		return 1
	}
	n := (at - l.vtime + 1<<l.ICountShift - 1) >> l.ICountShift
	return min(max(n, 1), sliceMax)
}

func (l *Loop) advance(n uint64, start time.Time) {
	if l.ICountShift < 0 {
		l.Clock.AdvanceTo(uint64(time.Since(start)))
		return
	}
	l.vtime += n << l.ICountShift
	l.sliceStart = l.CPU.Retired()
	l.Clock.AdvanceTo(l.vtime)
}

// idle waits while the CPU is halted: in deterministic mode time jumps to
// the next event; in realtime mode the host sleeps until it or input.
func (l *Loop) idle(start time.Time) error {
	for l.CPU.Halted() {
		at, ok := l.Clock.Deadline()
		if l.ICountShift >= 0 {
			if !ok {
				// Nothing will ever wake the guest except input or
				// host work (the network) posted to the clock.
				if (l.Input == nil || l.inputEOF) && !l.Clock.HasSources() {
					return errors.New("the guest is waiting for an interrupt that can never arrive")
				}
				l.waitInput(-1)
				l.Clock.AdvanceTo(l.vtime)
				return nil
			}
			if at > l.vtime {
				l.vtime = at
			}
			l.Clock.AdvanceTo(l.vtime)
			return nil
		}
		// One reading of host time for the whole decision (see package
		// clock): an event found due is run now, never slept past.
		elapsed := time.Since(start)
		now := uint64(elapsed)
		if l.Timeout > 0 && elapsed > l.Timeout {
			return fmt.Errorf("%w (%v)", ErrTimeout, l.Timeout)
		}
		wait := 50 * time.Millisecond
		if ok {
			if at <= now {
				l.Clock.AdvanceTo(now)
				return nil
			}
			wait = min(wait, time.Duration(at-now))
		}
		if l.quit.Load() || l.dumpReq.Load() != nil {
			return nil
		}
		l.waitInput(wait)
		l.Clock.AdvanceTo(uint64(time.Since(start)))
		return nil
	}
	return nil
}

// pollInput moves host input to the guest; block waits for some.
func (l *Loop) pollInput(block bool) {
	if l.Input == nil || l.Deliver == nil {
		return
	}
	for {
		if len(l.pending) > 0 {
			n := l.Deliver(l.pending)
			l.pending = l.pending[n:]
			if len(l.pending) > 0 {
				return // the guest's FIFO is full
			}
		}
		if l.inputEOF {
			return
		}
		if block {
			b, ok := <-l.Input
			if !ok {
				l.inputEOF = true
				return
			}
			l.pending = append(l.pending, b...)
			block = false
			continue
		}
		select {
		case b, ok := <-l.Input:
			if !ok {
				l.inputEOF = true
				return
			}
			l.pending = append(l.pending, b...)
		default:
			return
		}
	}
}

// waitInput sleeps until host input arrives, host work is posted to the
// clock, or d passes (d < 0: no limit).
func (l *Loop) waitInput(d time.Duration) {
	var timeout <-chan time.Time
	if d >= 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		timeout = t.C
	}
	var input <-chan []byte
	if l.Input != nil && !l.inputEOF {
		input = l.Input
	}
	select {
	case b, ok := <-input:
		if !ok {
			l.inputEOF = true
			return
		}
		l.pending = append(l.pending, b...)
		l.pollInput(false)
	case <-l.Clock.Posted():
	case <-timeout:
	}
}

// VirtualNow returns virtual time in ns as the guest sees it now.
func (l *Loop) VirtualNow() uint64 { return l.Clock.Now() }
