package cmsdk

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// pclk is mps2-an385's SYSCLK: one tick every 40 ns.
const pclk = 25_000_000

type timerRig struct {
	*rig
	tm  *Timer
	irq *recLine
}

func newTimerRig(t *testing.T) *timerRig {
	r := &timerRig{rig: newRig(t), irq: &recLine{}}
	r.tm = NewTimer(r.clk, pclk, r.irq)
	r.mapDev(r.tm)
	return r
}

// sample is what a test expects to read at a moment of virtual time.
type sample struct {
	NS    uint64
	Value uint32
	IRQ   bool
}

func (r *rig) samples(times []uint64, read func() (uint32, bool)) []sample {
	var got []sample
	for _, ns := range times {
		r.at(ns)
		v, l := read()
		got = append(got, sample{ns, v, l})
	}
	return got
}

func TestTimerPeriodic(t *testing.T) {
	r := newTimerRig(t)
	r.write(timerRELOAD, 10)
	r.write(timerCTRL, timerCtrlEN|timerCtrlIRQEN)
	want := []sample{
		{0, 10, false},
		{39, 10, false},
		{40, 9, false},
		{399, 1, false},
		{400, 0, true}, // 1 -> 0: interrupt
		{439, 0, true}, // holds 0 for one tick
		{440, 10, true},
		{839, 1, true},
	}
	got := r.samples([]uint64{0, 39, 40, 399, 400, 439, 440, 839}, func() (uint32, bool) {
		return r.read(timerVALUE), r.irq.level
	})
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("VALUE and TIMERINT over time (-want +got):\n%s", diff)
	}
	r.write(timerINTSTATUS, 1)
	if r.irq.level || r.read(timerINTSTATUS) != 0 {
		t.Fatalf("INTCLEAR did not lower the interrupt")
	}
	// The next expiry is limit+1 ticks after the first: 400 + 11*40.
	if r.irq.level {
		t.Errorf("interrupt before 840 ns")
	}
	r.at(840)
	if !r.irq.level || r.read(timerVALUE) != 0 {
		t.Errorf("no interrupt at 840 ns")
	}
}

func TestTimerOneShotWhenReloadZero(t *testing.T) {
	r := newTimerRig(t)
	r.write(timerVALUE, 5)
	r.write(timerCTRL, timerCtrlEN|timerCtrlIRQEN)
	r.at(200)
	if !r.irq.level || r.read(timerVALUE) != 0 {
		t.Fatalf("at 200 ns: TIMERINT %v VALUE %d, want expiry", r.irq.level, r.read(timerVALUE))
	}
	r.write(timerINTSTATUS, 1)
	r.at(10_000)
	if r.irq.level || r.read(timerVALUE) != 0 {
		t.Fatalf("a timer with RELOAD 0 fired again or reloaded")
	}
	// Writing RELOAD restarts it, periodic now.
	r.write(timerRELOAD, 3)
	r.at(10_000 + 3*40)
	if !r.irq.level {
		t.Errorf("no interrupt 3 ticks after RELOAD restarted the timer")
	}
	if got := r.irq.rises(); got != 2 {
		t.Errorf("TIMERINT rose %d times, want 2", got)
	}
}

func TestTimerIRQENGatesStatus(t *testing.T) {
	r := newTimerRig(t)
	r.write(timerRELOAD, 2)
	r.write(timerCTRL, timerCtrlEN)
	r.at(1000)
	if r.read(timerINTSTATUS) != 0 || len(r.irq.sets) != 1 {
		t.Errorf("expiry with IRQEN clear set INTSTATUS %d, line changes %v", r.read(timerINTSTATUS), r.irq.sets)
	}
	// Stopping freezes VALUE.
	r.write(timerCTRL, 0)
	v := r.read(timerVALUE)
	r.at(5000)
	if got := r.read(timerVALUE); got != v {
		t.Errorf("stopped timer moved from %d to %d", v, got)
	}
}

// TestTimerCatchUp checks the one-reading rule's other half: an expiry that
// is due by the live clock but whose event has not run yet is not lost
// when a register access reschedules the counter.
func TestTimerCatchUp(t *testing.T) {
	r := newTimerRig(t)
	r.write(timerRELOAD, 10)
	r.write(timerCTRL, timerCtrlEN|timerCtrlIRQEN)
	live := uint64(0)
	r.clk.SetLive(func() uint64 { return live })
	live = 500 // past the expiry at 400 ns; no AdvanceTo yet
	r.write(timerRELOAD, 100)
	if !r.irq.level {
		t.Fatalf("expiry due at 400 ns lost by a RELOAD write at 500 ns")
	}
	r.clk.SetLive(nil)
	r.at(500)
	if got := r.irq.rises(); got != 1 {
		t.Errorf("TIMERINT rose %d times, want 1", got)
	}
	// RELOAD restarted the count at 500 ns.
	if got := r.read(timerVALUE); got != 100 {
		t.Errorf("VALUE after RELOAD = %d, want 100", got)
	}
}

func TestTimerRegisters(t *testing.T) {
	r := newTimerRig(t)
	r.write(timerCTRL, 0xff)
	r.write(timerRELOAD, 0x12345678)
	tests := []struct {
		off  uint64
		size int
		want uint64
	}{
		{timerCTRL, 4, 0xf},
		{timerRELOAD, 4, 0x12345678},
		{timerRELOAD, 2, 0x5678},
		{timerRELOAD, 1, 0x78},
		{0xfe0, 4, 0x22}, // PID0
		{0xfd0, 4, 0x04}, // PID4
		{0xff0, 4, 0x0d}, // CID0
		{0xffc, 4, 0xb1}, // CID3
	}
	for _, tt := range tests {
		if got := r.readN(tt.off, tt.size); got != tt.want {
			t.Errorf("read %#x size %d = %#x, want %#x", tt.off, tt.size, got, tt.want)
		}
	}
	before := r.tm.GuestErrors()
	r.read(0x10)
	r.write(0x10, 1)
	r.write(0xfe0, 1)
	r.readN(1, 1)
	r.readN(0, 8)
	if got := r.tm.GuestErrors() - before; got != 5 {
		t.Errorf("guest errors = %d, want 5", got)
	}
}

func TestTimerStateRoundTrip(t *testing.T) {
	r := newTimerRig(t)
	r.write(timerRELOAD, 1000)
	r.write(timerCTRL, timerCtrlEN|timerCtrlIRQEN)
	r.at(4000) // 100 ticks in
	s := r.tm.State()
	want := TimerState{Version: TimerStateVersion, CTRL: 9, RELOAD: 1000, VALUE: 900, Running: true}
	if diff := cmp.Diff(want, s); diff != "" {
		t.Fatalf("State (-want +got):\n%s", diff)
	}
	r2 := newTimerRig(t)
	r2.at(4000)
	if err := r2.tm.Restore(s); err != nil {
		t.Fatal(err)
	}
	for _, ns := range []uint64{4000, 20000, 43960, 44000} {
		r.at(ns)
		r2.at(ns)
		if a, b := r.read(timerVALUE), r2.read(timerVALUE); a != b || r.irq.level != r2.irq.level {
			t.Errorf("at %d ns: original VALUE %d IRQ %v, restored %d %v", ns, a, r.irq.level, b, r2.irq.level)
		}
	}
	bad := []TimerState{
		{Version: 2},
		{Version: TimerStateVersion, CTRL: 0x10},
		{Version: TimerStateVersion, INTSTATUS: 2},
		{Version: TimerStateVersion, Running: true},
	}
	for _, b := range bad {
		if err := r2.tm.Restore(b); !errors.Is(err, ErrBadState) {
			t.Errorf("Restore(%+v) = %v, want ErrBadState", b, err)
		}
	}
}
