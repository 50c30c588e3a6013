package armtimer

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"testing"

	"github.com/google/go-cmp/cmp"

	"mimic/devices/clock"
)

type recLine struct {
	level bool
	sets  []bool
}

func (l *recLine) Set(v bool) { l.level = v; l.sets = append(l.sets, v) }

type rig struct {
	clk        *clock.Clock
	tm         *Timer
	phys, virt *recLine
}

func newRig(freq uint64) *rig {
	r := &rig{clk: clock.New(), phys: &recLine{}, virt: &recLine{}}
	r.tm = New(r.clk, freq, r.phys, r.virt)
	return r
}

func TestCounterConversion(t *testing.T) {
	tests := []struct {
		freq uint64
		ns   uint64
	}{
		{CortexA15Freq, 0},
		{CortexA15Freq, 15},
		{CortexA15Freq, 16},
		{CortexA15Freq, 1_000_000_000},
		{CortexA15Freq, 1<<63 + 12345},
		{CortexA15Freq, math.MaxUint64},
		{24_000_000, 41},
		{24_000_000, 42},
		{24_000_000, 3_600_000_000_000},
		{19_200_000, math.MaxUint64 - 1},
		{1, 999_999_999},
		{1, 1_000_000_000},
		{math.MaxUint32, math.MaxUint64},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%dHz@%dns", tt.freq, tt.ns), func(t *testing.T) {
			// floor(ns * freq / 1e9) mod 2^64, computed the slow way.
			w := new(big.Int).SetUint64(tt.ns)
			w.Mul(w, new(big.Int).SetUint64(tt.freq))
			w.Quo(w, big.NewInt(1_000_000_000))
			w.Mod(w, new(big.Int).Lsh(big.NewInt(1), 64))
			r := newRig(tt.freq)
			r.clk.AdvanceTo(tt.ns)
			if diff := cmp.Diff(w.Uint64(), r.tm.CNTPCT()); diff != "" {
				t.Errorf("CNTPCT (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCortexA15TickIs16ns(t *testing.T) {
	r := newRig(CortexA15Freq)
	var got []uint64
	for _, ns := range []uint64{0, 15, 16, 31, 32, 1600} {
		r.clk.AdvanceTo(ns)
		got = append(got, r.tm.CNTPCT())
	}
	if diff := cmp.Diff([]uint64{0, 0, 1, 1, 2, 100}, got); diff != "" {
		t.Errorf("CNTPCT at 0, 15, 16, 31, 32, 1600 ns (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(uint32(62_500_000), r.tm.CNTFRQ()); diff != "" {
		t.Errorf("CNTFRQ reset value (-want +got):\n%s", diff)
	}
}

// edge finds when a line went high: it checks the level just before and at
// the expected instant.
func edge(clk *clock.Clock, l *recLine, at uint64) string {
	before := "n/a"
	if at > clk.Now() {
		clk.AdvanceTo(at - 1)
		before = fmt.Sprint(l.level)
	}
	clk.AdvanceTo(at)
	return fmt.Sprintf("before=%s at=%v", before, l.level)
}

func TestFiringTimes(t *testing.T) {
	tests := []struct {
		name    string
		freq    uint64
		virtual bool
		cntvoff uint64
		start   uint64 // virtual ns at which the timer is programmed
		cval    uint64
		fireAt  uint64 // first ns at which the line must be high
	}{
		{"physical, 62.5 MHz", CortexA15Freq, false, 0, 0, 1000, 16_000},
		{"physical, programmed mid-tick", CortexA15Freq, false, 0, 1_000_007, 70_000, 1_120_000},
		{"physical, 24 MHz, inexact tick", 24_000_000, false, 0, 0, 1, 42},
		{"physical, 24 MHz, exact tick", 24_000_000, false, 0, 0, 3, 125},
		{"physical, already due", CortexA15Freq, false, 0, 32_000, 5, 32_000},
		{"virtual, offset 1000", CortexA15Freq, true, 1000, 16_000, 500, 24_000},
		{"virtual, offset above the count: already due", CortexA15Freq, true, 1000, 0, 500, 0},
		{"virtual, no offset", CortexA15Freq, true, 0, 0, 500, 8_000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(tt.freq)
			r.clk.AdvanceTo(tt.start)
			ch, line := r.tm.Phys(), r.phys
			if tt.virtual {
				ch, line = r.tm.Virt(), r.virt
				r.tm.SetCNTVOFF(tt.cntvoff)
			}
			ch.SetCVAL(tt.cval)
			ch.SetCTL(CTL_ENABLE)
			want := "before=false at=true"
			if tt.fireAt == tt.start {
				want = "before=n/a at=true"
			}
			if diff := cmp.Diff(want, edge(r.clk, line, tt.fireAt)); diff != "" {
				t.Errorf("line around %d ns (-want +got):\n%s", tt.fireAt, diff)
			}
			if diff := cmp.Diff(uint32(CTL_ENABLE|CTL_ISTATUS), ch.CTL()); diff != "" {
				t.Errorf("CTL after firing (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTVAL(t *testing.T) {
	r := newRig(CortexA15Freq)
	p := r.tm.Phys()
	r.clk.AdvanceTo(1600) // count 100
	p.SetTVAL(100)
	p.SetCTL(CTL_ENABLE)
	got := []string{
		fmt.Sprintf("CVAL=%d TVAL=%d", p.CVAL(), int32(p.TVAL())),
		edge(r.clk, r.phys, 3200),
	}
	r.clk.AdvanceTo(3200 + 5*16)
	got = append(got, fmt.Sprintf("TVAL=%d", int32(p.TVAL())))

	// A negative TVAL puts CVAL in the past: the timer fires at once.
	p.SetCTL(0)
	p.SetTVAL(uint32(0xffffffff)) // -1
	got = append(got, fmt.Sprintf("CVAL=%d", p.CVAL()))
	p.SetCTL(CTL_ENABLE)
	got = append(got, fmt.Sprintf("line=%v", r.phys.level))
	want := []string{
		"CVAL=200 TVAL=100",
		"before=false at=true",
		"TVAL=-5",
		"CVAL=204",
		"line=true",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestTVALSignExtendsAndWraps(t *testing.T) {
	r := newRig(CortexA15Freq)
	v := r.tm.Virt()
	r.tm.SetCNTVOFF(10) // virtual count is 2^64-10 at time zero
	v.SetTVAL(20)
	if diff := cmp.Diff(uint64(10), v.CVAL()); diff != "" {
		t.Errorf("CVAL wraps modulo 2^64 (-want +got):\n%s", diff)
	}
	v.SetTVAL(0x80000000) // most negative
	if diff := cmp.Diff(uint64(math.MaxUint64-9-0x80000000), v.CVAL()); diff != "" {
		t.Errorf("CVAL after TVAL=INT32_MIN (-want +got):\n%s", diff)
	}
}

func TestMaskingAndDisabling(t *testing.T) {
	r := newRig(CortexA15Freq)
	p := r.tm.Phys()
	p.SetCVAL(100) // due at 1600 ns
	p.SetCTL(CTL_ENABLE | CTL_IMASK)
	var got []string
	note := func(what string) {
		got = append(got, fmt.Sprintf("%s: CTL=%#x line=%v", what, p.CTL(), r.phys.level))
	}
	r.clk.AdvanceTo(1599)
	note("masked, before")
	r.clk.AdvanceTo(1600)
	note("masked, due")
	p.SetCTL(CTL_ENABLE)
	note("unmasked")
	p.SetCTL(CTL_ENABLE | CTL_IMASK) // what Linux's handler does
	note("masked again")
	p.SetCTL(CTL_IMASK)
	note("disabled")
	want := []string{
		"masked, before: CTL=0x3 line=false",
		"masked, due: CTL=0x7 line=false",
		"unmasked: CTL=0x5 line=true",
		"masked again: CTL=0x7 line=false",
		"disabled: CTL=0x2 line=false",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if _, ok := r.clk.Deadline(); ok {
		t.Error("a masked or disabled timer left an event on the clock")
	}
}

func TestReprogrammingCancels(t *testing.T) {
	r := newRig(CortexA15Freq)
	p := r.tm.Phys()
	p.SetCVAL(100)
	p.SetCTL(CTL_ENABLE)
	p.SetCVAL(200) // moves the deadline from 1600 to 3200
	if at, _ := r.clk.Deadline(); at != 3200 {
		t.Errorf("clock deadline = %d, want 3200", at)
	}
	r.clk.AdvanceTo(3199)
	if r.phys.level || len(r.phys.sets) != 1 { // only Reset's Set(false)
		t.Errorf("line changes before the new deadline: %v", r.phys.sets)
	}
	r.clk.AdvanceTo(3200)
	if !r.phys.level {
		t.Error("line low at the new deadline")
	}
	p.SetCVAL(1 << 40) // far future: line drops at once
	if r.phys.level {
		t.Error("line still high after moving CVAL into the future")
	}
}

func TestCNTVOFFReschedules(t *testing.T) {
	r := newRig(CortexA15Freq)
	v := r.tm.Virt()
	v.SetCVAL(1000)
	v.SetCTL(CTL_ENABLE) // due at 16000 ns
	r.clk.AdvanceTo(8000)
	r.tm.SetCNTVOFF(250) // virtual count drops from 500 to 250: due at 20000 ns
	got := []string{
		fmt.Sprintf("CNTVCT=%d", r.tm.CNTVCT()),
		edge(r.clk, r.virt, 20_000),
	}
	r.tm.SetCNTVOFF(0) // virtual count jumps to 1250: still due, line stays up
	got = append(got, fmt.Sprintf("CNTVCT=%d line=%v", r.tm.CNTVCT(), r.virt.level))
	want := []string{"CNTVCT=250", "before=false at=true", "CNTVCT=1250 line=true"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if r.phys.level {
		t.Error("the physical timer fired")
	}
}

// TestLinuxClockEvents follows Linux's arm_arch_timer driver in oneshot
// mode on the virtual timer: set_next_event writes TVAL then CTL with
// ENABLE set and IMASK clear; the handler reads CTL and, seeing ISTATUS,
// masks the timer before handling the event.
func TestLinuxClockEvents(t *testing.T) {
	r := newRig(CortexA15Freq)
	v := r.tm.Virt()
	const period = 62_500 // ticks: 1 ms at 62.5 MHz
	var fired []uint64
	program := func() {
		v.SetTVAL(period)
		v.SetCTL((v.CTL() | CTL_ENABLE) &^ CTL_IMASK)
	}
	handler := func() {
		if ctl := v.CTL(); ctl&CTL_ISTATUS != 0 {
			v.SetCTL(ctl | CTL_IMASK)
			fired = append(fired, r.clk.Now())
			program()
		}
	}
	program()
	for len(fired) < 4 {
		at, ok := r.clk.Deadline()
		if !ok {
			t.Fatal("no timer event scheduled")
		}
		r.clk.AdvanceTo(at)
		if r.virt.level {
			handler()
		}
		if r.virt.level {
			t.Fatalf("line still high after the handler at %d ns", r.clk.Now())
		}
	}
	if diff := cmp.Diff([]uint64{1_000_000, 2_000_000, 3_000_000, 4_000_000}, fired); diff != "" {
		t.Errorf("interrupt times in ns (-want +got):\n%s", diff)
	}
}

func TestStorageRegisters(t *testing.T) {
	r := newRig(CortexA15Freq)
	r.tm.SetCNTFRQ(24_000_000)
	r.tm.SetCNTKCTL(0x303)
	r.tm.SetCNTVOFF(77)
	r.clk.AdvanceTo(1600)
	got := []uint64{uint64(r.tm.CNTFRQ()), uint64(r.tm.CNTKCTL()), r.tm.CNTVOFF(), r.tm.CNTPCT(), r.tm.CNTVCT()}
	if diff := cmp.Diff([]uint64{24_000_000, 0x303, 77, 100, 23}, got); diff != "" {
		t.Errorf("[CNTFRQ, CNTKCTL, CNTVOFF, CNTPCT, CNTVCT] (-want +got):\n%s", diff)
	}
	r.tm.Virt().SetCTL(0xfffffff8)
	if got := r.tm.Virt().CTL(); got != 0 {
		t.Errorf("CTL = %#x after writing only reserved and ISTATUS bits, want 0", got)
	}
}

func TestResetLowersLines(t *testing.T) {
	r := newRig(CortexA15Freq)
	r.tm.Phys().SetCTL(CTL_ENABLE) // CVAL 0: due at once
	r.tm.Virt().SetCVAL(10)
	r.tm.Virt().SetCTL(CTL_ENABLE)
	if !r.phys.level {
		t.Fatal("physical line low")
	}
	fresh := New(clock.New(), CortexA15Freq, nil, nil).State()
	r.tm.Reset()
	if diff := cmp.Diff(fresh, r.tm.State()); diff != "" {
		t.Errorf("state after Reset (-want +got):\n%s", diff)
	}
	if r.phys.level || r.virt.level {
		t.Error("a line is high after Reset")
	}
	if _, ok := r.clk.Deadline(); ok {
		t.Error("Reset left an event on the clock")
	}
}

func TestStateRoundTrip(t *testing.T) {
	r := newRig(CortexA15Freq)
	r.clk.AdvanceTo(5000)
	r.tm.SetCNTKCTL(3)
	r.tm.SetCNTVOFF(100)
	r.tm.Phys().SetCVAL(1000) // due at 16000 ns
	r.tm.Phys().SetCTL(CTL_ENABLE)
	r.tm.Virt().SetCVAL(0) // due already
	r.tm.Virt().SetCTL(CTL_ENABLE)
	saved := r.tm.State()

	r2 := newRig(CortexA15Freq)
	r2.clk.AdvanceTo(5000)
	if err := r2.tm.Restore(saved); err != nil {
		t.Fatalf("Restore: %v", err)
	}
	if diff := cmp.Diff(saved, r2.tm.State()); diff != "" {
		t.Errorf("restored state (-want +got):\n%s", diff)
	}
	got := []string{fmt.Sprintf("virt=%v", r2.virt.level), edge(r2.clk, r2.phys, 16_000)}
	if diff := cmp.Diff([]string{"virt=true", "before=false at=true"}, got); diff != "" {
		t.Errorf("restored timer (-want +got):\n%s", diff)
	}
}

func TestRestoreRejectsBadState(t *testing.T) {
	good := newRig(CortexA15Freq).tm.State()
	tests := []struct {
		name   string
		mutate func(*State)
	}{
		{"version", func(s *State) { s.Version = 2 }},
		{"frequency", func(s *State) { s.Freq = 24_000_000 }},
		{"CNTP_CTL ISTATUS", func(s *State) { s.CNTP_CTL = CTL_ISTATUS }},
		{"CNTV_CTL reserved", func(s *State) { s.CNTV_CTL = 1 << 8 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(CortexA15Freq)
			r.tm.SetCNTKCTL(1)
			before := r.tm.State()
			s := good
			tt.mutate(&s)
			if err := r.tm.Restore(s); !errors.Is(err, ErrBadState) {
				t.Fatalf("Restore() = %v, want an ErrBadState", err)
			}
			if diff := cmp.Diff(before, r.tm.State()); diff != "" {
				t.Errorf("state changed by a failed Restore (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNewRejectsBadFrequency(t *testing.T) {
	for _, f := range []uint64{0, 1 << 32} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("New(freq=%d) did not panic", f)
				}
			}()
			New(clock.New(), f, nil, nil)
		}()
	}
}

func TestFarFutureCompareSchedulesNothing(t *testing.T) {
	r := newRig(CortexA15Freq)
	p := r.tm.Phys()
	p.SetCVAL(math.MaxUint64) // 2^64 ticks of 16 ns: beyond the clock's range
	p.SetCTL(CTL_ENABLE)
	if at, ok := r.clk.Deadline(); ok {
		t.Errorf("event scheduled at %d ns for an unreachable compare value", at)
	}
	if p.Level() || p.CTL()&CTL_ISTATUS != 0 {
		t.Error("timer fired")
	}
	// The largest reachable compare value is scheduled exactly.
	p.SetCVAL(math.MaxUint64 / 16)
	if diff := cmp.Diff(uint64(math.MaxUint64/16*16), mustDeadline(t, r.clk)); diff != "" {
		t.Errorf("deadline (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(uint64(CortexA15Freq), r.tm.Freq()); diff != "" {
		t.Errorf("Freq (-want +got):\n%s", diff)
	}
}

func mustDeadline(t *testing.T, clk *clock.Clock) uint64 {
	t.Helper()
	at, ok := clk.Deadline()
	if !ok {
		t.Fatal("no event scheduled")
	}
	return at
}

// TestLiveClockNeverLosesTheInterrupt programs the timer against a clock
// whose live time moves on every read, as realtime mode's does, for each
// compare value close to the count. Whatever moment the compare value
// falls between two reads, the line must be high once the clock advances
// past it (issue 7: a recalc that read the counter twice dropped the event
// when CVAL fell between its two reads, and the guest slept forever).
func TestLiveClockNeverLosesTheInterrupt(t *testing.T) {
	for _, virtual := range []bool{false, true} {
		for ahead := uint64(0); ahead < 16; ahead++ {
			t.Run(fmt.Sprintf("virtual=%v/cval=count+%d", virtual, ahead), func(t *testing.T) {
				r := newRig(CortexA15Freq)
				r.clk.AdvanceTo(1_000_000)
				ch, line := r.tm.Phys(), r.phys
				if virtual {
					ch, line = r.tm.Virt(), r.virt
					r.tm.SetCNTVOFF(1234)
				}
				ch.SetCTL(CTL_ENABLE | CTL_IMASK)
				// From here on every read of the clock is 2.5 ticks
				// (40 ns) later than the one before.
				live := r.clk.Now()
				r.clk.SetLive(func() uint64 { live += 40; return live })
				ch.SetCVAL(ch.count() + ahead)
				ch.SetCTL(CTL_ENABLE)
				r.clk.SetLive(nil)
				r.clk.AdvanceTo(live + 1_000_000)
				if !line.level || !ch.Level() {
					t.Fatalf("line low after the compare value passed: CTL %#x, event pending %v",
						ch.CTL(), ch.event.Pending())
				}
			})
		}
	}
}

// TestPastDeadlineFiresAtNextAdvance checks that an event whose time the
// live clock has passed before it was scheduled is not dropped.
func TestPastDeadlineFiresAtNextAdvance(t *testing.T) {
	r := newRig(CortexA15Freq)
	p := r.tm.Phys()
	p.SetCVAL(100) // 1600 ns
	// The live clock reads 1599 ns for the decision; the event is due
	// at 1600 and must fire when the loop advances to any later time.
	r.clk.SetLive(func() uint64 { return 1599 })
	p.SetCTL(CTL_ENABLE)
	r.clk.SetLive(nil)
	if p.Level() {
		t.Fatal("line high before the compare value")
	}
	r.clk.AdvanceTo(5000)
	if !p.Level() {
		t.Error("line low after the compare value")
	}
}
