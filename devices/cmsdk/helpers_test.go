package cmsdk

import (
	"io"
	"log/slog"
	"os"
	"testing"

	"mimic/devices/bus"
	"mimic/devices/clock"
)

func TestMain(m *testing.M) {
	// Guest errors are counted and checked; their log lines are noise here.
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	os.Exit(m.Run())
}

// base is where the device under test is mapped.
const base = 0x40000000

// recLine is an interrupt line that remembers its level and every change.
type recLine struct {
	level bool
	sets  []bool
}

func (l *recLine) Set(v bool) { l.level = v; l.sets = append(l.sets, v) }

// rises counts the rising edges seen.
func (l *recLine) rises() int {
	n, prev := 0, false
	for _, v := range l.sets {
		if v && !prev {
			n++
		}
		prev = v
	}
	return n
}

// rig maps one device on a real bus driven by a manual clock.
type rig struct {
	t   *testing.T
	clk *clock.Clock
	bus *bus.Bus
}

func newRig(t *testing.T) *rig {
	return &rig{t: t, clk: clock.New(), bus: bus.New()}
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

func (r *rig) readN(off uint64, size int) uint64 {
	r.t.Helper()
	v, ok := r.bus.Read(base+off, size)
	if !ok {
		r.t.Fatalf("bus read at %#x failed", off)
	}
	return v
}

func (r *rig) write(off uint64, v uint32) {
	r.t.Helper()
	if !r.bus.Write(base+off, 4, uint64(v)) {
		r.t.Fatalf("bus write at %#x failed", off)
	}
}

func (r *rig) writeN(off uint64, size int, v uint64) {
	r.t.Helper()
	if !r.bus.Write(base+off, size, v) {
		r.t.Fatalf("bus write at %#x failed", off)
	}
}

// at advances the virtual clock to ns.
func (r *rig) at(ns uint64) { r.clk.AdvanceTo(ns) }
