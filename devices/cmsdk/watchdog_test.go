package cmsdk

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type wdogRig struct {
	*rig
	w        *Watchdog
	wint, rs *recLine
}

func newWdogRig(t *testing.T, o WatchdogOptions) *wdogRig {
	r := &wdogRig{rig: newRig(t), wint: &recLine{}, rs: &recLine{}}
	r.w = NewWatchdog(r.clk, pclk, 1, r.wint, r.rs, o)
	r.mapDev(r.w)
	return r
}

func TestWatchdogExpiry(t *testing.T) {
	r := newWdogRig(t, WatchdogOptions{})
	if got := r.read(wdogLOAD); got != 0xffffffff {
		t.Fatalf("LOAD after reset = %#x", got)
	}
	r.write(wdogLOAD, 10)
	r.write(wdogCONTROL, wdogCtrlINTEN|wdogCtrlRESEN)
	r.at(399)
	if r.wint.level || r.read(wdogVALUE) != 1 {
		t.Fatalf("at 399 ns: WDOGINT %v VALUE %d", r.wint.level, r.read(wdogVALUE))
	}
	r.at(400)
	if !r.wint.level || r.read(wdogRIS) != 1 || r.read(wdogMIS) != 1 || r.rs.level {
		t.Fatalf("first expiry: WDOGINT %v RIS %d WDOGRES %v", r.wint.level, r.read(wdogRIS), r.rs.level)
	}
	// Second expiry, RIS still set: reset, counter stops.
	r.at(400 + 11*40)
	if !r.rs.level {
		t.Fatalf("no WDOGRES at the second expiry")
	}
	r.at(1_000_000)
	if got := r.read(wdogVALUE); got != 0 || r.rs.rises() != 1 {
		t.Errorf("after reset: VALUE %d, WDOGRES rises %d", got, r.rs.rises())
	}
	r.w.Reset()
	if r.rs.level || r.wint.level {
		t.Errorf("Reset left outputs high")
	}
}

func TestWatchdogFeeding(t *testing.T) {
	r := newWdogRig(t, WatchdogOptions{})
	r.write(wdogLOAD, 10)
	r.write(wdogCONTROL, wdogCtrlINTEN|wdogCtrlRESEN)
	for ns := uint64(400); ns < 10_000; ns += 400 {
		r.at(ns)
		if !r.wint.level {
			t.Fatalf("no interrupt at %d ns", ns)
		}
		r.write(wdogINTCLR, 1) // clears RIS and reloads
		if r.wint.level || r.read(wdogVALUE) != 10 {
			t.Fatalf("INTCLR at %d ns: WDOGINT %v VALUE %d", ns, r.wint.level, r.read(wdogVALUE))
		}
	}
	if r.rs.rises() != 0 {
		t.Errorf("a fed watchdog reset the machine")
	}
}

func TestWatchdogLock(t *testing.T) {
	r := newWdogRig(t, WatchdogOptions{})
	r.write(wdogLOCK, 0)
	if r.read(wdogLOCK) != 1 {
		t.Fatalf("LOCK not set")
	}
	before := r.w.GuestErrors()
	r.write(wdogLOAD, 5)
	if r.read(wdogLOAD) != 0xffffffff || r.w.GuestErrors() != before+1 {
		t.Errorf("write to a locked watchdog took effect or was not reported")
	}
	r.write(wdogLOCK, WatchdogUnlock)
	r.write(wdogLOAD, 5)
	if r.read(wdogLOCK) != 0 || r.read(wdogLOAD) != 5 {
		t.Errorf("unlock failed")
	}
}

func TestWatchdogVariants(t *testing.T) {
	type ids struct{ PID0, PID1, PID4, CID0 uint32 }
	tests := []struct {
		name string
		o    WatchdogOptions
		want ids
	}{
		{"cmsdk", WatchdogOptions{}, ids{0x24, 0xb8, 0x04, 0x0d}},
		{"luminary", WatchdogOptions{Luminary: true}, ids{0x05, 0x18, 0x00, 0x0d}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newWdogRig(t, tt.o)
			got := ids{r.read(0xfe0), r.read(0xfe4), r.read(0xfd0), r.read(0xff0)}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ID registers (-want +got):\n%s", diff)
			}
			before := r.w.GuestErrors()
			r.write(wdogITCR, 1)
			r.write(wdogITOP, wdogITOPInt)
			if tt.o.Luminary {
				if r.wint.level || r.w.GuestErrors() != before+2 {
					t.Errorf("Luminary watchdog took integration test writes")
				}
			} else if !r.wint.level {
				t.Errorf("ITOP did not drive WDOGINT")
			}
		})
	}
}

func TestLuminaryWatchdogControlSticks(t *testing.T) {
	r := newWdogRig(t, WatchdogOptions{Luminary: true})
	r.write(wdogLOAD, 100)
	r.write(wdogCONTROL, wdogCtrlINTEN)
	r.write(wdogCONTROL, 0) // ignored once INTEN is set
	r.at(400)
	if r.read(wdogCONTROL) != wdogCtrlINTEN || r.read(wdogVALUE) != 90 {
		t.Errorf("CONTROL %#x VALUE %d: the Luminary watchdog was stopped", r.read(wdogCONTROL), r.read(wdogVALUE))
	}
	// The clock follows the system clock: half the rate, half the pace.
	r.w.SetClock(pclk, 2)
	r.at(800)
	if got := r.read(wdogVALUE); got != 85 {
		t.Errorf("VALUE after SetClock = %d, want 85", got)
	}
}

func TestWatchdogStateRoundTrip(t *testing.T) {
	r := newWdogRig(t, WatchdogOptions{})
	r.write(wdogLOAD, 100)
	r.write(wdogCONTROL, wdogCtrlINTEN|wdogCtrlRESEN)
	r.at(4000) // first expiry
	r.write(wdogLOCK, 1)
	s := r.w.State()
	want := WatchdogState{Version: WatchdogStateVersion, LOAD: 100, VALUE: 0, Running: true,
		CONTROL: 3, RIS: 1, LOCK: 1}
	if diff := cmp.Diff(want, s); diff != "" {
		t.Fatalf("State (-want +got):\n%s", diff)
	}
	r2 := newWdogRig(t, WatchdogOptions{})
	r2.at(4000)
	if err := r2.w.Restore(s); err != nil {
		t.Fatal(err)
	}
	r2.at(4000 + 101*40)
	if !r2.wint.level || !r2.rs.level {
		t.Errorf("restored watchdog: WDOGINT %v WDOGRES %v, want both", r2.wint.level, r2.rs.level)
	}
	lum := newWdogRig(t, WatchdogOptions{Luminary: true})
	for _, b := range []WatchdogState{
		{Version: 0},
		{Version: WatchdogStateVersion, CONTROL: 4},
		{Version: WatchdogStateVersion, RIS: 2},
		{Version: WatchdogStateVersion, Running: true},
	} {
		if err := r2.w.Restore(b); !errors.Is(err, ErrBadState) {
			t.Errorf("Restore(%+v) = %v, want ErrBadState", b, err)
		}
	}
	if err := lum.w.Restore(WatchdogState{Version: WatchdogStateVersion, ITCR: 1}); !errors.Is(err, ErrBadState) {
		t.Errorf("Luminary Restore with ITCR = %v, want ErrBadState", err)
	}
}
