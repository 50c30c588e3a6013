package pl061

import (
	"errors"
	"io"
	"log/slog"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"mimic/devices/bus"
)

func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	os.Exit(m.Run())
}

// base is where QEMU's virt board maps the PL061.
const base = 0x09030000

type recLine struct {
	level bool
	rises int
}

func (l *recLine) Set(v bool) {
	if v && !l.level {
		l.rises++
	}
	l.level = v
}

type rig struct {
	t   *testing.T
	bus *bus.Bus
	g   *GPIO
	irq *recLine
}

func newRig(t *testing.T, o Options) *rig {
	t.Helper()
	r := &rig{t: t, bus: bus.New(), irq: &recLine{}}
	r.g = New(r.irq, o)
	if err := r.bus.MapDevice("pl061", base, WindowSize, r.g); err != nil {
		t.Fatal(err)
	}
	return r
}

func (r *rig) read(off uint64) uint8 {
	r.t.Helper()
	v, ok := r.bus.Read(base+off, 1)
	if !ok {
		r.t.Fatalf("read at %#x failed", off)
	}
	return uint8(v)
}

func (r *rig) write(off uint64, v uint8) {
	r.t.Helper()
	if !r.bus.Write(base+off, 1, uint64(v)) {
		r.t.Fatalf("write at %#x failed", off)
	}
}

// data returns the GPIODATA address that sees the lines in mask.
func data(mask uint8) uint64 { return uint64(mask) << 2 }

func TestIDAndReset(t *testing.T) {
	r := newRig(t, Options{})
	var got []uint8
	for off := uint64(0xfe0); off < 0x1000; off += 4 {
		got = append(got, r.read(off))
	}
	if d := cmp.Diff([]uint8{0x61, 0x10, 0x04, 0x00, 0x0d, 0xf0, 0x05, 0xb1}, got); d != "" {
		t.Errorf("ID registers (-want +got):\n%s", d)
	}
	if v, _ := r.bus.Read(base+0xfe0, 4); v != 0x61 {
		t.Errorf("32-bit read of PeriphID0 = %#x", v)
	}
	for _, off := range []uint64{regDIR, regIS, regIBE, regIEV, regIE, regRIS, regMIS, regAFSEL, data(0xff)} {
		if v := r.read(off); v != 0 {
			t.Errorf("register %#x = %#x after reset", off, v)
		}
	}
	if r.irq.level {
		t.Error("interrupt high after reset")
	}
}

func TestDataMasking(t *testing.T) {
	r := newRig(t, Options{PullUp: 0x80})
	r.write(regDIR, 0x0f) // lines 0..3 outputs
	r.write(data(0xff), 0xff)
	if v := r.read(data(0xff)); v != 0x8f {
		t.Errorf("DATA = %#x, want outputs 0x0f and pulled-up line 7", v)
	}
	r.write(data(0x05), 0x00) // clears lines 0 and 2 only
	if v := r.read(data(0xff)); v != 0x8a {
		t.Errorf("DATA after masked write = %#x, want 0x8a", v)
	}
	r.write(data(0x30), 0xff) // lines 4, 5 are inputs: no change
	if v := r.read(data(0xff)); v != 0x8a {
		t.Errorf("DATA after write to inputs = %#x", v)
	}
	if v := r.read(data(0x82)); v != 0x82 {
		t.Errorf("masked read = %#x, want 0x82", v)
	}
	if v := r.read(data(0x01)); v != 0 {
		t.Errorf("masked read of line 0 = %#x", v)
	}
	r.g.SetInput(4, true)
	if v := r.read(data(0x10)); v != 0x10 || !r.g.Level(4) {
		t.Errorf("input line 4 reads %#x", v)
	}
	if dir, lv := r.g.Outputs(); dir != 0x0f || lv != 0x0a {
		t.Errorf("Outputs = %#x, %#x", dir, lv)
	}
	// An output line carries its latch (0), whatever drives its input.
	r.g.SetInput(0, true)
	if r.g.Level(0) {
		t.Error("output line 0 does not carry its latch")
	}
	r.write(regDIR, 0x0e) // now an input: it carries the driven level
	if !r.g.Level(0) || r.read(data(0x01)) != 0x01 {
		t.Error("input line 0 does not carry its input")
	}
}

func TestEdgeInterrupts(t *testing.T) {
	r := newRig(t, Options{})
	r.write(regIEV, 0x01) // line 0 rising; line 1 falling
	r.write(regIBE, 0x04) // line 2 both edges
	r.write(regIE, 0x07)

	r.g.SetInput(1, true) // rising on a falling-edge line
	if r.read(regRIS) != 0 || r.irq.level {
		t.Fatalf("RIS %#x after a rising edge on line 1", r.read(regRIS))
	}
	r.g.SetInput(0, true)
	if r.read(regRIS) != 0x01 || r.read(regMIS) != 0x01 || !r.irq.level {
		t.Fatalf("RIS %#x MIS %#x irq %v after line 0 rose", r.read(regRIS), r.read(regMIS), r.irq.level)
	}
	r.g.SetInput(0, false) // edge stays latched
	r.write(regIC, 0x01)
	if r.read(regRIS) != 0 || r.irq.level {
		t.Fatalf("RIS %#x after GPIOIC", r.read(regRIS))
	}
	r.g.SetInput(1, false)
	if r.read(regRIS) != 0x02 {
		t.Errorf("RIS %#x after line 1 fell", r.read(regRIS))
	}
	r.write(regIC, 0xff)
	r.g.SetInput(2, true)
	r.write(regIC, 0x04)
	r.g.SetInput(2, false)
	if r.read(regRIS) != 0x04 {
		t.Errorf("RIS %#x after both edges of line 2", r.read(regRIS))
	}
	// Masked lines latch but do not interrupt.
	r.write(regIC, 0xff)
	r.g.SetInput(5, true)
	r.g.SetInput(5, false)
	if r.read(regRIS) != 0x20 || r.read(regMIS) != 0 || r.irq.level {
		t.Errorf("masked line 5: RIS %#x MIS %#x irq %v", r.read(regRIS), r.read(regMIS), r.irq.level)
	}
	// Unmasking a latched edge raises the line.
	r.write(regIE, 0x20)
	if !r.irq.level {
		t.Error("unmasking a latched edge did not interrupt")
	}
	// An output line interrupts on its own edges.
	r.write(regIC, 0xff)
	r.write(regIE, 0x40)
	r.write(regIBE, 0x40)
	r.write(regDIR, 0x40)
	r.write(data(0x40), 0x40)
	if r.read(regRIS) != 0x40 || !r.irq.level {
		t.Errorf("output edge: RIS %#x", r.read(regRIS))
	}
}

func TestLevelInterrupts(t *testing.T) {
	r := newRig(t, Options{})
	r.write(regIS, 0x09)  // lines 0 and 3 level-sensitive
	r.write(regIEV, 0x01) // line 0 high, line 3 low
	if r.read(regRIS) != 0x08 {
		t.Errorf("RIS %#x, want line 3 (low) active", r.read(regRIS))
	}
	r.write(regIE, 0x09)
	if !r.irq.level {
		t.Error("no interrupt for an active level")
	}
	r.write(regIC, 0xff) // no effect on level interrupts
	if r.read(regRIS) != 0x08 {
		t.Errorf("GPIOIC cleared a level interrupt: RIS %#x", r.read(regRIS))
	}
	r.g.SetInput(3, true)
	if r.read(regRIS) != 0 || r.irq.level {
		t.Errorf("RIS %#x irq %v after line 3 went high", r.read(regRIS), r.irq.level)
	}
	r.g.SetInput(0, true)
	if r.read(regRIS) != 0x01 || !r.irq.level {
		t.Errorf("RIS %#x after line 0 went high", r.read(regRIS))
	}
	r.g.SetInput(0, false)
	if r.irq.level {
		t.Error("level interrupt outlived its level")
	}
}

// TestPowerButton is what Linux's gpio-keys does with QEMU virt's power
// button: line 3 as an input interrupting on both edges.
func TestPowerButton(t *testing.T) {
	r := newRig(t, Options{})
	r.write(regIBE, 0x08)
	r.write(regIE, 0x08)
	r.g.SetInput(3, true) // pressed
	if !r.irq.level || r.read(data(0x08)) != 0x08 {
		t.Fatal("press not seen")
	}
	r.write(regIC, 0x08)
	r.g.SetInput(3, false) // released
	if !r.irq.level || r.read(data(0x08)) != 0 || r.irq.rises != 2 {
		t.Fatalf("release not seen (rises %d)", r.irq.rises)
	}
}

func TestGuestErrors(t *testing.T) {
	r := newRig(t, Options{})
	r.bus.Read(base+0x402, 1)
	r.bus.Write(base+0x424, 4, 1)
	r.bus.Write(base+regRIS, 4, 1)
	r.bus.Read(base+regIC, 4)
	r.bus.Read(base+regDIR, 8)
	if n := r.g.GuestErrors(); n != 5 {
		t.Errorf("%d guest errors, want 5", n)
	}
	defer func() {
		if recover() == nil {
			t.Error("SetInput(8) did not panic")
		}
	}()
	r.g.SetInput(8, true)
}

func TestState(t *testing.T) {
	r := newRig(t, Options{})
	r.write(regDIR, 0xf0)
	r.write(data(0xff), 0x30)
	r.write(regIS, 0x01)
	r.write(regIBE, 0x02)
	r.write(regIEV, 0x01)
	r.write(regIE, 0x02)
	r.write(regAFSEL, 0x80)
	r.g.SetInput(1, true)
	s := r.g.State()
	want := State{Version: StateVersion, Data: 0x30, Dir: 0xf0, IS: 0x01, IBE: 0x02, IEV: 0x01, IE: 0x02, EdgeLatched: 0x02, AFSEL: 0x80, Inputs: 0x02}
	if d := cmp.Diff(want, s); d != "" {
		t.Fatalf("State (-want +got):\n%s", d)
	}
	r2 := newRig(t, Options{})
	if err := r2.g.Restore(s); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(s, r2.g.State()); d != "" {
		t.Errorf("restored (-want +got):\n%s", d)
	}
	if !r2.irq.level || r2.read(data(0xff)) != 0x32 {
		t.Errorf("restored irq %v data %#x", r2.irq.level, r2.read(data(0xff)))
	}
	// Making line 1 level-sensitive forgets its edge; the state stays valid.
	r2.write(regIS, 0x03)
	if err := r2.g.Restore(r2.g.State()); err != nil {
		t.Error(err)
	}
	for name, bad := range map[string]State{
		"version":   {Version: StateVersion + 1},
		"version 0": {Version: 0},
		"edge":      {Version: StateVersion, IS: 0x01, EdgeLatched: 0x01},
	} {
		if err := r2.g.Restore(bad); !errors.Is(err, ErrBadState) {
			t.Errorf("%s: Restore = %v", name, err)
		}
	}
}

// TestLuminary: the Stellaris variant's extra registers hold their values,
// GPIOLOCK unlocks only with its key, the IDs are Luminary's; a version 1
// state restores with their reset values.
func TestLuminary(t *testing.T) {
	g := New(nil, Options{Luminary: true})
	for _, c := range []struct {
		off  uint64
		want uint64
	}{{0x500, 0xff}, {0x51c, 0}, {0x520, 1}, {0x524, 0xff}, {0xfd0, 0}, {0xfe0, 0x61}, {0xfe4, 0x00}, {0xfe8, 0x18}, {0xfec, 0x01}, {0xff0, 0x0d}} {
		if got := g.Read(c.off, 4); got != c.want {
			t.Errorf("reset: register %#x = %#x, want %#x", c.off, got, c.want)
		}
	}
	g.Write(0x51c, 4, 0x3f) // GPIODEN
	g.Write(0x520, 4, 0x12345678)
	if g.Read(0x51c, 4) != 0x3f || g.Read(0x520, 4) != 1 {
		t.Errorf("DEN %#x, LOCK after a wrong key %#x", g.Read(0x51c, 4), g.Read(0x520, 4))
	}
	g.Write(0x520, 4, 0x1acce551)
	if g.Read(0x520, 4) != 0 {
		t.Errorf("LOCK after the key: %#x", g.Read(0x520, 4))
	}
	s := g.State()
	s.Version = 1
	if err := g.Restore(s); err != nil || g.Read(0x51c, 4) != 0 || g.Read(0x500, 4) != 0xff {
		t.Errorf("version 1 state: %v, DEN %#x DR2R %#x", err, g.Read(0x51c, 4), g.Read(0x500, 4))
	}
	if plain := New(nil, Options{}); plain.Read(0x500, 4) != 0 || plain.GuestErrors() != 1 {
		t.Errorf("an ARM PL061 has no GPIODR2R")
	}
}
