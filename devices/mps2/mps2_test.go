package mps2

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

const base = 0x4002f000

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

func newRig(t *testing.T, d bus.Device) *rig {
	t.Helper()
	r := &rig{t: t, clk: clock.New(), bus: bus.New()}
	if d != nil {
		r.mapDev(d)
	}
	return r
}

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

// an385 is QEMU's SCC configuration for mps2-an385, with two OSCCLKs
// added so that the configuration channel can be exercised.
var an385 = SCCConfig{ID: 0x41043850, AID: 0x00200008, CFG4: 0x2, OscClk: []uint32{50_000_000, 24_576_000}}

func TestSCCReset(t *testing.T) {
	s := NewSCC(an385, nil)
	r := newRig(t, s)
	tests := []struct {
		name string
		off  uint64
		want uint32
	}{
		{"CFG0", sccCFG0, 0},
		{"CFG3", sccCFG3, 0},
		{"CFG4", sccCFG4, 2},
		{"CFGCTRL", sccCFGCTRL, 0x100000},
		{"DLL", sccDLL, 0xffff0001},
		{"AID", sccAID, 0x00200008},
		{"ID", sccID, 0x41043850},
	}
	for _, tt := range tests {
		if got := r.read(tt.off); got != tt.want {
			t.Errorf("%s = %#x, want %#x", tt.name, got, tt.want)
		}
	}
	// AN385 has no CFG2, CFG5..CFG7.
	for _, off := range []uint64{sccCFG2, sccCFG5, sccCFG6, sccCFG7} {
		r.read(off)
	}
	if s.GuestErrors() != 4 {
		t.Errorf("guest errors = %d, want 4", s.GuestErrors())
	}
}

func TestSCCOutputs(t *testing.T) {
	remap := &recLine{}
	s := NewSCC(an385, remap)
	var leds []uint8
	s.SetLEDs(func(l uint8) { leds = append(leds, l) })
	r := newRig(t, s)
	r.write(sccCFG0, 1)
	r.write(sccCFG1, 0x1a5)
	r.write(sccCFG0, 0)
	if diff := cmp.Diff([]bool{false, true, false}, remap.sets); diff != "" {
		t.Errorf("remap levels (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]uint8{0xa5}, leds); diff != "" {
		t.Errorf("LEDs (-want +got):\n%s", diff)
	}
	r.write(sccDLL, 0x12345678)
	if got := r.read(sccDLL); got != 0x12ff0001 {
		t.Errorf("DLL = %#x, want 0x12ff0001", got)
	}
}

func TestSCCConfigChannel(t *testing.T) {
	const start, write = 1 << 31, 1 << 30
	tests := []struct {
		name              string
		ctrl              uint32
		dataOut           uint32
		wantStat, wantRtn uint32
		wantOsc           []uint32
	}{
		{"read osc1", start | 1<<20 | 1, 0, cfgstatDone, 24_576_000, []uint32{50_000_000, 24_576_000}},
		{"write osc0", start | write | 1<<20, 25_000_000, cfgstatDone, 0, []uint32{25_000_000, 24_576_000}},
		{"bad device", start | 1<<20 | 2, 0, cfgstatDone | cfgstatError, 0, []uint32{50_000_000, 24_576_000}},
		{"bad function", start | 2<<20, 0, cfgstatDone | cfgstatError, 0, []uint32{50_000_000, 24_576_000}},
		{"no start", 1 << 20, 0, 0, 0, []uint32{50_000_000, 24_576_000}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewSCC(an385, nil)
			r := newRig(t, s)
			r.write(sccCFGDATA_OUT, tt.dataOut)
			r.write(sccCFGCTRL, tt.ctrl)
			got := []uint32{r.read(sccCFGSTAT), r.read(sccCFGDATA_RTN), r.read(sccCFGCTRL)}
			want := []uint32{tt.wantStat, tt.wantRtn, tt.ctrl &^ start}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("CFGSTAT, CFGDATA_RTN, CFGCTRL (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantOsc, s.State().OscClk); diff != "" {
				t.Errorf("OSCCLKs (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSCCState(t *testing.T) {
	s := NewSCC(an385, nil)
	r := newRig(t, s)
	r.write(sccCFG0, 1)
	r.write(sccCFG1, 3)
	r.write(sccCFGDATA_OUT, 7)
	r.write(sccCFGCTRL, 1<<31|1<<30|1<<20|1)
	st := s.State()
	remap := &recLine{}
	s2 := NewSCC(an385, remap)
	if err := s2.Restore(st); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(st, s2.State()); diff != "" {
		t.Errorf("restored state (-want +got):\n%s", diff)
	}
	if !remap.level {
		t.Errorf("remap not driven on restore")
	}
	for _, b := range []SCCState{
		{Version: 2, OscClk: make([]uint32, 2)},
		{Version: 1},
		{Version: 1, OscClk: make([]uint32, 2), CFGCTRL: 1 << 31, DLL: dllReset},
		{Version: 1, OscClk: make([]uint32, 2), DLL: 0},
	} {
		if err := s2.Restore(b); !errors.Is(err, ErrBadState) {
			t.Errorf("Restore(%+v) = %v, want ErrBadState", b, err)
		}
	}
}

func newFPGAIO(t *testing.T) (*rig, *FPGAIO) {
	r := newRig(t, nil)
	f := NewFPGAIO(r.clk, FPGAIOConfig{PrescaleClk: 25_000_000, NumLEDs: 2})
	r.mapDev(f)
	return r, f
}

func TestFPGAIOClocks(t *testing.T) {
	r, _ := newFPGAIO(t)
	type reading struct{ Hz1, Hz100 uint32 }
	var got []reading
	for _, ns := range []uint64{0, 9_999_999, 10_000_000, 999_999_999, 1_000_000_000, 2_345_000_000} {
		r.clk.AdvanceTo(ns)
		got = append(got, reading{r.read(fpgaCLK1HZ), r.read(fpgaCLK100HZ)})
	}
	want := []reading{{0, 0}, {0, 0}, {0, 1}, {0, 99}, {1, 100}, {2, 234}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CLK1HZ, CLK100HZ (-want +got):\n%s", diff)
	}
	r.write(fpgaCLK1HZ, 100)
	r.clk.AdvanceTo(3_345_000_000)
	if got := r.read(fpgaCLK1HZ); got != 101 {
		t.Errorf("CLK1HZ a second after writing 100 = %d", got)
	}
}

func TestFPGAIOPrescaleCounter(t *testing.T) {
	r, _ := newFPGAIO(t)
	// PRESCALE 0: PSCNTR sticks at 0, COUNTER counts every 40 ns tick.
	r.clk.AdvanceTo(400)
	if got := r.read(fpgaCOUNTER); got != 10 {
		t.Errorf("COUNTER with PRESCALE 0 after 10 ticks = %d", got)
	}
	r.write(fpgaPRESCALE, 4)
	r.write(fpgaPSCNTR, 2)
	type reading struct {
		NS              uint64
		PSCNTR, COUNTER uint32
	}
	var got []reading
	for _, ns := range []uint64{400, 440, 480, 520, 560, 719, 720} {
		r.clk.AdvanceTo(ns)
		got = append(got, reading{ns, r.read(fpgaPSCNTR), r.read(fpgaCOUNTER)})
	}
	want := []reading{
		{400, 2, 10},
		{440, 1, 10},
		{480, 0, 10},
		{520, 4, 11}, // reload one tick after 0, COUNTER increments
		{560, 3, 11},
		{719, 0, 11},
		{720, 4, 12},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("PSCNTR, COUNTER (-want +got):\n%s", diff)
	}
}

func TestFPGAIORegisters(t *testing.T) {
	r, f := newFPGAIO(t)
	var leds []uint32
	f.SetLEDs(func(l uint32) { leds = append(leds, l) })
	r.write(fpgaLED0, 0xff)
	r.write(fpgaMISC, 0x55)
	got := []uint32{r.read(fpgaLED0), r.read(fpgaMISC), r.read(fpgaBUTTON)}
	if diff := cmp.Diff([]uint32{3, 0x55, 0}, got); diff != "" {
		t.Errorf("LED0, MISC, BUTTON (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]uint32{3}, leds); diff != "" {
		t.Errorf("LEDs (-want +got):\n%s", diff)
	}
	r.read(fpgaSWITCH)
	r.read(fpgaDBGCTRL)
	r.write(0x30, 1)
	if f.GuestErrors() != 3 {
		t.Errorf("guest errors = %d, want 3", f.GuestErrors())
	}
}

func TestFPGAIOState(t *testing.T) {
	r, f := newFPGAIO(t)
	r.write(fpgaPRESCALE, 9)
	r.write(fpgaLED0, 2)
	r.clk.AdvanceTo(12_345)
	r.read(fpgaCOUNTER)
	s := f.State()
	r2 := newRig(t, nil)
	f2 := NewFPGAIO(r2.clk, FPGAIOConfig{PrescaleClk: 25_000_000, NumLEDs: 2})
	r2.mapDev(f2)
	r2.clk.AdvanceTo(12_345)
	if err := f2.Restore(s); err != nil {
		t.Fatal(err)
	}
	for _, ns := range []uint64{20_000, 1_500_000_000} {
		r.clk.AdvanceTo(ns)
		r2.clk.AdvanceTo(ns)
		for _, off := range []uint64{fpgaCOUNTER, fpgaPSCNTR, fpgaCLK1HZ, fpgaCLK100HZ, fpgaLED0} {
			if a, b := r.read(off), r2.read(off); a != b {
				t.Errorf("at %d ns offset %#x: original %d restored %d", ns, off, a, b)
			}
		}
	}
	for _, b := range []FPGAIOState{
		{Version: 0},
		{Version: 1, LED0: 4},
		{Version: 1, DBGCTRL: 1},
		{Version: 1, PscntrSync: 1 << 60},
	} {
		if err := f2.Restore(b); !errors.Is(err, ErrBadState) {
			t.Errorf("Restore(%+v) = %v, want ErrBadState", b, err)
		}
	}
}
