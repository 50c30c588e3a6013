package stellaris

import (
	"errors"
	"io"
	"log/slog"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"mimic/devices/bus"
	"mimic/devices/clock"
)

func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	os.Exit(m.Run())
}

const base = 0x400fe000

type recLine struct {
	level bool
	sets  []bool
}

func (l *recLine) Set(v bool) { l.level = v; l.sets = append(l.sets, v) }

type rig struct {
	t   *testing.T
	clk *clock.Clock
	bus *bus.Bus
}

func newRig(t *testing.T) *rig { return &rig{t: t, clk: clock.New(), bus: bus.New()} }

func (r *rig) mapDev(d bus.Device) {
	r.t.Helper()
	if err := r.bus.MapDevice("dut", base, WindowSize, d); err != nil {
		r.t.Fatal(err)
	}
}

func (r *rig) read(off uint64) uint32 {
	r.t.Helper()
	v, ok := r.bus.Read(base+off, 4)
	if !ok {
		r.t.Fatalf("bus read at %#x failed", off)
	}
	return uint32(v)
}

func (r *rig) write(off uint64, v uint32) {
	r.t.Helper()
	if !r.bus.Write(base+off, 4, uint64(v)) {
		r.t.Fatalf("bus write at %#x failed", off)
	}
}

func newSysCtl(t *testing.T, cfg SysCtlConfig) (*rig, *SysCtl, *recLine) {
	t.Helper()
	r := newRig(t)
	line := &recLine{}
	s, err := NewSysCtl(cfg, line)
	if err != nil {
		t.Fatal(err)
	}
	r.mapDev(s)
	return r, s, line
}

func TestSysCtlReset(t *testing.T) {
	r, s, _ := newSysCtl(t, LM3S6965)
	tests := []struct {
		name string
		off  uint64
		want uint32
	}{
		{"DID0", scDID0, 0x10010002},
		{"DID1", scDID1, 0x1073402e},
		{"DC0", scDC0, 0x00ff007f},
		{"DC1", scDC1, 0x001133ff},
		{"DC2", scDC2, 0x030f5317},
		{"DC3", scDC3, 0x0f0f87ff},
		{"DC4", scDC4, 0x5000007f},
		{"PBORCTL", scPBORCTL, 0x7ffd},
		{"RCC", scRCC, 0x078e3ac0},
		{"RCC2", scRCC2, 0x07802810},
		{"PLLCFG", scPLLCFG, 0x1902}, // RCC.XTAL 0xb at reset: 6 MHz
		{"RCGC0", scRCGC0, 1},
		{"SCGC0", scSCGC0, 1},
		{"DCGC0", scDCGC0, 1},
		{"RCGC1", scRCGC0 + 4, 0},
		{"DSLPCLKCFG", scDSLPCLKCFG, 0x07800000},
		{"RIS", scRIS, 0},
	}
	for _, tt := range tests {
		if got := r.read(tt.off); got != tt.want {
			t.Errorf("%s = %#x, want %#x", tt.name, got, tt.want)
		}
	}
	if diff := cmp.Diff(Rate{PLLHz, 16}, s.Clock()); diff != "" {
		t.Errorf("reset clock (-want +got):\n%s", diff)
	}
	if s.Clock().HzApprox() != 12_500_000 {
		t.Errorf("reset clock %d Hz, want QEMU's 12.5 MHz", s.Clock().HzApprox())
	}
}

// TestSysCtlClockSet replays what StellarisWare's SysCtlClockSet does to
// run at 50 MHz from the PLL: bypass, power the PLL up, wait for PLLLRIS,
// then select SYSDIV 3 and drop the bypass.
func TestSysCtlClockSet(t *testing.T) {
	r, s, line := newSysCtl(t, LM3S6965)
	var rates []Rate
	s.AddClockListener(func(rt Rate) { rates = append(rates, rt) })
	r.write(scIMC, risPLLLRIS)
	r.write(scMISC, risPLLLRIS)
	rcc := r.read(scRCC)
	rcc |= 1<<11 | rccPWRDN // BYPASS, PWRDN
	r.write(scRCC, rcc)
	if r.read(scRIS)&risPLLLRIS != 0 {
		t.Fatalf("PLLLRIS set before the PLL was powered up")
	}
	rcc = rcc&^(rccPWRDN|0xf<<rccSYSDIVPos) | 3<<rccSYSDIVPos | 1<<22
	r.write(scRCC, rcc)
	if r.read(scRIS)&risPLLLRIS == 0 || r.read(scMISC) != risPLLLRIS || !line.level {
		t.Fatalf("PLL lock: RIS %#x MISC %#x IRQ %v", r.read(scRIS), r.read(scMISC), line.level)
	}
	r.write(scMISC, risPLLLRIS)
	if r.read(scRIS) != 0 || line.level {
		t.Errorf("MISC write did not clear PLLLRIS")
	}
	if diff := cmp.Diff([]Rate{{PLLHz, 4}}, rates); diff != "" {
		t.Errorf("clock changes (-want +got):\n%s", diff)
	}
	// RCC2 overrides RCC when USERCC2 is set: SYSDIV2 = 9 -> 20 MHz.
	r.write(scRCC2, rcc2USERCC2|9<<rccSYSDIVPos)
	if got := s.Clock(); got != (Rate{PLLHz, 10}) || got.HzApprox() != 20_000_000 {
		t.Errorf("clock with RCC2 = %+v", got)
	}
}

func TestSysCtlSandstorm(t *testing.T) {
	cfg := SysCtlConfig{DID0: 0, DID1: 0x0032000e, DC0: 0x001f001f} // lm3s811
	r, _, _ := newSysCtl(t, cfg)
	r.write(scRCC2, rcc2USERCC2)
	if got := r.read(scRCC2); got != 0 {
		t.Errorf("RCC2 on a Sandstorm part = %#x, want 0", got)
	}
	if got, want := r.read(scPLLCFG), pllcfgSandstorm[0xb]; got != want {
		t.Errorf("PLLCFG = %#x, want %#x", got, want)
	}
	if _, err := NewSysCtl(SysCtlConfig{DID0: 0x10050000}, nil); err == nil {
		t.Errorf("unknown class accepted")
	}
	if _, err := NewSysCtl(SysCtlConfig{DID0: 0x20000000}, nil); err == nil {
		t.Errorf("unknown version accepted")
	}
}

func TestSysCtlGuestErrors(t *testing.T) {
	r, s, _ := newSysCtl(t, LM3S6965)
	r.read(0x00c)
	r.write(scDID0, 1)
	r.read(0x200)
	if s.GuestErrors() != 3 || r.read(scDID0) != LM3S6965.DID0 {
		t.Errorf("guest errors %d, DID0 %#x", s.GuestErrors(), r.read(scDID0))
	}
}

func TestSysCtlState(t *testing.T) {
	r, s, _ := newSysCtl(t, LM3S6965)
	r.write(scIMC, 0x40)
	r.write(scRCC, resetRCC|rccPWRDN)
	r.write(scRCC, resetRCC&^(rccPWRDN|0xf<<rccSYSDIVPos)|4<<rccSYSDIVPos)
	r.write(scRCGC0+8, 0x1f)
	st := s.State()
	_, s2, line2 := newSysCtl(t, LM3S6965)
	var rates []Rate
	s2.AddClockListener(func(rt Rate) { rates = append(rates, rt) })
	if err := s2.Restore(st); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(st, s2.State()); diff != "" {
		t.Errorf("restored state (-want +got):\n%s", diff)
	}
	if !line2.level || s2.Clock() != (Rate{PLLHz, 5}) || len(rates) != 1 {
		t.Errorf("restore: IRQ %v clock %+v listener calls %v", line2.level, s2.Clock(), rates)
	}
	for _, b := range []SysCtlState{
		{Version: 0},
		{Version: 1, PBORCTL: 0x10000},
		{Version: 1, RIS: 0x80},
	} {
		if err := s2.Restore(b); !errors.Is(err, ErrBadState) {
			t.Errorf("Restore(%+v) = %v, want ErrBadState", b, err)
		}
	}
	_, ss, _ := newSysCtl(t, SysCtlConfig{})
	if err := ss.Restore(SysCtlState{Version: 1, RCC2: 1}); !errors.Is(err, ErrBadState) {
		t.Errorf("RCC2 restored on a Sandstorm part: %v", err)
	}
}
