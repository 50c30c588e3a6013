package pl031

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"mimic/devices/bus"
	"mimic/devices/clock"
)

func TestMain(m *testing.M) {
	// Guest errors are counted and checked; their log lines are noise here.
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	os.Exit(m.Run())
}

// base is where QEMU's virt board maps the RTC.
const base = 0x09010000

const sec = uint64(time.Second)

// startTime is 2023-11-14 22:13:20 UTC.
var startTime = time.Unix(1700000000, 0)

type recLine struct {
	level bool
	sets  []bool
}

func (l *recLine) Set(v bool) { l.level = v; l.sets = append(l.sets, v) }

type rig struct {
	t   *testing.T
	clk *clock.Clock
	bus *bus.Bus
	rtc *RTC
	irq *recLine
}

// newRig builds an RTC at startTime on a clock advanced to now first.
func newRig(t *testing.T, now uint64) *rig {
	t.Helper()
	r := &rig{t: t, clk: clock.New(), bus: bus.New(), irq: &recLine{}}
	r.clk.AdvanceTo(now)
	r.rtc = New(r.clk, startTime, r.irq)
	if err := r.bus.MapDevice("pl031", base, WindowSize, r.rtc); err != nil {
		t.Fatal(err)
	}
	return r
}

func (r *rig) read(off uint64) uint32 { return uint32(r.readN(off, 4)) }

func (r *rig) readN(off uint64, size int) uint64 {
	r.t.Helper()
	v, ok := r.bus.Read(base+off, size)
	if !ok {
		r.t.Fatalf("bus read at %#x failed", off)
	}
	return v
}

func (r *rig) write(off uint64, v uint32) { r.writeN(off, 4, uint64(v)) }

func (r *rig) writeN(off uint64, size int, v uint64) {
	r.t.Helper()
	if !r.bus.Write(base+off, size, v) {
		r.t.Fatalf("bus write at %#x failed", off)
	}
}

func TestResetValues(t *testing.T) {
	r := newRig(t, 0)
	tests := []struct {
		name string
		off  uint64
		want uint32
	}{
		{"RTCDR", regDR, 1700000000},
		{"RTCMR", regMR, 0},
		{"RTCLR", regLR, 0},
		{"RTCCR", regCR, 1},
		{"RTCIMSC", regIMSC, 0},
		{"RTCRIS", regRIS, 0},
		{"RTCMIS", regMIS, 0},
		{"RTCPeriphID0", 0xfe0, 0x31},
		{"RTCPeriphID1", 0xfe4, 0x10},
		{"RTCPeriphID2", 0xfe8, 0x14},
		{"RTCPeriphID3", 0xfec, 0x00},
		{"RTCPCellID0", 0xff0, 0x0d},
		{"RTCPCellID1", 0xff4, 0xf0},
		{"RTCPCellID2", 0xff8, 0x05},
		{"RTCPCellID3", 0xffc, 0xb1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, r.read(tt.off)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	if n := r.rtc.GuestErrors(); n != 0 {
		t.Errorf("GuestErrors() = %d", n)
	}
}

func TestCounter(t *testing.T) {
	tests := []struct {
		name    string
		created uint64 // virtual time at New
		at      uint64 // virtual time of the read
		want    uint32
	}{
		{"at creation", 0, 0, 1700000000},
		{"1 ns before the first second", 0, sec - 1, 1700000000},
		{"at the first second", 0, sec, 1700000001},
		{"five and a half seconds", 0, 5*sec + sec/2, 1700000005},
		{"created mid-second reads start", 2*sec + sec/2, 2*sec + sec/2, 1700000000},
		{"created mid-second ticks at the next whole second", 2*sec + sec/2, 3 * sec, 1700000001},
		{"a day later", 0, 86400 * sec, 1700086400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, tt.created)
			r.clk.AdvanceTo(tt.at)
			if diff := cmp.Diff(tt.want, r.read(regDR)); diff != "" {
				t.Errorf("RTCDR (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCounterWraps(t *testing.T) {
	clk := clock.New()
	rtc := New(clk, time.Unix(0xffffffff, 0), nil)
	clk.AdvanceTo(2 * sec)
	if diff := cmp.Diff(uint64(1), rtc.Read(regDR, 4)); diff != "" {
		t.Errorf("RTCDR after wrapping (-want +got):\n%s", diff)
	}
}

func TestLoad(t *testing.T) {
	r := newRig(t, 0)
	r.clk.AdvanceTo(2*sec + 300_000_000)
	r.write(regLR, 1000)
	var got []uint32
	for _, at := range []uint64{2*sec + 300_000_000, 3*sec - 1, 3 * sec, 10 * sec} {
		r.clk.AdvanceTo(at)
		got = append(got, r.read(regDR))
	}
	got = append(got, r.read(regLR))
	if diff := cmp.Diff([]uint32{1000, 1000, 1001, 1008, 1000}, got); diff != "" {
		t.Errorf("RTCDR at 2.3s, 3s-1ns, 3s, 10s, then RTCLR (-want +got):\n%s", diff)
	}
}

// lineAt advances the clock to each time and records the RTCINTR level and
// RTCRIS there.
func (r *rig) lineAt(times ...uint64) []string {
	var out []string
	for _, at := range times {
		r.clk.AdvanceTo(at)
		out = append(out, fmt.Sprintf("t=%d line=%v RIS=%d", at, r.irq.level, r.read(regRIS)))
	}
	return out
}

func TestAlarm(t *testing.T) {
	tests := []struct {
		name  string
		setAt uint64 // virtual time of the RTCMR write
		mr    uint32
		imsc  uint32
		check []uint64
		want  []string
	}{
		{
			name:  "fires exactly when RTCDR reaches RTCMR",
			setAt: 1*sec + 250_000_000, mr: 1700000005, imsc: 1,
			check: []uint64{5*sec - 1, 5 * sec},
			want:  []string{"t=4999999999 line=false RIS=0", "t=5000000000 line=true RIS=1"},
		},
		{
			name:  "match equal to the counter fires at once",
			setAt: 3 * sec, mr: 1700000003, imsc: 1,
			check: []uint64{3 * sec},
			want:  []string{"t=3000000000 line=true RIS=1"},
		},
		{
			name:  "masked: raw status only",
			setAt: 0, mr: 1700000002, imsc: 0,
			check: []uint64{2 * sec},
			want:  []string{"t=2000000000 line=false RIS=1"},
		},
		{
			name:  "match in the past waits for the counter to wrap",
			setAt: 10 * sec, mr: 1700000001, imsc: 1,
			check: []uint64{100000 * sec},
			want:  []string{"t=100000000000000 line=false RIS=0"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, 0)
			r.clk.AdvanceTo(tt.setAt)
			r.write(regIMSC, tt.imsc)
			r.write(regMR, tt.mr)
			if diff := cmp.Diff(tt.want, r.lineAt(tt.check...)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestLinuxAlarmSequence follows rtc-pl031's set_alarm and interrupt
// handler: read the time, program RTCMR, unmask, take the interrupt, read
// RTCMIS, clear it through RTCICR.
func TestLinuxAlarmSequence(t *testing.T) {
	r := newRig(t, 0)
	r.clk.AdvanceTo(7*sec + 1)
	now := r.read(regDR)
	r.write(regMR, now+60)
	r.write(regICR, 1)
	r.write(regIMSC, 1)
	r.clk.AdvanceTo(66*sec + 999_999_999)
	if r.irq.level {
		t.Fatal("alarm fired early")
	}
	r.clk.AdvanceTo(67 * sec)
	got := []uint32{boolU32(r.irq.level), r.read(regMIS), r.read(regDR) - now}
	r.write(regICR, 1)
	got = append(got, boolU32(r.irq.level), r.read(regRIS))
	if diff := cmp.Diff([]uint32{1, 1, 60, 0, 0}, got); diff != "" {
		t.Errorf("[line, MIS, elapsed, line after ICR, RIS after ICR] (-want +got):\n%s", diff)
	}
	// Fires once: no second interrupt later.
	r.clk.AdvanceTo(1000 * sec)
	if r.irq.level {
		t.Error("alarm fired again without being re-armed")
	}
}

func boolU32(b bool) uint32 {
	if b {
		return 1
	}
	return 0
}

func TestRearm(t *testing.T) {
	tests := []struct {
		name   string
		second func(r *rig) // done at 1s, after RTCMR = start+3 at 0s
		want   []string
	}{
		{
			name:   "new match replaces the old one",
			second: func(r *rig) { r.write(regMR, 1700000005) },
			want:   []string{"t=3000000000 line=false RIS=0", "t=5000000000 line=true RIS=1"},
		},
		{
			name:   "load moves the counter towards the match",
			second: func(r *rig) { r.write(regLR, 1700000002) }, // at 1s: 1s to go
			want:   []string{"t=2000000000 line=true RIS=1", "t=5000000000 line=true RIS=1"},
		},
		{
			name:   "load past the match defers it by a wrap",
			second: func(r *rig) { r.write(regLR, 1700000010) },
			want:   []string{"t=3000000000 line=false RIS=0", "t=5000000000 line=false RIS=0"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, 0)
			r.write(regIMSC, 1)
			r.write(regMR, 1700000003)
			r.clk.AdvanceTo(sec)
			tt.second(r)
			var times []uint64
			for _, w := range tt.want {
				var at uint64
				fmt.Sscanf(w, "t=%d", &at)
				times = append(times, at)
			}
			if diff := cmp.Diff(tt.want, r.lineAt(times...)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestControlAndMasks(t *testing.T) {
	r := newRig(t, 0)
	r.write(regCR, 0)      // ignored: always enabled
	r.write(regIMSC, 0xff) // only bit 0 exists
	got := []uint32{r.read(regCR), r.read(regIMSC)}
	if diff := cmp.Diff([]uint32{1, 1}, got); diff != "" {
		t.Errorf("[RTCCR, RTCIMSC] (-want +got):\n%s", diff)
	}
	if n := r.rtc.GuestErrors(); n != 0 {
		t.Errorf("GuestErrors() = %d", n)
	}
}

func TestNarrowAccesses(t *testing.T) {
	r := newRig(t, 0)
	r.writeN(regLR, 2, 0x12345678) // only the low 16 bits reach RTCLR
	got := []uint64{r.readN(regLR, 4), r.readN(regDR, 2), r.readN(regDR, 1), r.readN(0xfe0, 1)}
	if diff := cmp.Diff([]uint64{0x5678, 0x5678, 0x78, 0x31}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestGuestErrors(t *testing.T) {
	tests := []struct {
		name  string
		write bool
		off   uint64
		size  int
	}{
		{"read of RTCICR", false, regICR, 4},
		{"read of a hole", false, 0x20, 4},
		{"unaligned read", false, regDR + 1, 1},
		{"8-byte read", false, regDR, 8},
		{"write to RTCDR", true, regDR, 4},
		{"write to RTCRIS", true, regRIS, 4},
		{"write to RTCMIS", true, regMIS, 4},
		{"write to a hole", true, 0x100, 4},
		{"write to an ID register", true, 0xff0, 4},
		{"unaligned write", true, regMR + 2, 2},
		{"8-byte write", true, regMR, 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, 0)
			before := r.rtc.State()
			var got uint64
			if tt.write {
				r.writeN(tt.off, tt.size, 0xffffffff)
			} else {
				got = r.readN(tt.off, tt.size)
			}
			if diff := cmp.Diff(uint64(0), got); diff != "" {
				t.Errorf("read value (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(uint64(1), r.rtc.GuestErrors()); diff != "" {
				t.Errorf("GuestErrors (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(before, r.rtc.State()); diff != "" {
				t.Errorf("state changed (-want +got):\n%s", diff)
			}
		})
	}
}

func TestResetKeepsState(t *testing.T) {
	r := newRig(t, 0)
	r.write(regIMSC, 1)
	r.write(regMR, 1700000004)
	before := r.rtc.State()
	r.rtc.Reset()
	if diff := cmp.Diff(before, r.rtc.State()); diff != "" {
		t.Errorf("state changed by Reset (-want +got):\n%s", diff)
	}
	r.clk.AdvanceTo(4 * sec)
	if !r.irq.level {
		t.Error("alarm lost across Reset")
	}
}

func TestStateRoundTrip(t *testing.T) {
	tests := []struct {
		name  string
		setup func(r *rig)
	}{
		{"armed alarm", func(r *rig) {
			r.write(regLR, 500)
			r.write(regIMSC, 1)
			r.write(regMR, 520)
		}},
		{"fired and pending", func(r *rig) {
			r.write(regIMSC, 1)
			r.write(regMR, r.read(regDR))
		}},
		{"idle", func(r *rig) {}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, 0)
			r.clk.AdvanceTo(3*sec + 7)
			tt.setup(r)
			saved := r.rtc.State()

			// A second machine, its clock restored to the same time.
			r2 := newRig(t, 3*sec+7)
			if err := r2.rtc.Restore(saved); err != nil {
				t.Fatalf("Restore: %v", err)
			}
			if diff := cmp.Diff(saved, r2.rtc.State()); diff != "" {
				t.Errorf("restored state (-want +got):\n%s", diff)
			}
			times := []uint64{3*sec + 7, 22*sec + 999_999_999, 23 * sec, 30 * sec}
			want := r.lineAt(times...)
			if diff := cmp.Diff(want, r2.lineAt(times...)); diff != "" {
				t.Errorf("restored RTC diverges from the original (-original +restored):\n%s", diff)
			}
		})
	}
}

func TestRestoreRejectsBadState(t *testing.T) {
	tests := []struct {
		name string
		s    State
	}{
		{"version", State{Version: 0}},
		{"IMSC bits", State{Version: StateVersion, IMSC: 2}},
		{"RIS bits", State{Version: StateVersion, RIS: 0x80}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, 0)
			r.write(regMR, 1700000009)
			before := r.rtc.State()
			if err := r.rtc.Restore(tt.s); !errors.Is(err, ErrBadState) {
				t.Fatalf("Restore() = %v, want an ErrBadState", err)
			}
			if diff := cmp.Diff(before, r.rtc.State()); diff != "" {
				t.Errorf("state changed by a failed Restore (-want +got):\n%s", diff)
			}
		})
	}
}

// TestAlarmReadsTheClockOnce arms the alarm against a live clock that
// crosses a second boundary between two reads: the alarm must still fire
// exactly when RTCDR reaches RTCMR, not a second later (issue 7).
func TestAlarmReadsTheClockOnce(t *testing.T) {
	r := newRig(t, 0)
	r.write(regIMSC, 1)
	live := 1*sec - 2
	r.clk.SetLive(func() uint64 { live++; return live })
	r.write(regMR, 1700000003)
	r.clk.SetLive(nil)
	if diff := cmp.Diff([]string{"t=2999999999 line=false RIS=0", "t=3000000000 line=true RIS=1"}, r.lineAt(3*sec-1, 3*sec)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
