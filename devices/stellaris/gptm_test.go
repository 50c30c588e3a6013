package stellaris

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type gptmRig struct {
	*rig
	g          *GPTM
	rate       Rate
	line, trig *recLine
}

// newGPTM returns a timer module counting QEMU's reset system clock,
// 12.5 MHz: 80 ns a cycle.
func newGPTM(t *testing.T) *gptmRig {
	r := &gptmRig{rig: newRig(t), rate: Rate{PLLHz, 16}, line: &recLine{}, trig: &recLine{}}
	r.g = NewGPTM(r.clk, func() Rate { return r.rate }, r.line, r.trig)
	r.mapDev(r.g)
	return r
}

func TestGPTM32Periodic(t *testing.T) {
	r := newGPTM(t)
	r.write(gpCFG, cfg32)
	r.write(gpTAMR, tmrPeriodic)
	r.write(gpTAILR, 100)
	r.write(gpIMR, intTATO)
	r.write(gpCTL, ctlTAEN|ctlTAOTE)
	type reading struct {
		NS  uint64
		TAR uint32
		IRQ bool
	}
	var got []reading
	for _, ns := range []uint64{0, 80, 7999, 8000, 8080} {
		r.clk.AdvanceTo(ns)
		got = append(got, reading{ns, r.read(gpTAR), r.line.level})
	}
	want := []reading{{0, 100, false}, {80, 99, false}, {7999, 1, false}, {8000, 100, true}, {8080, 99, true}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("TAR and interrupt (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]bool{true, false}, r.trig.sets); diff != "" {
		t.Errorf("ADC trigger (-want +got):\n%s", diff)
	}
	r.write(gpICR, intTATO)
	if r.line.level || r.read(gpRIS) != 0 {
		t.Fatalf("ICR did not clear TATORIS")
	}
	r.clk.AdvanceTo(16000)
	if !r.line.level || r.read(gpMIS) != intTATO {
		t.Errorf("no second time-out at 16000 ns")
	}
	// Disabling stops the count where it is.
	r.clk.AdvanceTo(16800)
	r.write(gpCTL, 0)
	r.clk.AdvanceTo(50000)
	if got := r.read(gpTAR); got != 90 {
		t.Errorf("stopped TAR = %d, want 90", got)
	}
}

func TestGPTM32OneShotAndClock(t *testing.T) {
	r := newGPTM(t)
	r.write(gpTAMR, tmrOneShot)
	r.write(gpTAILR, 0x10000) // the 32-bit value spans both halves
	if got := r.read(gpTAILR); got != 0x10000 {
		t.Fatalf("TAILR = %#x", got)
	}
	r.rate = Rate{PLLHz, 4} // 50 MHz: 20 ns a cycle
	r.write(gpCTL, ctlTAEN)
	end := uint64(0x10000 * 20)
	r.clk.AdvanceTo(end - 1)
	if r.read(gpRIS) != 0 {
		t.Fatalf("timed out early")
	}
	r.clk.AdvanceTo(end)
	if r.read(gpRIS) != intTATO || r.read(gpCTL)&ctlTAEN != 0 || r.line.level {
		t.Errorf("one-shot: RIS %#x CTL %#x IRQ %v (masked)", r.read(gpRIS), r.read(gpCTL), r.line.level)
	}
	r.clk.AdvanceTo(10 * end)
	if r.read(gpTAR) != 0 || len(r.trig.sets) != 0 {
		t.Errorf("one-shot ran on, or pulsed the trigger without TAOTE")
	}
}

func TestGPTM16BitPair(t *testing.T) {
	r := newGPTM(t)
	r.write(gpCFG, cfg16)
	r.write(gpTAMR, tmrPeriodic)
	r.write(gpTBMR, tmrOneShot)
	r.write(gpTAILR, 0x12345) // 16 bits only
	r.write(gpTBILR, 10)
	r.write(gpTBPR, 4) // Timer B counts every 5 cycles: 400 ns
	r.write(gpIMR, intTATO|intTBTO)
	if got := r.read(gpTAILR); got != 0x2345 {
		t.Fatalf("16-bit TAILR = %#x", got)
	}
	r.write(gpCTL, ctlTAEN|ctlTBEN)
	r.clk.AdvanceTo(3999)
	if r.read(gpRIS) != 0 || r.read(gpTBR) != 1 {
		t.Fatalf("at 3999 ns: RIS %#x TBR %d", r.read(gpRIS), r.read(gpTBR))
	}
	r.clk.AdvanceTo(4000)
	if r.read(gpRIS) != intTBTO || r.read(gpCTL) != ctlTAEN || !r.line.level {
		t.Errorf("Timer B one-shot: RIS %#x CTL %#x", r.read(gpRIS), r.read(gpCTL))
	}
	r.clk.AdvanceTo(0x2345 * 80)
	if r.read(gpRIS) != intTATO|intTBTO {
		t.Errorf("Timer A periodic: RIS %#x", r.read(gpRIS))
	}
}

func TestGPTMRTC(t *testing.T) {
	r := newGPTM(t)
	r.write(gpCFG, cfgRTC)
	r.write(gpTAMATCHR, 2)
	r.write(gpIMR, intRTC)
	r.write(gpCTL, ctlTAEN)
	var tar []uint32
	for s := uint64(0); s <= 4; s++ {
		r.clk.AdvanceTo(s * 1_000_000_000)
		tar = append(tar, r.read(gpTAR))
	}
	if diff := cmp.Diff([]uint32{0, 1, 2, 0, 1}, tar); diff != "" {
		t.Errorf("RTC count (-want +got):\n%s", diff)
	}
	if !r.line.level || r.read(gpRIS) != intRTC {
		t.Errorf("no RTC interrupt after the wrap: RIS %#x", r.read(gpRIS))
	}
}

func TestGPTMGuestErrors(t *testing.T) {
	r := newGPTM(t)
	r.write(gpTAMR, tmrPeriodic)
	r.write(gpCTL, ctlTAEN) // TAILR 0
	r.write(0x50, 1)
	r.read(0x10)
	if r.g.GuestErrors() != 3 {
		t.Errorf("guest errors = %d, want 3", r.g.GuestErrors())
	}
	r.clk.AdvanceTo(1_000_000)
	if r.read(gpRIS) != 0 {
		t.Errorf("a timer loaded with 0 ran")
	}
}

func TestGPTMState(t *testing.T) {
	r := newGPTM(t)
	r.write(gpTAMR, tmrPeriodic)
	r.write(gpTAILR, 1000)
	r.write(gpIMR, intTATO)
	r.write(gpCTL, ctlTAEN)
	r.clk.AdvanceTo(100_000) // one time-out at 80000
	s := r.g.State()
	r2 := newGPTM(t)
	r2.clk.AdvanceTo(100_000)
	if err := r2.g.Restore(s); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(s, r2.g.State()); diff != "" {
		t.Errorf("restored state (-want +got):\n%s", diff)
	}
	for _, ns := range []uint64{100_000, 159_999, 160_000, 250_000} {
		r.clk.AdvanceTo(ns)
		r2.clk.AdvanceTo(ns)
		if a, b := r.read(gpTAR), r2.read(gpTAR); a != b || r.line.level != r2.line.level {
			t.Errorf("at %d ns: original TAR %d IRQ %v, restored %d %v", ns, a, r.line.level, b, r2.line.level)
		}
	}
	bad := func(f func(*GPTMState)) GPTMState {
		b := s
		f(&b)
		return b
	}
	for _, b := range []GPTMState{
		bad(func(s *GPTMState) { s.Version = 0 }),
		bad(func(s *GPTMState) { s.CFG = 8 }),
		bad(func(s *GPTMState) { s.IMR = 0x10 }),
		bad(func(s *GPTMState) { s.Timer[0].Due++ }),
		bad(func(s *GPTMState) { s.Timer[0].Count = 0 }),
		bad(func(s *GPTMState) { s.Timer[0].RateDiv = 0 }),
	} {
		if err := r2.g.Restore(b); !errors.Is(err, ErrBadState) {
			t.Errorf("Restore(%+v) = %v, want ErrBadState", b, err)
		}
	}
}

// TestGPTMCatchUp: a time-out due by the live clock whose event has not run
// yet is not lost when the guest disables the timer.
func TestGPTMCatchUp(t *testing.T) {
	r := newGPTM(t)
	r.write(gpTAMR, tmrPeriodic)
	r.write(gpTAILR, 100) // due at 8000 ns
	r.write(gpCTL, ctlTAEN)
	r.clk.SetLive(func() uint64 { return 8500 })
	r.write(gpCTL, 0)
	r.clk.SetLive(nil)
	r.clk.AdvanceTo(9000)
	if r.read(gpRIS) != intTATO {
		t.Errorf("time-out due before the disable was lost")
	}
	if got := r.read(gpTAR); got != 94 {
		t.Errorf("TAR stopped at %d, want 94 (reloaded at 8000 ns, stopped at 8500 ns)", got)
	}
}
