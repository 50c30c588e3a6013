package cmsdk

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type dualRig struct {
	*rig
	d             *DualTimer
	combo, t1, t2 *recLine
}

func newDualRig(t *testing.T) *dualRig {
	r := &dualRig{rig: newRig(t), combo: &recLine{}, t1: &recLine{}, t2: &recLine{}}
	r.d = NewDualTimer(r.clk, pclk, DualTimerIRQs{Combined: r.combo, Timer1: r.t1, Timer2: r.t2})
	r.mapDev(r.d)
	return r
}

const (
	timer1 = 0x00
	timer2 = 0x20
)

func TestDualTimerReset(t *testing.T) {
	r := newDualRig(t)
	got := []uint32{r.read(dtCONTROL), r.read(dtVALUE), r.read(dtLOAD), r.read(timer2 + dtVALUE), r.read(0xfe0)}
	if diff := cmp.Diff([]uint32{dtCtrlINTEN, 0xffffffff, 0, 0xffffffff, 0x23}, got); diff != "" {
		t.Errorf("CONTROL, VALUE, LOAD, TIMER2VALUE, PID0 after reset (-want +got):\n%s", diff)
	}
}

func TestDualTimerPeriodicPrescale(t *testing.T) {
	r := newDualRig(t)
	// 32-bit periodic, prescale 16: 25 MHz / 16, 640 ns a tick.
	r.write(dtLOAD, 5)
	r.write(dtCONTROL, dtCtrlENABLE|dtCtrlMODE|dtCtrlSIZE|1<<2|dtCtrlINTEN)
	want := []sample{
		{0, 5, false},
		{640, 4, false},
		{3199, 1, false},
		{3200, 0, true},
		{3840, 5, true},
		{7039, 1, true},
	}
	got := r.samples([]uint64{0, 640, 3199, 3200, 3840, 7039}, func() (uint32, bool) {
		return r.read(dtVALUE), r.t1.level
	})
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("TIMER1VALUE and TIMINT1 (-want +got):\n%s", diff)
	}
	if r.read(dtRIS) != 1 || r.read(dtMIS) != 1 || !r.combo.level || r.t2.level {
		t.Errorf("RIS %d MIS %d TIMINTC %v TIMINT2 %v", r.read(dtRIS), r.read(dtMIS), r.combo.level, r.t2.level)
	}
	r.write(dtINTCLR, 0)
	if r.combo.level || r.read(dtRIS) != 0 {
		t.Fatalf("INTCLR did not clear the interrupt")
	}
	r.at(7040)
	if !r.t1.level {
		t.Errorf("no second expiry at 7040 ns")
	}
}

func TestDualTimerFreeRunning16(t *testing.T) {
	r := newDualRig(t)
	r.write(timer2+dtCONTROL, dtCtrlENABLE|dtCtrlINTEN) // 16-bit free-running
	r.at(40)
	if got := r.read(timer2 + dtVALUE); got != 0xfffffffe {
		t.Errorf("VALUE after one tick = %#x, want 0xfffffffe", got)
	}
	end := uint64(0xffff * 40)
	r.at(end - 1)
	if r.t2.level {
		t.Fatalf("expired early")
	}
	r.at(end)
	if !r.t2.level || !r.combo.level || r.t1.level {
		t.Fatalf("16-bit wrap: TIMINT2 %v TIMINTC %v TIMINT1 %v", r.t2.level, r.combo.level, r.t1.level)
	}
	r.at(end + 40)
	if got := r.read(timer2 + dtVALUE); got != 0xffffffff {
		t.Errorf("VALUE after wrap = %#x, want 0xffffffff", got)
	}
}

func TestDualTimerOneShot(t *testing.T) {
	r := newDualRig(t)
	r.write(dtLOAD, 3)
	r.write(dtCONTROL, dtCtrlENABLE|dtCtrlMODE|dtCtrlSIZE|dtCtrlONESHOT|dtCtrlINTEN)
	r.at(120)
	if !r.t1.level {
		t.Fatalf("one-shot did not fire at 120 ns")
	}
	r.write(dtINTCLR, 1)
	r.at(100_000)
	if r.t1.level || r.read(dtVALUE) != 0 {
		t.Fatalf("one-shot fired again or reloaded (VALUE %d)", r.read(dtVALUE))
	}
	r.write(dtLOAD, 2) // restarts it
	r.at(100_080)
	if !r.t1.level {
		t.Errorf("LOAD did not restart the one-shot counter")
	}
}

// TestDualTimerLoadKeepsPeriodic pins the deviation from QEMU: rewriting
// LOAD leaves a periodic counter periodic.
func TestDualTimerLoadKeepsPeriodic(t *testing.T) {
	r := newDualRig(t)
	r.write(dtLOAD, 2)
	r.write(dtCONTROL, dtCtrlENABLE|dtCtrlMODE|dtCtrlSIZE|dtCtrlINTEN)
	r.write(dtLOAD, 4)
	for _, ns := range []uint64{160, 360} { // 4 ticks, then 5 more
		r.at(ns)
		if !r.t1.level {
			t.Fatalf("no expiry at %d ns", ns)
		}
		r.write(dtINTCLR, 1)
	}
}

func TestDualTimerBGLoadAndMask(t *testing.T) {
	r := newDualRig(t)
	r.write(dtLOAD, 4)
	r.write(dtCONTROL, dtCtrlENABLE|dtCtrlMODE|dtCtrlSIZE) // INTEN clear
	r.write(dtBGLOAD, 10)
	if got := r.read(dtVALUE); got != 4 {
		t.Errorf("BGLOAD changed VALUE to %d", got)
	}
	r.at(160)
	if r.read(dtRIS) != 1 || r.read(dtMIS) != 0 || r.t1.level || r.combo.level {
		t.Errorf("masked expiry: RIS %d MIS %d lines %v %v", r.read(dtRIS), r.read(dtMIS), r.t1.level, r.combo.level)
	}
	r.at(200)
	if got := r.read(dtVALUE); got != 10 {
		t.Errorf("reload after BGLOAD = %d, want 10", got)
	}
	// Integration test mode drives the outputs from TIMERITOP.
	r.write(dtITCR, 1)
	r.write(dtITOP, dtITOPTimInt2)
	if !r.t2.level || !r.combo.level || r.t1.level {
		t.Errorf("ITOP: TIMINT1 %v TIMINT2 %v TIMINTC %v", r.t1.level, r.t2.level, r.combo.level)
	}
	r.write(dtITCR, 0)
	if r.t2.level || r.combo.level {
		t.Errorf("leaving integration test mode left the outputs high")
	}
}

func TestDualTimerSizeSwitch(t *testing.T) {
	r := newDualRig(t)
	r.write(dtCONTROL, dtCtrlMODE|dtCtrlSIZE)
	r.write(dtLOAD, 0x12345678)
	r.write(dtCONTROL, dtCtrlMODE) // to 16 bits
	got := []uint32{r.read(dtLOAD), r.read(dtVALUE)}
	if diff := cmp.Diff([]uint32{0x12345678, 0x12345678}, got); diff != "" {
		t.Errorf("LOAD, VALUE after 32->16 (-want +got):\n%s", diff)
	}
	r.write(dtCONTROL, dtCtrlMODE|dtCtrlENABLE)
	r.at(40)
	if got := r.read(dtVALUE); got != 0x12345677 {
		t.Errorf("16-bit VALUE after a tick = %#x, want 0x12345677", got)
	}
	if got := r.readN(dtVALUE, 2); got != 0x5677 {
		t.Errorf("halfword VALUE = %#x", got)
	}
}

func TestDualTimerStateRoundTrip(t *testing.T) {
	r := newDualRig(t)
	r.write(dtLOAD, 50)
	r.write(dtCONTROL, dtCtrlENABLE|dtCtrlMODE|dtCtrlSIZE|dtCtrlINTEN|2<<2)
	r.write(timer2+dtCONTROL, dtCtrlENABLE|dtCtrlINTEN)
	r.at(3 * 40 * 256)
	s := r.d.State()
	r2 := newDualRig(t)
	r2.at(3 * 40 * 256)
	if err := r2.d.Restore(s); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(s, r2.d.State()); diff != "" {
		t.Errorf("restored state (-want +got):\n%s", diff)
	}
	for _, ns := range []uint64{40_000, 522_240, 600_000, 2_700_000} {
		r.at(ns)
		r2.at(ns)
		for _, off := range []uint64{dtVALUE, timer2 + dtVALUE, dtRIS, timer2 + dtRIS} {
			if a, b := r.read(off), r2.read(off); a != b {
				t.Errorf("at %d ns offset %#x: original %#x restored %#x", ns, off, a, b)
			}
		}
	}
	bad := func(f func(*DualTimerState)) DualTimerState {
		b := s
		f(&b)
		return b
	}
	for _, b := range []DualTimerState{
		bad(func(s *DualTimerState) { s.Version = 9 }),
		bad(func(s *DualTimerState) { s.ITOP = 4 }),
		bad(func(s *DualTimerState) { s.Timer[0].CONTROL = 0x100 }),
		bad(func(s *DualTimerState) { s.Timer[1].Count = 0x10000 }),
		bad(func(s *DualTimerState) { s.Timer[1].CONTROL = 0 }),
	} {
		if err := r2.d.Restore(b); !errors.Is(err, ErrBadState) {
			t.Errorf("Restore(%+v) = %v, want ErrBadState", b, err)
		}
	}
}
