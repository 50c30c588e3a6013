package arm

import "testing"

// pmuHelper drives the PMU through CP15 at PL1.
type pmuHelper struct {
	t *testing.T
	c *CPU
}

func (h pmuHelper) w(crm, opc2, v uint32) {
	h.t.Helper()
	if !mcr(h.c, 15, 0, 9, crm, opc2, v, true) {
		h.t.Fatalf("MCR c9, c%d, %d UNDEFINED", crm, opc2)
	}
}

func (h pmuHelper) r(crm, opc2 uint32) uint32 {
	h.t.Helper()
	v, ok := mrc(h.c, 15, 0, 9, crm, opc2, true)
	if !ok {
		h.t.Fatalf("MRC c9, c%d, %d UNDEFINED", crm, opc2)
	}
	return v
}

// retire pretends n instructions retired.
func (h pmuHelper) retire(n uint64) { h.c.retired += n }

func TestPMUCycleCounter(t *testing.T) {
	h := pmuHelper{t, newMMUTestCPU(t)}
	h.retire(10)
	if v := h.r(13, 0); v != 0 {
		t.Errorf("PMCCNTR counts while disabled: %d", v)
	}
	h.w(12, 1, 1<<31) // PMCNTENSET.C
	h.retire(10)
	if v := h.r(13, 0); v != 0 {
		t.Errorf("PMCCNTR counts with PMCR.E=0: %d", v)
	}
	h.w(12, 0, pmcrE)
	h.retire(100)
	if v := h.r(13, 0); v != 100 {
		t.Errorf("PMCCNTR = %d, want 100", v)
	}
	// PMCR.D: one count every 64 instructions.
	h.w(12, 0, pmcrE|pmcrD|pmcrC)
	h.retire(64*3 + 63)
	if v := h.r(13, 0); v != 3 {
		t.Errorf("PMCCNTR with D = %d, want 3", v)
	}
	h.retire(1)
	if v := h.r(13, 0); v != 4 {
		t.Errorf("PMCCNTR with D = %d, want 4", v)
	}
	// Overflow sets PMOVSR.C; writing one clears it.
	h.w(12, 0, pmcrE)
	h.w(13, 0, 0xfffffffe)
	h.retire(5)
	if v := h.r(13, 0); v != 3 {
		t.Errorf("PMCCNTR after wrap = %d, want 3", v)
	}
	if v := h.r(12, 3); v != 1<<31 {
		t.Errorf("PMOVSR = %#x, want C", v)
	}
	h.w(12, 3, 1<<31)
	if v := h.r(12, 3); v != 0 {
		t.Errorf("PMOVSR after clear = %#x", v)
	}
	// PMCNTENCLR stops it.
	h.w(12, 2, 1<<31)
	h.retire(7)
	if v := h.r(13, 0); v != 3 {
		t.Errorf("PMCCNTR after PMCNTENCLR = %d, want 3", v)
	}
}

func TestPMUEventCounters(t *testing.T) {
	h := pmuHelper{t, newMMUTestCPU(t)}
	// Counter 0: INST_RETIRED, 1: CPU_CYCLES, 2: SW_INCR, 3: an event
	// that never happens here (L1D_CACHE_REFILL).
	for i, ev := range []uint32{evInstRetired, evCPUCycles, evSWIncr, 0x03} {
		h.w(12, 5, uint32(i))
		h.w(13, 1, ev)
	}
	h.w(12, 1, 0xf)
	h.w(12, 0, pmcrE)
	h.retire(40)
	h.w(12, 4, 0x3f) // PMSWINC: only counter 2 counts SW_INCR
	h.w(12, 4, 1<<2)
	var got [4]uint32
	for i := range got {
		h.w(12, 5, uint32(i))
		got[i] = h.r(13, 2)
	}
	if want := [4]uint32{40, 40, 2, 0}; got != want {
		t.Errorf("event counters %v, want %v", got, want)
	}
	// PMCR.P resets the event counters, not the cycle counter.
	h.w(12, 1, 1<<31)
	h.retire(9)
	h.w(12, 0, pmcrE|pmcrP)
	h.w(12, 5, 0)
	if v := h.r(13, 2); v != 0 {
		t.Errorf("counter 0 after PMCR.P = %d", v)
	}
	if v := h.r(13, 0); v != 9 {
		t.Errorf("PMCCNTR after PMCR.P = %d, want 9", v)
	}
	// Counter overflow.
	h.w(13, 2, 0xffffffff)
	h.retire(1)
	if v := h.r(12, 3); v != 1 {
		t.Errorf("PMOVSR = %#x, want counter 0", v)
	}
	// Interrupt enables are stored.
	h.w(14, 1, 0xffffffff)
	if v := h.r(14, 2); v != 0x8000003f {
		t.Errorf("PMINTENCLR = %#x", v)
	}
}

// TestPMULinuxProbe follows Linux's armv7pmu probe and reset.
func TestPMULinuxProbe(t *testing.T) {
	h := pmuHelper{t, newMMUTestCPU(t)}
	if n := h.r(12, 0) >> 11 & 0x1f; n != 6 {
		t.Fatalf("PMCR.N = %d, want 6", n)
	}
	for i := uint32(0); i <= 6; i++ { // counters and the cycle counter
		h.w(12, 2, 1<<(i%6)|1<<31)
		h.w(14, 2, 1<<(i%6)|1<<31)
	}
	h.w(12, 0, pmcrP|pmcrC)
	h.w(12, 3, 0xffffffff)
	if v := h.r(12, 1); v != 0 {
		t.Errorf("PMCNTENSET = %#x after reset", v)
	}
}
